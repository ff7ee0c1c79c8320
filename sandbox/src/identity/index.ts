import { aadError, notImplemented } from '../errors.js';
import { type Ctx, sendJson, sendText } from '../http.js';
import { TENANT_ID } from '../ids.js';
import { authorizePage, authorizeSubmit, isLoopbackRedirect, page } from './authorize-page.js';
import { openidConfiguration } from './discovery.js';
import { token } from './grants.js';
import type { IdentityDeps, IdentityEnv } from './env.js';

export { APP_SERVICE_PRINCIPAL_OID, type IdentityDeps } from './env.js';

/** Entra ID v2 on `localhost:{port}`: discovery, the authorize page, the token endpoint, logout. */
export class Identity {
  private readonly env: IdentityEnv;
  constructor(d: IdentityDeps) {
    this.env = { ...d, codes: new Map() };
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
      const hostPort = new URL(this.env.authorityHost()).host;
      sendJson(ctx, 200, {
        tenant_discovery_endpoint: `${this.env.authorityHost()}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
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
      sendJson(ctx, 200, openidConfiguration(this.env, tenantSeg));
      return true;
    }
    if (what === 'discovery/v2.0/keys' && ctx.method === 'GET') {
      sendJson(ctx, 200, await this.env.tokens.jwks());
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
      await token(this.env, ctx);
      return true;
    }
    if (what === 'oauth2/v2.0/authorize') {
      if (ctx.method === 'GET') return authorizePage(this.env, ctx, tenantSeg, ctx.query);
      if (ctx.method === 'POST') return authorizeSubmit(this.env, ctx, tenantSeg);
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
}
