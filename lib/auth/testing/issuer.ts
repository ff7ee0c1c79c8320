import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type JWK } from 'jose';

/**
 * Test-only identity provider: an RS256 key pair published as a JWKS on a local HTTP server, and a `mint` that signs
 * Entra-shaped access tokens (v1 or v2) with any claim overridden. Used by token-validation and route-level tests.
 */
export const TENANT = '11111111-2222-4333-8444-555555555555';
export const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';
export const CLIENT_ID = '22222222-3333-4444-8555-666666666666';
export const USER_OID = '33333333-4444-4555-8666-777777777777';

export interface TestIssuer {
  /** `http://127.0.0.1:{port}`: serves `/{tenant}/discovery/v2.0/keys` for every tenant. */
  authorityHost: string;
  jwksUri: string;
  publicJwk: JWK;
  /** Signs a token with the published key; `header` and `claims` override the defaults, `undefined` removes a claim. */
  mint(
    claims?: Record<string, unknown>,
    options?: { header?: Record<string, unknown>; ver?: '1.0' | '2.0'; key?: CryptoKey },
  ): Promise<string>;
  /** A key pair that is not in the JWKS. */
  rogueKey: CryptoKey;
  /** How many times the JWKS was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  let count = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/discovery/v2.0/keys')) {
      count++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const authorityHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function mint(
    claims: Record<string, unknown> = {},
    options: { header?: Record<string, unknown>; ver?: '1.0' | '2.0'; key?: CryptoKey } = {},
  ): Promise<string> {
    const ver = options.ver ?? '2.0';
    const now = Math.floor(Date.now() / 1000);
    const tid = typeof claims.tid === 'string' ? claims.tid : TENANT;
    const base: Record<string, unknown> =
      ver === '2.0'
        ? {
            aud: CLIENT_ID,
            iss: `${authorityHost}/${tid}/v2.0`,
            azp: 'spa-client',
            preferred_username: 'ada@contoso.example',
          }
        : {
            aud: `api://${CLIENT_ID}`,
            iss: `https://sts.windows.net/${tid}/`,
            appid: 'spa-client',
            upn: 'ada@contoso.example',
          };
    const claimed: Record<string, unknown> = {
      ...base,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid,
      oid: USER_OID,
      sub: 'sub-1',
      name: 'Ada Admin',
      scp: 'user_impersonation',
      ver,
      ...claims,
    };
    const payload = Object.fromEntries(Object.entries(claimed).filter(([, v]) => v !== undefined));
    return new SignJWT(payload as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'test-key-1', ...options.header } as never)
      .sign(options.key ?? privateKey);
  }

  return {
    authorityHost,
    jwksUri: `${authorityHost}/${TENANT}/discovery/v2.0/keys`,
    publicJwk,
    mint,
    rogueKey: rogue.privateKey,
    fetches: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
