/**
 * A Cloud Service's certificates carried to its successor (issue 15): VM Scale Sets (Flexible) `osProfile.secrets`,
 * the Key Vault VM extension for Windows, Service Fabric managed cluster node types, or App Service certificates —
 * each as an ARM template, Bicep, an az script and a PowerShell script. Every certificate is a `SnippetModel`,
 * validated by `resolveSnippetModel` like every other output; one value tree per target renders both ARM and Bicep.
 */
import {
  bicepString,
  bicepValue as bicepLiteral,
  enableDeploymentCommand,
  powershellQuote,
  shellQuote,
  type BicepLeaf,
} from './render';
import { SnippetError, resolveSnippetModel, type ResolvedSnippetModel, type SnippetModel } from './model';

export const MIGRATION_TARGETS = ['vmss', 'kv-extension', 'sf-managed', 'app-service'] as const;
export type MigrationTarget = (typeof MIGRATION_TARGETS)[number];
export const MIGRATION_FORMATS = ['arm', 'bicep', 'az', 'powershell'] as const;
export type MigrationFormat = (typeof MIGRATION_FORMATS)[number];

export const MIGRATION_TARGET_LABELS: Record<MigrationTarget, string> = {
  vmss: 'VM Scale Sets (Flexible)',
  'kv-extension': 'Key Vault VM extension (Windows)',
  'sf-managed': 'Service Fabric managed cluster',
  'app-service': 'App Service',
};

/** api-versions of what the migration outputs declare (azure-rest-api-specs, stable). */
export const MIGRATION_API_VERSIONS = {
  vmss: '2024-07-01',
  identity: '2023-01-31',
  roleAssignment: '2022-04-01',
  accessPolicy: '2023-07-01',
  sfManagedCluster: '2024-04-01',
  webCertificate: '2024-04-01',
} as const;

/** Built-in roles (ids are the same in every tenant). */
export const KEY_VAULT_SECRETS_USER = {
  name: 'Key Vault Secrets User',
  id: '4633458b-17de-408a-b874-0445c86b69e6',
} as const;
export const KEY_VAULT_CERTIFICATE_USER = {
  name: 'Key Vault Certificate User',
  id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
} as const;
/** The App Service resource provider's first-party application ("Microsoft Azure App Service"), public cloud. */
export const APP_SERVICE_RP_APP_ID = 'abfa0a7c-a6b6-4736-8310-5855508787cd';
export const KV_EXTENSION = {
  publisher: 'Microsoft.Azure.KeyVault',
  type: 'KeyVaultForWindows',
  typeHandlerVersion: '3.0',
  msiEndpoint: 'http://169.254.169.254/metadata/identity/oauth2/token',
} as const;

/** One role's successor resource (a scale set or node type) and the certificates it gets. */
export interface MigrationRoleModel {
  role: string;
  /** Name of the scale set / node type the role becomes. */
  resourceName: string;
  /** Instances of the role (capacity of the new scale set), when known. */
  instances?: number;
  /** Each with `vaultId`, the versioned `certificateUrl`, `certificateName`, `thumbprint`, csdef store. */
  certificates: SnippetModel[];
}

export interface MigrationSnippetModel {
  target: MigrationTarget;
  serviceName: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  roles: MigrationRoleModel[];
  /** Per vault id (lowercase): true for the Azure RBAC permission model, false for access policies. */
  vaultRbac: Record<string, boolean | null>;
  /** kv-extension. */
  identityName?: string;
  pollingIntervalInS?: number;
  linkOnRenewal?: boolean;
  /** sf-managed. */
  clusterName?: string;
  clientCertificate?: {
    by: 'thumbprint' | 'commonName';
    thumbprint: string;
    commonName?: string;
    issuerThumbprint?: string;
  } | null;
}

export interface ResolvedMigrationCertificate extends ResolvedSnippetModel {
  versionlessUrl: string;
}

interface Resolved {
  m: MigrationSnippetModel;
  roles: Array<{ role: string; resourceName: string; instances?: number; certs: ResolvedMigrationCertificate[] }>;
  vaults: Array<{ id: string; name: string; resourceGroup: string; subscriptionId: string; rbac: boolean }>;
}

const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

function fail(message: string, action: string): never {
  throw new SnippetError('invalid-resource-name', message, action);
}

export function versionlessUrl(c: ResolvedSnippetModel): string {
  const port = c.certificate.port ? `:${c.certificate.port}` : '';
  return `https://${c.certificate.host}${port}/secrets/${c.certificate.secretName}`;
}

function resolve(m: MigrationSnippetModel): Resolved {
  if (!(MIGRATION_TARGETS as readonly string[]).includes(m.target)) {
    throw new SnippetError(
      'invalid-snippet-kind',
      `Unknown migration target ${JSON.stringify(m.target)}.`,
      `Use one of: ${MIGRATION_TARGETS.join(', ')}.`,
    );
  }
  const vaults = new Map<string, Resolved['vaults'][number]>();
  const roles = m.roles.map((r) => {
    if (!RESOURCE_NAME.test(r.resourceName))
      fail(
        `"${r.resourceName}" is not a valid name for the ${r.role} successor.`,
        'Use letters, digits and hyphens (at most 63), starting with a letter or digit.',
      );
    const certs = r.certificates.map((c) => {
      const x = resolveSnippetModel(c);
      const key = x.vault.id.toLowerCase();
      if (!vaults.has(key))
        vaults.set(key, {
          id: x.vault.id,
          name: x.vault.vaultName,
          resourceGroup: x.vault.resourceGroup,
          subscriptionId: x.vault.subscriptionId,
          rbac: m.vaultRbac[key] !== false,
        });
      return { ...x, versionlessUrl: versionlessUrl(x) };
    });
    return { role: r.role, resourceName: r.resourceName, ...(r.instances ? { instances: r.instances } : {}), certs };
  });
  return { m, roles, vaults: [...vaults.values()] };
}

// ---------------------------------------------------------------------------------- one tree for ARM and Bicep

/** An expression: ARM's `[...]` text and Bicep's own. */
class Expr {
  constructor(
    readonly arm: string,
    readonly bicep: string,
  ) {}
}
/** An object with one key that is an expression (`userAssignedIdentities: { [id]: {} }`). */
class ExprKey {
  constructor(
    readonly key: Expr,
    readonly value: Value,
  ) {}
}
type Value = string | number | boolean | Expr | ExprKey | Value[] | { [key: string]: Value };

interface Param {
  name: string;
  type: 'string' | 'int';
  description: string;
  default?: Value;
}
interface Resource {
  symbol: string;
  type: string;
  apiVersion: string;
  name: Value;
  /** ARM `scope` / Bicep `scope:` — an existing resource's symbol (extension resources). */
  scope?: { symbol: string; type: string; apiVersion: string; name: string };
  /** Bicep `parent:`: for child resources; ARM gets the `parent/child` name. */
  parent?: { symbol: string; type: string; apiVersion: string; name: Value };
  dependsOn?: string[];
  body: { [key: string]: Value };
}
interface Template {
  description: string;
  params: Param[];
  resources: Resource[];
}

const param = (name: string) => new Expr(`[parameters('${name}')]`, name);
const armInner = (v: Value): string => {
  if (v instanceof Expr) return v.arm.slice(1, -1);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return String(v);
};
const bicepInner = (v: Value): string => (v instanceof Expr ? v.bicep : bicepString(String(v)));
const fn = (name: string, ...args: Value[]) =>
  new Expr(`[${name}(${args.map(armInner).join(', ')})]`, `${name}(${args.map(bicepInner).join(', ')})`);

function armValue(v: Value): unknown {
  if (v instanceof Expr) return v.arm;
  if (v instanceof ExprKey) return { [v.key.arm]: armValue(v.value) };
  if (typeof v === 'string') return v.startsWith('[') ? `[${v}` : v;
  if (Array.isArray(v)) return v.map(armValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, armValue(x)]));
  return v;
}

const bicepLeaf: BicepLeaf = (v, indent) => {
  if (v instanceof Expr) return v.bicep;
  if (v instanceof ExprKey)
    return `{\n${indent}  '\${${v.key.bicep}}': ${bicepValue(v.value, indent + '  ')}\n${indent}}`;
  return undefined;
};
const bicepValue = (v: Value, indent: string): string => bicepLiteral(v, indent, bicepLeaf);

/** The ARM id expression of a resource of the template (for dependsOn). */
function armIdOf(r: Resource): string {
  if (r.scope) {
    const scope = fn('resourceId', r.scope.type, r.scope.name);
    return fn('extensionResourceId', scope, r.type, r.name).arm;
  }
  if (r.parent) return fn('resourceId', `${r.parent.type}/${r.type}`, r.parent.name, r.name).arm;
  return fn('resourceId', r.type, r.name).arm;
}

function renderArm(t: Template): string {
  const resources = t.resources.map((r) => {
    const name = r.parent ? fn('format', '{0}/{1}', r.parent.name, r.name) : r.name;
    const deps = (r.dependsOn ?? []).map((s) => {
      const d = t.resources.find((x) => x.symbol === s);
      if (!d) throw new Error(`unknown dependency ${s}`);
      return armIdOf(d);
    });
    return {
      type: r.parent ? `${r.parent.type}/${r.type}` : r.type,
      apiVersion: r.apiVersion,
      name: armValue(name),
      ...(r.scope ? { scope: fn('format', `${r.scope.type}/{0}`, r.scope.name).arm } : {}),
      ...(armValue(r.body) as Record<string, unknown>),
      ...(deps.length ? { dependsOn: deps } : {}),
    };
  });
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: t.description },
    parameters: Object.fromEntries(
      t.params.map((p) => [
        p.name,
        {
          type: p.type,
          ...(p.default !== undefined ? { defaultValue: armValue(p.default) } : {}),
          metadata: { description: p.description },
        },
      ]),
    ),
    resources,
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}

function renderBicep(t: Template): string {
  const lines: string[] = t.description.split('\n').map((l) => `// ${l}`);
  lines.push('');
  for (const p of t.params) {
    lines.push(`@description(${bicepString(p.description)})`);
    lines.push(`param ${p.name} ${p.type}${p.default !== undefined ? ` = ${bicepValue(p.default, '')}` : ''}`);
  }
  const existing = new Map<string, NonNullable<Resource['scope']>>();
  for (const r of t.resources) {
    if (r.scope) existing.set(r.scope.symbol, r.scope);
  }
  for (const e of existing.values()) {
    lines.push('');
    lines.push(`resource ${e.symbol} '${e.type}@${e.apiVersion}' existing = {`);
    lines.push(`  name: ${bicepString(e.name)}`);
    lines.push('}');
  }
  const parents = new Map<string, NonNullable<Resource['parent']>>();
  for (const r of t.resources) {
    if (r.parent && !t.resources.some((x) => x.symbol === r.parent!.symbol)) parents.set(r.parent.symbol, r.parent);
  }
  for (const p of parents.values()) {
    lines.push('');
    lines.push(`resource ${p.symbol} '${p.type}@${p.apiVersion}' existing = {`);
    lines.push(`  name: ${bicepValue(p.name, '  ')}`);
    lines.push('}');
  }
  for (const r of t.resources) {
    const type = r.parent ? `${r.parent.type}/${r.type}` : r.type;
    lines.push('');
    lines.push(`resource ${r.symbol} '${type}@${r.apiVersion}' = {`);
    if (r.parent) lines.push(`  parent: ${r.parent.symbol}`);
    if (r.scope) lines.push(`  scope: ${r.scope.symbol}`);
    lines.push(`  name: ${bicepValue(r.name, '  ')}`);
    for (const [k, v] of Object.entries(r.body)) lines.push(`  ${k}: ${bicepValue(v, '  ')}`);
    if (r.dependsOn?.length) lines.push('  dependsOn: [', ...r.dependsOn.map((d) => `    ${d}`), '  ]');
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------------- the targets

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'x';
const symbolOf = (prefix: string, name: string) => {
  const s = `${prefix}_${slug(name)}`;
  return /^[A-Za-z_]/.test(s) ? s : `r_${s}`;
};

/** osProfile.secrets / vmSecrets: one group per vault, versioned URLs, the csdef store (implicitly LocalMachine). */
export function vaultSecretGroups(certs: ResolvedMigrationCertificate[]) {
  const groups = new Map<
    string,
    { sourceVault: { id: string }; vaultCertificates: Array<{ certificateUrl: string; certificateStore: string }> }
  >();
  for (const c of certs) {
    const key = c.vault.id.toLowerCase();
    const g = groups.get(key) ?? { sourceVault: { id: c.vault.id }, vaultCertificates: [] };
    g.vaultCertificates.push({ certificateUrl: c.certificate.url, certificateStore: c.storeName });
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The Key Vault VM extension's settings for one scale set (version 3.0: the store per certificate). */
export function kvExtensionSettings(
  certs: ResolvedMigrationCertificate[],
  options: { pollingIntervalInS: number; linkOnRenewal: boolean; msiClientId: Value },
): { [key: string]: Value } {
  return {
    secretsManagementSettings: {
      pollingIntervalInS: String(options.pollingIntervalInS),
      linkOnRenewal: options.linkOnRenewal,
      requireInitialSync: true,
      observedCertificates: certs.map((c) => ({
        url: c.versionlessUrl,
        certificateStoreName: c.storeName,
        certificateStoreLocation: c.storeLocation,
      })),
    },
    authenticationSettings: { msiEndpoint: KV_EXTENSION.msiEndpoint, msiClientId: options.msiClientId },
  };
}

/** App Service: one Microsoft.Web/certificates per distinct vault secret (App Service follows its newest version). */
export function appServiceCertificates(r: Resolved) {
  const out = new Map<
    string,
    { name: string; vault: ResolvedMigrationCertificate['vault']; secretName: string; thumbprint: string | null }
  >();
  for (const role of r.roles) {
    for (const c of role.certs) {
      const key = `${c.vault.id}/${c.certificate.secretName}`.toLowerCase();
      if (!out.has(key))
        out.set(key, {
          name: `${r.m.serviceName}-${c.certificate.secretName}`.slice(0, 80),
          vault: c.vault,
          secretName: c.certificate.secretName,
          thumbprint: c.thumbprint,
        });
    }
  }
  return [...out.values()];
}

const locationParam: Param = {
  name: 'location',
  type: 'string',
  description: 'Region of the new resources.',
  default: new Expr('[resourceGroup().location]', 'resourceGroup().location'),
};

function vaultScope(v: Resolved['vaults'][number]) {
  return {
    symbol: symbolOf('vault', v.name),
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: MIGRATION_API_VERSIONS.accessPolicy,
    name: v.name,
  };
}

function accessGrant(
  v: Resolved['vaults'][number],
  role: { name: string; id: string },
  principalId: Value,
  principalKey: Value,
  permissions: { secrets: string[]; certificates?: string[] },
  dependsOn: string[],
): Resource {
  if (v.rbac) {
    return {
      symbol: symbolOf('grant', v.name),
      type: 'Microsoft.Authorization/roleAssignments',
      apiVersion: MIGRATION_API_VERSIONS.roleAssignment,
      scope: vaultScope(v),
      name: fn(
        'guid',
        new Expr(`[resourceId('Microsoft.KeyVault/vaults', '${v.name}')]`, `${vaultScope(v).symbol}.id`),
        principalKey,
        role.id,
      ),
      dependsOn,
      body: {
        properties: {
          roleDefinitionId: fn('subscriptionResourceId', 'Microsoft.Authorization/roleDefinitions', role.id),
          principalId,
          principalType: 'ServicePrincipal',
        },
      },
    };
  }
  return {
    symbol: symbolOf('policy', v.name),
    type: 'accessPolicies',
    apiVersion: MIGRATION_API_VERSIONS.accessPolicy,
    parent: {
      symbol: vaultScope(v).symbol,
      type: 'Microsoft.KeyVault/vaults',
      apiVersion: MIGRATION_API_VERSIONS.accessPolicy,
      name: v.name,
    },
    name: 'add',
    dependsOn,
    body: {
      properties: {
        accessPolicies: [
          {
            tenantId: new Expr('[subscription().tenantId]', 'subscription().tenantId'),
            objectId: principalId,
            permissions,
          },
        ],
      },
    },
  };
}

function vaultsOutsideGroup(r: Resolved): string[] {
  return r.vaults
    .filter(
      (v) =>
        v.resourceGroup.toLowerCase() !== r.m.resourceGroup.toLowerCase() ||
        v.subscriptionId.toLowerCase() !== r.m.subscriptionId.toLowerCase(),
    )
    .map((v) => v.name);
}

function templateOf(r: Resolved): Template {
  const m = r.m;
  const outside = vaultsOutsideGroup(r);
  const outsideNote = outside.length
    ? `\nVault(s) ${outside.join(', ')} are outside resource group ${m.resourceGroup}: deploy their access grant in the vault's own group (the az/PowerShell script does it).`
    : '';
  const inGroup = (v: Resolved['vaults'][number]) => !outside.includes(v.name);
  switch (m.target) {
    case 'vmss':
      return {
        description: `${m.serviceName} → VM Scale Sets (Flexible): osProfile.secrets per role, the store from the .csdef (LocalMachine).\nMerge each scale set's osProfile.secrets into its full definition (image, network, size). The vaults need enabledForDeployment and the scale set's region.`,
        params: [locationParam],
        resources: r.roles.map((role) => ({
          symbol: symbolOf('vmss', role.resourceName),
          type: 'Microsoft.Compute/virtualMachineScaleSets',
          apiVersion: MIGRATION_API_VERSIONS.vmss,
          name: role.resourceName,
          body: {
            location: param('location'),
            properties: {
              orchestrationMode: 'Flexible',
              virtualMachineProfile: { osProfile: { secrets: vaultSecretGroups(role.certs) as unknown as Value } },
            },
          },
        })),
      };
    case 'kv-extension': {
      const idName = m.identityName ?? `id-${m.serviceName}-kv`;
      const identity: Resource = {
        symbol: 'identity',
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        apiVersion: MIGRATION_API_VERSIONS.identity,
        name: idName,
        body: { location: param('location') },
      };
      const idRef = new Expr(
        `[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', '${idName}')]`,
        'identity.id',
      );
      const principal = new Expr(
        `[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', '${idName}'), '${MIGRATION_API_VERSIONS.identity}').principalId]`,
        'identity.properties.principalId',
      );
      const clientId = new Expr(
        `[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', '${idName}'), '${MIGRATION_API_VERSIONS.identity}').clientId]`,
        'identity.properties.clientId',
      );
      const grants = r.vaults
        .filter(inGroup)
        .map((v) =>
          accessGrant(v, KEY_VAULT_SECRETS_USER, principal, idRef, { secrets: ['get', 'list'] }, ['identity']),
        );
      const scaleSets: Resource[] = r.roles.map((role) => ({
        symbol: symbolOf('vmss', role.resourceName),
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        apiVersion: MIGRATION_API_VERSIONS.vmss,
        name: role.resourceName,
        dependsOn: ['identity', ...grants.map((g) => g.symbol)],
        body: {
          location: param('location'),
          identity: { type: 'UserAssigned', userAssignedIdentities: new ExprKey(idRef, {}) },
          properties: {
            orchestrationMode: 'Flexible',
            virtualMachineProfile: {
              extensionProfile: {
                extensions: [
                  {
                    name: KV_EXTENSION.type,
                    properties: {
                      publisher: KV_EXTENSION.publisher,
                      type: KV_EXTENSION.type,
                      typeHandlerVersion: KV_EXTENSION.typeHandlerVersion,
                      autoUpgradeMinorVersion: true,
                      settings: kvExtensionSettings(role.certs, {
                        pollingIntervalInS: m.pollingIntervalInS ?? 3600,
                        linkOnRenewal: m.linkOnRenewal ?? true,
                        msiClientId: clientId,
                      }),
                    },
                  },
                ],
              },
            },
          },
        },
      }));
      return {
        description: `${m.serviceName} → Key Vault VM extension (Windows) on VM Scale Sets (Flexible): a user-assigned identity, its ${KEY_VAULT_SECRETS_USER.name} role (or get/list secret access policy) on each vault, and observedCertificates with versionless URLs.\nThe extension can read a vault in another region, unlike osProfile.secrets. Merge each scale set's identity and extension into its full definition.${outsideNote}`,
        params: [locationParam],
        resources: [identity, ...grants, ...scaleSets],
      };
    }
    case 'sf-managed': {
      const cluster = m.clusterName ?? `sf-${m.serviceName}`;
      const clusterParent = {
        symbol: 'cluster',
        type: 'Microsoft.ServiceFabric/managedClusters',
        apiVersion: MIGRATION_API_VERSIONS.sfManagedCluster,
        name: param('clusterName') as Value,
      };
      const nodeTypes: Resource[] = r.roles.map((role) => ({
        symbol: symbolOf('nodeType', role.resourceName),
        type: 'nodeTypes',
        apiVersion: MIGRATION_API_VERSIONS.sfManagedCluster,
        parent: clusterParent,
        name: role.resourceName,
        body: { properties: { vmSecrets: vaultSecretGroups(role.certs) as unknown as Value } },
      }));
      const cc = m.clientCertificate;
      const client: Resource[] = cc
        ? [
            {
              symbol: 'cluster',
              type: 'Microsoft.ServiceFabric/managedClusters',
              apiVersion: MIGRATION_API_VERSIONS.sfManagedCluster,
              name: param('clusterName'),
              body: {
                location: param('location'),
                properties: {
                  clients: [
                    cc.by === 'thumbprint'
                      ? { isAdmin: true, thumbprint: cc.thumbprint }
                      : {
                          isAdmin: true,
                          commonName: cc.commonName ?? '',
                          ...(cc.issuerThumbprint ? { issuerThumbprint: cc.issuerThumbprint } : {}),
                        },
                  ],
                },
              },
            },
          ]
        : [];
      return {
        description: `${m.serviceName} → Service Fabric managed cluster: each role's certificates as its node type's vmSecrets (versioned URLs, the .csdef store)${cc ? ', and the cluster client certificate' : ''}.\nMerge into the cluster and node type definitions. The vaults need enabledForDeployment and the cluster's region.`,
        params: [
          locationParam,
          { name: 'clusterName', type: 'string', description: 'The Service Fabric managed cluster.', default: cluster },
        ],
        resources: [...client, ...nodeTypes.map((n) => (cc ? { ...n, dependsOn: ['cluster'] } : n))],
      };
    }
    case 'app-service': {
      const principal = param('appServicePrincipalId');
      const grants = r.vaults
        .filter(inGroup)
        .map((v) =>
          accessGrant(
            v,
            KEY_VAULT_CERTIFICATE_USER,
            principal,
            APP_SERVICE_RP_APP_ID,
            { secrets: ['get'], certificates: ['get'] },
            [],
          ),
        );
      const certificates: Resource[] = appServiceCertificates(r).map((c) => ({
        symbol: symbolOf('cert', c.secretName),
        type: 'Microsoft.Web/certificates',
        apiVersion: MIGRATION_API_VERSIONS.webCertificate,
        name: c.name,
        dependsOn: grants.map((g) => g.symbol),
        body: {
          location: param('location'),
          properties: {
            keyVaultId: c.vault.id,
            keyVaultSecretName: c.secretName,
            serverFarmId: param('serverFarmId'),
          },
        },
      }));
      return {
        description: `${m.serviceName} → App Service: one Microsoft.Web/certificates per Key Vault secret (keyVaultId + keyVaultSecretName; App Service follows the secret's newest version).\nThe App Service resource provider (app id ${APP_SERVICE_RP_APP_ID}) needs ${KEY_VAULT_CERTIFICATE_USER.name} (or get on secrets and certificates) on each vault; the vault must be in the web app's subscription.${outsideNote}`,
        params: [
          locationParam,
          {
            name: 'serverFarmId',
            type: 'string',
            description: 'Resource id of the App Service plan (Microsoft.Web/serverfarms).',
          },
          {
            name: 'appServicePrincipalId',
            type: 'string',
            description: `Object id of the "Microsoft Azure App Service" service principal in your tenant: az ad sp show --id ${APP_SERVICE_RP_APP_ID} --query id -o tsv`,
          },
        ],
        resources: [...grants, ...certificates],
      };
    }
  }
}

// ------------------------------------------------------------------------------------------------- az, PowerShell

const fileOf = (name: string, what: string) => `${slug(name).replace(/_/g, '-')}.${what}.json`;

function heredoc(file: string, value: unknown): string[] {
  return [`cat > ${file} <<'JSON'`, JSON.stringify(value, null, 2), 'JSON'];
}

function renderAz(r: Resolved): string {
  const m = r.m;
  const g = shellQuote(m.resourceGroup);
  const sub = shellQuote(m.subscriptionId);
  const out = [
    '#!/usr/bin/env bash',
    `# ${m.serviceName} → ${MIGRATION_TARGET_LABELS[m.target]}: the certificates of every role.`,
    'set -euo pipefail',
    `az account set --subscription ${sub}`,
    '',
  ];
  const deployFlag = () => {
    out.push(
      '# The platform installs osProfile secrets only from vaults with "Azure Virtual Machines for deployment".',
    );
    for (const v of r.vaults) out.push(enableDeploymentCommand(v.id));
    out.push('');
  };
  switch (m.target) {
    case 'vmss':
      deployFlag();
      for (const role of r.roles) {
        const file = fileOf(role.resourceName, 'secrets');
        out.push(`# ${role.role} → scale set ${role.resourceName}: osProfile.secrets with the .csdef store.`);
        out.push(...heredoc(file, vaultSecretGroups(role.certs)));
        out.push(
          `az vmss create --resource-group ${g} --name ${shellQuote(role.resourceName)} --location ${shellQuote(m.location)} --orchestration-mode Flexible \\`,
          `  --image "\${VMSS_IMAGE:-Win2022Datacenter}" --instance-count ${role.instances ?? 2} \\`,
          '  --admin-username "${ADMIN_USERNAME:?set ADMIN_USERNAME}" --admin-password "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}" \\',
          `  --secrets @${file}`,
          '',
        );
      }
      break;
    case 'kv-extension': {
      const id = m.identityName ?? `id-${m.serviceName}-kv`;
      out.push(
        '# 1. The user-assigned identity the extension reads the vaults with.',
        `identity_id=$(az identity create --resource-group ${g} --name ${shellQuote(id)} --location ${shellQuote(m.location)} --query id --output tsv)`,
        'principal_id=$(az identity show --ids "$identity_id" --query principalId --output tsv)',
        'client_id=$(az identity show --ids "$identity_id" --query clientId --output tsv)',
        '',
        `# 2. Read access on each vault: ${KEY_VAULT_SECRETS_USER.name} (RBAC) or get/list on secrets (access policies).`,
      );
      for (const v of r.vaults) {
        out.push(
          v.rbac
            ? `az role assignment create --assignee-object-id "$principal_id" --assignee-principal-type ServicePrincipal --role ${shellQuote(KEY_VAULT_SECRETS_USER.name)} --scope ${shellQuote(v.id)}`
            : `az keyvault set-policy --subscription ${shellQuote(v.subscriptionId)} --resource-group ${shellQuote(v.resourceGroup)} --name ${shellQuote(v.name)} --object-id "$principal_id" --secret-permissions get list`,
        );
      }
      out.push('');
      for (const role of r.roles) {
        const file = fileOf(role.resourceName, 'kv-extension');
        out.push(
          `# 3. ${role.role} → scale set ${role.resourceName}: the identity and the extension (versionless URLs).`,
        );
        out.push(
          ...heredoc(
            file,
            armValue(
              kvExtensionSettings(role.certs, {
                pollingIntervalInS: m.pollingIntervalInS ?? 3600,
                linkOnRenewal: m.linkOnRenewal ?? true,
                msiClientId: '__MSI_CLIENT_ID__',
              }),
            ),
          ),
        );
        out.push(
          `az vmss identity assign --resource-group ${g} --name ${shellQuote(role.resourceName)} --identities "$identity_id"`,
          `az vmss extension set --resource-group ${g} --vmss-name ${shellQuote(role.resourceName)} --name ${KV_EXTENSION.type} --publisher ${KV_EXTENSION.publisher} --version ${KV_EXTENSION.typeHandlerVersion} \\`,
          `  --settings "$(sed "s/__MSI_CLIENT_ID__/$client_id/" ${file})"`,
          '',
        );
      }
      break;
    }
    case 'sf-managed': {
      deployFlag();
      const cluster = shellQuote(m.clusterName ?? `sf-${m.serviceName}`);
      for (const role of r.roles) {
        out.push(`# ${role.role} → node type ${role.resourceName}: vmSecrets (versioned URLs, the .csdef store).`);
        for (const c of role.certs) {
          out.push(
            `az sf managed-node-type vm-secret add --resource-group ${g} --cluster-name ${cluster} --name ${shellQuote(role.resourceName)} \\`,
            `  --source-vault-id ${shellQuote(c.vault.id)} --certificate-url ${shellQuote(c.certificate.url)} --certificate-store ${shellQuote(c.storeName)}`,
          );
        }
        out.push('');
      }
      const cc = m.clientCertificate;
      if (cc) {
        out.push('# The cluster client (admin) certificate.');
        out.push(
          cc.by === 'thumbprint'
            ? `az sf managed-cluster client-certificate add --resource-group ${g} --cluster-name ${cluster} --is-admin --thumbprint ${shellQuote(cc.thumbprint)}`
            : `az sf managed-cluster client-certificate add --resource-group ${g} --cluster-name ${cluster} --is-admin --common-name ${shellQuote(cc.commonName ?? '')}${cc.issuerThumbprint ? ` --issuer-thumbprint ${shellQuote(cc.issuerThumbprint)}` : ''}`,
          '',
        );
      }
      break;
    }
    case 'app-service': {
      out.push(
        '# 1. The App Service resource provider ("Microsoft Azure App Service") reads the vaults.',
        `app_service_sp=$(az ad sp show --id ${APP_SERVICE_RP_APP_ID} --query id --output tsv)`,
      );
      for (const v of r.vaults) {
        out.push(
          v.rbac
            ? `az role assignment create --assignee-object-id "$app_service_sp" --assignee-principal-type ServicePrincipal --role ${shellQuote(KEY_VAULT_CERTIFICATE_USER.name)} --scope ${shellQuote(v.id)}`
            : `az keyvault set-policy --subscription ${shellQuote(v.subscriptionId)} --resource-group ${shellQuote(v.resourceGroup)} --name ${shellQuote(v.name)} --spn ${APP_SERVICE_RP_APP_ID} --secret-permissions get --certificate-permissions get`,
        );
      }
      out.push('', '# 2. One App Service certificate per Key Vault secret (the web app is $WEBAPP_NAME).');
      for (const c of appServiceCertificates(r)) {
        out.push(
          `az webapp config ssl import --resource-group ${g} --name "\${WEBAPP_NAME:?set WEBAPP_NAME}" --key-vault ${shellQuote(c.vault.id)} --key-vault-certificate-name ${shellQuote(c.secretName)}`,
        );
      }
      out.push('');
      break;
    }
  }
  return `${out.join('\n')}`;
}

function renderPowershell(r: Resolved): string {
  const m = r.m;
  const q = powershellQuote;
  const out = [
    `# ${m.serviceName} → ${MIGRATION_TARGET_LABELS[m.target]}: the certificates of every role (Az modules).`,
    "$ErrorActionPreference = 'Stop'",
    `Set-AzContext -Subscription ${q(m.subscriptionId)} | Out-Null`,
    '',
  ];
  const deployFlag = () => {
    out.push(
      '# The platform installs osProfile secrets only from vaults with "Azure Virtual Machines for deployment".',
    );
    for (const v of r.vaults)
      out.push(
        `Set-AzKeyVaultAccessPolicy -VaultName ${q(v.name)} -ResourceGroupName ${q(v.resourceGroup)} -EnabledForDeployment`,
      );
    out.push('');
  };
  switch (m.target) {
    case 'vmss':
      deployFlag();
      for (const role of r.roles) {
        out.push(`# ${role.role} → scale set ${role.resourceName}.`);
        out.push(`$vmssName = ${q(role.resourceName)}`);
        out.push(
          `$vmss = New-AzVmssConfig -Location ${q(m.location)} -OrchestrationMode 'Flexible' -SkuCapacity ${role.instances ?? 2}`,
        );
        for (const grp of vaultSecretGroups(role.certs)) {
          out.push('$certificates = @(');
          out.push(
            grp.vaultCertificates
              .map(
                (c) =>
                  `  (New-AzVmssVaultCertificateConfig -CertificateUrl ${q(c.certificateUrl)} -CertificateStore ${q(c.certificateStore)})`,
              )
              .join(',\n'),
          );
          out.push(')');
          out.push(
            `$vmss = Add-AzVmssSecret -VirtualMachineScaleSet $vmss -SourceVaultId ${q(grp.sourceVault.id)} -VaultCertificate $certificates`,
          );
        }
        out.push(
          `# Add the image, OS profile and network, then: New-AzVmss -ResourceGroupName ${q(m.resourceGroup)} -VMScaleSetName $vmssName -VirtualMachineScaleSet $vmss`,
          '',
        );
      }
      break;
    case 'kv-extension': {
      const id = m.identityName ?? `id-${m.serviceName}-kv`;
      out.push(
        '# 1. The user-assigned identity the extension reads the vaults with.',
        `$identity = New-AzUserAssignedIdentity -ResourceGroupName ${q(m.resourceGroup)} -Name ${q(id)} -Location ${q(m.location)}`,
        '',
        `# 2. Read access on each vault: ${KEY_VAULT_SECRETS_USER.name} (RBAC) or get/list on secrets (access policies).`,
      );
      for (const v of r.vaults) {
        out.push(
          v.rbac
            ? `New-AzRoleAssignment -ObjectId $identity.PrincipalId -RoleDefinitionName ${q(KEY_VAULT_SECRETS_USER.name)} -Scope ${q(v.id)} | Out-Null`
            : `Set-AzKeyVaultAccessPolicy -VaultName ${q(v.name)} -ResourceGroupName ${q(v.resourceGroup)} -ObjectId $identity.PrincipalId -PermissionsToSecrets get,list`,
        );
      }
      out.push('');
      for (const role of r.roles) {
        const settings = armValue(
          kvExtensionSettings(role.certs, {
            pollingIntervalInS: m.pollingIntervalInS ?? 3600,
            linkOnRenewal: m.linkOnRenewal ?? true,
            msiClientId: '',
          }),
        );
        out.push(
          `# 3. ${role.role} → scale set ${role.resourceName}: the identity and the extension (versionless URLs).`,
          `$vmssName = ${q(role.resourceName)}`,
          `$settings = ConvertFrom-Json ${q(JSON.stringify(settings))}`,
          '$settings.authenticationSettings.msiClientId = $identity.ClientId',
          `$vmss = Update-AzVmss -ResourceGroupName ${q(m.resourceGroup)} -VMScaleSetName $vmssName -IdentityType 'UserAssigned' -IdentityId $identity.Id`,
          `$vmss = Add-AzVmssExtension -VirtualMachineScaleSet $vmss -Name ${q(KV_EXTENSION.type)} -Publisher ${q(KV_EXTENSION.publisher)} -Type ${q(KV_EXTENSION.type)} -TypeHandlerVersion ${q(KV_EXTENSION.typeHandlerVersion)} -AutoUpgradeMinorVersion $true -Setting $settings`,
          `Update-AzVmss -ResourceGroupName ${q(m.resourceGroup)} -VMScaleSetName $vmssName -VirtualMachineScaleSet $vmss | Out-Null`,
          '',
        );
      }
      break;
    }
    case 'sf-managed': {
      deployFlag();
      const cluster = q(m.clusterName ?? `sf-${m.serviceName}`);
      for (const role of r.roles) {
        out.push(`# ${role.role} → node type ${role.resourceName}: vmSecrets (versioned URLs, the .csdef store).`);
        for (const c of role.certs) {
          out.push(
            `Add-AzServiceFabricManagedNodeTypeVMSecret -ResourceGroupName ${q(m.resourceGroup)} -ClusterName ${cluster} -Name ${q(role.resourceName)} -SourceVaultId ${q(c.vault.id)} -CertificateUrl ${q(c.certificate.url)} -CertificateStore ${q(c.storeName)}`,
          );
        }
        out.push('');
      }
      const cc = m.clientCertificate;
      if (cc) {
        out.push(
          '# The cluster client (admin) certificate.',
          cc.by === 'thumbprint'
            ? `Add-AzServiceFabricManagedClusterClientCertificate -ResourceGroupName ${q(m.resourceGroup)} -Name ${cluster} -Admin -Thumbprint ${q(cc.thumbprint)}`
            : `Add-AzServiceFabricManagedClusterClientCertificate -ResourceGroupName ${q(m.resourceGroup)} -Name ${cluster} -Admin -CommonName ${q(cc.commonName ?? '')}${cc.issuerThumbprint ? ` -IssuerThumbprint ${q(cc.issuerThumbprint)}` : ''}`,
          '',
        );
      }
      break;
    }
    case 'app-service': {
      out.push('# 1. The App Service resource provider ("Microsoft Azure App Service") reads the vaults.');
      for (const v of r.vaults) {
        out.push(
          v.rbac
            ? `New-AzRoleAssignment -ApplicationId ${q(APP_SERVICE_RP_APP_ID)} -RoleDefinitionName ${q(KEY_VAULT_CERTIFICATE_USER.name)} -Scope ${q(v.id)} | Out-Null`
            : `Set-AzKeyVaultAccessPolicy -VaultName ${q(v.name)} -ResourceGroupName ${q(v.resourceGroup)} -ServicePrincipalName ${q(APP_SERVICE_RP_APP_ID)} -PermissionsToSecrets get -PermissionsToCertificates get`,
        );
      }
      out.push('', '# 2. One App Service certificate per Key Vault secret ($WebAppName is your web app).');
      out.push("if (-not $WebAppName) { throw 'Set $WebAppName to the web app first.' }");
      for (const c of appServiceCertificates(r)) {
        out.push(
          `Import-AzWebAppKeyVaultCertificate -ResourceGroupName ${q(m.resourceGroup)} -WebAppName $WebAppName -KeyVaultName ${q(c.vault.vaultName)} -CertName ${q(c.secretName)}`,
        );
      }
      out.push('');
      break;
    }
  }
  return out.join('\n');
}

export const MIGRATION_FILE_EXTENSIONS: Record<MigrationFormat, string> = {
  arm: 'json',
  bicep: 'bicep',
  az: 'sh',
  powershell: 'ps1',
};

/** One name per format, shown on the tabs and in the reports alike (the wizard's secret-identifier tabs agree). */
export const MIGRATION_FORMAT_LABELS: Record<MigrationFormat, string> = {
  arm: 'ARM template',
  bicep: 'Bicep',
  az: 'Azure CLI',
  powershell: 'PowerShell',
};

/** The media type a download of each format is offered with. */
export const MIGRATION_FORMAT_MIME: Record<MigrationFormat, string> = {
  arm: 'application/json',
  bicep: 'text/plain',
  az: 'text/x-shellscript',
  powershell: 'text/plain',
};

export function migrationFileName(serviceName: string, target: MigrationTarget, format: MigrationFormat): string {
  return `${serviceName}-${target}.${format === 'arm' ? 'template.json' : MIGRATION_FILE_EXTENSIONS[format]}`;
}

/** Render one target's output in one format. Throws `SnippetError` for an invalid certificate or name. */
export function renderMigration(format: MigrationFormat, model: MigrationSnippetModel): string {
  const r = resolve(model);
  switch (format) {
    case 'arm':
      return renderArm(templateOf(r));
    case 'bicep':
      return renderBicep(templateOf(r));
    case 'az':
      return renderAz(r);
    case 'powershell':
      return renderPowershell(r);
    default:
      throw new SnippetError(
        'invalid-snippet-kind',
        `Unknown format ${JSON.stringify(format)}.`,
        `Use one of: ${MIGRATION_FORMATS.join(', ')}.`,
      );
  }
}

export function renderMigrations(model: MigrationSnippetModel): Record<MigrationFormat, string> {
  return Object.fromEntries(MIGRATION_FORMATS.map((f) => [f, renderMigration(f, model)])) as Record<
    MigrationFormat,
    string
  >;
}
