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

  it('contacts and issuers are not taken for certificates of that name (strict 501)', async () => {
    const prod = client['kv-contoso-prod']!;
    const contacts = (await prod.getContacts().catch((e: unknown) => e)) as RestError;
    expect([contacts.statusCode, contacts.code]).toEqual([501, 'NotImplemented']);
    const issuer = (await prod.getIssuer('issuer1').catch((e: unknown) => e)) as RestError;
    expect([issuer.statusCode, issuer.code]).toEqual([501, 'NotImplemented']);
  });
});
