import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateClient } from '@azure/keyvault-certificates';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, opensslPfx, startTestSandbox, type TestSandbox } from './helpers';

// Issue 12 item 7: certificate backup/restore (before: 501), with Key Vault's rule that a backup restores only in
// the same subscription and geography ("Cannot decrypt backup blob." elsewhere).

describe('certificate backup and restore (real SDK)', () => {
  let sb: TestSandbox;
  const client: Record<string, CertificateClient> = {};

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    for (const v of ['kv-contoso-prod', 'kv-contoso-rbac', 'kv-contoso-east'])
      client[v] = new CertificateClient(`https://${v}.vault.localhost:${sb.port}/`, cred, {
        disableChallengeResourceVerification: true,
        agent: sb.agent,
      } as never);
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('restores every version in a vault of the same subscription and region, and nowhere else', async () => {
    const prod = client['kv-contoso-prod']!;
    const pfx = opensslPfx({ password: 'pw' });
    const v1 = await prod.importCertificate('carried', pfx.pfx, { password: 'pw' });
    const v2 = await prod.importCertificate('carried', pfx.pfx, { password: 'pw' });
    const blob = (await prod.backupCertificate('carried'))!;
    expect(blob.length).toBeGreaterThan(100);
    const taken = (await prod.restoreCertificateBackup(blob).catch((e: unknown) => e)) as RestError;
    expect(taken.statusCode).toBe(409);
    const restored = await client['kv-contoso-rbac']!.restoreCertificateBackup(blob);
    expect([restored.name, restored.properties.version, restored.properties.x509Thumbprint]).toEqual([
      'carried',
      v2.properties.version,
      v2.properties.x509Thumbprint,
    ]);
    const versions = [];
    for await (const p of client['kv-contoso-rbac']!.listPropertiesOfCertificateVersions('carried'))
      versions.push(p.version);
    expect(versions.sort()).toEqual([v1.properties.version, v2.properties.version].sort());
    const abroad = (await client['kv-contoso-east']!.restoreCertificateBackup(blob).catch(
      (e: unknown) => e,
    )) as RestError;
    expect([abroad.statusCode, abroad.message]).toEqual([400, 'Cannot decrypt backup blob.']);
    // Bytes that are no backup at all, as the SDK's live test sends them (4728 zero bytes).
    const malformed = (await client['kv-contoso-prod']!.restoreCertificateBackup(new Uint8Array(4728)).catch(
      (e: unknown) => e,
    )) as RestError;
    expect([malformed.statusCode, malformed.message]).toEqual([
      400,
      'Backup blob contains invalid or corrupt version.',
    ]);
  });

  it('a certificate still pending is backed up too, and its restore carries on to the issued certificate', async () => {
    // Microsoft's backupAndRestore sample: backup right after beginCreateCertificate, delete, purge, restore, get.
    const before = process.env.SANDBOX_CREATE_DELAY_MS;
    process.env.SANDBOX_CREATE_DELAY_MS = '5000'; // certainly still pending at the backup
    const prod = client['kv-contoso-prod']!;
    try {
      await prod.beginCreateCertificate('pending-backup', { issuerName: 'Self', subject: 'cn=MyCert' });
      const blob = await prod.backupCertificate('pending-backup');
      await (await prod.beginDeleteCertificate('pending-backup', { intervalInMs: 25 })).pollUntilDone();
      await prod.purgeDeletedCertificate('pending-backup');
      const restored = await prod.restoreCertificateBackup(blob!);
      expect(restored.name).toBe('pending-backup');
      expect((await prod.getCertificate('pending-backup')).name).toBe('pending-backup');
    } finally {
      if (before === undefined) Reflect.deleteProperty(process.env, 'SANDBOX_CREATE_DELAY_MS');
      else process.env.SANDBOX_CREATE_DELAY_MS = before;
    }
  });
});
