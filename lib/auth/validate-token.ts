import 'server-only';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '@/lib/errors';
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
/** Entra ID signs access tokens with RS256 only. Anything else (none, HS*, ES*, PS*) is refused before any key lookup. */
export const ALLOWED_ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 60;

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

/**
 * Tokens already validated, until they expire (decision 056): a user's every request carries the same token for up
 * to an hour, and verifying its RS256 signature and claims again each time is the largest part of the route's fixed
 * cost. A hit requires the exact token string and the same validation settings (key set, client id, tenants,
 * issuers, scope), and is used only until the token's `exp` (after that the token is validated in full again, with
 * jose's 60 s skew). Only successes are kept; a failing token is checked in full every time. At most
 * `MAX_VERIFIED` tokens (each kept once: the entry is the Principal, whose `assertion` is that token), oldest first out.
 */
const MAX_VERIFIED = 10_000;
const verified = new Map<string, { settings: string; principal: Principal }>();

/** Built once per configuration object (the configuration is cached until its source changes). */
const settingsByConfig = new WeakMap<ServerConfig, string>();
function validationSettings(config: ServerConfig): string {
  let settings = settingsByConfig.get(config);
  if (settings === undefined) {
    settings = settingsOf(config);
    settingsByConfig.set(config, settings);
  }
  return settings;
}

function settingsOf(config: ServerConfig): string {
  return [
    config.mode,
    config.jwksUri,
    config.clientId,
    config.apiScope,
    config.issuer,
    config.authorityHost,
    config.v1IssuerHost ?? '',
    allowedTenants(config).join(','),
  ].join('\n');
}

function rememberVerified(token: string, settings: string, principal: Principal): void {
  if (verified.size >= MAX_VERIFIED) {
    const now = Date.now();
    for (const [k, v] of verified) if (v.principal.expiresAt <= now) verified.delete(k);
    for (const k of verified.keys()) {
      if (verified.size < MAX_VERIFIED) break;
      verified.delete(k);
    }
  }
  verified.set(token, { settings, principal });
}

/** Our own reason words for the library's error codes (the browser never sees a library's vocabulary). */
const JOSE_REASONS: Record<string, string> = {
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg-not-allowed',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad-signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown-key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown-key',
  ERR_JWS_INVALID: 'malformed-token',
  ERR_JWT_INVALID: 'malformed-token',
  ERR_JOSE_NOT_SUPPORTED: 'alg-not-allowed',
};

function reauth(message: string, reason: string): AppError {
  return new AppError({ code: 'reauth_required', reason, message, action: 'Sign in again.' });
}

/** Tenants whose users may use this app (the configured tenant unless an allow-list is configured). */
export function allowedTenants(config: ServerConfig): string[] {
  return config.allowedTenantIds?.length ? config.allowedTenantIds : [config.tenantId];
}

/**
 * The issuers a token may name, per tenant: the v2 issuer under the configured authority host, and — in Azure mode,
 * where the API registration decides the token version (`accessTokenAcceptedVersion`) — the v1 issuer
 * `https://sts.windows.net/{tid}/`. The sandbox issues v2 tokens only.
 */
export function acceptedIssuers(config: ServerConfig, tid: string): string[] {
  const v2 =
    config.mode === 'sandbox' ? config.issuer.replace(config.tenantId, tid) : `${config.authorityHost}/${tid}/v2.0`;
  if (config.mode === 'sandbox') return [v2];
  return [v2, `${(config.v1IssuerHost ?? 'https://sts.windows.net').replace(/\/+$/, '')}/${tid}/`];
}

/** Audiences our API answers to: the client id (v2 tokens) and the App ID URI (v1 tokens may carry it). */
export function acceptedAudiences(config: ServerConfig): string[] {
  const appIdUri = config.apiScope.includes('/')
    ? config.apiScope.slice(0, config.apiScope.lastIndexOf('/'))
    : `api://${config.clientId}`;
  return [...new Set([config.clientId, `api://${config.clientId}`, appIdUri])];
}

/**
 * Reads `Authorization: Bearer …` and validates the token: signature (JWKS, RS256 only), iss (v1 or v2 form, matching
 * `tid`), aud, tid (allow-list), exp/nbf (60 s skew), and the `user_impersonation` scope. Every failure is a
 * `reauth_required` AppError (401); nothing is exchanged or called before this succeeds.
 */
export async function authenticate(authorization: string | null, config: ServerConfig): Promise<Principal> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
  if (!match?.[1]) throw reauth('This request carries no valid sign-in token.', 'missing-token');
  const token = match[1];
  const settings = validationSettings(config);
  const known = verified.get(token);
  if (known && known.settings === settings) {
    if (known.principal.expiresAt > Date.now()) return known.principal;
    verified.delete(token); // past exp: validated in full again (jose decides, with its skew)
  }
  const tenants = allowedTenants(config);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet(config.jwksUri), {
      algorithms: ALLOWED_ALGORITHMS,
      issuer: tenants.flatMap((tid) => acceptedIssuers(config, tid)),
      audience: acceptedAudiences(config),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'nbf', 'oid', 'tid'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw reauth('Your sign-in has expired.', 'token-expired');
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw reauth('Your sign-in token was not accepted.', `claim-${error.claim}`);
    if (error instanceof joseErrors.JOSEError)
      throw reauth('Your sign-in token was not accepted.', JOSE_REASONS[error.code] ?? 'invalid-token');
    throw new AppError({
      code: 'sandbox_unavailable',
      reason: 'jwks-unreachable',
      message: 'The identity provider could not be reached to check your sign-in.',
      action:
        config.mode === 'sandbox'
          ? 'Check that the sandbox is running (`npm start` starts it), then retry.'
          : 'Retry in a moment.',
    });
  }
  const tid = typeof payload.tid === 'string' ? payload.tid : '';
  if (!tenants.includes(tid)) throw reauth('Your sign-in token was issued for another tenant.', 'tenant-not-allowed');
  // The issuer must be the one of the token's own tenant and of its own version.
  const issuers = acceptedIssuers(config, tid);
  const expectedIssuer = payload.ver === '1.0' ? issuers[1] : issuers[0];
  if (!expectedIssuer || payload.iss !== expectedIssuer)
    throw reauth('Your sign-in token was issued by another authority.', 'issuer-mismatch');
  if (payload.ver === '2.0' && payload.aud !== config.clientId)
    throw reauth('Your sign-in token is for another app.', 'audience-mismatch');
  const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
  if (!scopes.includes(REQUIRED_SCOPE))
    throw reauth('Your sign-in token does not grant access to this app.', 'scope-missing');
  if (typeof payload.oid !== 'string' || payload.oid === '')
    throw reauth('Your sign-in token names no user.', 'oid-missing');
  const username =
    [payload.preferred_username, payload.upn, payload.unique_name].find((v): v is string => typeof v === 'string') ??
    '';
  const principal: Principal = Object.freeze({
    oid: payload.oid,
    tid,
    name: typeof payload.name === 'string' ? payload.name : '',
    username,
    expiresAt: (payload.exp ?? 0) * 1000,
    assertion: token,
  });
  rememberVerified(token, settings, principal);
  return principal;
}
