import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, opensslPfx, raw, startTestSandbox, type TestSandbox } from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';

describe('fault injection and strictness', () => {
  let sb: TestSandbox;
  let client: CertificateClient;
  let kv: KeyVaultManagementClient;
  let pfx: ReturnType<typeof opensslPfx>;
  let kvToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    client = new CertificateClient(`https://kv-contoso-prod.vault.localhost:${sb.port}/`, cred, {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
      retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 50 },
    } as never);
    kv = new KeyVaultManagementClient(cred, PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
      retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 50 },
    });
    pfx = opensslPfx({ password: 'pw' });
    await client.importCertificate('faulty', pfx.pfx, { password: 'pw' });
    kvToken = (await cred.getToken('https://vault.azure.net/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });

  const control = (method: string, body?: unknown, q = '') =>
    raw(sb.agent, `${sb.endpoints.arm.endpoint}/_sandbox/faults${q}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('429 with Retry-After is retried by the SDK; the rule counts down', async () => {
    await control('DELETE');
    const added = (
      await control('POST', {
        area: 'vault',
        method: 'GET',
        path: '^/certificates/faulty',
        status: 429,
        retryAfter: 0,
        count: 2,
      })
    ).json();
    expect(added.rules[0]).toMatchObject({ status: 429, count: 2 });
    const c = await client.getCertificate('faulty');
    expect(c.name).toBe('faulty');
    const rules = (await control('GET')).json().rules;
    expect(rules[0]).toMatchObject({ count: 0, hits: 2 });
  });

  it("429 without Retry-After surfaces at once as Key Vault's Throttled error", async () => {
    await control('DELETE');
    await control('POST', {
      area: 'kv-contoso-prod',
      path: '^/certificates/faulty',
      status: 429,
      retryAfter: null,
      count: 1,
    });
    const e = (await client.getCertificate('faulty').catch((x: unknown) => x)) as RestError;
    expect([e.statusCode, e.code]).toEqual([429, 'Throttled']);
    expect(e.message).toBe(
      'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
    );
  });

  it('503 on ARM is retried; latency is added; a dropped connection is retried', async () => {
    await control('DELETE');
    await control('POST', {
      rules: [
        { area: 'arm', method: 'GET', path: '/vaults/kv-contoso-prod$', status: 503, retryAfter: 0, count: 1 },
        { area: 'arm', method: 'GET', path: '/vaults/kv-contoso-rbac$', delayMs: 300, count: 1 },
        { area: 'vault', method: 'GET', path: '^/certificates/faulty', drop: true, count: 1 },
      ],
    });
    expect((await kv.vaults.get('rg-cses-prod', 'kv-contoso-prod')).name).toBe('kv-contoso-prod');
    const t0 = Date.now();
    await kv.vaults.get('rg-cses-prod', 'kv-contoso-rbac');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect((await client.getCertificate('faulty')).name).toBe('faulty');
    const rules = (await control('GET')).json().rules;
    expect(rules.map((r: { hits: number }) => r.hits)).toEqual([1, 1, 1]);
  });

  it('a rule without count counts its hits live and writes them to faults.json soon after, not per request', async () => {
    await control('DELETE');
    await control('POST', { area: 'vault', method: 'GET', path: '^/certificates/faulty', delayMs: 1 });
    for (let i = 0; i < 3; i++) await client.getCertificate('faulty');
    expect((await control('GET')).json().rules[0]).toMatchObject({ hits: 3 });
    const onDisk = () => JSON.parse(readFileSync(join(sb.stateDir, 'faults.json'), 'utf8')).rules[0]?.hits;
    for (let i = 0; i < 50 && onDisk() !== 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(onDisk()).toBe(3);
    await control('DELETE');
  });

  it('dropAfter stores the import and loses the answer: the SDK retries the POST and a second version is stored', async () => {
    await control('DELETE');
    await control('POST', { area: 'vault', method: 'POST', path: '/import$', dropAfter: true, count: 1 });
    const name = 'twice';
    const imported = await client.importCertificate(name, pfx.pfx, { password: 'pw' });
    const versions = [];
    for await (const v of client.listPropertiesOfCertificateVersions(name)) versions.push(v);
    expect(versions).toHaveLength(2);
    expect(new Set(versions.map((v) => v.x509ThumbprintString))).toEqual(
      new Set([imported.properties.x509ThumbprintString]),
    );
    expect((await control('GET')).json().rules[0]).toMatchObject({ count: 0, hits: 1 });
  });

  it('rules can come from faults.json in the state dir', async () => {
    await control('DELETE');
    writeFileSync(
      join(sb.stateDir, 'faults.json'),
      JSON.stringify({
        rules: [{ area: 'identity', path: 'oauth2/v2.0/token$', status: 503, retryAfter: null, count: 1 }],
      }),
    );
    const res = await raw(sb.agent, `${sb.endpoints.identity.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: 'grant_type=password',
    });
    expect(res.status).toBe(503);
    expect(res.json().error).toBe('temporarily_unavailable');
    await control('DELETE');
  });

  it('Key Vault strictness: unknown api-version, missing api-version, unknown operation (501 naming method and path)', async () => {
    const h = { authorization: `Bearer ${kvToken}` };
    const origin = `https://kv-contoso-prod.vault.localhost:${sb.port}`;
    const v = await raw(sb.agent, `${origin}/certificates/faulty/?api-version=2099-01-01`, { headers: h });
    expect([v.status, v.json().error.code]).toEqual([400, 'BadParameter']);
    expect(v.json().error.message).toBe(
      'The specified version (2099-01-01) is not recognized. Consider using the latest supported version (2025-07-01).',
    );
    const m = await raw(sb.agent, `${origin}/certificates/faulty/`, { headers: h });
    expect(m.status).toBe(400);
    const n = await raw(sb.agent, `${origin}/keys/faulty?api-version=7.5`, { headers: h });
    expect(n.status).toBe(501);
    expect(n.json().error.message).toContain('GET /keys/faulty');
    const unknownVault = await raw(
      sb.agent,
      `https://kv-nope.vault.localhost:${sb.port}/certificates?api-version=7.5`,
      { headers: h },
    );
    expect(unknownVault.status).toBe(404);
  });

  it('POST /_sandbox/reset puts the seed back', async () => {
    const r = await raw(sb.agent, `${sb.endpoints.arm.endpoint}/_sandbox/reset`, { method: 'POST' });
    expect(r.status).toBe(200);
    const e = (await client.getCertificate('faulty').catch((x: unknown) => x)) as RestError;
    expect(e.statusCode).toBe(404);
  });
});
