import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';

const get = vi.fn();
const update = vi.fn();
vi.mock('./clients', () => ({ keyVaultManagementClient: () => ({ vaults: { get, update } }) }));

const { getVault, setEnabledForDeployment, vaultForDataPlane } = await import('./vaults');

const ref = { subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333', resourceGroup: 'rg-a', vaultName: 'kv-one' };
const armVault = (enabledForDeployment: boolean) => ({
  id: `/subscriptions/${ref.subscriptionId}/resourceGroups/rg-a/providers/Microsoft.KeyVault/vaults/kv-one`,
  name: 'kv-one',
  location: 'westeurope',
  properties: {
    tenantId: 't',
    sku: { family: 'A', name: 'standard' },
    vaultUri: 'https://kv-one.vault.azure.net/',
    enabledForDeployment,
  },
});
const ctx = () => ({ credential: { getToken: async () => null } as TokenCredential, config: {} as ServerConfig });
const who = { user: { oid: 'o', tid: 't', name: 'n', username: 'u', expiresAt: 0, assertion: 'x' }, requestId: 'r' };

describe('vault lookups for data-plane calls', () => {
  beforeEach(() => {
    get.mockReset().mockResolvedValue(armVault(false));
    update.mockReset().mockResolvedValue(armVault(true));
  });

  it('asks ARM once per user credential and vault, not once per request', async () => {
    const alice = ctx();
    await vaultForDataPlane(alice, ref);
    await vaultForDataPlane(alice, { ...ref, vaultName: 'KV-ONE' });
    expect(get).toHaveBeenCalledTimes(1);
    await vaultForDataPlane(ctx(), ref);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('keeps getVault uncached and refreshes the remembered vault after a change', async () => {
    const alice = ctx();
    await getVault(alice, ref);
    await getVault(alice, ref);
    expect(get).toHaveBeenCalledTimes(2);
    await setEnabledForDeployment(alice, ref, true, who);
    expect((await vaultForDataPlane(alice, ref)).enabledForDeployment).toBe(true);
    expect(get).toHaveBeenCalledTimes(2);
  });
});
