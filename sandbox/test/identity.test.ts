import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { OnBehalfOfCredential } from '@azure/identity';
import { apiToken, decodeJwt, raw, startTestSandbox, type TestSandbox } from './helpers';

describe('identity: discovery, authorize + PKCE, code/refresh/client-credentials grants, OBO with a certificate', () => {
  let sb: TestSandbox;
  const redirectUri = 'http://localhost:3000/redirect';

  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb?.close();
  });

  const tokenUrl = () => `${sb.endpoints.identity.authority}/oauth2/v2.0/token`;
  const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    raw(sb.agent, url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });

  it('serves the OIDC discovery document and JWKS', async () => {
    const d = (await raw(sb.agent, `${sb.endpoints.identity.authority}/v2.0/.well-known/openid-configuration`)).json();
    expect(d.issuer).toBe(sb.endpoints.identity.issuer);
    expect(d.token_endpoint).toBe(tokenUrl());
    expect(d.authorization_endpoint).toBe(`${sb.endpoints.identity.authority}/oauth2/v2.0/authorize`);
    expect(d.jwks_uri).toBe(sb.endpoints.identity.jwksUri);
    const pre = await raw(sb.agent, tokenUrl(), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });

  it('returns id_token / refresh_token / client_info only when asked (openid, offline_access, client_info=1)', async () => {
    const bare = (
      await post(tokenUrl(), {
        grant_type: 'password',
        client_id: sb.endpoints.identity.publicClientId,
        username: 'reader@contoso.sandbox',
        password: 'Sandbox-Passw0rd!',
        scope: sb.endpoints.app.apiScope,
      })
    ).json();
    expect(bare.access_token).toBeTruthy();
    expect([bare.id_token, bare.refresh_token, bare.client_info]).toEqual([undefined, undefined, undefined]);
    expect(bare).toMatchObject({ token_type: 'Bearer', scope: sb.endpoints.app.apiScope });
    const full = (
      await post(tokenUrl(), {
        grant_type: 'password',
        client_id: sb.endpoints.identity.publicClientId,
        username: 'reader@contoso.sandbox',
        password: 'Sandbox-Passw0rd!',
        scope: `${sb.endpoints.app.apiScope} openid offline_access`,
        client_info: '1',
      })
    ).json();
    expect(full.id_token && full.refresh_token && full.client_info).toBeTruthy();
  });

  async function authorize(username: string, extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({
      client_id: sb.endpoints.identity.publicClientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: `${sb.endpoints.app.apiScope} openid profile offline_access`,
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    const pageRes = await raw(sb.agent, `${sb.endpoints.identity.authority}/oauth2/v2.0/authorize?${q}`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers['content-type']).toContain('text/html');
    const submit = await post(`${sb.endpoints.identity.authority}/oauth2/v2.0/authorize`, {
      ...Object.fromEntries(q),
      username,
    });
    expect(submit.status).toBe(302);
    const loc = new URL(String(submit.headers.location));
    return { page: pageRes.text, loc, verifier, code: loc.searchParams.get('code')! };
  }

  it('authorize shows a persona picker and redirects back with a code; the code + verifier give tokens', async () => {
    const { page, loc, verifier, code } = await authorize('certs@contoso.sandbox');
    expect(page).toContain('Ada Admin');
    expect(page).toContain('Cole Certs');
    expect(page).toContain('Rita Reader');
    expect(loc.origin + loc.pathname).toBe(redirectUri);
    expect(loc.searchParams.get('state')).toBe('st-1');
    const res = await post(
      tokenUrl(),
      {
        grant_type: 'authorization_code',
        client_id: sb.endpoints.identity.publicClientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_info: '1',
      },
      { origin: 'http://localhost:3000' },
    );
    expect(res.status).toBe(200);
    const body = res.json();
    expect(decodeJwt(body.access_token)).toMatchObject({
      aud: sb.endpoints.app.clientId,
      scp: 'user_impersonation',
      preferred_username: 'certs@contoso.sandbox',
    });
    expect(decodeJwt(body.id_token)).toMatchObject({
      aud: sb.endpoints.identity.publicClientId,
      nonce: 'n-1',
      name: 'Cole Certs',
    });
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({
      uid: '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002',
      utid: sb.endpoints.identity.tenantId,
    });
    // single use
    const again = await post(tokenUrl(), {
      grant_type: 'authorization_code',
      client_id: sb.endpoints.identity.publicClientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(again.json().error_codes).toEqual([70008]);
    // refresh token grant
    const refreshed = await post(tokenUrl(), {
      grant_type: 'refresh_token',
      client_id: sb.endpoints.identity.publicClientId,
      refresh_token: body.refresh_token,
      scope: sb.endpoints.app.apiScope,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.json().access_token).preferred_username).toBe('certs@contoso.sandbox');
  });

  it('rejects a wrong PKCE verifier and a foreign redirect URI', async () => {
    const { code } = await authorize('reader@contoso.sandbox');
    const res = await post(tokenUrl(), {
      grant_type: 'authorization_code',
      client_id: sb.endpoints.identity.publicClientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: 'wrong',
    });
    expect([res.status, res.json().error, res.json().error_codes]).toEqual([400, 'invalid_grant', [501481]]);
    const bad = await raw(
      sb.agent,
      `${sb.endpoints.identity.authority}/oauth2/v2.0/authorize?client_id=${sb.endpoints.identity.publicClientId}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('AADSTS50011');
  });

  it('works with msal-node PublicClientApplication (auth code + PKCE)', async () => {
    const pca = new PublicClientApplication({
      auth: {
        clientId: sb.endpoints.identity.publicClientId,
        authority: sb.endpoints.identity.authority,
        knownAuthorities: [`localhost:${sb.port}`],
      },
    });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = [sb.endpoints.app.apiScope];
    const url = new URL(
      await pca.getAuthCodeUrl({
        scopes,
        redirectUri,
        codeChallenge: pkce.challenge,
        codeChallengeMethod: 'S256',
        state: 'abc',
      }),
    );
    const submit = await post(`${url.origin}${url.pathname}`, {
      ...Object.fromEntries(url.searchParams),
      username: 'admin@contoso.sandbox',
    });
    const loc = new URL(String(submit.headers.location));
    const result = await pca.acquireTokenByCode({
      code: loc.searchParams.get('code')!,
      scopes,
      redirectUri,
      codeVerifier: pkce.verifier,
      state: 'abc',
    });
    expect(result.account?.username).toBe('admin@contoso.sandbox');
    expect(result.account?.homeAccountId).toBe(
      `4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001.${sb.endpoints.identity.tenantId}`,
    );
    expect(decodeJwt(result.accessToken).aud).toBe(sb.endpoints.app.clientId);
  });

  it('client credentials and OBO with a client certificate assertion (msal-node and @azure/identity)', async () => {
    const cc = await post(tokenUrl(), {
      grant_type: 'client_credentials',
      client_id: sb.endpoints.app.clientId,
      client_secret: sb.endpoints.app.clientSecret,
      scope: 'https://vault.azure.net/.default',
    });
    expect(decodeJwt(cc.json().access_token)).toMatchObject({ aud: 'https://vault.azure.net', idtyp: 'app' });
    const userToken = await apiToken(sb, 'reader@contoso.sandbox');
    const certificatePath = sb.endpoints.app.certificateFile!;
    const options = {
      tenantId: sb.endpoints.identity.tenantId,
      clientId: sb.endpoints.app.clientId,
      certificatePath,
      userAssertionToken: userToken,
      authorityHost: sb.endpoints.identity.authorityHost,
      disableInstanceDiscovery: true,
    };
    const obo = new OnBehalfOfCredential(options);
    const t = await obo.getToken('https://management.azure.com/.default');
    expect(decodeJwt(t.token)).toMatchObject({
      aud: 'https://management.azure.com',
      preferred_username: 'reader@contoso.sandbox',
    });
    const pem = (await import('node:fs')).readFileSync(certificatePath, 'utf8');
    const { X509Certificate } = await import('node:crypto');
    const x = new X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: sb.endpoints.app.clientId,
        authority: sb.endpoints.identity.authority,
        knownAuthorities: [`localhost:${sb.port}`],
        clientCertificate: {
          thumbprintSha256: x.fingerprint256.replace(/:/g, ''),
          privateKey: pem.slice(0, pem.indexOf('-----BEGIN CERTIFICATE-----')),
        },
      },
    });
    const r = await cca.acquireTokenOnBehalfOf({
      oboAssertion: userToken,
      scopes: ['https://vault.azure.net/.default'],
    });
    expect(decodeJwt(r!.accessToken).aud).toBe('https://vault.azure.net');
  });

  it('OBO refuses an assertion that is not for our API, and a wrong client secret', async () => {
    const userToken = await apiToken(sb);
    const armToken = (
      await post(tokenUrl(), {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: sb.endpoints.app.clientId,
        client_secret: sb.endpoints.app.clientSecret,
        assertion: userToken,
        scope: 'https://management.azure.com/.default',
      })
    ).json().access_token;
    const wrongAud = await post(tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: sb.endpoints.app.clientId,
      client_secret: sb.endpoints.app.clientSecret,
      assertion: armToken,
      scope: 'https://vault.azure.net/.default',
    });
    expect([wrongAud.status, wrongAud.json().error, wrongAud.json().error_codes]).toEqual([
      400,
      'invalid_grant',
      [50013],
    ]);
    const badSecret = await post(tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: sb.endpoints.app.clientId,
      client_secret: 'nope',
      assertion: userToken,
      scope: 'https://vault.azure.net/.default',
    });
    expect([badSecret.status, badSecret.json().error, badSecret.json().error_codes]).toEqual([
      401,
      'invalid_client',
      [7000215],
    ]);
    const badScope = await post(tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: sb.endpoints.app.clientId,
      client_secret: sb.endpoints.app.clientSecret,
      assertion: userToken,
      scope: 'https://storage.azure.com/.default',
    });
    expect(badScope.json().error_codes).toEqual([500011]);
  });
});
