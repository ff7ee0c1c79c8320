/**
 * A running cloud service's certificate change (rotation, repair, roll back) as files someone with write rights can
 * run: an ARM template + parameters, an Update-AzCloudService script, an `az rest` command. Rendered from the same
 * `SnippetModel` as every other output, with its `serviceUpdate` part (the PUT body this app would send).
 */
import { powershellQuote, shellQuote } from './render';
import { resolveSnippetModel, SnippetError, type SnippetModel } from './model';

export const SERVICE_UPDATE_KINDS = [
  'update-template',
  'update-parameters',
  'update-powershell',
  'update-az-rest',
] as const;
export type ServiceUpdateKind = (typeof SERVICE_UPDATE_KINDS)[number];

/** api-version of the full-resource update (decision 032: it keeps `isBootstrapCertificate`). */
export const SERVICE_UPDATE_API_VERSION = '2024-11-04';

export const SERVICE_UPDATE_FILES: Record<ServiceUpdateKind, string> = {
  'update-template': 'cses-update.template.json',
  'update-parameters': 'cses-update.parameters.json',
  'update-powershell': 'Update-CloudService.ps1',
  'update-az-rest': 'cses-update.sh',
};

interface SecretGroupLike {
  sourceVault: { id: string };
  vaultCertificates: Array<{ certificateUrl: string; isBootstrapCertificate?: boolean }>;
}

interface ResolvedUpdate {
  serviceId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  body: {
    location?: string;
    tags?: Record<string, string>;
    properties: Record<string, unknown> & { configuration: string };
  };
  secrets: SecretGroupLike[];
  armEndpoint: string;
  description: string;
}

const SERVICE_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Compute\/cloudServices\/([-\w.]{1,63})$/i;

function resolve(model: SnippetModel): ResolvedUpdate {
  resolveSnippetModel(model); // the rotated certificate's vault id and URL are valid and agree
  const u = model.serviceUpdate;
  const m = u ? SERVICE_ID.exec(u.serviceId) : null;
  const props = u?.body?.properties as
    (Record<string, unknown> & { configuration?: unknown; osProfile?: { secrets?: unknown } }) | undefined;
  if (!u || !m || !props || typeof props.configuration !== 'string' || !Array.isArray(props.osProfile?.secrets)) {
    throw new SnippetError(
      'service-update-required',
      'This output needs the cloud service update (its id and the PUT body with configuration and osProfile.secrets).',
      'Plan the rotation on the service page first; the exports come with the plan.',
    );
  }
  return {
    serviceId: u.serviceId,
    subscriptionId: m[1]!,
    resourceGroup: m[2]!,
    name: m[3]!,
    body: u.body as ResolvedUpdate['body'],
    secrets: props.osProfile!.secrets as SecretGroupLike[],
    armEndpoint: (u.armEndpoint ?? 'https://management.azure.com').replace(/\/+$/, ''),
    description: u.description ?? 'Certificate change',
  };
}

/** ARM evaluates a string that starts with `[` as an expression; `[[` writes a literal `[`. */
function literal(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('[') ? `[${value}` : value;
  if (Array.isArray(value)) return value.map(literal);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, literal(v)]));
  return value;
}

function renderTemplate(u: ResolvedUpdate): string {
  const { configuration: _c, osProfile, ...rest } = u.body.properties;
  void _c;
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: u.description },
    parameters: {
      configuration: { type: 'string', metadata: { description: 'The .cscfg, byte for byte.' } },
      secrets: { type: 'array', metadata: { description: 'osProfile.secrets: one group per vault.' } },
    },
    resources: [
      {
        type: 'Microsoft.Compute/cloudServices',
        apiVersion: SERVICE_UPDATE_API_VERSION,
        name: u.name,
        ...(u.body.location !== undefined && { location: u.body.location }),
        ...(u.body.tags !== undefined && { tags: literal(u.body.tags) }),
        properties: {
          ...(literal(rest) as Record<string, unknown>),
          configuration: "[parameters('configuration')]",
          osProfile: { ...(literal(osProfile ?? {}) as Record<string, unknown>), secrets: "[parameters('secrets')]" },
        },
      },
    ],
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}

function renderParameters(u: ResolvedUpdate): string {
  const parameters = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
    contentVersion: '1.0.0.0',
    parameters: { configuration: { value: u.body.properties.configuration }, secrets: { value: u.secrets } },
  };
  return `${JSON.stringify(parameters, null, 2)}\n`;
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function renderPowershell(u: ResolvedUpdate): string {
  const bootstrap = u.secrets.some((g) => g.vaultCertificates.some((c) => c.isBootstrapCertificate));
  return [
    `# ${u.description}`,
    '# Az.CloudService: the .cscfg and osProfile.secrets change together, for every role, keeping every other certificate.',
    "$ErrorActionPreference = 'Stop'",
    `Set-AzContext -Subscription ${powershellQuote(u.subscriptionId)} | Out-Null`,
    `$cs = Get-AzCloudService -ResourceGroupName ${powershellQuote(u.resourceGroup)} -CloudServiceName ${powershellQuote(u.name)}`,
    '# The configuration, byte for byte (UTF-8, base64 so no quoting can change it).',
    `$cs.Configuration = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(${powershellQuote(utf8Base64(u.body.properties.configuration))}))`,
    '$secretGroups = @(',
    ...u.secrets.map(
      (g) =>
        `  (New-AzCloudServiceVaultSecretGroupObject -Id ${powershellQuote(g.sourceVault.id)} -CertificateUrl @(${g.vaultCertificates.map((c) => powershellQuote(c.certificateUrl)).join(', ')}))`,
    ),
    ')',
    '$cs.OSProfile = @{ Secret = $secretGroups }',
    ...(bootstrap
      ? [
          '# Note: a certificate here is marked isBootstrapCertificate, which this cmdlet cannot carry: deploy the ARM template instead.',
        ]
      : []),
    '$cs | Update-AzCloudService',
    '',
  ].join('\n');
}

function renderAzRest(u: ResolvedUpdate): string {
  const url = `${u.armEndpoint}${u.serviceId}?api-version=${SERVICE_UPDATE_API_VERSION}`;
  return [
    '#!/usr/bin/env bash',
    `# ${u.description}`,
    '# The whole cloud service as this tool would send it: .cscfg and osProfile.secrets changed, everything else as it is.',
    'set -euo pipefail',
    "cat > cses-update.body.json <<'JSON'",
    JSON.stringify(u.body, null, 2),
    'JSON',
    `az rest --method put --url ${shellQuote(url)} --body @cses-update.body.json`,
    '# The update runs for a while; follow it until provisioningState is Succeeded:',
    `az rest --method get --url ${shellQuote(url)} --query properties.provisioningState --output tsv`,
    '',
  ].join('\n');
}

export function renderServiceUpdate(kind: ServiceUpdateKind, model: SnippetModel): string {
  const u = resolve(model);
  switch (kind) {
    case 'update-template':
      return renderTemplate(u);
    case 'update-parameters':
      return renderParameters(u);
    case 'update-powershell':
      return renderPowershell(u);
    case 'update-az-rest':
      return renderAzRest(u);
    default:
      throw new SnippetError(
        'invalid-snippet-kind',
        `Unknown output ${JSON.stringify(kind)}.`,
        `Use one of: ${SERVICE_UPDATE_KINDS.join(', ')}.`,
      );
  }
}

export function renderServiceUpdates(
  model: SnippetModel,
): Array<{ kind: ServiceUpdateKind; fileName: string; text: string }> {
  return SERVICE_UPDATE_KINDS.map((kind) => ({
    kind,
    fileName: SERVICE_UPDATE_FILES[kind],
    text: renderServiceUpdate(kind, model),
  }));
}
