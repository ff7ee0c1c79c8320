import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretClient } from '@azure/keyvault-secrets';
import { CertificateClient } from '@azure/keyvault-certificates';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, opensslPfx, startTestSandbox, type TestSandbox } from './helpers';

// Issue 12 item 6: the secrets API through the real @azure/keyvault-secrets client (before: 501 for all of it).

function err(p: Promise<unknown>): Promise<RestError> {
  return p.then(
    () => {
      throw new Error('expected a RestError');
    },
    (e: unknown) => {
      if (!(e instanceof RestError)) throw e;
      return e;
    },
  );
}

const FAST = { intervalInMs: 10 };

describe('Key Vault secrets (real SDK)', () => {
  let sb: TestSandbox;
  let secrets: SecretClient;
  let eastSecrets: SecretClient;
  let stagingSecrets: SecretClient;
  let certs: CertificateClient;
  let coleSecrets: SecretClient;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const opts = { disableChallengeResourceVerification: true, agent: sb.agent } as never;
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    const host = (v: string) => `https://${v}.vault.localhost:${sb.port}/`;
    secrets = new SecretClient(host('kv-contoso-prod'), cred, opts);
    stagingSecrets = new SecretClient(host('kv-contoso-rbac'), cred, opts);
    eastSecrets = new SecretClient(host('kv-contoso-east'), cred, opts);
    certs = new CertificateClient(host('kv-contoso-prod'), cred, opts);
    coleSecrets = new SecretClient(
      host('kv-contoso-rbac'),
      oboCredential(sb.endpoints, await apiToken(sb, 'certs@contoso.sandbox')),
      opts,
    );
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('sets, gets, versions, lists and updates a plain secret', async () => {
    const a = await secrets.setSecret('conn', 'v1', { contentType: 'text/plain', tags: { env: 'prod' } });
    const b = await secrets.setSecret('conn', 'v2');
    expect(a.properties.version).not.toBe(b.properties.version);
    expect((await secrets.getSecret('conn')).value).toBe('v2');
    expect((await secrets.getSecret('conn', { version: a.properties.version })).value).toBe('v1');
    expect((await secrets.getSecret('conn', { version: a.properties.version })).properties.contentType).toBe(
      'text/plain',
    );
    const versions = [];
    for await (const v of secrets.listPropertiesOfSecretVersions('conn')) versions.push(v.version);
    expect(versions.sort()).toEqual([a.properties.version, b.properties.version].sort());
    const updated = await secrets.updateSecretProperties('conn', a.properties.version!, {
      enabled: false,
      tags: { env: 'old' },
    });
    expect([updated.enabled, updated.tags]).toEqual([false, { env: 'old' }]);
    const disabled = await err(secrets.getSecret('conn', { version: a.properties.version }));
    expect([disabled.statusCode, disabled.code]).toEqual([403, 'Forbidden']);
    const names = [];
    for await (const p of secrets.listPropertiesOfSecrets()) names.push(p.name);
    expect(names).toContain('conn');
  });

  it('keeps a PFX as a plain secret (contentType application/x-pkcs12) that no certificate backs', async () => {
    const pfx = opensslPfx({ password: '' });
    const s = await secrets.setSecret('migrated-pfx', pfx.pfx.toString('base64'), {
      contentType: 'application/x-pkcs12',
    });
    const got = await secrets.getSecret('migrated-pfx');
    expect([got.value, got.properties.contentType, got.properties.managed]).toEqual([
      pfx.pfx.toString('base64'),
      'application/x-pkcs12',
      undefined,
    ]);
    expect(got.properties.version).toBe(s.properties.version);
    const missing = await err(certs.getCertificate('migrated-pfx'));
    expect(missing.statusCode).toBe(404);
  });

  it('serves a certificate’s backing secret read-only (managed, kid) and refuses to overwrite it', async () => {
    const pfx = opensslPfx({ password: 'pw' });
    const cert = await certs.importCertificate('backed', pfx.pfx, { password: 'pw' });
    const s = await secrets.getSecret('backed', { version: cert.properties.version });
    expect([s.properties.contentType, s.properties.managed]).toEqual(['application/x-pkcs12', true]);
    expect(s.properties.certificateKeyId).toBe(cert.keyId);
    const refused = await err(secrets.setSecret('backed', 'nope'));
    expect([refused.statusCode, refused.code]).toEqual([403, 'Forbidden']);
    expect(refused.message).toBe('Operation "set" is not allowed as this object\'s lifetime is managed by Key Vault.');
  });

  it('deletes (soft), refuses the name, lists deleted, recovers, deletes again and purges', async () => {
    await secrets.setSecret('gone', 'x');
    const del = await secrets.beginDeleteSecret('gone', FAST);
    const deleted = await del.pollUntilDone();
    expect(deleted.recoveryId).toContain('/deletedsecrets/gone');
    const taken = await err(secrets.setSecret('gone', 'y'));
    expect([taken.statusCode, taken.code]).toEqual([409, 'Conflict']);
    const listed = [];
    for await (const d of secrets.listDeletedSecrets()) listed.push(d.name);
    expect(listed).toContain('gone');
    await (await secrets.beginRecoverDeletedSecret('gone', FAST)).pollUntilDone();
    expect((await secrets.getSecret('gone')).value).toBe('x');
    await (await secrets.beginDeleteSecret('gone', FAST)).pollUntilDone();
    await secrets.purgeDeletedSecret('gone');
    const purged = await err(secrets.getDeletedSecret('gone'));
    expect([purged.statusCode, purged.code]).toEqual([404, 'SecretNotFound']);
    await secrets.setSecret('gone', 'fresh');
  });

  it('backs up and restores within the subscription and geography only', async () => {
    await secrets.setSecret('moving', 'payload');
    const blob = (await secrets.backupSecret('moving'))!;
    await (await secrets.beginDeleteSecret('moving', FAST)).pollUntilDone();
    await secrets.purgeDeletedSecret('moving');
    // kv-contoso-rbac: same subscription, same region → restores.
    const restored = await stagingSecrets.restoreSecretBackup(blob);
    expect(restored.name).toBe('moving');
    expect((await stagingSecrets.getSecret('moving')).value).toBe('payload');
    // kv-contoso-east: another subscription (Staging) and geography → Key Vault cannot open the blob.
    const refused = await err(eastSecrets.restoreSecretBackup(blob));
    expect([refused.statusCode, refused.message]).toEqual([400, 'Cannot decrypt backup blob.']);
  });

  it('RBAC: the Certificates Officer has no secrets/getSecret on the RBAC vault', async () => {
    const e = await err(coleSecrets.getSecret('moving'));
    expect([e.statusCode, e.code]).toEqual([403, 'Forbidden']);
  });
});
