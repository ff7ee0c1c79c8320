import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '@/lib/testing/sandbox-process';
import { sandboxToken } from '@/lib/testing/sign-in.test-support';

// The real route handlers, the real Azure SDKs and the real on-behalf-of credential against the sandbox (as a
// process), with its fault switches: an identity-provider outage and slow or throttling upstreams.

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
let sb: SandboxProcess;
let token = '';

const { GET: listVaults } = await import('@/app/api/subscriptions/[subscriptionId]/vaults/route');

async function vaults(bearer = token) {
  const response = await listVaults(
    new Request(`http://localhost/api/subscriptions/${PROD}/vaults`, {
      headers: { authorization: `Bearer ${bearer}` },
    }),
    { params: Promise.resolve({ subscriptionId: PROD }) },
  );
  const body = (await response.json()) as {
    error?: { code: string; reason?: string; message: string; action: string; retryAfter?: number };
  };
  return { status: response.status, error: body.error };
}

beforeAll(async () => {
  sb = await startSandboxProcess();
  vi.stubEnv('SANDBOX_STATE_DIR', sb.stateDir);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
  token = await sandboxToken('admin@contoso.sandbox');
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await sb?.stop();
});
beforeEach(async () => {
  await sb.faults.clear();
  vi.stubEnv('AZURE_TIMEOUT_SECONDS', '3');
});

describe('identity-provider outage during the on-behalf-of exchange', () => {
  it('503s from the token endpoint read as an outage (retry later), not as a consent or sign-in problem', async () => {
    const fresh = await sandboxToken('reader@contoso.sandbox'); // a token never exchanged: the exchange must happen now
    await sb.faults.add({ area: 'identity', path: 'oauth2/v2.0/token$', status: 503, retryAfter: 0, count: 50 });
    const r = await vaults(fresh);
    expect(r.status).toBe(502);
    expect(r.error).toMatchObject({ code: 'azure_unavailable', reason: 'IdentityProviderUnavailable' });
    expect(r.error?.message).toMatch(/Microsoft Entra ID/);
    expect(`${r.error?.message} ${r.error?.action}`).not.toMatch(/consent|sign in again/i);
    await sb.faults.clear();
    // Once it is over, a sign-in works. (MSAL itself holds back the same exchange for a while after a 5xx, and says
    // so with the same outage answer, never a consent one.)
    const again = await vaults(fresh);
    if (again.status !== 200) expect(again.error).toMatchObject({ reason: 'IdentityProviderUnavailable' });
    expect((await vaults(await sandboxToken('reader@contoso.sandbox'))).status).toBe(200);
  });

  it('a token endpoint that does not answer is an outage too, bounded by the timeout', async () => {
    const fresh = await sandboxToken('certs@contoso.sandbox');
    await sb.faults.add({ area: 'identity', path: 'oauth2/v2.0/token$', delayMs: 120_000, count: 5 });
    const r = await vaults(fresh);
    expect(r.status).toBe(502);
    expect(r.error).toMatchObject({ code: 'azure_unavailable' });
    expect(r.error?.reason).toMatch(/^(IdentityProviderUnavailable|UpstreamTimeout)$/);
    expect(r.error?.message).not.toMatch(/consent/i);
  });

  it('a refusal by the identity provider still reads as one (401 for an invalid grant)', async () => {
    const r = await vaults('eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
    expect(r.status).toBe(401);
    expect(r.error?.code).toBe('reauth_required');
  });
});

describe('every Azure call is bounded', () => {
  it('150 s of ARM latency is not waited out: the call ends at the timeout and says so', async () => {
    expect((await vaults()).status).toBe(200); // the exchange is done and cached before the fault
    await sb.faults.add({ area: 'arm', method: 'GET', path: 'Microsoft.KeyVault/vaults$', delayMs: 150_000 });
    const r = await vaults();
    expect(r.status).toBe(502);
    expect(r.error).toMatchObject({ code: 'azure_unavailable', reason: 'UpstreamTimeout' });
    expect(r.error?.message).toContain('3 seconds');
  });

  it('a Retry-After of 45 s is not waited out: throttled at once, with the wait Azure asked for', async () => {
    expect((await vaults()).status).toBe(200);
    await sb.faults.add({
      area: 'arm',
      method: 'GET',
      path: 'Microsoft.KeyVault/vaults$',
      status: 429,
      retryAfter: 45,
    });
    const r = await vaults();
    expect(r.status).toBe(429);
    expect(r.error).toMatchObject({ code: 'throttled', reason: 'RetryAfterTooLong', retryAfter: 45 });
    expect(r.error?.action).toContain('45 seconds');
    const hits = (await sb.faults.list()).map((rule) => rule.hits);
    expect(hits).toEqual([1]); // asked once, no retry after a wait
  });
});
