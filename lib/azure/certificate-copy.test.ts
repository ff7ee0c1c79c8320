import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';

// Copying a certificate into a vault in the right place, with the Key Vault clients mocked.
const vectors = new URL('../certs/__vectors__/', import.meta.url);
const PFX = readFileSync(new URL('unencrypted-no-mac.pfx', vectors)).toString('base64');
const PEM = readFileSync(new URL('pem/rsa-combined.pem', vectors), 'utf8');
const V = 'b'.repeat(32);

let policy: { exportable?: boolean; contentType?: string } = { exportable: true, contentType: 'application/x-pkcs12' };
let value = PFX;
const getCertificate = vi.fn(async () => ({ policy, properties: { version: V } }));
const getSecret = vi.fn(async () => ({ value }));
const importPfxCertificate = vi.fn();
vi.mock('./clients', () => ({
  certificateClient: () => ({ getCertificate }),
  secretClient: () => ({ getSecret }),
}));
vi.mock('./certificates', () => ({ importPfxCertificate }));
vi.mock('./vaults', () => ({
  vaultForDataPlane: async (_: unknown, ref: { vaultName: string }) => ({
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${ref.vaultName}`,
    name: ref.vaultName,
    vaultUri: `https://${ref.vaultName}.vault.azure.net/`,
    rbac: true,
  }),
}));

const { copyCertificate } = await import('./certificate-copy');
const ctx = { credential: { getToken: async () => null } as TokenCredential, config: {} as ServerConfig };
const source = { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'kv-west', certificateName: 'web' };
const target = { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'kv-east' };
const who = { user: { oid: 'o', tid: 't', name: 'n', username: 'u', expiresAt: 0, assertion: 'x' }, requestId: 'r' };

describe('copyCertificate', () => {
  beforeEach(() => {
    importPfxCertificate.mockReset();
    getSecret.mockClear();
    policy = { exportable: true, contentType: 'application/x-pkcs12' };
    value = PFX;
  });

  it('imports the version’s PFX secret (whole chain, key) into the target under the same name', async () => {
    importPfxCertificate.mockResolvedValue({ name: 'web' });
    await copyCertificate(ctx, source, { target, version: V }, who);
    expect(getSecret).toHaveBeenCalledWith('web', { version: V });
    const [, req] = importPfxCertificate.mock.calls[0]!;
    expect(req).toMatchObject({ vault: target, certificateName: 'web', password: null });
    expect(Buffer.from(req.pfx as Uint8Array).toString('base64')).toBe(PFX);
  });

  it('a PEM certificate is made into a PFX (under a random password) for the import', async () => {
    policy = { exportable: true, contentType: 'application/x-pem-file' };
    value = PEM;
    importPfxCertificate.mockResolvedValue({ name: 'copy' });
    await copyCertificate(ctx, source, { target, certificateName: 'copy' }, who);
    const [, req] = importPfxCertificate.mock.calls[0]!;
    expect(req.certificateName).toBe('copy');
    expect(typeof req.password).toBe('string');
    expect((req.pfx as Uint8Array)[0]).toBe(0x30);
  });

  it('a non-exportable key: says it cannot be copied and to re-import; reads no secret', async () => {
    policy = { exportable: false, contentType: 'application/x-pkcs12' };
    const e = await copyCertificate(ctx, source, { target }, who).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ reason: 'key-not-exportable' });
    expect((e as AppError).message).toMatch(/not exportable.*cannot be copied to kv-east/);
    expect((e as AppError).action).toMatch(/Re-import/);
    expect(getSecret).not.toHaveBeenCalled();
  });

  it('refuses the same vault, and maps a refused secret read to the permission to ask for', async () => {
    await expect(
      copyCertificate(ctx, source, { target: { ...target, vaultName: 'kv-west' } }, who),
    ).rejects.toMatchObject({ reason: 'same-vault' });
    getSecret.mockRejectedValueOnce(new RestError('Forbidden', { statusCode: 403, code: 'Forbidden' }));
    await expect(copyCertificate(ctx, source, { target }, who)).rejects.toMatchObject({ status: 403 });
    expect(importPfxCertificate).not.toHaveBeenCalled();
  });
});
