import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armRoutes } from '../src/arm/routes';
import { identityRoutes } from '../src/identity/routes';
import { keyVaultRoutes } from '../src/keyvault/routes';
import { controlRoutes } from '../src/control';
import { apiToken, oboCredential, raw, startTestSandbox, type TestSandbox } from './helpers';

// The sandbox answers every request through one of its route tables; what no table routes is a strict,
// Azure-shaped 501, never a guess (a path that merely looks like another operation must not reach it).

describe('route tables', () => {
  it('each table has one handler per method and pattern', () => {
    for (const table of [armRoutes, keyVaultRoutes, identityRoutes, controlRoutes]) {
      const keys = table.routes.map((r) => `${r.method} ${r.path.toLowerCase()}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('ARM matches path segments case-insensitively and keeps parameter case; empty parent paths match', () => {
    const hit = armRoutes.find(
      'PATCH',
      '/SUBSCRIPTIONS/s1/resourcegroups/RG-One/providers/microsoft.keyvault/VAULTS/Kv-1',
    );
    expect(hit?.params).toEqual({ subscriptionId: 's1', resourceGroupName: 'RG-One', vaultName: 'Kv-1' });
    const perms = armRoutes.find(
      'GET',
      '/subscriptions/s1/resourcegroups/rg/providers/Microsoft.KeyVault//vaults/kv/providers/Microsoft.Authorization/permissions',
    );
    expect(perms?.params).toMatchObject({
      namespace: 'Microsoft.KeyVault',
      resourceType: 'vaults',
      resourceName: 'kv',
    });
  });

  it('Key Vault versions are 32 hex characters; other words are not versions', () => {
    expect(keyVaultRoutes.find('GET', `/certificates/c1/${'ab'.repeat(16)}`)?.params.version).toBe('ab'.repeat(16));
    expect(keyVaultRoutes.find('GET', '/certificates/c1/notaversion')).toBeUndefined();
  });
});

describe('strict 501 and malformed URIs over the wire', () => {
  let sb: TestSandbox;
  let kvToken: string;
  let armToken: string;
  let origin: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    kvToken = (await cred.getToken('https://vault.azure.net/.default'))!.token;
    armToken = (await cred.getToken('https://management.azure.com/.default'))!.token;
    origin = `https://kv-contoso-prod.vault.localhost:${sb.port}`;
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('an unrouted Key Vault operation is 501 NotImplemented naming the method and path', async () => {
    const res = await raw(sb.agent, `${origin}/certificates/c1/notaversion?api-version=7.5`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${kvToken}` },
    });
    expect(res.status).toBe(501);
    expect(res.json().error.code).toBe('NotImplemented');
    expect(res.json().error.message).toContain('PUT /certificates/c1/notaversion');
  });

  it('an unrouted ARM operation is 501 after authentication (401 without a token)', async () => {
    const path = `/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod/keys?api-version=2026-02-01`;
    const anon = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}`);
    expect(anon.status).toBe(401);
    const res = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}`, {
      headers: { authorization: `Bearer ${armToken}` },
    });
    expect([res.status, res.json().error.code]).toEqual([501, 'NotImplemented']);
  });

  it('a malformed percent-escape is a 400 in the area’s shape, not a 500', async () => {
    const kv = await raw(sb.agent, `${origin}/certificates/%C0%AE?api-version=7.5`, {
      headers: { authorization: `Bearer ${kvToken}` },
    });
    expect([kv.status, kv.json().error.code]).toEqual([400, 'BadParameter']);
    const arm = await raw(sb.agent, `${sb.endpoints.arm.endpoint}/subscriptions/%ff?api-version=2022-12-01`, {
      headers: { authorization: `Bearer ${armToken}` },
    });
    expect([arm.status, arm.json().error.code]).toEqual([400, 'InvalidUri']);
  });
});
