import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { CertificateClient, DefaultCertificatePolicy } from '@azure/keyvault-certificates';
import type { SecretClient } from '@azure/keyvault-secrets';
import { certificateClient, opensslPfx, restError, secretClient, startTestSandbox, type TestSandbox } from './helpers';

// Issue 12 items 2, 3 and 5, through the real SDK clients and their pollers, the way Microsoft's live tests drive
// them (lro.create / lro.operation / lro.delete / lro.recover / CRUD / subjectAlternativeNames specs):
// - a self-signed create is `inProgress` for a while even with no delay configured, so a client can see it, stop,
//   resume and abort; a still-pending certificate can be updated and deleted; deleting the pending operation of a
//   never-issued certificate leaves the certificate readable;
// - soft delete and recovery take a while, so stopped delete and recover pollers have something to resume;
// - policies with only IP addresses or URIs keep their SANs, and the issued certificate carries them.

const POLL = { intervalInMs: 25 };
const ENV = ['SANDBOX_CREATE_DELAY_MS', 'SANDBOX_DELETE_DELAY_MS', 'SANDBOX_RECOVER_DELAY_MS'] as const;

describe('background work of Key Vault: create, delete, recover (real SDK pollers)', () => {
  let sb: TestSandbox;
  let client: CertificateClient;
  let secrets: SecretClient;
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    sb = await startTestSandbox();
    client = await certificateClient(sb);
    secrets = await secretClient(sb);
  });
  afterEach(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = saved[k];
    }
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('with no create delay a create is still seen inProgress: stop, resume from the serialized state, finish', async () => {
    process.env.SANDBOX_CREATE_DELAY_MS = '0';
    const poller = await client.beginCreateCertificate('resumed', DefaultCertificatePolicy, POLL);
    poller.stopPolling();
    expect(poller.getOperationState().isCompleted).toBeFalsy();
    const op = await client.getCertificateOperation('resumed', POLL);
    expect(op.getOperationState().certificateOperation?.status).toBe('inProgress');
    const resumed = await client.beginCreateCertificate('resumed', DefaultCertificatePolicy, {
      resumeFrom: poller.toString(),
      ...POLL,
    });
    const cert = await resumed.pollUntilDone();
    expect([cert.name, resumed.getOperationState().isCompleted, cert.properties.enabled]).toEqual([
      'resumed',
      true,
      true,
    ]);
    expect((await op.pollUntilDone()).name).toBe('resumed');
    expect(op.getOperationState().certificateOperation?.status).toBe('completed');
  });

  it('an aborted create poller throws AbortError', async () => {
    process.env.SANDBOX_CREATE_DELAY_MS = '0';
    const controller = new AbortController();
    const poller = await client.beginCreateCertificate(
      'aborted',
      { issuerName: 'Self', subject: 'cn=MyCert' },
      { ...POLL, abortSignal: controller.signal },
    );
    controller.abort();
    await expect(poller.pollUntilDone()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a still-pending certificate can be updated (the tags reach the issued version) and read as pending', async () => {
    const poller = await client.beginCreateCertificate('tagged', { issuerName: 'Self', subject: 'cn=MyCert' }, POLL);
    const pending = await client.updateCertificateProperties('tagged', '', { tags: { customTag: 'value' } });
    expect([pending.properties.enabled, pending.cer, pending.properties.tags]).toEqual([
      false,
      undefined,
      { customTag: 'value' },
    ]);
    await poller.pollUntilDone();
    const issued = await client.getCertificate('tagged');
    expect([issued.properties.tags?.customTag, issued.properties.enabled, issued.cer?.length]).toEqual([
      'value',
      true,
      issued.cer?.length,
    ]);
    expect(issued.cer!.length).toBeGreaterThan(100);
  });

  it('a still-pending certificate can be deleted: a deleted certificate, 404 for the live one, the poller ends', async () => {
    process.env.SANDBOX_CREATE_DELAY_MS = '5000'; // certainly still pending when deleted
    await client.beginCreateCertificate('pending-doomed', { issuerName: 'Self', subject: 'cn=MyCert' }, POLL);
    const poller = await client.beginDeleteCertificate('pending-doomed', POLL);
    const first = poller.getResult()!;
    expect(typeof first.recoveryId).toBe('string');
    expect(first.deletedOn).toBeInstanceOf(Date);
    expect(first.scheduledPurgeDate).toBeInstanceOf(Date);
    const gone = await restError(client.getCertificate('pending-doomed'));
    expect([gone.statusCode, gone.code]).toEqual([404, 'CertificateNotFound']);
    expect((await poller.pollUntilDone()).name).toBe('pending-doomed');
    expect((await client.getDeletedCertificate('pending-doomed')).name).toBe('pending-doomed');
  });

  it('deleting the pending operation of a never-issued certificate leaves the certificate readable', async () => {
    await client.beginCreateCertificate('csr-only', { issuerName: 'Unknown', subject: 'CN=csr-only' }, POLL);
    const op = await client.getCertificateOperation('csr-only');
    expect(op.getOperationState().certificateOperation?.cancellationRequested).toBe(false);
    await op.cancelOperation();
    expect(op.getOperationState().certificateOperation?.cancellationRequested).toBe(true);
    await client.deleteCertificateOperation('csr-only');
    const e = await restError(client.getCertificateOperation('csr-only'));
    expect([e.statusCode, e.message]).toEqual([404, 'Pending certificate not found: csr-only']);
    const cert = await client.getCertificate('csr-only');
    expect([cert.name, cert.properties.enabled, cert.cer, cert.policy?.subject]).toEqual([
      'csr-only',
      false,
      undefined,
      'CN=csr-only',
    ]);
  });

  it('soft delete takes a while: a stopped delete poller is not complete, and resumes to the deleted certificate', async () => {
    process.env.SANDBOX_DELETE_DELAY_MS = '2000'; // long enough to look at it mid-way on a loaded machine
    await client.importCertificate('deleting', opensslPfx({ password: 'pw' }).pfx, { password: 'pw' });
    const poller = await client.beginDeleteCertificate('deleting', POLL);
    expect(poller.getOperationState().isStarted).toBe(true);
    poller.stopPolling();
    expect(poller.getOperationState().isCompleted).toBeFalsy();
    // While it is being deleted: not readable as deleted yet, and the name cannot be taken.
    expect((await restError(client.getDeletedCertificate('deleting'))).statusCode).toBe(404);
    const busy = await restError(
      client.beginCreateCertificate('deleting', { issuerName: 'Self', subject: 'CN=x' }, POLL),
    );
    expect([busy.statusCode, (busy.details as any)?.error?.innerError?.code]).toEqual([409, 'ObjectIsBeingDeleted']);
    const resumed = await client.beginDeleteCertificate('deleting', { resumeFrom: poller.toString(), ...POLL });
    expect((await resumed.pollUntilDone()).name).toBe('deleting');
    expect((await client.getDeletedCertificate('deleting')).recoveryId).toContain('/deletedcertificates/deleting');
  });

  it('recovery takes a while: a stopped recover poller is not complete, and resumes to the live certificate', async () => {
    process.env.SANDBOX_DELETE_DELAY_MS = '0';
    process.env.SANDBOX_RECOVER_DELAY_MS = '2000';
    await client.importCertificate('recovering', opensslPfx({ password: 'pw' }).pfx, { password: 'pw' });
    await (await client.beginDeleteCertificate('recovering', POLL)).pollUntilDone();
    const poller = await client.beginRecoverDeletedCertificate('recovering', POLL);
    poller.stopPolling();
    expect(poller.getOperationState().isCompleted).toBeFalsy();
    expect((await restError(client.getCertificate('recovering'))).statusCode).toBe(404);
    const resumed = await client.beginRecoverDeletedCertificate('recovering', {
      resumeFrom: poller.toString(),
      ...POLL,
    });
    expect((await resumed.pollUntilDone()).name).toBe('recovering');
    expect((await client.getCertificate('recovering')).properties.enabled).toBe(true);
  });

  it('secrets too: delete and recover pollers see the work in progress', async () => {
    process.env.SANDBOX_DELETE_DELAY_MS = '1500';
    process.env.SANDBOX_RECOVER_DELAY_MS = '1500';
    await secrets.setSecret('slow', 'v');
    const del = await secrets.beginDeleteSecret('slow', POLL);
    expect(del.getOperationState().isCompleted).toBeFalsy();
    expect((await del.pollUntilDone()).name).toBe('slow');
    const rec = await secrets.beginRecoverDeletedSecret('slow', POLL);
    expect(rec.getOperationState().isCompleted).toBeFalsy();
    await rec.pollUntilDone();
    expect((await secrets.getSecret('slow')).value).toBe('v');
  });
});

describe('subject alternative names: IP addresses and URIs (real SDK)', () => {
  let sb: TestSandbox;
  let client: CertificateClient;

  beforeAll(async () => {
    sb = await startTestSandbox();
    client = await certificateClient(sb);
  });
  afterAll(async () => {
    await sb?.close();
  });

  async function created(name: string, sans: Record<string, string[]>) {
    const poller = await client.beginCreateCertificate(
      name,
      { issuerName: 'Self', subject: 'cn=MyCert', subjectAlternativeNames: sans as never },
      POLL,
    );
    await poller.pollUntilDone();
    const cert = await client.getCertificate(name);
    return { policy: cert.policy!.subjectAlternativeNames, x509: new X509Certificate(cert.cer!).subjectAltName };
  }

  it('a policy with only IP addresses keeps them, and the certificate carries them (IPv4 and IPv6)', async () => {
    const got = await created('san-ip', { ipAddresses: ['10.0.0.1', '::1'] });
    expect(got.policy?.ipAddresses).toEqual(['10.0.0.1', '::1']);
    expect(got.x509).toBe('IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });

  it('a policy with only URIs keeps them, and the certificate carries them', async () => {
    const got = await created('san-uri', { uniformResourceIdentifiers: ['https://example.com'] });
    expect(got.policy?.uniformResourceIdentifiers).toEqual(['https://example.com']);
    expect(got.x509).toBe('URI:https://example.com');
  });

  it('all SAN kinds together, in the certificate as in the policy', async () => {
    const got = await created('san-all', {
      emails: ['test@example.com'],
      dnsNames: ['example.com'],
      ipAddresses: ['10.0.0.1', '192.168.1.1'],
      uniformResourceIdentifiers: ['https://example.com', 'https://contoso.com'],
    });
    expect(got.policy).toMatchObject({
      emails: ['test@example.com'],
      dnsNames: ['example.com'],
      ipAddresses: ['10.0.0.1', '192.168.1.1'],
      uniformResourceIdentifiers: ['https://example.com', 'https://contoso.com'],
    });
    expect(got.x509?.split(', ').sort()).toEqual(
      [
        'DNS:example.com',
        'email:test@example.com',
        'URI:https://example.com',
        'URI:https://contoso.com',
        'IP Address:10.0.0.1',
        'IP Address:192.168.1.1',
      ].sort(),
    );
  });

  it('an imported certificate with IP and URI SANs has them in its policy', async () => {
    const { pfx } = opensslPfx({ password: 'pw', san: 'IP:10.1.2.3,IP:::1,URI:https://contoso.sandbox/x' });
    const cert = await client.importCertificate('imported-sans', pfx, { password: 'pw' });
    expect(cert.policy?.subjectAlternativeNames).toMatchObject({
      ipAddresses: ['10.1.2.3', '::1'],
      uniformResourceIdentifiers: ['https://contoso.sandbox/x'],
    });
  });

  it('refuses an IP address SAN that is not an address', async () => {
    const e = await restError(
      client.beginCreateCertificate(
        'san-bad',
        { issuerName: 'Self', subject: 'cn=MyCert', subjectAlternativeNames: { ipAddresses: ['10.0.0.300'] } },
        POLL,
      ),
    );
    expect([e.statusCode, e.code]).toEqual([400, 'BadParameter']);
  });
});
