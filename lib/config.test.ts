import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, getServerConfig } from './config';
import { clientAuthentication, isMicrosoftAuthority } from '@/lib/azure/credentials';
import { publicAuthConfig } from '@/lib/auth/public-config';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '22222222-3333-4444-8555-666666666666';

function azureEnv(extra: Record<string, string> = {}) {
  vi.stubEnv('AZURE_CLIENT_ID', CLIENT);
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  for (const [k, v] of Object.entries(extra)) vi.stubEnv(k, v);
}

afterEach(() => vi.unstubAllEnvs());

describe('Azure mode configuration', () => {
  it('defaults to the public cloud, v2 issuer, one tenant, a rate limit, and the client secret for OBO', () => {
    azureEnv({ AZURE_CLIENT_SECRET: 's3cret' });
    const c = getServerConfig();
    expect(c).toMatchObject({
      mode: 'azure',
      authorityHost: 'https://login.microsoftonline.com',
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      apiScope: `api://${CLIENT}/user_impersonation`,
      armEndpoint: 'https://management.azure.com',
      keyVaultDnsSuffix: 'vault.azure.net',
      allowedTenantIds: [TENANT],
      oboAuth: { kind: 'secret' },
      rateLimit: { requests: 120, windowSeconds: 60 },
    });
    expect(clientAuthentication(c)).toEqual({ clientSecret: 's3cret' });
  });

  it('a client certificate by path', () => {
    azureEnv({ AZURE_CLIENT_CERTIFICATE_PATH: '/run/secrets/app.pem', AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: 'true' });
    const c = getServerConfig();
    expect(c.oboAuth).toEqual({
      kind: 'certificate',
      certificatePath: '/run/secrets/app.pem',
      sendCertificateChain: true,
    });
    expect(clientAuthentication(c)).toEqual({ certificatePath: '/run/secrets/app.pem', sendCertificateChain: true });
  });

  it('a managed identity as federated client assertion (no secret at all)', () => {
    azureEnv({
      AZURE_OBO_CREDENTIAL: 'managed-identity',
      AZURE_MANAGED_IDENTITY_CLIENT_ID: '33333333-4444-4555-8666-777777777777',
    });
    const c = getServerConfig();
    expect(c.oboAuth).toEqual({
      kind: 'managed-identity',
      managedIdentityClientId: '33333333-4444-4555-8666-777777777777',
      audience: 'api://AzureADTokenExchange',
    });
    const auth = clientAuthentication(c) as { getAssertion?: unknown };
    expect(typeof auth.getAssertion).toBe('function');
  });

  it('sovereign clouds, tenant allow-list and rate limit by environment', () => {
    azureEnv({
      AZURE_CLIENT_SECRET: 's',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
      AZURE_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      AZURE_KEYVAULT_DNS_SUFFIX: 'vault.usgovcloudapi.net',
      AZURE_ALLOWED_TENANT_IDS: '99999999-8888-4777-8666-555555555555, 99999999-8888-4777-8666-555555555556',
      RATE_LIMIT_REQUESTS: '30',
      RATE_LIMIT_WINDOW_SECONDS: '10',
    });
    const c = getServerConfig();
    expect(c.issuer).toBe(`https://login.microsoftonline.us/${TENANT}/v2.0`);
    expect(c.armEndpoint).toBe('https://management.usgovcloudapi.net');
    expect(c.keyVaultDnsSuffix).toBe('vault.usgovcloudapi.net');
    expect(c.allowedTenantIds).toEqual([
      TENANT,
      '99999999-8888-4777-8666-555555555555',
      '99999999-8888-4777-8666-555555555556',
    ]);
    expect(c.rateLimit).toEqual({ requests: 30, windowSeconds: 10 });
    vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
    expect(getServerConfig().rateLimit).toBeUndefined();
  });

  it('a separate SPA registration signs the browser in; a Key Vault port only for a local emulator', () => {
    azureEnv({
      AZURE_CLIENT_SECRET: 's',
      AZURE_SPA_CLIENT_ID: '44444444-5555-4666-8777-888888888888',
      AZURE_KEYVAULT_DNS_SUFFIX: 'vault.localhost',
      AZURE_KEYVAULT_PORT: '8443',
    });
    const c = getServerConfig();
    expect(publicAuthConfig(c)).toMatchObject({
      mode: 'azure',
      clientId: '44444444-5555-4666-8777-888888888888',
      apiScope: `api://${CLIENT}/user_impersonation`,
    });
    expect(c.keyVaultPort).toBe(8443);
  });

  it('instance discovery only for Microsoft login hosts', () => {
    expect(isMicrosoftAuthority('https://login.microsoftonline.com')).toBe(true);
    expect(isMicrosoftAuthority('https://login.microsoftonline.us/')).toBe(true);
    expect(isMicrosoftAuthority('https://localhost:8443')).toBe(false);
    expect(isMicrosoftAuthority('https://login.microsoftonline.com.evil.example')).toBe(false);
    expect(isMicrosoftAuthority('nonsense')).toBe(false);
  });

  it.each([
    [{ AZURE_TENANT_ID: '' }, /AZURE_TENANT_ID/],
    [{ AZURE_TENANT_ID: 'contoso.onmicrosoft.com' }, /AZURE_TENANT_ID/],
    [{ AZURE_CLIENT_ID: 'my-app' }, /AZURE_CLIENT_ID/],
    [{}, /credential for the on-behalf-of/],
    [{ AZURE_OBO_CREDENTIAL: 'secret' }, /AZURE_CLIENT_SECRET/],
    [{ AZURE_OBO_CREDENTIAL: 'certificate' }, /AZURE_CLIENT_CERTIFICATE_PATH/],
    [{ AZURE_CLIENT_SECRET: 's', AZURE_ALLOWED_TENANT_IDS: 'contoso' }, /AZURE_ALLOWED_TENANT_IDS/],
  ])('refuses a broken setup with a ConfigError that says what to set: %o', (extra, message) => {
    azureEnv(extra as Record<string, string>);
    let error: unknown;
    try {
      getServerConfig();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(`${(error as ConfigError).message} ${(error as ConfigError).action}`).toMatch(message);
    expect((error as ConfigError).action).toBeTruthy();
  });
});
