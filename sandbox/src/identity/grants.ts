import { createHash } from 'node:crypto';
import { aadError, HttpError } from '../errors.js';
import { type Ctx, parseForm, readBody, sendJson } from '../http.js';
import { APP_CLIENT_ID, ARM_AUDIENCE, PUBLIC_CLIENT_ID, TENANT_ID, TENANT_NAME, VAULT_AUDIENCE } from '../ids.js';
import type { Persona } from '../model.js';
import { TokenError } from '../tokens.js';
import { authenticateApp } from './client-auth.js';
import {
  ACCESS_TOKEN_LIFETIME,
  APP_SERVICE_PRINCIPAL_OID,
  findPersona,
  GRAPH_AUDIENCE,
  type IdentityEnv,
  personaByOid,
  REFRESH_TOKEN_LIFETIME,
} from './env.js';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface Resource {
  /** `aud` of the token */
  audience: string;
  /** scope prefix as the client wrote it (for the response `scope`) */
  prefix: string;
  /** delegated scopes granted */
  scopes: string[];
}

/** Maps requested scopes to one resource; Entra allows only one resource per token request. */
export function resolveResource(scopeParam: string): Resource | { error: HttpError } {
  const requested = scopeParam.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  if (requested.length === 0)
    return {
      error: aadError(400, 'invalid_scope', 70011, "The provided value for the input parameter 'scope' is not valid."),
    };
  const parsed = requested.map((s) => {
    const i = s.lastIndexOf('/');
    return i < 0 ? { res: s, perm: '' } : { res: s.slice(0, i), perm: s.slice(i + 1) };
  });
  const first = parsed[0]!;
  const norm = (r: string) => r.replace(/\/+$/, '').toLowerCase();
  if (parsed.some((p) => norm(p.res) !== norm(first.res))) {
    return {
      error: aadError(
        400,
        'invalid_request',
        28000,
        `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${requested.join(' ')} is not valid.`,
      ),
    };
  }
  const r = norm(first.res);
  let audience: string | undefined;
  if (r === `api://${APP_CLIENT_ID}` || r === APP_CLIENT_ID) audience = APP_CLIENT_ID;
  else if (r === 'https://management.azure.com' || r === 'https://management.core.windows.net') audience = ARM_AUDIENCE;
  else if (r === 'https://vault.azure.net') audience = VAULT_AUDIENCE;
  if (!audience) {
    return {
      error: aadError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${first.res} was not found in the tenant named ${TENANT_NAME}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      ),
    };
  }
  const perms = parsed.map((p) => p.perm).filter((p) => p && p !== '.default');
  const scopes = perms.length > 0 ? perms : ['user_impersonation'];
  if (audience === APP_CLIENT_ID && scopes.some((s) => s !== 'user_impersonation')) {
    const bad = scopes.find((s) => s !== 'user_impersonation');
    return {
      error: aadError(
        400,
        'invalid_scope',
        65005,
        `The application '${APP_CLIENT_ID}' asked for scope '${bad}' that doesn't exist on the resource '${APP_CLIENT_ID}'. Contact the app vendor.`,
      ),
    };
  }
  return { audience, prefix: first.res, scopes };
}

/** Entra returns an id_token only for `openid`, a refresh token only for `offline_access`, client_info only when asked. */
export function extrasFor(
  scope: string,
  form: URLSearchParams,
): { idToken: boolean; clientInfo: boolean; refresh: boolean } {
  const s = new Set(scope.split(/\s+/).map((x) => x.toLowerCase()));
  return { idToken: s.has('openid'), refresh: s.has('offline_access'), clientInfo: form.get('client_info') === '1' };
}

export function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);
}

export function clientInfo(oid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: TENANT_ID })).toString('base64url');
}

export async function token(d: IdentityEnv, ctx: Ctx): Promise<void> {
  const form = parseForm(await readBody(ctx.req));
  let basic: { id: string; secret: string } | undefined;
  const auth = ctx.req.headers.authorization;
  if (auth && /^Basic /i.test(auth)) {
    const dec = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = dec.indexOf(':');
    if (i > 0) basic = { id: decodeURIComponent(dec.slice(0, i)), secret: decodeURIComponent(dec.slice(i + 1)) };
  }
  const grant = form.get('grant_type');
  switch (grant) {
    case 'password':
      return passwordGrant(d, ctx, form, basic);
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
      return oboGrant(d, ctx, form, basic);
    case 'refresh_token':
      return refreshGrant(d, ctx, form, basic);
    case 'authorization_code':
      return codeGrant(d, ctx, form, basic);
    case 'client_credentials':
      return clientCredentialsGrant(d, ctx, form, basic);
    case null:
      throw aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    default:
      throw aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
}

export async function issueUserTokens(
  d: IdentityEnv,
  ctx: Ctx,
  persona: Persona,
  clientId: string,
  resource: Resource,
  opts: { idToken: boolean; clientInfo: boolean; refresh: boolean; nonce?: string },
): Promise<void> {
  const t = d.tokens;
  const common = {
    tid: TENANT_ID,
    oid: persona.objectId,
    name: persona.displayName,
    preferred_username: persona.username,
  };
  const accessToken = await t.sign(
    {
      aud: resource.audience,
      sub: pairwiseSub(persona.objectId, resource.audience),
      ...common,
      upn: persona.username,
      scp: resource.scopes.join(' '),
      azp: clientId,
      azpacr: clientId === PUBLIC_CLIENT_ID ? '0' : '1',
      idtyp: 'user',
    },
    ACCESS_TOKEN_LIFETIME,
  );
  const scopeOut = resource.scopes.map((s) => `${resource.prefix.replace(/\/+$/, '')}/${s}`);
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scopeOut.join(' '),
    expires_in: ACCESS_TOKEN_LIFETIME,
    ext_expires_in: ACCESS_TOKEN_LIFETIME,
    access_token: accessToken,
  };
  if (opts.refresh) {
    body.refresh_token = await t.sign(
      { aud: clientId, typ: 'sandbox-refresh-token', oid: persona.objectId, tid: TENANT_ID, azp: clientId },
      REFRESH_TOKEN_LIFETIME,
    );
    body.refresh_token_expires_in = REFRESH_TOKEN_LIFETIME;
  }
  if (opts.idToken) {
    body.id_token = await t.sign(
      {
        aud: clientId,
        sub: pairwiseSub(persona.objectId, clientId),
        ...common,
        ...(opts.nonce ? { nonce: opts.nonce } : {}),
      },
      ACCESS_TOKEN_LIFETIME,
    );
  }
  if (opts.clientInfo) body.client_info = clientInfo(persona.objectId);
  sendJson(ctx, 200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
}

export async function passwordGrant(
  d: IdentityEnv,
  ctx: Ctx,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  if (clientId === APP_CLIENT_ID) await authenticateApp(d, form, basic);
  else if (clientId !== PUBLIC_CLIENT_ID) {
    throw aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const username = form.get('username') ?? '';
  const password = form.get('password') ?? '';
  const persona = findPersona(d, username);
  if (!persona) {
    throw aadError(
      400,
      'invalid_grant',
      50034,
      `The user account ${username || '{EUII Hidden}'} does not exist in the ${TENANT_ID} directory. To sign into this application, the account must be added to the directory.`,
    );
  }
  if (persona.password !== password) {
    throw aadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
  }
  const scope = form.get('scope') ?? '';
  const resource = resolveResource(scope);
  if ('error' in resource) throw resource.error;
  await issueUserTokens(d, ctx, persona, clientId, resource, extrasFor(scope, form));
}

export async function codeGrant(
  d: IdentityEnv,
  ctx: Ctx,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  if (clientId === APP_CLIENT_ID) await authenticateApp(d, form, basic);
  else if (clientId !== PUBLIC_CLIENT_ID) {
    throw aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'.`,
    );
  }
  const codeValue = form.get('code') ?? '';
  const code = d.codes.get(codeValue);
  if (!code)
    throw aadError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  d.codes.delete(codeValue); // single use
  if (code.expires < Date.now())
    throw aadError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  if (code.clientId !== clientId)
    throw aadError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code was issued to a different client.",
    );
  if ((form.get('redirect_uri') ?? '') !== code.redirectUri) {
    throw aadError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${form.get('redirect_uri') ?? ''}' does not match the reply address '${code.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  const verifier = form.get('code_verifier');
  if (code.codeChallenge) {
    const expected =
      code.codeChallengeMethod === 'S256'
        ? createHash('sha256')
            .update(verifier ?? '')
            .digest('base64url')
        : verifier;
    if (!verifier || expected !== code.codeChallenge) {
      throw aadError(
        400,
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
  } else if (ctx.req.headers.origin && clientId === PUBLIC_CLIENT_ID) {
    throw aadError(
      400,
      'invalid_request',
      9002325,
      'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
    );
  }
  const persona = personaByOid(d, code.oid)!;
  const scope = form.get('scope') ?? code.scope;
  const resource = resolveResource(scope);
  const res: Resource =
    'error' in resource
      ? { audience: GRAPH_AUDIENCE, prefix: 'https://graph.microsoft.com', scopes: ['User.Read'] }
      : resource;
  await issueUserTokens(d, ctx, persona, clientId, res, {
    ...extrasFor(`${code.scope} ${scope}`, form),
    nonce: code.nonce,
  });
}

export async function oboGrant(
  d: IdentityEnv,
  ctx: Ctx,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  await authenticateApp(d, form, basic);
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    throw aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'requested_token_use'.",
    );
  }
  const assertion = form.get('assertion');
  if (!assertion)
    throw aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'assertion'.",
    );
  let payload: Record<string, unknown>;
  try {
    payload = (await d.tokens.verify(assertion, [APP_CLIENT_ID, `api://${APP_CLIENT_ID}`])).payload;
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    const p = e.problem;
    switch (p.kind) {
      case 'expired':
        throw aadError(
          400,
          'invalid_grant',
          500133,
          `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date().toISOString()}, expiry time of assertion ${new Date(p.exp * 1000).toISOString()}.`,
          { suberror: 'token_expired' },
        );
      case 'notYetValid':
        throw aadError(400, 'invalid_grant', 500133, 'Assertion is not within its valid time range.');
      case 'audience':
        throw aadError(
          400,
          'invalid_grant',
          50013,
          `Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '', Found key 'Start=', End='']  Audience '${p.found}' is not this application (${APP_CLIENT_ID}).`,
        );
      case 'issuer':
        throw aadError(
          400,
          'invalid_grant',
          50013,
          `Assertion failed signature validation. Issuer '${p.found}' is not trusted.`,
        );
      case 'signature':
        throw aadError(
          400,
          'invalid_grant',
          50013,
          'Assertion failed signature validation. [Reason - The key was not found.]',
        );
      default:
        throw aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    }
  }
  const oid = String(payload.oid ?? '');
  const persona = personaByOid(d, oid);
  if (!persona)
    throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
  const resource = resolveResource(form.get('scope') ?? '');
  if ('error' in resource) throw resource.error;
  await issueUserTokens(d, ctx, persona, APP_CLIENT_ID, resource, {
    idToken: false,
    clientInfo: form.get('client_info') === '1',
    refresh: false,
  });
}

export async function refreshGrant(
  d: IdentityEnv,
  ctx: Ctx,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  if (clientId === APP_CLIENT_ID) await authenticateApp(d, form, basic);
  const rt = form.get('refresh_token') ?? '';
  let payload: Record<string, unknown>;
  try {
    payload = (await d.tokens.verify(rt, [clientId])).payload;
  } catch {
    throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  }
  if (payload.typ !== 'sandbox-refresh-token')
    throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  const persona = personaByOid(d, String(payload.oid ?? ''));
  if (!persona)
    throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
  const resource = resolveResource(form.get('scope') ?? '');
  if ('error' in resource) throw resource.error;
  await issueUserTokens(d, ctx, persona, clientId, resource, {
    ...extrasFor(form.get('scope') ?? '', form),
    refresh: true,
  });
}

export async function clientCredentialsGrant(
  d: IdentityEnv,
  ctx: Ctx,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  await authenticateApp(d, form, basic);
  const scope = form.get('scope') ?? '';
  if (!/\/\.default$/.test(scope.trim())) {
    throw aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = resolveResource(scope);
  if ('error' in resource) throw resource.error;
  const accessToken = await d.tokens.sign(
    {
      aud: resource.audience,
      sub: APP_SERVICE_PRINCIPAL_OID,
      tid: TENANT_ID,
      oid: APP_SERVICE_PRINCIPAL_OID,
      azp: APP_CLIENT_ID,
      azpacr: '1',
      idtyp: 'app',
      roles: [],
    },
    ACCESS_TOKEN_LIFETIME,
  );
  sendJson(ctx, 200, {
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME,
    ext_expires_in: ACCESS_TOKEN_LIFETIME,
    access_token: accessToken,
  });
}
