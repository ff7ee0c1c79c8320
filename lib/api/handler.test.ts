import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_ID, OTHER_TENANT, startTestIssuer, TENANT, b64url, type TestIssuer } from '@/lib/auth/testing/issuer';

// The Azure side is replaced by spies: any token exchange or Azure call would show up here.
const azure = vi.hoisted(() => ({
  oboCredential: vi.fn(() => ({ getToken: vi.fn() })),
  listSubscriptions: vi.fn(async () => [{ subscriptionId: 's', displayName: 'S', state: 'Enabled' }]),
}));
vi.mock('@/lib/azure/credentials', () => ({
  oboCredential: azure.oboCredential,
  userScope: (credential: object) => credential,
}));
vi.mock('@/lib/azure/subscriptions', () => ({ listSubscriptions: azure.listSubscriptions }));

const { GET } = await import('@/app/api/subscriptions/route');

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());
beforeEach(() => {
  vi.unstubAllEnvs();
  vi.stubEnv('AZURE_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  vi.stubEnv('AZURE_CLIENT_SECRET', 'test-secret');
  vi.stubEnv('AZURE_AUTHORITY_HOST', issuer.authorityHost);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '1000');
  azure.oboCredential.mockClear();
  azure.listSubscriptions.mockClear();
});

const ctx = { params: Promise.resolve({}) };
function call(token: string | null, headers: Record<string, string> = {}) {
  return GET(
    new Request('http://localhost/api/subscriptions', {
      headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...headers },
    }),
    ctx,
  );
}

async function expect401NoAzure(response: Response) {
  expect(response.status).toBe(401);
  const body = (await response.json()) as { error: { code: string; message: string; action: string } };
  expect(body.error.code).toBe('reauth_required');
  expect(body.error.message).toBeTruthy();
  expect(body.error.action).toBeTruthy();
  expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|JWS|JWT|jose/i);
  expect(azure.oboCredential).not.toHaveBeenCalled();
  expect(azure.listSubscriptions).not.toHaveBeenCalled();
}

const now = () => Math.floor(Date.now() / 1000);

describe('withUser: a rejected token gets 401 and makes no Azure call', () => {
  const cases: Array<[string, () => Promise<string | null>]> = [
    ['no token', async () => null],
    ['wrong audience', () => issuer.mint({ aud: '00000000-0000-4000-8000-000000000000' })],
    ['wrong issuer', () => issuer.mint({ iss: `https://login.evil.example/${TENANT}/v2.0` })],
    ['wrong tenant', () => issuer.mint({ tid: OTHER_TENANT })],
    ['expired', () => issuer.mint({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 600 })],
    ['not yet valid', () => issuer.mint({ nbf: now() + 3600 })],
    ['alg: none', async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${(await issuer.mint()).split('.')[1]}.`],
    ['unsigned', async () => (await issuer.mint()).replace(/[^.]+$/, '')],
    ['signed by an unknown key', () => issuer.mint({}, { key: issuer.rogueKey })],
    ['missing scope', () => issuer.mint({ scp: 'openid profile' })],
  ];
  for (const [name, token] of cases) {
    it(name, async () => {
      await expect401NoAzure(await call(await token()));
    });
  }

  it('a valid token reaches Azure (control)', async () => {
    const response = await call(await issuer.mint());
    expect(response.status).toBe(200);
    expect(azure.oboCredential).toHaveBeenCalledTimes(1);
    expect(azure.oboCredential.mock.calls[0]).toBeDefined();
    expect(azure.listSubscriptions).toHaveBeenCalledTimes(1);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('withUser: per-user rate limit', () => {
  it('answers 429 with Retry-After in the error shape once a user spends the budget; other users are unaffected', async () => {
    vi.stubEnv('RATE_LIMIT_REQUESTS', '3');
    vi.stubEnv('RATE_LIMIT_WINDOW_SECONDS', '60');
    const ada = await issuer.mint({ oid: '44444444-0000-4000-8000-000000000001' });
    const bob = await issuer.mint({ oid: '44444444-0000-4000-8000-000000000002' });
    for (let i = 0; i < 3; i++) expect((await call(ada)).status).toBe(200);
    const refused = await call(ada);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as {
      error: { code: string; message: string; action: string; retryAfter: number };
    };
    expect(body.error).toMatchObject({ code: 'throttled', reason: 'UserRateLimit', retryAfter });
    expect(body.error.action).toContain(`${retryAfter} seconds`);
    expect(azure.listSubscriptions).toHaveBeenCalledTimes(3);
    expect((await call(bob)).status).toBe(200);
  });

  it('a rejected token does not spend anyone’s budget, and the limit can be switched off', async () => {
    vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
    const token = await issuer.mint({ oid: '44444444-0000-4000-8000-000000000003' });
    for (let i = 0; i < 5; i++) expect((await call(token)).status).toBe(200);
  });
});

describe('withUser: request id', () => {
  it('keeps a sane caller request id and strips anything else', async () => {
    const response = await call(null, { 'x-request-id': 'abc-123<script>"' });
    expect(response.headers.get('x-request-id')).toBe('abc-123script');
    const long = await call(null, { 'x-request-id': 'x'.repeat(500) });
    expect(long.headers.get('x-request-id')).toHaveLength(64);
  });
});

describe('body limits', () => {
  it('refuses a declared body over the limit before any authentication work (no token, no exchange)', async () => {
    const { POST } =
      await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/certificates/[certificateName]/route');
    const response = await POST(
      new Request('http://localhost/api/x', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(12 * 1024 * 1024) },
        body: '--b--',
      }),
      {
        params: Promise.resolve({
          subscriptionId: 's',
          resourceGroup: 'rg',
          vaultName: 'kv-contoso',
          certificateName: 'web',
        }),
      },
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(azure.oboCredential).not.toHaveBeenCalled();
  });

  it('refuses a chunked upload past the limit even without Content-Length, and a declared one up front', async () => {
    const { PATCH } =
      await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/route');
    const token = await issuer.mint();
    const params = {
      params: Promise.resolve({
        subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333',
        resourceGroup: 'rg',
        vaultName: 'kv-contoso',
      }),
    };
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        if (sent > 10 * 1024 * 1024) controller.close();
      },
    });
    const chunked = new Request('http://localhost/api/x', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await PATCH(chunked, params);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(sent).toBeLessThan(1024 * 1024); // stopped reading early
    const declared = new Request('http://localhost/api/x', {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(10 * 1024 * 1024),
      },
      body: '{}',
    });
    expect((await PATCH(declared, params)).status).toBe(413);
  });

  it('refuses a body that is not UTF-8', async () => {
    const { PATCH } =
      await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/route');
    const token = await issuer.mint();
    const params = {
      params: Promise.resolve({
        subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333',
        resourceGroup: 'rg',
        vaultName: 'kv-contoso',
      }),
    };
    const response = await PATCH(
      new Request('http://localhost/api/x', {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      }),
      params,
    );
    expect(response.status).toBe(400);
  });
});

describe('Server-Timing (the bench only)', () => {
  it('with SERVER_TIMING=1 a response names its phases; without, it carries no timing at all', async () => {
    const token = await issuer.mint();
    const plain = await call(token);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('server-timing')).toBeNull();
    vi.stubEnv('SERVER_TIMING', '1');
    const timed = await call(token);
    expect(timed.status).toBe(200);
    const phases = Object.fromEntries(
      (timed.headers.get('server-timing') ?? '').split(', ').map((p) => {
        const [name, dur] = p.split(';dur=');
        return [name, Number(dur)];
      }),
    );
    expect(Object.keys(phases)).toEqual(
      expect.arrayContaining([
        'config',
        'auth',
        'ratelimit',
        'params',
        'body',
        'credential',
        'handler',
        'log',
        'route',
      ]),
    );
    for (const v of Object.values(phases)) expect(v).toBeGreaterThanOrEqual(0);
    expect(phases.route).toBeGreaterThanOrEqual(phases.handler!);
  });
});
