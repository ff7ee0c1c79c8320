import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';

// Issue 17 item 7: the SDK's recover poller first GETs the certificate and, when it exists, reports the recovery as
// done without asking Key Vault, so "recover" of a never-deleted certificate used to answer 200 and be audited.
const getDeletedCertificate = vi.fn();
const beginRecoverDeletedCertificate = vi.fn();
const getCertificate = vi.fn();
const audit = vi.fn();
vi.mock('./clients', () => ({
  certificateClient: () => ({ getDeletedCertificate, beginRecoverDeletedCertificate, getCertificate }),
}));
vi.mock('./vaults', () => ({
  vaultForDataPlane: async () => ({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one',
    name: 'kv-one',
    vaultUri: 'https://kv-one.vault.azure.net/',
  }),
}));
vi.mock('@/lib/log', () => ({ audit, log: vi.fn() }));

const { recoverCertificate } = await import('./certificates');

const ctx = { credential: { getToken: async () => null } as TokenCredential, config: {} as ServerConfig };
const ref = { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'kv-one' };
const who = { user: { oid: 'o', tid: 't', name: 'n', username: 'u', expiresAt: 0, assertion: 'x' }, requestId: 'r' };

describe('recoverCertificate', () => {
  beforeEach(() => {
    for (const f of [getDeletedCertificate, beginRecoverDeletedCertificate, getCertificate, audit]) f.mockReset();
    beginRecoverDeletedCertificate.mockResolvedValue({ pollUntilDone: async () => ({}) });
  });

  it('refuses a certificate that is not deleted with Key Vault’s 404, recovers nothing and audits nothing', async () => {
    getDeletedCertificate.mockRejectedValue(
      new RestError('Deleted Certificate not found: web', { statusCode: 404, code: 'CertificateNotFound' }),
    );
    await expect(recoverCertificate(ctx, ref, 'web', who)).rejects.toMatchObject({ status: 404 });
    expect(beginRecoverDeletedCertificate).not.toHaveBeenCalled();
    expect(audit).not.toHaveBeenCalled();
  });
});
