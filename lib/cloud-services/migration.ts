/**
 * Migration off Cloud Services (extended support), issue 15: every certificate of a service mapped to its successor
 * (VM Scale Sets, the Key Vault VM extension, a Service Fabric managed cluster, App Service), what blocks the move,
 * the identities and grants to create, and the order of the steps. Pure: the live service, the vault facts and each
 * certificate's details come from lib/azure; the outputs come from lib/snippets; the page and the CLI both call this.
 */
import { isServiceConfigError, readServiceFile } from '../service-config';
import {
  APP_SERVICE_RP_APP_ID,
  enableDeploymentCommand,
  KEY_VAULT_CERTIFICATE_USER,
  KEY_VAULT_SECRETS_USER,
  MIGRATION_FORMATS,
  MIGRATION_TARGET_LABELS,
  renderMigration,
  SnippetError,
  type MigrationFormat,
  type MigrationSnippetModel,
  type MigrationTarget,
  type SnippetModel,
} from '../snippets';
import { daysUntil, knownVersions, serviceReport } from './health';
import { isParsed, parseSecretUrl, sameId } from './secrets';
import type { CertificateRow, LiveService, Problem, ServiceFacts, ServiceHealth, VersionFacts } from './types';

/** Every Cloud Service (extended support) must be gone by then (cses-field-failures §6). */
export const MIGRATION_DEADLINE = '2027-03-31';

/** What lib/azure read from the certificate itself (the X.509 of the version a row uses). */
export interface CertificateDetails {
  /** The versioned secret URL the details are of. */
  url: string;
  thumbprint: string;
  subject: string;
  commonName: string | null;
  issuer: string;
  selfSigned: boolean;
  keyType: 'RSA' | 'EC' | 'other';
  keyBits: number | null;
  signatureAlgorithm: string;
  notAfter: string;
}

/** Everything the planner needs about one live service (the migration route's answer, the CLI's reads). */
export interface MigrationSource {
  service: LiveService;
  facts: ServiceFacts;
  details: CertificateDetails[];
  /** URLs whose certificate could not be read (no right to the secret value, or not a certificate). */
  unreadable: Array<{ url: string; problem: Problem }>;
}

export interface MigrationOptions {
  target: MigrationTarget;
  /** The service's .csdef text: where each certificate goes (a live service does not expose it). */
  csdef?: string | null;
  /** A .cscfg to plan with instead of the live one (e.g. the next package's). */
  cscfg?: string | null;
  now?: Date;
  identityName?: string;
  pollingIntervalInS?: number;
  linkOnRenewal?: boolean;
  clusterName?: string;
  /** sf-managed: which certificate becomes the cluster's admin client certificate, and how it is named. */
  clientCertificate?: { role: string; name: string; by: 'thumbprint' | 'commonName' } | null;
}

export interface MigrationCertificate {
  role: string;
  name: string;
  thumbprint: string;
  storeLocation: string;
  storeName: string;
  /** Where the store came from: the .csdef, or the LocalMachine/My default. */
  storeFrom: 'csdef' | 'default';
  vaultId: string | null;
  vaultName: string | null;
  secretName: string | null;
  version: string | null;
  versionedUrl: string | null;
  versionlessUrl: string | null;
  expiresOn: string | null;
  daysLeft: number | null;
  /** The health of the row on the service page. */
  status: CertificateRow['status'];
  health: string;
  key: string | null;
  signatureAlgorithm: string | null;
  subject: string | null;
  remoteAccess: boolean;
  /** In the outputs (false: dropped, or no version to carry). */
  included: boolean;
  /** What the target does with it, in a sentence. */
  mapping: string;
  /** The newest enabled version of the secret when it is not the one carried (the extension and App Service follow it). */
  newerVersion: { version: string; thumbprint: string | null; expiresOn: string | null } | null;
}

export type BlockerId =
  | 'rsa-key-too-small'
  | 'sha1-signature'
  | 'secret-only'
  | 'remote-access'
  | 'expires-in-window'
  | 'no-version'
  | 'disabled'
  | 'unreadable'
  | 'store-location'
  | 'store-app-service'
  | 'deployment-flag'
  | 'csdef-missing'
  | 'csdef-invalid'
  | 'csdef-no-entry'
  | 'newest-version-differs'
  | 'configuration';

export interface MigrationBlocker {
  id: BlockerId;
  /** `blocker`: must change before the move; `warning`: check it; `drop`: leave it behind. */
  severity: 'blocker' | 'warning' | 'drop';
  role?: string;
  certificate?: string;
  message: string;
  fix: string;
}

export interface MigrationGrant {
  /** Who reads the vault. */
  principal: string;
  vaultName: string;
  vaultId: string;
  how: 'rbac' | 'access-policy';
  /** The role (RBAC) or the permissions (access policy). */
  what: string;
}

export interface ChecklistStep {
  title: string;
  detail: string;
}

export interface MigrationPlan {
  service: { id: string; name: string; subscriptionId: string; resourceGroup: string; location: string };
  target: MigrationTarget;
  targetLabel: string;
  deadline: string;
  generatedAt: string;
  health: ServiceHealth;
  csdefGiven: boolean;
  certificates: MigrationCertificate[];
  blockers: MigrationBlocker[];
  identities: Array<{ name: string; kind: 'user-assigned' | 'resource-provider'; note: string }>;
  grants: MigrationGrant[];
  checklist: ChecklistStep[];
  /** Successor resource per role. */
  successors: Array<{ role: string; resourceName: string }>;
  model: MigrationSnippetModel;
  outputs: Record<MigrationFormat, string> | null;
  /** Why there are no outputs (nothing to carry, or an invalid name). */
  outputError: Problem | null;
}

const SHA1 = /sha-?1(?!\d)/i;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'an unknown date');

const sanitize = (s: string, max: number) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '') || 'role';

/** Name of the successor of a role: a scale set `vmss-{service}-{role}`, a node type `{role}` (at most 9). */
export function successorName(target: MigrationTarget, service: string, role: string): string {
  if (target === 'sf-managed') return sanitize(role, 9).replace(/-/g, '') || 'nt';
  return sanitize(`vmss-${service}-${role}`, 63);
}

interface CsdefStores {
  given: boolean;
  error: Problem | null;
  /** role (lowercase) → certificate name (lowercase) → store */
  roles: Map<string, Map<string, { storeLocation: string; storeName: string }>>;
}

function readCsdef(text: string | null | undefined): CsdefStores {
  const out: CsdefStores = { given: Boolean(text && text.trim()), error: null, roles: new Map() };
  if (!out.given) return out;
  try {
    for (const role of readServiceFile(text!, 'csdef').roles) {
      const certs = new Map<string, { storeLocation: string; storeName: string }>();
      for (const c of role.certificates)
        certs.set(c.name.toLowerCase(), {
          storeLocation: c.storeLocation ?? 'LocalMachine',
          storeName: c.storeName ?? 'My',
        });
      out.roles.set(role.name.toLowerCase(), certs);
    }
  } catch (e) {
    if (!isServiceConfigError(e)) throw e;
    out.error = { code: e.code, message: `The .csdef could not be read: ${e.message}`, action: e.action };
  }
  return out;
}

function versionsOf(facts: ServiceFacts, url: string): VersionFacts[] {
  const s = facts.secrets.find((x) => x.url === url);
  if (s) return [...(s.version ? [s.version] : []), ...s.siblings];
  const p = parseSecretUrl(url);
  if (!isParsed(p)) return [];
  // A repair target is a sibling of some pinned URL of the same certificate.
  return knownVersions(facts).filter(
    (v) => v.vaultName.toLowerCase() === p.vaultName.toLowerCase() && v.name === p.name,
  );
}

function keyText(d: CertificateDetails | undefined): string | null {
  if (!d) return null;
  return `${d.keyType}${d.keyBits ? ` ${d.keyBits}` : ''}`;
}

function mappingText(
  target: MigrationTarget,
  c: { storeLocation: string; storeName: string; secretName: string | null },
  successor: string,
): string {
  switch (target) {
    case 'vmss':
      return `osProfile.secrets of ${successor}: certificateStore ${c.storeName} (LocalMachine), versioned URL`;
    case 'kv-extension':
      return `observedCertificates of ${successor}: ${c.storeLocation}/${c.storeName}, versionless URL (follows renewals)`;
    case 'sf-managed':
      return `vmSecrets of node type ${successor}: certificateStore ${c.storeName} (LocalMachine), versioned URL`;
    case 'app-service':
      return `Microsoft.Web/certificates from secret ${c.secretName ?? '?'} (loaded into CurrentUser/My)`;
  }
}

/** Plan the move of one service's certificates to `options.target`. */
export function planMigration(source: MigrationSource, options: MigrationOptions): MigrationPlan {
  const now = options.now ?? new Date();
  const target = options.target;
  const service: LiveService =
    options.cscfg && options.cscfg.trim() ? { ...source.service, configuration: options.cscfg } : source.service;
  const report = serviceReport(service, source.facts, { now });
  const csdef = readCsdef(options.csdef);
  const deadline = Date.parse(`${MIGRATION_DEADLINE}T23:59:59Z`);
  const blockers: MigrationBlocker[] = [];
  const add = (b: MigrationBlocker) => blockers.push(b);

  if (report.configurationError)
    add({
      id: 'configuration',
      severity: 'blocker',
      message: report.configurationError.message,
      fix: report.configurationError.action,
    });
  if (csdef.error)
    add({ id: 'csdef-invalid', severity: 'blocker', message: csdef.error.message, fix: csdef.error.action });
  else if (!csdef.given)
    add({
      id: 'csdef-missing',
      severity: 'warning',
      message:
        'No .csdef given: every certificate is assumed to go to LocalMachine/My. A live cloud service does not expose its .csdef, where the stores are declared.',
      fix: 'Upload the service’s .csdef (ServiceDefinition.csdef of the package) to carry each certificate’s storeLocation and storeName.',
    });

  const vaultIdByName = (name: string) =>
    source.facts.vaults.find((v) => v.name.toLowerCase() === name.toLowerCase())?.trueId ??
    service.secrets.find((g) => g.sourceVault.id.toLowerCase().endsWith(`/vaults/${name.toLowerCase()}`))?.sourceVault
      .id ??
    null;

  const certificates: MigrationCertificate[] = report.rows.map((row) => {
    const what = { role: row.role, certificate: row.name };
    const roleStores = csdef.roles.get(row.role.toLowerCase());
    const fromCsdef = roleStores?.get(row.name.toLowerCase());
    if (csdef.given && !csdef.error && !fromCsdef && !row.remoteAccess)
      add({
        ...what,
        id: 'csdef-no-entry',
        severity: 'warning',
        message: `${row.role}/${row.name} is in the .cscfg but not declared in the .csdef${roleStores ? '' : ` (no role ${row.role} there)`}: LocalMachine/My is assumed.`,
        fix: 'Check that the .csdef and .cscfg are of the same package.',
      });
    const store = fromCsdef ?? { storeLocation: 'LocalMachine', storeName: 'My' };
    const url = row.entry?.certificateUrl ?? row.repair?.secretUrl ?? null;
    const p = url ? parseSecretUrl(url) : null;
    const parsed = p && isParsed(p) ? p : null;
    const vaultName = row.entry?.vaultName ?? row.repair?.vaultName ?? parsed?.vaultName ?? null;
    const vaultId = row.entry?.vaultId ?? (vaultName ? vaultIdByName(vaultName) : null);
    const detail = url ? source.details.find((d) => d.url === url) : undefined;
    const versions = url ? versionsOf(source.facts, url) : [];
    const carried = versions.find((v) => parsed && v.version.toLowerCase() === parsed.version.toLowerCase());
    const newest = versions
      .filter((v) => v.enabled)
      .sort((a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? ''))[0];
    const newerVersion =
      newest && carried && newest.version !== carried.version
        ? { version: newest.version, thumbprint: newest.thumbprint, expiresOn: newest.expiresOn }
        : null;
    const expiresOn = row.expiresOn ?? detail?.notAfter ?? null;
    const included = Boolean(url && parsed && vaultId) && !row.remoteAccess;
    const successor = successorName(target, service.name, row.role);

    if (row.remoteAccess) {
      add({
        ...what,
        id: 'remote-access',
        severity: 'drop',
        message: `${row.name} is the classic Remote Desktop plugin's PasswordEncryption certificate: no successor uses it.`,
        fix: 'Leave it behind (it is not in the outputs); remove the RemoteAccess plugin settings and this certificate from the package, and use the RDP or Bastion options of the new platform.',
      });
    } else {
      if (!url) {
        add({
          ...what,
          id: row.status === 'unverified' ? 'unreadable' : 'no-version',
          severity: 'blocker',
          message:
            row.status === 'unverified'
              ? `${row.role}/${row.name}: ${row.message}`
              : `${row.role}/${row.name}: no Key Vault version has its thumbprint ${row.normalizedThumbprint}, so there is nothing to carry.`,
          fix: row.fix,
        });
      } else if (!row.entry && row.repair) {
        add({
          ...what,
          id: 'no-version',
          severity: 'warning',
          message: `${row.role}/${row.name}: osProfile.secrets pins another version; the outputs carry version ${row.repair.version} of ${row.repair.name}, which has the .cscfg thumbprint.`,
          fix: 'Nothing to do for the move; repair the running service on its page if it must run until then.',
        });
      }
      if (row.status === 'disabled')
        add({ ...what, id: 'disabled', severity: 'blocker', message: row.message, fix: row.fix });
      if (row.status === 'not-certificate')
        add({
          ...what,
          id: 'secret-only',
          severity: 'blocker',
          message: `${row.role}/${row.name} is held only as a secret in ${vaultName ?? 'its vault'} (as the classic migration left it), not as a Key Vault certificate.`,
          fix: 'Import the PFX as a Key Vault certificate (the service page’s Rotate does it with the same thumbprint), then plan again: successors install certificates, and renewals need one.',
        });
      if (detail && detail.keyType === 'RSA' && detail.keyBits !== null && detail.keyBits < 2048)
        add({
          ...what,
          id: 'rsa-key-too-small',
          severity: 'blocker',
          message: `${row.role}/${row.name} has a ${detail.keyBits}-bit RSA key; current platforms and browsers want 2048 bits or more.`,
          fix: 'Issue a new certificate with an RSA key of 2048 bits or more (a Key Vault policy with keySize 2048, 3072 or 4096) before the move.',
        });
      if (detail && SHA1.test(detail.signatureAlgorithm) && !detail.selfSigned)
        add({
          ...what,
          id: 'sha1-signature',
          severity: 'blocker',
          message: `${row.role}/${row.name} is signed with SHA-1 (${detail.signatureAlgorithm}); browsers and current Windows reject SHA-1 TLS certificates.`,
          fix: 'Have it reissued with a SHA-256 signature before the move.',
        });
      else if (detail && SHA1.test(detail.signatureAlgorithm))
        add({
          ...what,
          id: 'sha1-signature',
          severity: 'warning',
          message: `${row.role}/${row.name} is a self-signed certificate with a SHA-1 signature (${detail.signatureAlgorithm}).`,
          fix: 'Create a new one with a SHA-256 signature (a Key Vault self-signed policy does) before the move.',
        });
      if (url && !detail) {
        const why = source.unreadable.find((u) => u.url === url);
        if (why)
          add({
            ...what,
            id: 'unreadable',
            severity: 'warning',
            message: `${row.role}/${row.name}: its key size and signature could not be checked: ${why.problem.message}`,
            fix: why.problem.action,
          });
      }
      const expiry = expiresOn ? Date.parse(expiresOn) : NaN;
      if (!Number.isNaN(expiry) && expiry <= deadline)
        add({
          ...what,
          id: 'expires-in-window',
          severity: 'blocker',
          message: `${row.role}/${row.name} expires on ${day(expiresOn)}${expiry < now.getTime() ? ' (already expired)' : ''}, before the Cloud Services retirement on ${MIGRATION_DEADLINE}.`,
          fix: newerVersion
            ? `Version ${newerVersion.version} of ${row.entry?.secretName ?? row.repair?.name} is newer: rotate the service to it before the move, or carry that one.`
            : 'Renew it (a new version of the same Key Vault certificate) before or during the move, and carry the renewed version.',
        });
      if ((target === 'vmss' || target === 'sf-managed') && store.storeLocation !== 'LocalMachine')
        add({
          ...what,
          id: 'store-location',
          severity: 'blocker',
          message: `${row.role}/${row.name} goes to ${store.storeLocation}/${store.storeName} per the .csdef, but ${MIGRATION_TARGET_LABELS[target]} installs Key Vault certificates into LocalMachine only.`,
          fix: 'Use the Key Vault VM extension (it can install into CurrentUser), or change the role to read LocalMachine.',
        });
      if (target === 'app-service' && !(store.storeName.toLowerCase() === 'my'))
        add({
          ...what,
          id: 'store-app-service',
          severity: 'warning',
          message: `${row.role}/${row.name} goes to ${store.storeLocation}/${store.storeName} per the .csdef; App Service loads certificates into CurrentUser/My only (WEBSITE_LOAD_CERTIFICATES).`,
          fix: 'Change the code that reads this certificate to look in CurrentUser/My, or pick a VM-based target.',
        });
      if (newerVersion && (target === 'kv-extension' || target === 'app-service'))
        add({
          ...what,
          id: 'newest-version-differs',
          severity: 'warning',
          message: `${row.role}/${row.name}: ${target === 'kv-extension' ? 'the extension' : 'App Service'} installs the newest version of ${parsed?.name}, ${newerVersion.version} (thumbprint ${newerVersion.thumbprint ?? 'unknown'}), not the one the service uses now.`,
          fix: 'Make sure the role code finds the certificate by subject or name, not by the old thumbprint, or rotate the service to that version first.',
        });
    }
    return {
      role: row.role,
      name: row.name,
      thumbprint: row.normalizedThumbprint,
      storeLocation: store.storeLocation,
      storeName: store.storeName,
      storeFrom: fromCsdef ? 'csdef' : 'default',
      vaultId,
      vaultName,
      secretName: parsed?.name ?? null,
      version: parsed?.version ?? null,
      versionedUrl: url,
      versionlessUrl: parsed ? `${parsed.url.slice(0, parsed.url.indexOf('/secrets/'))}/secrets/${parsed.name}` : null,
      expiresOn,
      daysLeft: daysUntil(expiresOn, now),
      status: row.status,
      health: row.message,
      key: keyText(detail),
      signatureAlgorithm: detail?.signatureAlgorithm ?? null,
      subject: detail?.subject ?? null,
      remoteAccess: row.remoteAccess,
      included,
      mapping: row.remoteAccess
        ? 'Dropped: the classic RemoteAccess plugin has no successor.'
        : included
          ? mappingText(target, { ...store, secretName: parsed?.name ?? null }, successor)
          : 'Not carried: no Key Vault version to install.',
      newerVersion,
    };
  });

  // Vaults the carried certificates come from.
  const vaultIds = [
    ...new Map(certificates.filter((c) => c.included).map((c) => [c.vaultId!.toLowerCase(), c.vaultId!])).values(),
  ];
  const vaultFacts = (id: string) => source.facts.vaults.find((v) => sameId(v.id, id) || sameId(v.trueId ?? '', id));
  const vaultRbac = Object.fromEntries(vaultIds.map((id) => [id.toLowerCase(), vaultFacts(id)?.rbac ?? null]));
  const vaultName = (id: string) => vaultFacts(id)?.name ?? id.split('/').pop() ?? id;

  if (target === 'vmss' || target === 'sf-managed') {
    for (const id of vaultIds) {
      const f = vaultFacts(id);
      if (f && f.enabledForDeployment === false)
        add({
          id: 'deployment-flag',
          severity: 'blocker',
          message: `Vault ${f.name} does not allow Azure Virtual Machines for deployment: the platform cannot install its certificates.`,
          fix: enableDeploymentCommand(f.trueId ?? id),
        });
    }
  }

  const idName = options.identityName ?? `id-${service.name}-kv`;
  const grants: MigrationGrant[] = [];
  const identities: MigrationPlan['identities'] = [];
  if (target === 'kv-extension') {
    identities.push({
      name: idName,
      kind: 'user-assigned',
      note: `User-assigned managed identity of every scale set (VM Scale Sets Flexible take user-assigned identities); the extension reads the vaults as this identity (authenticationSettings.msiClientId). Cloud Services had no identity.`,
    });
    for (const id of vaultIds)
      grants.push({
        principal: idName,
        vaultName: vaultName(id),
        vaultId: id,
        how: vaultRbac[id.toLowerCase()] === false ? 'access-policy' : 'rbac',
        what:
          vaultRbac[id.toLowerCase()] === false
            ? 'secrets: get, list'
            : `${KEY_VAULT_SECRETS_USER.name} (${KEY_VAULT_SECRETS_USER.id})`,
      });
  }
  if (target === 'app-service') {
    identities.push({
      name: 'Microsoft Azure App Service',
      kind: 'resource-provider',
      note: `The App Service resource provider's service principal (app id ${APP_SERVICE_RP_APP_ID}) reads the certificates from the vault; the vault must be in the web app's subscription.`,
    });
    for (const id of vaultIds)
      grants.push({
        principal: 'Microsoft Azure App Service',
        vaultName: vaultName(id),
        vaultId: id,
        how: vaultRbac[id.toLowerCase()] === false ? 'access-policy' : 'rbac',
        what:
          vaultRbac[id.toLowerCase()] === false
            ? 'secrets: get; certificates: get'
            : `${KEY_VAULT_CERTIFICATE_USER.name} (${KEY_VAULT_CERTIFICATE_USER.id})`,
      });
  }

  // The model every output is rendered from.
  const roles = [...new Set(report.rows.map((r) => r.role))];
  const client = options.clientCertificate
    ? certificates.find(
        (c) => c.role === options.clientCertificate!.role && c.name === options.clientCertificate!.name && c.included,
      )
    : undefined;
  const clientDetail = client ? source.details.find((d) => d.url === client.versionedUrl) : undefined;
  const model: MigrationSnippetModel = {
    target,
    serviceName: service.name,
    subscriptionId: service.subscriptionId,
    resourceGroup: service.resourceGroup,
    location: service.location,
    vaultRbac,
    roles: roles.map((role) => ({
      role,
      resourceName: successorName(target, service.name, role),
      certificates: certificates
        .filter((c) => c.role === role && c.included)
        .map((c): SnippetModel => ({
          vaultId: c.vaultId!,
          certificateUrl: c.versionedUrl!,
          certificateName: c.name,
          thumbprint: c.thumbprint,
          storeLocation: c.storeLocation,
          storeName: c.storeName,
        })),
    })),
    ...(target === 'kv-extension' && {
      identityName: idName,
      pollingIntervalInS: options.pollingIntervalInS ?? 3600,
      linkOnRenewal: options.linkOnRenewal ?? true,
    }),
    ...(target === 'sf-managed' && {
      clusterName: options.clusterName ?? `sf-${service.name}`,
      clientCertificate: client
        ? options.clientCertificate!.by === 'thumbprint'
          ? { by: 'thumbprint' as const, thumbprint: client.thumbprint }
          : {
              by: 'commonName' as const,
              thumbprint: client.thumbprint,
              commonName: clientDetail?.commonName ?? '',
              ...(clientDetail?.selfSigned ? { issuerThumbprint: client.thumbprint } : {}),
            }
        : null,
    }),
  };
  if (target === 'sf-managed' && options.clientCertificate && client && options.clientCertificate.by === 'commonName') {
    if (!clientDetail?.commonName)
      add({
        role: client.role,
        certificate: client.name,
        id: 'unreadable',
        severity: 'blocker',
        message: `${client.role}/${client.name}: its common name could not be read, so the cluster cannot trust it by common name.`,
        fix: 'Use the thumbprint instead, or make its certificate readable.',
      });
    else if (!clientDetail.selfSigned)
      add({
        role: client.role,
        certificate: client.name,
        id: 'unreadable',
        severity: 'warning',
        message: `${client.role}/${client.name} is issued by ${clientDetail.issuer}: add the issuer's thumbprint to the client entry (issuerThumbprint), or anyone with a certificate of that common name from any CA is admitted.`,
        fix: 'Add issuerThumbprint with the thumbprint of the issuing CA certificate.',
      });
  }
  model.roles = model.roles.filter((r) => r.certificates.length > 0);

  let outputs: MigrationPlan['outputs'] = null;
  let outputError: Problem | null = null;
  if (model.roles.length === 0) {
    outputError = {
      code: 'nothing-to-migrate',
      message: 'No certificate of this service can be carried: none has a Key Vault version to install.',
      action: 'Fix the blockers below, then plan again.',
    };
  } else {
    try {
      outputs = Object.fromEntries(MIGRATION_FORMATS.map((f) => [f, renderMigration(f, model)])) as Record<
        MigrationFormat,
        string
      >;
    } catch (e) {
      if (!(e instanceof SnippetError)) throw e;
      outputError = e.toJSON();
    }
  }

  const order: Record<MigrationBlocker['severity'], number> = { blocker: 0, warning: 1, drop: 2 };
  blockers.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    service: {
      id: service.id,
      name: service.name,
      subscriptionId: service.subscriptionId,
      resourceGroup: service.resourceGroup,
      location: service.location,
    },
    target,
    targetLabel: MIGRATION_TARGET_LABELS[target],
    deadline: MIGRATION_DEADLINE,
    generatedAt: now.toISOString(),
    health: report.health,
    csdefGiven: csdef.given && !csdef.error,
    certificates,
    blockers,
    identities,
    grants,
    checklist: checklist(target, {
      blockers,
      grants,
      vaults: vaultIds.map(vaultName),
      successors: model.roles.map((r) => `${r.role} → ${r.resourceName}`),
      identity: idName,
      cluster: model.clusterName ?? '',
      client: Boolean(model.clientCertificate),
      csdefGiven: csdef.given && !csdef.error,
    }),
    successors: model.roles.map((r) => ({ role: r.role, resourceName: r.resourceName })),
    model,
    outputs,
    outputError,
  };
}

function checklist(
  target: MigrationTarget,
  x: {
    blockers: MigrationBlocker[];
    grants: MigrationGrant[];
    vaults: string[];
    successors: string[];
    identity: string;
    cluster: string;
    client: boolean;
    csdefGiven: boolean;
  },
): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  const must = x.blockers.filter((b) => b.severity === 'blocker');
  const dropped = x.blockers.filter((b) => b.severity === 'drop');
  if (!x.csdefGiven)
    steps.push({
      title: 'Load the .csdef',
      detail:
        'Upload the service’s .csdef so each certificate keeps its store (LocalMachine/My is assumed until then).',
    });
  steps.push({
    title: must.length ? `Clear ${must.length} blocker${must.length === 1 ? '' : 's'}` : 'No blockers',
    detail: must.length
      ? must.map((b) => `${b.certificate ? `${b.role}/${b.certificate}: ` : ''}${b.fix}`).join(' ')
      : 'Every carried certificate is a Key Vault certificate with a strong key, valid past the retirement date.',
  });
  if (dropped.length)
    steps.push({
      title: 'Leave the RemoteAccess certificate behind',
      detail: `${dropped.map((d) => `${d.role}/${d.certificate}`).join(', ')}: not carried; use the new platform's RDP or Bastion access.`,
    });
  const vaults = x.vaults.join(', ');
  switch (target) {
    case 'vmss':
    case 'sf-managed':
      steps.push({
        title: 'Let the platform read the vaults',
        detail: `Turn on "Azure Virtual Machines for deployment" on ${vaults}, and deploy the ${target === 'vmss' ? 'scale sets' : 'cluster'} in the vaults' region and subscription (osProfile secrets cannot cross them). No identity is needed.`,
      });
      steps.push(
        target === 'vmss'
          ? {
              title: 'Create one scale set per role',
              detail: `${x.successors.join('; ')} — Flexible orchestration, with osProfile.secrets from the outputs (one group per vault, certificateStore from the .csdef).`,
            }
          : {
              title: 'Add the node types’ vmSecrets',
              detail: `Cluster ${x.cluster}: ${x.successors.join('; ')}, each with its certificates as vmSecrets (versioned URLs, certificateStore from the .csdef).`,
            },
      );
      if (target === 'sf-managed')
        steps.push({
          title: 'Set the cluster client certificate',
          detail: x.client
            ? 'Add the chosen certificate to the cluster’s clients (isAdmin) as in the outputs, and connect with it.'
            : 'Choose the certificate your admins connect with (by thumbprint or by common name and issuer) and add it to the cluster’s clients.',
        });
      break;
    case 'kv-extension':
      steps.push({
        title: 'Create the managed identity',
        detail: `User-assigned identity ${x.identity} in the service's resource group.`,
      });
      steps.push({
        title: 'Let the identity read the vaults',
        detail: x.grants
          .map((g) => `${g.vaultName}: ${g.how === 'rbac' ? g.what : `access policy ${g.what}`}`)
          .join('; '),
      });
      steps.push({
        title: 'Assign the identity and add the extension',
        detail: `${x.successors.join('; ')}: KeyVaultForWindows 3.0 with observedCertificates (versionless URLs, store per certificate), linkOnRenewal and the polling interval from the outputs. It can read a vault in another region, unlike osProfile.secrets.`,
      });
      break;
    case 'app-service':
      steps.push({
        title: 'Let App Service read the vaults',
        detail: x.grants
          .map((g) => `${g.vaultName}: ${g.how === 'rbac' ? g.what : `access policy ${g.what}`}`)
          .join('; '),
      });
      steps.push({
        title: 'Import each certificate into App Service',
        detail:
          'One Microsoft.Web/certificates per Key Vault secret (keyVaultId + keyVaultSecretName) in the web app’s resource group and region; then bind TLS or list the thumbprints in WEBSITE_LOAD_CERTIFICATES for code that loads them.',
      });
      break;
  }
  steps.push({
    title: 'Verify on the new platform',
    detail: 'Check that each certificate is in its store with the expected thumbprint before moving traffic.',
  });
  steps.push({
    title: 'Move traffic, then delete the cloud service',
    detail: `Before ${MIGRATION_DEADLINE}; keep the vault versions until the old service is gone.`,
  });
  return steps;
}
