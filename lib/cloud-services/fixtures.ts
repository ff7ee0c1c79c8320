/**
 * Test fixtures for lib/cloud-services: a two-role service, its vaults and versions (used by the unit tests only).
 */
import type { LiveService, SecretFacts, ServiceFacts, ServiceRights, VaultFacts, VersionFacts } from './types';

export const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
export const RG = 'rg-cses-prod';
export const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac`;
export const OTHER_VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-contoso-prod`;
export const HOST = 'https://kv-contoso-rbac.vault.azure.net';
export const OTHER_HOST = 'https://kv-contoso-prod.vault.azure.net';

export const T = {
  ssl1: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  ssl2: 'B1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  api1: 'C1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  api2: 'D1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  other: 'E1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
};
export const V = {
  ssl1: '11111111111111111111111111111111',
  ssl2: '22222222222222222222222222222222',
  api1: '33333333333333333333333333333333',
  api2: '44444444444444444444444444444444',
  other: '55555555555555555555555555555555',
};

export const NOW = new Date('2026-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();

export function cscfg(ssl = T.ssl1, api = T.api1, nl = '\r\n'): string {
  return [
    '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
    '<ServiceConfiguration serviceName="cs-contoso-web" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration" osFamily="7" osVersion="*">',
    '  <Role name="WebRole1">',
    '    <Instances count="2" />',
    '    <ConfigurationSettings>',
    '      <Setting name="Greeting" value="Hello &amp; welcome" />',
    '    </ConfigurationSettings>',
    '    <Certificates>',
    `      <Certificate name="SslCertificate" thumbprint="${ssl}" thumbprintAlgorithm="sha1" />`,
    '      <!-- the client certificate for the API -->',
    `      <Certificate name='ApiClientCertificate' thumbprint='${api.toLowerCase()}'/>`,
    '    </Certificates>',
    '  </Role>',
    '  <Role name="WorkerRole1">',
    '    <Instances count="1" />',
    '    <Certificates>',
    `      <Certificate name="ApiClientCertificate" thumbprint="${api}" thumbprintAlgorithm="sha1" />`,
    '    </Certificates>',
    '  </Role>',
    '</ServiceConfiguration>',
    '',
  ].join(nl);
}

export const url = (name: string, version: string, host = HOST) => `${host}/secrets/${name}/${version}`;

export function service(overrides: Partial<LiveService> = {}): LiveService {
  return {
    id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/cloudServices/cs-contoso-web`,
    subscriptionId: SUB,
    resourceGroup: RG,
    name: 'cs-contoso-web',
    location: 'westeurope',
    provisioningState: 'Succeeded',
    configuration: cscfg(),
    secrets: [
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [
          { certificateUrl: url('web-ssl', V.ssl1) },
          { certificateUrl: url('api-client', V.api1), isBootstrapCertificate: false },
        ],
      },
    ],
    roles: ['WebRole1', 'WorkerRole1'],
    tags: {},
    ...overrides,
  };
}

export function version(
  name: string,
  v: string,
  thumbprint: string | null,
  opts: Partial<VersionFacts> & { days?: number; created?: number; host?: string } = {},
): VersionFacts {
  const { days = 200, created = -100, host = HOST, ...rest } = opts;
  return {
    vaultName: new URL(host).hostname.split('.')[0]!,
    name,
    version: v,
    secretUrl: url(name, v, host),
    thumbprint,
    enabled: true,
    notBefore: inDays(created),
    expiresOn: inDays(days),
    createdOn: inDays(created),
    certificateBacked: true,
    contentType: 'application/x-pkcs12',
    ...rest,
  };
}

export function vaultFacts(id = VAULT_ID, overrides: Partial<VaultFacts> = {}): VaultFacts {
  const name = id.split('/').pop()!;
  return {
    id,
    name,
    subscriptionId: SUB,
    resourceGroup: RG,
    read: 'ok',
    trueId: id,
    location: 'westeurope',
    vaultUri: `https://${name}.vault.azure.net/`,
    enabledForDeployment: true,
    publicNetworkAccess: 'Enabled',
    networkDefaultAction: 'Allow',
    networkBypass: 'AzureServices',
    rbac: true,
    ...overrides,
  };
}

export function secret(v: VersionFacts, siblings: VersionFacts[] = []): SecretFacts {
  return { url: v.secretUrl, read: 'ok', version: v, siblings };
}

/** Facts for the default service: web-ssl v1 (valid 200 days, v2 newer), api-client v1. */
export function facts(
  extra: Partial<{ ssl: VersionFacts; api: VersionFacts; sslSiblings: VersionFacts[] }> = {},
): ServiceFacts {
  const ssl = extra.ssl ?? version('web-ssl', V.ssl1, T.ssl1);
  const api = extra.api ?? version('api-client', V.api1, T.api1);
  return {
    vaults: [vaultFacts(), vaultFacts(OTHER_VAULT_ID)],
    secrets: [secret(ssl, extra.sslSiblings ?? []), secret(api)],
  };
}

export const ALL_RIGHTS: ServiceRights = {
  write: true,
  deploy: { [VAULT_ID.toLowerCase()]: true, [OTHER_VAULT_ID.toLowerCase()]: true },
};

export { inDays };
