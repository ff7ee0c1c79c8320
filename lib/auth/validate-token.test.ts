import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import type { ServerConfig } from '@/lib/config';
import { acceptedAudiences, authenticate } from './validate-token';
import { b64url, CLIENT_ID, OTHER_TENANT, startTestIssuer, TENANT, USER_OID, type TestIssuer } from './testing/issuer';

let issuer: TestIssuer;
let config: ServerConfig;

beforeAll(async () => {
  issuer = await startTestIssuer();
  config = {
    mode: 'azure',
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: 'unused',
    authorityHost: issuer.authorityHost,
    issuer: `${issuer.authorityHost}/${TENANT}/v2.0`,
    jwksUri: issuer.jwksUri,
    apiScope: `api://${CLIENT_ID}/user_impersonation`,
    armEndpoint: 'https://management.azure.com',
    armAudience: 'https://management.azure.com',
    keyVaultAudience: 'https://vault.azure.net',
    keyVaultDnsSuffix: 'vault.azure.net',
  };
});
afterAll(() => issuer.close());

async function rejects(token: string, cfg: ServerConfig = config): Promise<AppError> {
  const error = await authenticate(`Bearer ${token}`, cfg).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('reauth_required');
  expect(appError.status).toBe(401);
  expect(appError.action).toBeTruthy();
  return appError;
}

const now = () => Math.floor(Date.now() / 1000);

describe('authenticate: accepted tokens', () => {
  it('accepts a v2 token (aud = client id, iss = {authority}/{tid}/v2.0)', async () => {
    const p = await authenticate(`Bearer ${await issuer.mint()}`, config);
    expect(p).toMatchObject({ oid: USER_OID, tid: TENANT, name: 'Ada Admin', username: 'ada@contoso.example' });
    expect(p.expiresAt).toBeGreaterThan(Date.now());
  });

  it('accepts a v1 token in Azure mode (iss = https://sts.windows.net/{tid}/, aud = api://{clientId}, upn)', async () => {
    const p = await authenticate(`Bearer ${await issuer.mint({}, { ver: '1.0' })}`, config);
    expect(p).toMatchObject({ oid: USER_OID, tid: TENANT, username: 'ada@contoso.example' });
  });

  it('accepts a v1 token whose aud is the client id', async () => {
    await expect(
      authenticate(`Bearer ${await issuer.mint({ aud: CLIENT_ID }, { ver: '1.0' })}`, config),
    ).resolves.toMatchObject({ oid: USER_OID });
  });

  it('accepts tokens within the 60 s clock skew', async () => {
    await expect(
      authenticate(`Bearer ${await issuer.mint({ nbf: now() + 30, exp: now() - 30 + 3600 })}`, config),
    ).resolves.toBeTruthy();
    await expect(authenticate(`Bearer ${await issuer.mint({ exp: now() - 30 })}`, config)).resolves.toBeTruthy();
  });

  it('accepts a user of an allow-listed second tenant', async () => {
    const multi = { ...config, allowedTenantIds: [TENANT, OTHER_TENANT] };
    await expect(authenticate(`Bearer ${await issuer.mint({ tid: OTHER_TENANT })}`, multi)).resolves.toMatchObject({
      tid: OTHER_TENANT,
    });
  });

  it('accepts the App ID URI of a custom API scope as audience', () => {
    expect(
      acceptedAudiences({ ...config, apiScope: 'https://api.contoso.example/wizard/user_impersonation' }),
    ).toContain('https://api.contoso.example/wizard');
  });
});

describe('authenticate: every failure is reauth_required (401)', () => {
  it('no header, another scheme, garbage', async () => {
    for (const header of [
      null,
      '',
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer not-a-jwt',
      `Bearer ${'a'.repeat(20)}`,
      'bearer a.b.c d',
    ]) {
      const error = await authenticate(header, config).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('reauth_required');
    }
  });

  it('wrong audience', async () => {
    await rejects(await issuer.mint({ aud: '00000000-0000-0000-0000-000000000001' }));
    await rejects(await issuer.mint({ aud: 'https://management.azure.com' }));
  });

  it('a v2 token with the App ID URI as audience (v2 tokens always carry the client id)', async () => {
    expect((await rejects(await issuer.mint({ aud: `api://${CLIENT_ID}` }))).reason).toBe('audience-mismatch');
  });

  it('wrong issuer', async () => {
    await rejects(await issuer.mint({ iss: `https://evil.example/${TENANT}/v2.0` }));
    await rejects(await issuer.mint({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0/` }));
  });

  it('a v1 issuer on a v2 token, and a v2 issuer on a v1 token', async () => {
    expect((await rejects(await issuer.mint({ iss: `https://sts.windows.net/${TENANT}/` }))).reason).toBe(
      'issuer-mismatch',
    );
    expect(
      (await rejects(await issuer.mint({ iss: `${issuer.authorityHost}/${TENANT}/v2.0` }, { ver: '1.0' }))).reason,
    ).toBe('issuer-mismatch');
  });

  it('a v1 token in sandbox mode (the sandbox issues v2 only)', async () => {
    await rejects(await issuer.mint({}, { ver: '1.0' }), { ...config, mode: 'sandbox' });
  });

  it('wrong tenant (tid and issuer of a tenant not on the allow-list)', async () => {
    expect((await rejects(await issuer.mint({ tid: OTHER_TENANT }))).reason).toBe('claim-iss');
  });

  it('a tid that does not match the issuer tenant', async () => {
    const multi = { ...config, allowedTenantIds: [TENANT, OTHER_TENANT] };
    expect(
      (await rejects(await issuer.mint({ tid: OTHER_TENANT, iss: `${issuer.authorityHost}/${TENANT}/v2.0` }), multi))
        .reason,
    ).toBe('issuer-mismatch');
    expect(
      (await rejects(await issuer.mint({ tid: OTHER_TENANT, iss: `${issuer.authorityHost}/${TENANT}/v2.0` }))).reason,
    ).toBe('tenant-not-allowed');
  });

  it('expired', async () => {
    expect((await rejects(await issuer.mint({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 120 }))).reason).toBe(
      'token-expired',
    );
  });

  it('not yet valid', async () => {
    expect((await rejects(await issuer.mint({ nbf: now() + 600 }))).reason).toBe('claim-nbf');
  });

  it('missing exp, nbf, oid or tid', async () => {
    for (const claim of ['exp', 'nbf', 'oid', 'tid']) await rejects(await issuer.mint({ [claim]: undefined }));
  });

  it('alg: none', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${(await issuer.mint()).split('.')[1]}.`;
    await rejects(token);
  });

  it('unsigned (RS256 header, empty or stripped signature)', async () => {
    const [h, p] = (await issuer.mint()).split('.');
    await rejects(`${h}.${p}.`);
    await rejects(`${h}.${p}.${b64url('not a signature')}`);
  });

  it('a payload altered after signing', async () => {
    const [h, , s] = (await issuer.mint()).split('.');
    const forged = {
      ...JSON.parse(Buffer.from((await issuer.mint()).split('.')[1]!, 'base64url').toString()),
      oid: 'someone-else',
    };
    await rejects(`${h}.${b64url(forged)}.${s}`);
  });

  it('signed by an unknown key (same kid, and an unknown kid)', async () => {
    await rejects(await issuer.mint({}, { key: issuer.rogueKey }));
    await rejects(await issuer.mint({}, { key: issuer.rogueKey, header: { kid: 'unknown-kid' } }));
  });

  it('HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const payload = (await issuer.mint()).split('.')[1]!;
    for (const secret of [JSON.stringify(issuer.publicJwk), issuer.publicJwk.n ?? '']) {
      const header = b64url({ alg: 'HS256', typ: 'JWT', kid: 'test-key-1' });
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect((await rejects(`${header}.${payload}.${sig}`)).reason).toBe('alg-not-allowed');
    }
  });

  it('other asymmetric algorithms are not on the allow-list (PS256 header)', async () => {
    const [, p, s] = (await issuer.mint()).split('.');
    await rejects(`${b64url({ alg: 'PS256', typ: 'JWT', kid: 'test-key-1' })}.${p}.${s}`);
  });

  it('missing scope, or only another scope, or roles instead of scp (app-only token)', async () => {
    expect((await rejects(await issuer.mint({ scp: undefined }))).reason).toBe('scope-missing');
    expect((await rejects(await issuer.mint({ scp: 'User.Read openid' }))).reason).toBe('scope-missing');
    await rejects(await issuer.mint({ scp: undefined, roles: ['user_impersonation'] }));
  });

  it('an empty oid', async () => {
    await rejects(await issuer.mint({ oid: '' }));
  });
});

describe('authenticate: a validated token is remembered until its exp, for the same settings only', () => {
  it('the same token again gives the same (frozen) principal', async () => {
    const token = await issuer.mint();
    const first = await authenticate(`Bearer ${token}`, config);
    const again = await authenticate(`Bearer ${token}`, { ...config });
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('settings that would refuse it (another client id, another tenant list) validate it in full again', async () => {
    const token = await issuer.mint();
    await authenticate(`Bearer ${token}`, config);
    expect((await rejects(token, { ...config, clientId: '00000000-0000-4000-8000-000000000000' })).reason).toBe(
      'claim-aud',
    );
    expect(
      (await rejects(token, { ...config, tenantId: OTHER_TENANT, allowedTenantIds: [OTHER_TENANT] })).reason,
    ).toMatch(/issuer|tenant|claim-iss/);
  });

  it('a remembered token past its exp (and the 60 s skew) is refused', async () => {
    const token = await issuer.mint({ exp: Math.floor(Date.now() / 1000) + 120 });
    await authenticate(`Bearer ${token}`, config);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      expect((await rejects(token)).reason).toBe('token-expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failing token is never remembered', async () => {
    const bad = await issuer.mint({ scp: 'openid' });
    expect((await rejects(bad)).reason).toBe('scope-missing');
    expect((await rejects(bad)).reason).toBe('scope-missing');
  });
});
