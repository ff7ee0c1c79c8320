import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessToken } from '@azure/core-auth';
import { CLIENT_ID, startTestIssuer, TENANT, type TestIssuer } from '@/lib/auth/testing/issuer';

/**
 * Route-level proof of decision 003: whatever vault name or vaultUri reaches the server, a user's token is only ever
 * requested for, and sent to, a Key Vault host under the configured suffix. ARM is replaced by a stub that answers
 * with a crafted vault; the OBO credential is a spy that records every scope asked for; every outgoing HTTPS request
 * is recorded and refused (nothing leaves the machine).
 */
const state = vi.hoisted(() => ({
  vaultUri: '',
  scopes: [] as string[],
  hosts: [] as string[],
  armCalls: 0,
}));

vi.mock('@/lib/azure/credentials', () => ({
  oboCredential: () => ({
    getToken: async (scopes: string | string[]): Promise<AccessToken> => {
      state.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
      return { token: 'obo-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  }),
  userScope: (credential: object) => credential,
}));
vi.mock('@/lib/azure/clients', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/azure/clients')>()),
  keyVaultManagementClient: (_c: unknown, _cfg: unknown, subscriptionId: string) => ({
    vaults: {
      get: async (resourceGroup: string, name: string) => {
        state.armCalls++;
        return {
          id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`,
          name,
          location: 'westeurope',
          properties: {
            vaultUri: state.vaultUri,
            tenantId: TENANT,
            sku: { family: 'A', name: 'standard' },
            enableRbacAuthorization: true,
          },
        };
      },
    },
  }),
}));

const realRequest = https.request;
const { GET } =
  await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/certificates/[certificateName]/route');

let issuer: TestIssuer;
let token: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  token = await issuer.mint();
  // Record and refuse every outgoing HTTPS request (the Azure SDKs use node:https).
  https.request = ((...args: unknown[]) => {
    const first = args[0];
    const host =
      typeof first === 'string' || first instanceof URL
        ? new URL(first).hostname
        : String((first as { hostname?: string; host?: string }).hostname ?? (first as { host?: string }).host);
    state.hosts.push(host);
    const error = Object.assign(new Error(`connect ECONNREFUSED (test: ${host})`), { code: 'ECONNREFUSED' });
    const req = realRequest('https://127.0.0.1:1/');
    req.destroy(error);
    return req;
  }) as typeof https.request;
  syncBuiltinESMExports();
});
afterAll(async () => {
  https.request = realRequest;
  syncBuiltinESMExports();
  await issuer.close();
});
beforeEach(() => {
  vi.unstubAllEnvs();
  vi.stubEnv('AZURE_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  vi.stubEnv('AZURE_CLIENT_SECRET', 'test-secret');
  vi.stubEnv('AZURE_AUTHORITY_HOST', issuer.authorityHost);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
  Object.assign(state, { scopes: [], hosts: [], armCalls: 0 });
});

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
async function getCertificate(vaultUri: string, vaultName = 'kv-contoso') {
  state.vaultUri = vaultUri;
  const params = { subscriptionId: SUB, resourceGroup: 'rg-cses', vaultName, certificateName: 'web' };
  const response = await GET(new Request(`http://localhost/api/x`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve(params),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; reason?: string; action: string } },
  };
}

describe('a crafted vaultUri cannot make the server send a token elsewhere', () => {
  it('control: a genuine vault URL is the only host contacted, and only for the Key Vault audience', async () => {
    const { status, body } = await getCertificate('https://kv-contoso.vault.azure.net/');
    expect(state.armCalls).toBe(1);
    expect(status).toBe(502); // our HTTPS stub refuses the connection
    expect(body.error?.code).toBe('azure_unavailable');
    expect(state.hosts.length).toBeGreaterThan(0);
    expect(new Set(state.hosts)).toEqual(new Set(['kv-contoso.vault.azure.net']));
  });

  it.each([
    'https://evil.example/',
    'https://kv-contoso.vault.azure.net.evil.example/',
    'https://evil.example/?x=.vault.azure.net',
    'https://evil.example/#.vault.azure.net',
    'https://kv-contoso.vault.azure.net@evil.example/',
    'https://kv-contoso.vault.azure.net:pw@evil.example/',
    'https://user:pw@kv-contoso.vault.azure.net/',
    'http://kv-contoso.vault.azure.net/',
    'https://kv-contoso.vault.azure.net:8443/',
    'https://kv-contoso.vault.azure.net./',
    'https://kv-contoso.vault.azure.net/certificates/',
    'https://kv-contoso.vault.azure.net\\@evil.example/',
    'https://kv-contoso.vault.azure.net%2eevil.example/',
    'https://kv-contoso.vault.azure.net\u3002evil.example/',
    'https://a.b.vault.azure.net/',
    'https://vault.azure.net/',
    'https://evilvault.azure.net/',
    'https://169.254.169.254/',
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://kv-contoso.vault.localhost/',
    'javascript:alert(1)//.vault.azure.net',
    'file:///etc/passwd',
    '//kv-contoso.vault.azure.net/',
    '',
  ])('%s → 403 UntrustedVaultHost, no token requested for Key Vault, no request sent', async (vaultUri) => {
    const { status, body } = await getCertificate(vaultUri);
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'forbidden', reason: 'UntrustedVaultHost' });
    expect(state.scopes.filter((s) => s.includes('vault'))).toEqual([]);
    expect(state.hosts).toEqual([]);
  });
});

describe('a crafted vault name never reaches ARM or Key Vault', () => {
  it.each([
    'evil.example',
    'kv/../../evil',
    'kv%2f..',
    'kv@evil',
    'kv:443',
    'a',
    'kv-contoso.vault.azure.net',
    'kv--x',
    '-kv',
    'kv-',
  ])('%s → 422', async (vaultName) => {
    const { status, body } = await getCertificate('https://kv-contoso.vault.azure.net/', vaultName);
    expect(status).toBe(422);
    expect(body.error?.code).toBe('validation_failed');
    expect(state.armCalls).toBe(0);
    expect(state.scopes).toEqual([]);
    expect(state.hosts).toEqual([]);
  });
});
