import { describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';
import { certificateClient, keyVaultManagementClient, secretClient, usesKeyVaultBearer } from './clients';

const config = {
  mode: 'azure',
  armEndpoint: 'https://management.azure.com',
  armAudience: 'https://management.azure.com',
  keyVaultAudience: 'https://vault.azure.net',
  keyVaultDnsSuffix: 'vault.azure.net',
} as ServerConfig;

const credential = (): TokenCredential => ({ getToken: async () => null });

describe('client reuse', () => {
  it('reuses a client for the same user credential and target, never across credentials or targets', () => {
    const alice = credential();
    const bob = credential();
    const a1 = certificateClient(alice, config, 'https://kv-one.vault.azure.net/');
    expect(certificateClient(alice, config, 'https://kv-one.vault.azure.net')).toBe(a1);
    expect(certificateClient(alice, config, 'https://kv-two.vault.azure.net/')).not.toBe(a1);
    expect(certificateClient(bob, config, 'https://kv-one.vault.azure.net/')).not.toBe(a1);
    expect(keyVaultManagementClient(alice, config, 'sub-a')).toBe(keyVaultManagementClient(alice, config, 'sub-a'));
    expect(keyVaultManagementClient(alice, config, 'sub-a')).not.toBe(keyVaultManagementClient(alice, config, 'sub-b'));
  });

  it('still checks the vault URL on every call', () => {
    const alice = credential();
    certificateClient(alice, config, 'https://kv-one.vault.azure.net/');
    expect(() => certificateClient(alice, config, 'https://kv-one.vault.azure.net.evil.example/')).toThrow(
      /not a Key Vault address/,
    );
  });
});

describe('Key Vault clients send the token up front', () => {
  it("swap the SDK's challenge policy for core's bearer policy (no 401 round trip for a per-request client)", () => {
    const alice = credential();
    expect(usesKeyVaultBearer(certificateClient(alice, config, 'https://kv-one.vault.azure.net/'))).toBe(true);
    expect(usesKeyVaultBearer(secretClient(alice, config, 'https://kv-one.vault.azure.net/'))).toBe(true);
  });
});
