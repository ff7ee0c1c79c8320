import { createHash, randomUUID } from 'node:crypto';
import type { Ctx } from './http.js';
import { HttpError, parseForm, readBody, sendJson, notImplemented } from './http.js';
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

export const APP_SERVICE_PRINCIPAL_OID = '9e7d5c3b-1a2f-4e6d-8c4b-0a1f2e3d4c5b';
const ACCESS_TOKEN_LIFETIME = 3599;
const REFRESH_TOKEN_LIFETIME = 24 * 3600;

export interface IdentityDeps {
  store: Store;
  tokens: TokenService;
  authorityHost: () => string;
}

/** Entra ID's token-endpoint error shape. */
export function aadError(
  status: number,
  error: string,
  code: number,
  text: string,
  extra: Record<string, unknown> = {},
): HttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const ts = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return new HttpError(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
    error_codes: [code],
    timestamp: ts,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    ...extra,
  });
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
  if (requested.length === 0) return { error: aadError(400, 'invalid_scope', 70011, 'The provided value for the input parameter \'scope\' is not valid.') };
  const parsed = requested.map((s) => {
    const i = s.lastIndexOf('/');
    return i < 0 ? { res: s, perm: '' } : { res: s.slice(0, i), perm: s.slice(i + 1) };
  });
  const first = parsed[0]!;
  const norm = (r: string) => r.replace(/\/+$/, '').toLowerCase();
  if (parsed.some((p) => norm(p.res) !== norm(first.res))) {
    return {
      error: aadError(400, 'invalid_request', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${requested.join(' ')} is not valid.`),
    };
  }
  const r = norm(first.res);
  let audience: string | undefined;
  if (r === `api://${APP_CLIENT_ID}` || r === APP_CLIENT_ID) audience = APP_CLIENT_ID;
  else if (r === 'https://management.azure.com' || r === 'https://management.core.windows.net') audience = ARM_AUDIENCE;
  else if (r === 'https://vault.azure.net') audience = VAULT_AUDIENCE;
  if (!audience) {
    return {
      error: aadError(400, 'invalid_resource', 500011, `The resource principal named ${first.res} was not found in the tenant named ${TENANT_NAME}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
    };
  }
  const perms = parsed.map((p) => p.perm).filter((p) => p && p !== '.default');
  const scopes = perms.length > 0 ? perms : ['user_impersonation'];
  if (audience === APP_CLIENT_ID && scopes.some((s) => s !== 'user_impersonation')) {
    const bad = scopes.find((s) => s !== 'user_impersonation');
    return { error: aadError(400, 'invalid_scope', 65005, `The application '${APP_CLIENT_ID}' asked for scope '${bad}' that doesn't exist on the resource '${APP_CLIENT_ID}'. Contact the app vendor.`) };
  }
  return { audience, prefix: first.res, scopes };
}

function pairwiseSub(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId}`).digest('base64url').slice(0, 43);
}

function clientInfo(oid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: TENANT_ID })).toString('base64url');
}

export class Identity {
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
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
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
    if (p === '/common/discovery/instance' || p === '/organizations/discovery/instance') {
      const hostPort = new URL(this.d.authorityHost()).host;
      sendJson(ctx, 200, {
        tenant_discovery_endpoint: `${this.d.authorityHost()}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: hostPort, preferred_cache: hostPort, aliases: [hostPort] }],
      });
      return true;
    }
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token|oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/logout)$/.exec(p);
    if (!m) return false;
    const tenantSeg = decodeURIComponent(m[1]!);
    const what = m[2]!;
    const t = tenantSeg.toLowerCase();
    if (t !== TENANT_ID && t !== 'organizations' && t !== 'common' && t !== 'contoso.sandbox') {
      throw aadError(400, 'invalid_tenant', 90002, `Tenant '${tenantSeg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
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
      if (ctx.method !== 'POST') throw aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests. Received a GET request.');
      await this.token(ctx);
      return true;
    }
    throw notImplemented(ctx.method, p);
  }

  private findPersona(username: string): Persona | undefined {
    const u = username.trim().toLowerCase();
    return this.d.store.state.personas.find((x) => x.username.toLowerCase() === u);
  }

  private personaByOid(oid: string): Persona | undefined {
    return this.d.store.state.personas.find((x) => x.objectId === oid);
  }

  /** Client authentication for the confidential app (secret). */
  private authenticateApp(form: URLSearchParams, basic?: { id: string; secret: string }): void {
    const clientId = basic?.id ?? form.get('client_id') ?? '';
    const secret = basic?.secret ?? form.get('client_secret');
    const assertionType = form.get('client_assertion_type');
    if (clientId !== APP_CLIENT_ID) {
      throw aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    if (secret != null) {
      if (secret !== APP_CLIENT_SECRET) {
        throw aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP_CLIENT_ID}'.`);
      }
      return;
    }
    if (assertionType) {
      throw aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation. (The sandbox app registration has no certificate credential.)');
    }
    throw aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
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
      case 'client_credentials':
        return this.clientCredentialsGrant(ctx, form, basic);
      case null:
        throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
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
    if (clientId === APP_CLIENT_ID) this.authenticateApp(form, basic);
    else if (clientId !== PUBLIC_CLIENT_ID) {
      throw aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const persona = this.findPersona(username);
    if (!persona) {
      throw aadError(400, 'invalid_grant', 50034, `The user account ${username || '{EUII Hidden}'} does not exist in the ${TENANT_ID} directory. To sign into this application, the account must be added to the directory.`);
    }
    if (persona.password !== password) {
      throw aadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
    }
    const scope = form.get('scope') ?? '';
    const resource = resolveResource(scope);
    if ('error' in resource) throw resource.error;
    const scopes = scope.split(/\s+/);
    await this.issueUserTokens(ctx, persona, clientId, resource, {
      idToken: scopes.includes('openid') || true,
      clientInfo: form.get('client_info') === '1' || true,
      refresh: true,
    });
  }

  private async oboGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    this.authenticateApp(form, basic);
    if (form.get('requested_token_use') !== 'on_behalf_of') {
      throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'requested_token_use'.");
    }
    const assertion = form.get('assertion');
    if (!assertion) throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'assertion'.");
    let payload: Record<string, unknown>;
    try {
      payload = (await this.d.tokens.verify(assertion, [APP_CLIENT_ID, `api://${APP_CLIENT_ID}`])).payload;
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      const p = e.problem;
      switch (p.kind) {
        case 'expired':
          throw aadError(400, 'invalid_grant', 500133, `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date().toISOString()}, expiry time of assertion ${new Date(p.exp * 1000).toISOString()}.`, { suberror: 'token_expired' });
        case 'notYetValid':
          throw aadError(400, 'invalid_grant', 500133, 'Assertion is not within its valid time range.');
        case 'audience':
          throw aadError(400, 'invalid_grant', 50013, `Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '', Found key 'Start=', End='']  Audience '${p.found}' is not this application (${APP_CLIENT_ID}).`);
        case 'issuer':
          throw aadError(400, 'invalid_grant', 50013, `Assertion failed signature validation. Issuer '${p.found}' is not trusted.`);
        case 'signature':
          throw aadError(400, 'invalid_grant', 50013, 'Assertion failed signature validation. [Reason - The key was not found.]');
        default:
          throw aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
      }
    }
    const oid = String(payload.oid ?? '');
    const persona = this.personaByOid(oid);
    if (!persona) throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
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
    if (clientId === APP_CLIENT_ID) this.authenticateApp(form, basic);
    const rt = form.get('refresh_token') ?? '';
    let payload: Record<string, unknown>;
    try {
      payload = (await this.d.tokens.verify(rt, [clientId])).payload;
    } catch {
      throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    if (payload.typ !== 'sandbox-refresh-token') throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    const persona = this.personaByOid(String(payload.oid ?? ''));
    if (!persona) throw aadError(400, 'invalid_grant', 50034, 'The user account {EUII Hidden} does not exist in the directory.');
    const resource = resolveResource(form.get('scope') ?? '');
    if ('error' in resource) throw resource.error;
    await this.issueUserTokens(ctx, persona, clientId, resource, { idToken: true, clientInfo: true, refresh: true });
  }

  private async clientCredentialsGrant(ctx: Ctx, form: URLSearchParams, basic?: { id: string; secret: string }): Promise<void> {
    this.authenticateApp(form, basic);
    const scope = form.get('scope') ?? '';
    if (!/\/\.default$/.test(scope.trim())) {
      throw aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
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
