import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';

// The migration's PKCS#12 secrets: listed with what they hold and converted, with the Key Vault clients mocked.
const vector = (f: string) => readFileSync(new URL(`../certs/__vectors__/${f}`, import.meta.url)).toString('base64');
const PFX = vector('unencrypted-no-mac.pfx');
const LOCKED = vector('openssl3-default.pfx');
const THUMBPRINT = '3FE3A4FCF979CA1A38EA34D9553EC7610A6DCCF5';
const V = 'a'.repeat(32);

const props = [
  { name: 'migrated', contentType: 'application/x-pkcs12', enabled: true },
  { name: 'locked', contentType: 'application/x-pkcs12', enabled: true },
  { name: 'text', contentType: 'application/x-pkcs12', enabled: true },
  { name: 'web-ssl', contentType: 'application/x-pkcs12', managed: true, enabled: true },
  { name: 'db-password', contentType: 'text/plain', enabled: true },
];
const values: Record<string, string> = { migrated: PFX, locked: LOCKED, text: 'not a pfx at all', 'web-ssl': PFX };
const getSecret = vi.fn(async (name: string) => ({
  name,
  value: values[name],
  properties: { version: V, id: `https://kv-one.vault.azure.net/secrets/${name}/${V}`, managed: name === 'web-ssl' },
}));
const listPropertiesOfSecrets = vi.fn(async function* () {
  yield* props;
});
const importPfxCertificate = vi.fn();
const listAllCertificateVersions = vi.fn(
  async () => [] as Array<{ name: string; version: string; thumbprint: string }>,
);
vi.mock('./clients', () => ({ secretClient: () => ({ getSecret, listPropertiesOfSecrets }) }));
vi.mock('./certificates', () => ({ importPfxCertificate, listAllCertificateVersions }));
vi.mock('./vaults', () => ({
  vaultForDataPlane: async () => ({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one',
    name: 'kv-one',
    location: 'westeurope',
    vaultUri: 'https://kv-one.vault.azure.net/',
    rbac: false,
  }),
}));

const { convertSecretToCertificate, listUnbackedSecrets } = await import('./secret-conversion');

const ctx = { credential: { getToken: async () => null } as TokenCredential, config: {} as ServerConfig };
const ref = { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'kv-one' };
const who = { user: { oid: 'o', tid: 't', name: 'n', username: 'u', expiresAt: 0, assertion: 'x' }, requestId: 'r' };

describe('listUnbackedSecrets', () => {
  beforeEach(() => {
    importPfxCertificate.mockReset();
    listAllCertificateVersions.mockClear();
  });

  it('lists only unmanaged PKCS#12 secrets, each with what its PFX holds or why it cannot be converted', async () => {
    const list = await listUnbackedSecrets(ctx, ref);
    expect(list.vault.name).toBe('kv-one');
    const by = Object.fromEntries(list.secrets.map((s) => [s.name, s]));
    expect(Object.keys(by).sort()).toEqual(['locked', 'migrated', 'text']);
    expect(by.migrated).toMatchObject({ status: 'convertible', thumbprint: THUMBPRINT, version: V, problem: null });
    expect(by.migrated!.subject).toMatch(/CN=/);
    expect(by.locked!.status).toBe('not-pkcs12');
    expect(by.locked!.problem!.message).toMatch(/locked in kv-one is not a PKCS#12 \(PFX\) file without a password/);
    expect(by.text!.status).toBe('not-pkcs12');
    expect(getSecret).not.toHaveBeenCalledWith('db-password');
  });

  it('says which certificate already has the thumbprint', async () => {
    listAllCertificateVersions.mockResolvedValueOnce([{ name: 'legacy', version: V, thumbprint: THUMBPRINT }]);
    const list = await listUnbackedSecrets(ctx, ref);
    expect(list.secrets.find((s) => s.name === 'migrated')).toMatchObject({
      status: 'certificate',
      certificate: { name: 'legacy', version: V },
    });
  });
});

describe('convertSecretToCertificate', () => {
  beforeEach(() => importPfxCertificate.mockReset());

  it('imports the secret’s own bytes as a certificate under the chosen name, without a password', async () => {
    importPfxCertificate.mockResolvedValue({ name: 'legacy', thumbprint: THUMBPRINT });
    await convertSecretToCertificate(ctx, { ...ref, secretName: 'migrated' }, { certificateName: 'legacy' }, who);
    const [, req] = importPfxCertificate.mock.calls[0]!;
    expect(req).toMatchObject({ certificateName: 'legacy', password: null, vault: ref });
    expect(Buffer.from(req.pfx as Uint8Array).toString('base64')).toBe(PFX);
  });

  it('refuses a secret that is not a PKCS#12 file (or needs a password) with a specific message; nothing imported', async () => {
    for (const secretName of ['text', 'locked']) {
      await expect(
        convertSecretToCertificate(ctx, { ...ref, secretName }, { certificateName: 'x' }, who),
      ).rejects.toMatchObject({ code: 'pfx_rejected', reason: 'secret-not-pkcs12' });
    }
    await expect(
      convertSecretToCertificate(ctx, { ...ref, secretName: 'web-ssl' }, { certificateName: 'x' }, who),
    ).rejects.toMatchObject({ code: 'conflict', reason: 'secret-is-certificate' });
    expect(importPfxCertificate).not.toHaveBeenCalled();
  });

  it('maps Key Vault’s 403 on reading the secret to the permission to ask for', async () => {
    getSecret.mockRejectedValueOnce(new RestError('Forbidden', { statusCode: 403, code: 'Forbidden' }));
    await expect(
      convertSecretToCertificate(ctx, { ...ref, secretName: 'migrated' }, { certificateName: 'x' }, who),
    ).rejects.toMatchObject({ status: 403 });
  });
});
