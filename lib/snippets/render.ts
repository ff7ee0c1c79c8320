/**
 * Renders one model into .cscfg/.csdef XML, ARM JSON (cloud service and VMSS), Bicep, az CLI and PowerShell.
 */
import { cscfgCertificateElement, csdefCertificateElement, escapeXmlAttribute } from '../service-config';
import { SnippetError, resolveSnippetModel, type ResolvedSnippetModel, type SnippetModel } from './model';

export const SNIPPET_KINDS = ['cscfg', 'csdef', 'arm', 'vmss', 'bicep', 'az', 'powershell'] as const;
export type SnippetKind = (typeof SNIPPET_KINDS)[number];

/** api-version of Microsoft.Compute/cloudServices used in ARM and Bicep output. */
export const CLOUD_SERVICES_API_VERSION = '2022-09-04';
/** api-version of Microsoft.Compute/virtualMachineScaleSets used in the VMSS output. */
export const VMSS_API_VERSION = '2024-07-01';

export function isSnippetKind(kind: unknown): kind is SnippetKind {
  return typeof kind === 'string' && (SNIPPET_KINDS as readonly string[]).includes(kind);
}

// ---------------------------------------------------------------------------------------------- escaping helpers

/** POSIX shell single-quoting: `'…'`, with `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return "'" + value.split("'").join("'\\''") + "'";
}

/** The vault fix that lets the platform read certificates, by resource id (the one form every page and script shows). */
export function enableDeploymentCommand(vaultId: string): string {
  return `az keyvault update --ids ${shellQuote(vaultId)} --enabled-for-deployment true`;
}

/** The vault fix that lets trusted Microsoft services (the deployment service) through the firewall, by resource id. */
export function trustedServicesCommand(vaultId: string): string {
  return `az keyvault update --ids ${shellQuote(vaultId)} --bypass AzureServices`;
}

/** PowerShell single-quoted string. PowerShell treats ‘ ’ ‚ ‛ as single quotes too, so each is doubled. */
export function powershellQuote(value: string): string {
  return "'" + value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q) + "'";
}

/** Bicep single-quoted string literal. */
export function bicepString(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '$':
        out += value[i + 1] === '{' ? '\\$' : '$';
        break;
      default:
        out += ch;
    }
  }
  return out + "'";
}

const BICEP_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export type BicepValue = string | number | boolean | BicepValue[] | { [key: string]: BicepValue };
/** Renders a value plain data cannot express (the migration templates' expressions); undefined for plain data. */
export type BicepLeaf = (v: object, indent: string) => string | undefined;

/** A Bicep literal of `v`, nested lines indented under `indent`; `leaf` renders the values that are not plain data. */
export function bicepValue(v: BicepValue | object, indent: string, leaf?: BicepLeaf): string {
  type Item = BicepValue | object;
  const inner = indent + '  ';
  if (typeof v === 'string') return bicepString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const own = leaf?.(v, indent);
  if (own !== undefined) return own;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[\n' + (v as Item[]).map((x) => inner + bicepValue(x, inner, leaf)).join('\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(v as Record<string, Item>);
  if (entries.length === 0) return '{}';
  return (
    '{\n' +
    entries
      .map(([k, x]) => `${inner}${BICEP_IDENTIFIER.test(k) ? k : bicepString(k)}: ${bicepValue(x, inner, leaf)}`)
      .join('\n') +
    '\n' +
    indent +
    '}'
  );
}

/** XML comment text: `--` is not allowed inside a comment, nor a trailing `-`. */
function xmlCommentText(value: string): string {
  return value.replace(/--/g, '- -').replace(/-$/, '- ');
}

// ------------------------------------------------------------------------------------------------------ shapes

type SecretGroup = {
  sourceVault: { id: string };
  vaultCertificates: Array<{ certificateUrl: string; certificateStore?: string }>;
};

function secretsArray(m: ResolvedSnippetModel, vmss: boolean): SecretGroup[] {
  const certificate: { certificateUrl: string; certificateStore?: string } = { certificateUrl: m.certificate.url };
  if (vmss) certificate.certificateStore = m.storeName;
  return [{ sourceVault: { id: m.vault.id }, vaultCertificates: [certificate] }];
}

function renderArm(m: ResolvedSnippetModel): string {
  const fragment = {
    type: 'Microsoft.Compute/cloudServices',
    apiVersion: CLOUD_SERVICES_API_VERSION,
    properties: { osProfile: { secrets: secretsArray(m, false) } },
  };
  return JSON.stringify(fragment, null, 2) + '\n';
}

function renderVmss(m: ResolvedSnippetModel): string {
  if (m.storeLocation !== 'LocalMachine') {
    throw new SnippetError(
      'vmss-store-location-unsupported',
      'Virtual machine scale sets install Key Vault certificates into the LocalMachine store only.',
      'Use storeLocation LocalMachine for the VMSS form, or install the certificate with the Key Vault VM extension.',
    );
  }
  const fragment = {
    type: 'Microsoft.Compute/virtualMachineScaleSets',
    apiVersion: VMSS_API_VERSION,
    properties: { virtualMachineProfile: { osProfile: { secrets: secretsArray(m, true) } } },
  };
  return JSON.stringify(fragment, null, 2) + '\n';
}

function renderBicep(m: ResolvedSnippetModel): string {
  const osProfile = { secrets: secretsArray(m, false) } as unknown as BicepValue;
  return [
    '// Cloud Services (extended support): install the Key Vault certificate on the role instances.',
    '// Merge `osProfile` into your existing cloudServices resource (packageUrl, configuration, roleProfile,',
    '// networkProfile stay as they are). The vault must be in the same subscription and region.',
    'param cloudServiceName string',
    'param location string = resourceGroup().location',
    '',
    `resource cloudService 'Microsoft.Compute/cloudServices@${CLOUD_SERVICES_API_VERSION}' = {`,
    '  name: cloudServiceName',
    '  location: location',
    '  properties: {',
    `    osProfile: ${bicepValue(osProfile, '    ')}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function renderAz(m: ResolvedSnippetModel): string {
  const v = m.vault;
  const parameters = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
    contentVersion: '1.0.0.0',
    parameters: { secrets: { value: secretsArray(m, false) } },
  };
  return [
    '#!/usr/bin/env bash',
    '# Cloud Services (extended support): certificate from Key Vault.',
    'set -euo pipefail',
    '',
    '# 1. Let Azure compute (Cloud Services) read certificates from the vault ("Azure Virtual Machines for deployment").',
    `az keyvault update --subscription ${shellQuote(v.subscriptionId)} --resource-group ${shellQuote(v.resourceGroup)} --name ${shellQuote(v.vaultName)} --enabled-for-deployment true`,
    '',
    '# 2. Check the thumbprint of exactly this version (it must equal the .cscfg thumbprint).',
    `az keyvault certificate show --subscription ${shellQuote(v.subscriptionId)} --vault-name ${shellQuote(m.certificate.vaultName)} --name ${shellQuote(m.certificate.secretName)} --version ${shellQuote(m.certificate.version)} --query x509ThumbprintHex --output tsv`,
    '',
    '# 3. osProfile.secrets as a deployment parameter: matches the "secrets" array parameter of the Visual Studio',
    "#    generated cloud service template (properties.osProfile.secrets = parameters('secrets')).",
    "#    (`az cloud-service create --secrets` is not used: it splits its value on ':' and so breaks https:// URLs.)",
    "cat > cses-secrets.parameters.json <<'JSON'",
    JSON.stringify(parameters, null, 2),
    'JSON',
    "# The cloud service's resource group (same subscription and region as the vault); defaults to the vault's.",
    'resource_group="${CLOUD_SERVICE_RESOURCE_GROUP:-}"',
    `if [ -z "$resource_group" ]; then resource_group=${shellQuote(v.resourceGroup)}; fi`,
    `az deployment group create --subscription ${shellQuote(v.subscriptionId)} --resource-group "$resource_group" \\`,
    '  --template-file "${TEMPLATE_FILE:-azuredeploy.json}" \\',
    '  --parameters @cses-secrets.parameters.json',
    '',
  ].join('\n');
}

function renderPowershell(m: ResolvedSnippetModel): string {
  const v = m.vault;
  return [
    '# Cloud Services (extended support): certificate from Key Vault (Az.KeyVault, Az.CloudService).',
    `Set-AzContext -Subscription ${powershellQuote(v.subscriptionId)} | Out-Null`,
    '',
    '# 1. Let Azure compute (Cloud Services) read certificates from the vault ("Azure Virtual Machines for deployment").',
    `Set-AzKeyVaultAccessPolicy -VaultName ${powershellQuote(v.vaultName)} -ResourceGroupName ${powershellQuote(v.resourceGroup)} -EnabledForDeployment`,
    '',
    '# 2. The vault secret group: vault resource id + versioned Secret Identifier.',
    `$secretGroup = New-AzCloudServiceVaultSecretGroupObject -Id ${powershellQuote(v.id)} -CertificateUrl ${powershellQuote(m.certificate.url)}`,
    '$osProfile = @{ secret = @($secretGroup) }',
    '',
    '# 3. New deployment: New-AzCloudService … -OSProfile $osProfile',
    '#    Existing cloud service (update .cscfg thumbprint and secrets together):',
    "#    $cs = Get-AzCloudService -ResourceGroupName '<group>' -CloudServiceName '<name>'",
    "#    $cs.Configuration = Get-Content -Raw '<path>\\ServiceConfiguration.Cloud.cscfg'",
    '#    $cs.OSProfile = $osProfile',
    '#    $cs | Update-AzCloudService',
    '',
  ].join('\n');
}

function requireThumbprint(m: ResolvedSnippetModel): string {
  if (!m.thumbprint) {
    throw new SnippetError(
      'thumbprint-required',
      "The .cscfg snippet needs the certificate's SHA-1 thumbprint.",
      'Give the thumbprint (40 hex characters) of exactly this certificate version.',
    );
  }
  return m.thumbprint;
}

function renderCscfg(m: ResolvedSnippetModel): string {
  const element = cscfgCertificateElement({ name: m.certificateName, thumbprint: requireThumbprint(m) });
  const block = (indent: string) =>
    [`${indent}<Certificates>`, `${indent}  ${element}`, `${indent}</Certificates>`].join('\n');
  if (m.roleNames.length === 0) return block('') + '\n';
  return (
    m.roleNames.map((r) => [`<Role name="${escapeXmlAttribute(r)}">`, block('  '), '</Role>'].join('\n')).join('\n') +
    '\n'
  );
}

function renderCsdef(m: ResolvedSnippetModel): string {
  const element = csdefCertificateElement({
    name: m.certificateName,
    storeLocation: m.storeLocation,
    storeName: m.storeName,
    ...(m.permissionLevel ? { permissionLevel: m.permissionLevel } : {}),
  });
  const block = [`<Certificates>`, `  ${element}`, `</Certificates>`].join('\n');
  if (m.roleNames.length === 0) return block + '\n';
  return (
    m.roleNames.map((r) => `<!-- in <WebRole>/<WorkerRole> "${xmlCommentText(r)}" -->\n${block}`).join('\n') + '\n'
  );
}

/** Render one snippet. Throws `SnippetError` (stable `code`, `message`, `action`) on invalid input. */
export function renderSnippet(kind: SnippetKind, model: SnippetModel): string {
  if (!isSnippetKind(kind)) {
    throw new SnippetError(
      'invalid-snippet-kind',
      `Unknown snippet kind ${JSON.stringify(kind)}.`,
      `Use one of: ${SNIPPET_KINDS.join(', ')}.`,
    );
  }
  const m = resolveSnippetModel(model);
  switch (kind) {
    case 'cscfg':
      return renderCscfg(m);
    case 'csdef':
      return renderCsdef(m);
    case 'arm':
      return renderArm(m);
    case 'vmss':
      return renderVmss(m);
    case 'bicep':
      return renderBicep(m);
    case 'az':
      return renderAz(m);
    case 'powershell':
      return renderPowershell(m);
  }
}

/** Every snippet that can be rendered for the model; kinds that fail carry their error instead. */
export function renderAllSnippets(
  model: SnippetModel,
): Record<
  SnippetKind,
  { ok: true; text: string } | { ok: false; error: { code: string; message: string; action: string } }
> {
  const out = {} as Record<
    SnippetKind,
    { ok: true; text: string } | { ok: false; error: { code: string; message: string; action: string } }
  >;
  for (const kind of SNIPPET_KINDS) {
    try {
      out[kind] = { ok: true, text: renderSnippet(kind, model) };
    } catch (e) {
      if (e instanceof SnippetError) out[kind] = { ok: false, error: e.toJSON() };
      else throw e;
    }
  }
  return out;
}
