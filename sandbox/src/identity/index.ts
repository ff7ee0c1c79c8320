import { notImplemented } from '../errors.js';
import type { Ctx } from '../http.js';
import type { IdentityDeps, IdentityEnv } from './env.js';
import { identityRoutes } from './routes.js';

export { APP_SERVICE_PRINCIPAL_OID, type IdentityDeps } from './env.js';

/** Entra ID v2 on `localhost:{port}`: discovery, the authorize page, the token endpoint, logout. */
export class Identity {
  private readonly env: IdentityEnv;
  constructor(d: IdentityDeps) {
    this.env = { ...d, codes: new Map() };
  }

  /** True for the identity paths (`/{tenant}/v2.0|discovery|oauth2/…`, `/common/discovery/…`). */
  static owns(pathname: string): boolean {
    return (
      /^\/(common|organizations|consumers|[^/]+)\/(v2\.0|discovery|oauth2)\//.test(pathname) ||
      pathname.startsWith('/common/discovery/')
    );
  }

  async handle(ctx: Ctx): Promise<void> {
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
      return;
    }
    if (!(await identityRoutes.dispatch(ctx.method, ctx.pathname, { env: this.env, ctx })))
      throw notImplemented(ctx.method, ctx.pathname);
  }
}
