import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateClient } from '@azure/keyvault-certificates';
import { RestError } from '@azure/core-rest-pipeline';
import { certificateClient, startTestSandbox, type TestSandbox } from './helpers';

// Issue 12 item 2: a self-signed create completes in the background (no poll needed), and cancelling an operation
// that is no longer in progress is Key Vault's 403 "Pending status must be in progress to allow update.".

describe('pending certificate operations (real SDK)', () => {
  let sb: TestSandbox;
  let client: CertificateClient;
  const before = process.env.SANDBOX_CREATE_DELAY_MS;

  beforeAll(async () => {
    process.env.SANDBOX_CREATE_DELAY_MS = '3000';
    sb = await startTestSandbox();
    client = await certificateClient(sb);
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.SANDBOX_CREATE_DELAY_MS;
    else process.env.SANDBOX_CREATE_DELAY_MS = before;
    await sb?.close();
  });

  it('an unpolled create is issued once its time has come; a second create of the name then starts anew', async () => {
    const poller = await client.beginCreateCertificate('unpolled', { issuerName: 'Self', subject: 'CN=unpolled' });
    poller.stopPolling();
    expect((await client.getCertificateOperation('unpolled')).getOperationState().certificateOperation?.status).toBe(
      'inProgress',
    );
    await new Promise((r) => setTimeout(r, 3200));
    const cert = await client.getCertificate('unpolled');
    expect(cert.properties.x509Thumbprint?.length).toBe(20);
    const again = await client.beginCreateCertificate('unpolled', { issuerName: 'Self', subject: 'CN=again' });
    again.stopPolling();
    expect((await client.getCertificateOperation('unpolled')).getOperationState().certificateOperation?.status).toBe(
      'inProgress',
    );
  });

  it('cancelling a completed operation is refused with 403', async () => {
    const poller = await client.beginCreateCertificate(
      'done',
      { issuerName: 'Self', subject: 'CN=done' },
      {
        intervalInMs: 50,
      },
    );
    await poller.pollUntilDone();
    expect((await client.getCertificate('done')).properties.enabled).toBe(true);
    const op = await client.getCertificateOperation('done');
    const e = (await op.cancelOperation().catch((x: unknown) => x)) as RestError;
    expect([e.statusCode, e.message]).toEqual([403, 'Pending status must be in progress to allow update.']);
  });
});
