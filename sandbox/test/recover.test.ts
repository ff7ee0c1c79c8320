import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateClient } from '@azure/keyvault-certificates';
import { RestError } from '@azure/core-rest-pipeline';
import { certificateClient, opensslPfx, startTestSandbox, type TestSandbox } from './helpers';

// Issue 17 item 7, the sandbox side: Key Vault refuses to recover what is not deleted (404, "Deleted Certificate not
// found"), while the SDK's recover poller never asks when the certificate exists — which is why the app checks the
// deleted certificate first (lib/azure/certificates.ts recoverCertificate).

describe('recover of a certificate that was never deleted', () => {
  let sb: TestSandbox;
  let client: CertificateClient;

  beforeAll(async () => {
    sb = await startTestSandbox();
    client = await certificateClient(sb);
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('is Key Vault’s 404 CertificateNotFound, for the deleted certificate and for the recover call itself', async () => {
    const pfx = opensslPfx({ password: 'pw' });
    await client.importCertificate('alive', pfx.pfx, { password: 'pw' });
    const e = (await client.getDeletedCertificate('alive').catch((x: unknown) => x)) as RestError;
    expect([e.statusCode, e.code, e.message]).toEqual([
      404,
      'CertificateNotFound',
      'Deleted Certificate not found: alive',
    ]);
    // The SDK's poller short-circuits on a live certificate (no recover request is sent): the app must not rely on it.
    const poller = await client.beginRecoverDeletedCertificate('alive', { intervalInMs: 10 });
    expect((await poller.pollUntilDone()).name).toBe('alive');
  });
});
