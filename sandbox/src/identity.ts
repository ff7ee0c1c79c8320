import { createHash } from 'node:crypto';
import type { Ctx } from './http.js';
import { parseForm, readBody, sendJson } from './http.js';
import { HttpError, aadError, notImplemented } from './errors.js';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  ARM_AUDIENCE,
  PUBLIC_CLIENT_ID,
  TENANT_ID,
  TENANT_NAME,
  VAULT_AUDIENCE,
} from './ids.js';
import type { Persona, Store } from './state.js';
import { TokenError, type TokenService } from './tokens.js';
import type { AppCertificate } from './appcert.js';
import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { createHash as sha, randomBytes } from 'node:crypto';
import { sendText } from './http.js';

export const APP_SERVICE_PRINCIPAL_OID = '9e7d5c3b-1a2f-4e6d-8c4b-0a1f2e3d4c5b';
const ACCESS_TOKEN_LIFETIME = 3599;
const REFRESH_TOKEN_LIFETIME = 24 * 3600;

export interface IdentityDeps {
  store: Store;
  tokens: TokenService;
  authorityHost: () => string;
  appCertificate: AppCertificate;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  oid: string;
  expires: number;
}

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const GRAPH_AUDIENCE = '00000003-0000-0000-c000-000000000000';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
    );
  } catch {
    return false;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Sandbox sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.4rem}
.badge{display:inline-block;background:#ffb900;color:#000;border-radius:4px;padding:.1rem .5rem;font-size:.8rem;font-weight:600}
ul.personas{list-style:none;padding:0}ul.personas li{margin:.5rem 0}
ul.personas button{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #8a8886;border-radius:6px;background:#fff;cursor:pointer;display:grid;gap:.15rem;font:inherit}
ul.personas button:hover,ul.personas button:focus{border-color:#0078d4;outline:2px solid #0078d4}small{color:#605e5c}</style></head>
<body><p><span class="badge">Sandbox</span></p><h1>${esc(title)}</h1>${body}</body></html>`;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

interface Resource {
  /** `aud` of the token */
  audience: string;
  /** scope prefix as the client wrote it (for the response `scope`) */
  prefix: string;
  /** delegated scopes granted */
  scopes: string[];
}

/** Maps requested scopes to one resource; Entra allows only one resource per token request. */
function resolveResource(scopeParam: string): Resource | { error: HttpError } {
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
function extrasFor(scope: string, form: URLSearchParams): { idToken: boolean; clientInfo: boolean; refresh: boolean } {
  const s = new Set(scope.split(/\s+/).map((x) => x.toLowerCase()));
  return { idToken: s.has('openid'), refresh: s.has('offline_access'), clientInfo: form.get('client_info') === '1' };
}

function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);
}

function clientInfo(oid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: TENANT_ID })).toString('base64url');
}

export class Identity {
  private readonly codes = new Map<string, AuthCode>();
  constructor(private readonly d: IdentityDeps) {}

  private get issuer(): string {
    return `${this.d.authorityHost()}/${TENANT_ID}/v2.0`;
  }

  openidConfiguration(tenantSegment: string): Record<string, unknown> {
    const host = this.d.authorityHost();
    const base = `${host}/${tenantSegment}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${host}/${TENANT_ID}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${host}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'sandbox.localhost',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  /** Handles localhost routes under the identity paths. Returns false when the path is not an identity path. */
  async handle(ctx: Ctx): Promise<boolean> {
    const p = ctx.pathname;
    if (
      !/^\/(common|organizations|consumers|[^/]+)\/(v2\.0|discovery|oauth2)\//.test(p) &&
      !p.startsWith('/common/discovery/')
    )
      return false;
    // Browsers (msal-browser) call discovery and the token endpoint cross-origin.
    ctx.res.setHeader('access-control-allow-origin', (ctx.req.headers.origin as string | undefined) ?? '*');
    ctx.res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    ctx.res.setHeader(
      'access-control-allow-headers',
      (ctx.req.headers['access-control-request-headers'] as string | undefined) ?? 'content-type',
    );
    ctx.res.setHeader('access-control-expose-headers', 'x-ms-request-id');
    ctx.res.setHeader('vary', 'Origin');
    if (ctx.method === 'OPTIONS') {
      ctx.res.writeHead(204, { 'access-control-max-age': '600' });
      ctx.res.end();
      return true;
    }
    if (p === '/common/discovery/instance' || p === '/organizations/discovery/instance') {
      const hostPort = new URL(this.d.authorityHost()).host;
      sendJson(ctx, 200, {
        tenant_discovery_endpoint: `${this.d.authorityHost()}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: hostPort, preferred_cache: hostPort, aliases: [hostPort] }],
      });
      return true;
    }
    const m =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/logout)$/.exec(
        p,
      );
    if (!m) return false;
    const tenantSeg = decodeURIComponent(m[1]!);
    const what = m[2]!;
    const t = tenantSeg.toLowerCase();
    if (t !== TENANT_ID && t !== 'organizations' && t !== 'common' && t !== 'contoso.sandbox') {
      throw aadError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (what.endsWith('openid-configuration') && ctx.method === 'GET') {
      sendJson(ctx, 200, this.openidConfiguration(tenantSeg));
      return true;
    }
    if (what === 'discovery/v2.0/keys' && ctx.method === 'GET') {
      sendJson(ctx, 200, await this.d.tokens.jwks());
      return true;
    }
    if (what === 'oauth2/v2.0/token') {
      if (ctx.method !== 'POST')
        throw aadError(
          405,
          'invalid_request',
          900561,
          'The endpoint only accepts POST requests. Received a GET request.',
        );
      await this.token(ctx);
      return true;
    }
    if (what === 'oauth2/v2.0/authorize') {
      if (ctx.method === 'GET') return this.authorizePage(ctx, tenantSeg, ctx.query);
      if (ctx.method === 'POST') return this.authorizeSubmit(ctx, tenantSeg);
    }
    if (what === 'oauth2/v2.0/logout' && ctx.method === 'GET') {
      const target = ctx.query.get('post_logout_redirect_uri');
      if (target && isLoopbackRedirect(target)) {
        ctx.res.writeHead(302, { location: target, 'content-length': '0' });
        ctx.res.end();
      } else {
        sendText(
          ctx,
          200,
          'text/html; charset=utf-8',
          page('Signed out', '<p>You have signed out of the sandbox identity provider.</p>'),
        );
      }
      return true;
    }
    throw notImplemented(ctx.method, p);
  }

  // ---- authorize (authorization code + PKCE) with a persona picker -------------------------------------

  private authorizeError(ctx: Ctx, status: number, code: number, text: string): boolean {
    sendText(
      ctx,
      status,
      'text/html; charset=utf-8',
      page('Sign-in error', `<p><strong>AADSTS${code}</strong>: ${esc(text)}</p>`),
    );
    return true;
  }

  private validateAuthorize(q: URLSearchParams): {
    error?: { code: number; text: string };
    clientId: string;
    redirectUri: string;
  } {
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (clientId !== PUBLIC_CLIENT_ID && clientId !== APP_CLIENT_ID) {
      return {
        clientId,
        redirectUri,
        error: {
          code: 700016,
          text: `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'.`,
        },
      };
    }
    if (!isLoopbackRedirect(redirectUri)) {
      return {
        clientId,
        redirectUri,
        error: {
          code: 50011,
          text: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. The sandbox accepts http(s)://localhost, 127.0.0.1 and [::1] redirect URIs on any port.`,
        },
      };
    }
    return { clientId, redirectUri };
  }

  private redirectWith(ctx: Ctx, redirectUri: string, mode: string, params: Record<string, string>): void {
    if (mode === 'form_post') {
      const inputs = Object.entries(params)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join('');
      sendText(
        ctx,
        200,
        'text/html; charset=utf-8',
        `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
      );
      return;
    }
    const url = new URL(redirectUri);
    let location: string;
    if (mode === 'fragment') {
      url.hash = '';
      location = `${url.toString()}#${new URLSearchParams(params).toString()}`;
    } else {
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      location = url.toString();
    }
    ctx.res.writeHead(302, { location, 'content-length': '0', 'cache-control': 'no-store' });
    ctx.res.end();
  }

  private authorizePage(ctx: Ctx, tenantSeg: string, q: URLSearchParams): boolean {
    const v = this.validateAuthorize(q);
    if (v.error) return this.authorizeError(ctx, 400, v.error.code, v.error.text);
    const mode = q.get('response_mode') ?? 'query';
    if (q.get('response_type') !== 'code') {
      this.redirectWith(ctx, v.redirectUri, mode, {
        error: 'unsupported_response_type',
        error_description: "AADSTS700054: response_type must be 'code' (authorization code flow with PKCE).",
        state: q.get('state') ?? '',
      });
      return true;
    }
    const method = q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : '');
    if (method && method !== 'S256' && method !== 'plain') {
      this.redirectWith(ctx, v.redirectUri, mode, {
        error: 'invalid_request',
        error_description:
          'AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method.',
        state: q.get('state') ?? '',
      });
      return true;
    }
    const hint = (q.get('login_hint') ?? '').toLowerCase();
    const prompt = q.get('prompt') ?? '';
    if (prompt === 'none') {
      const persona = hint ? this.findPersona(hint) : undefined;
      if (!persona) {
        this.redirectWith(ctx, v.redirectUri, mode, {
          error: 'login_required',
          error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
          state: q.get('state') ?? '',
        });
        return true;
      }
      this.issueCode(ctx, q, persona, v.redirectUri, mode);
      return true;
    }
    const hidden = [...q.entries()]
      .map(([k, val]) => `<input type="hidden" name="${esc(k)}" value="${esc(val)}">`)
      .join('');
    const buttons = this.d.store.state.personas
      .map(
        (p) =>
          `<li><button type="submit" name="username" value="${esc(p.username)}"${p.username.toLowerCase() === hint ? ' autofocus' : ''}><strong>${esc(p.displayName)}</strong><span>${esc(p.username)}</span><small>${esc(p.description)}</small></button></li>`,
      )
      .join('');
    const body = `<p>This is the <strong>local sandbox</strong> identity provider (tenant ${TENANT_NAME}). Choose who to sign in as — no password needed here.</p>
<form method="post" action="${esc(`/${tenantSeg}/oauth2/v2.0/authorize`)}">${hidden}<ul class="personas">${buttons}</ul></form>`;
    sendText(ctx, 200, 'text/html; charset=utf-8', page('Pick a sandbox persona', body), {
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
    });
    return true;
  }

  private async authorizeSubmit(ctx: Ctx, _tenantSeg: string): Promise<boolean> {
    const form = parseForm(await readBody(ctx.req));
    const v = this.validateAuthorize(form);
    if (v.error) return this.authorizeError(ctx, 400, v.error.code, v.error.text);
    const persona = this.findPersona(form.get('username') ?? '');
    if (!persona) return this.authorizeError(ctx, 400, 50034, 'The user account does not exist in the directory.');
    this.issueCode(ctx, form, persona, v.redirectUri, form.get('response_mode') ?? 'query');
    return true;
  }

  private issueCode(ctx: Ctx, q: URLSearchParams, persona: Persona, redirectUri: string, mode: string): void {
    const code = `sbx.${randomBytes(32).toString('base64url')}`;
    const now = Date.now();
    for (const [k, c] of this.codes) if (c.expires < now) this.codes.delete(k);
    this.codes.set(code, {
      clientId: q.get('client_id') ?? '',
      redirectUri,
      scope: q.get('scope') ?? '',
      codeChallenge: q.get('code_challenge') ?? undefined,
      codeChallengeMethod: q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined),
      nonce: q.get('nonce') ?? undefined,
      oid: persona.objectId,
      expires: now + 10 * 60 * 1000,
    });
    const params: Record<string, string> = { code, client_info: clientInfo(persona.objectId) };
    const state = q.get('state');
    if (state) params.state = state;
    this.redirectWith(ctx, redirectUri, mode, params);
  }

  private async codeGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    if (clientId === APP_CLIENT_ID) await this.authenticateApp(form, basic);
    else if (clientId !== PUBLIC_CLIENT_ID) {
      throw aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'.`,
      );
    }
    const codeValue = form.get('code') ?? '';
    const code = this.codes.get(codeValue);
    if (!code)
      throw aadError(
        400,
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      );
    this.codes.delete(codeValue); // single use
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
          ? sha('sha256')
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
    const persona = this.personaByOid(code.oid)!;
    const scope = form.get('scope') ?? code.scope;
    const resource = resolveResource(scope);
    const res: Resource =
      'error' in resource
        ? { audience: GRAPH_AUDIENCE, prefix: 'https://graph.microsoft.com', scopes: ['User.Read'] }
        : resource;
    await this.issueUserTokens(ctx, persona, clientId, res, {
      ...extrasFor(`${code.scope} ${scope}`, form),
      nonce: code.nonce,
    });
  }

  private findPersona(username: string): Persona | undefined {
    const u = username.trim().toLowerCase();
    return this.d.store.state.personas.find((x) => x.username.toLowerCase() === u);
  }

  private personaByOid(oid: string): Persona | undefined {
    return this.d.store.state.personas.find((x) => x.objectId === oid);
  }

  /** Client authentication for the confidential app: client secret, or a client assertion signed with its certificate. */
  private async authenticateApp(form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const secret = basic?.secret ?? form.get('client_secret');
    const assertionType = form.get('client_assertion_type');
    const assertion = form.get('client_assertion');
    if (clientId !== APP_CLIENT_ID) {
      throw aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    if (secret != null) {
      if (secret !== APP_CLIENT_SECRET) {
        throw aadError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP_CLIENT_ID}'.`,
        );
      }
      return;
    }
    if (assertionType || assertion) {
      if (assertionType !== CLIENT_ASSERTION_TYPE) {
        throw aadError(
          400,
          'invalid_request',
          50027,
          `Invalid client_assertion_type '${assertionType}'. Expected '${CLIENT_ASSERTION_TYPE}'.`,
        );
      }
      await this.verifyClientAssertion(assertion ?? '', clientId);
      return;
    }
    throw aadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  private async verifyClientAssertion(assertion: string, clientId: string): Promise<void> {
    const cert = this.d.appCertificate;
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
    } catch {
      throw aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    }
    const alg = String(header.alg ?? '');
    if (alg !== 'RS256' && alg !== 'PS256')
      throw aadError(
        401,
        'invalid_client',
        5002738,
        `Invalid JWT token. '${alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, RS384, RS512, PS256'`,
      );
    if (header.x5t !== cert.x5t && header['x5t#S256'] !== cert.x5tS256) {
      throw aadError(
        401,
        'invalid_client',
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(header['x5t#S256'] ?? header.x5t ?? '')}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${APP_CLIENT_ID}'.`,
      );
    }
    let payload: Record<string, unknown>;
    try {
      const key = await importX509(cert.certPem, alg);
      const { payload: raw } = await compactVerify(assertion, key);
      payload = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
    } catch {
      throw aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    const now = Math.floor(Date.now() / 1000);
    if (
      typeof payload.exp !== 'number' ||
      payload.exp + 300 < now ||
      (typeof payload.nbf === 'number' && payload.nbf - 300 > now)
    ) {
      throw aadError(
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion valid from ${payload.nbf ? new Date(Number(payload.nbf) * 1000).toISOString() : '?'}, expiry time of assertion ${payload.exp ? new Date(Number(payload.exp) * 1000).toISOString() : '?'}.`,
      );
    }
    if (payload.iss !== clientId || payload.sub !== clientId) {
      throw aadError(
        401,
        'invalid_client',
        700021,
        `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`,
      );
    }
    const host = this.d.authorityHost();
    const okAud = [
      `${host}/${TENANT_ID}/oauth2/v2.0/token`,
      `${host}/${TENANT_ID}/v2.0`,
      `${host}/${TENANT_ID}/oauth2/token`,
    ];
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.some((a) => okAud.includes(String(a)))) {
      throw aadError(
        401,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${String(payload.aud)}'. Expected '${okAud[0]}'.`,
      );
    }
  }

  private async token(ctx: Ctx): Promise<void> {
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
        return this.passwordGrant(ctx, form, basic);
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return this.oboGrant(ctx, form, basic);
      case 'refresh_token':
        return this.refreshGrant(ctx, form, basic);
      case 'authorization_code':
        return this.codeGrant(ctx, form, basic);
      case 'client_credentials':
        return this.clientCredentialsGrant(ctx, form, basic);
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

  private async issueUserTokens(
    ctx: Ctx,
    persona: Persona,
    clientId: string,
    resource: Resource,
    opts: { idToken: boolean; clientInfo: boolean; refresh: boolean; nonce?: string },
  ): Promise<void> {
    const t = this.d.tokens;
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

  private async passwordGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    if (clientId === APP_CLIENT_ID) await this.authenticateApp(form, basic);
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
    const persona = this.findPersona(username);
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
    await this.issueUserTokens(ctx, persona, clientId, resource, extrasFor(scope, form));
  }

  private async oboGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    await this.authenticateApp(form, basic);
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
      payload = (await this.d.tokens.verify(assertion, [APP_CLIENT_ID, `api://${APP_CLIENT_ID}`])).payload;
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
    const persona = this.personaByOid(oid);
    if (!persona)
      throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
    const resource = resolveResource(form.get('scope') ?? '');
    if ('error' in resource) throw resource.error;
    await this.issueUserTokens(ctx, persona, APP_CLIENT_ID, resource, {
      idToken: false,
      clientInfo: form.get('client_info') === '1',
      refresh: false,
    });
  }

  private async refreshGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    if (clientId === APP_CLIENT_ID) await this.authenticateApp(form, basic);
    const rt = form.get('refresh_token') ?? '';
    let payload: Record<string, unknown>;
    try {
      payload = (await this.d.tokens.verify(rt, [clientId])).payload;
    } catch {
      throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    if (payload.typ !== 'sandbox-refresh-token')
      throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    const persona = this.personaByOid(String(payload.oid ?? ''));
    if (!persona)
      throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
    const resource = resolveResource(form.get('scope') ?? '');
    if ('error' in resource) throw resource.error;
    await this.issueUserTokens(ctx, persona, clientId, resource, {
      ...extrasFor(form.get('scope') ?? '', form),
      refresh: true,
    });
  }

  private async clientCredentialsGrant(
    ctx: Ctx,
    form: URLSearchParams,
    basic?: { id: string; secret: string },
  ): Promise<void> {
    await this.authenticateApp(form, basic);
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
    const accessToken = await this.d.tokens.sign(
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
}
