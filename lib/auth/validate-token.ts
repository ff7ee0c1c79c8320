import 'server-only';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '@/lib/api/errors';
import type { ServerConfig } from '@/lib/config';

/** The signed-in user, as proven by a validated access token for our API. */
export interface Principal {
  oid: string;
  tid: string;
  name: string;
  username: string;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
  /** The raw token, kept only to be exchanged on-behalf-of; never logged. */
  assertion: string;
}

const REQUIRED_SCOPE = 'user_impersonation';
const ALLOWED_ALGORITHMS = ['RS256'];

// One key set per JWKS URL: jose caches keys and refetches (rate-limited) when it meets an unknown `kid`.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keySet(uri: string) {
  let set = keySets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), { cooldownDuration: 30_000, cacheMaxAge: 6 * 60 * 60_000 });
    keySets.set(uri, set);
  }
  return set;
}

function reauth(message: string): AppError {
  return new AppError({ code: 'reauth_required', message, action: 'Sign in again.' });
}

/** Reads `Authorization: Bearer …` and validates the token: signature (JWKS), alg, iss, aud, tid, exp/nbf, scope. */
export async function authenticate(authorization: string | null, config: ServerConfig): Promise<Principal> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
  if (!match?.[1]) throw reauth('This request carries no valid sign-in token.');
  const token = match[1];
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet(config.jwksUri), {
      algorithms: ALLOWED_ALGORITHMS,
      issuer: config.issuer,
      audience: [config.clientId, `api://${config.clientId}`],
      clockTolerance: 60,
      requiredClaims: ['exp', 'nbf', 'oid', 'tid'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw reauth('Your sign-in has expired.');
    if (error instanceof joseErrors.JOSEError) throw reauth('Your sign-in token was not accepted.');
    throw new AppError({
      code: 'sandbox_unavailable',
      message: 'The identity provider could not be reached to check your sign-in.',
      action: config.mode === 'sandbox' ? 'Check that the sandbox is running (`npm start` starts it), then retry.' : 'Retry in a moment.',
    });
  }
  if (payload.tid !== config.tenantId) throw reauth('Your sign-in token was issued for another tenant.');
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes(REQUIRED_SCOPE)) throw reauth('Your sign-in token does not grant access to this app.');
  return {
    oid: String(payload.oid),
    tid: String(payload.tid),
    name: typeof payload.name === 'string' ? payload.name : '',
    username: typeof payload.preferred_username === 'string' ? payload.preferred_username : '',
    expiresAt: (payload.exp ?? 0) * 1000,
    assertion: token,
  };
}
