import { aadError } from '../errors.js';
import type { Ctx } from '../http.js';
import { TENANT_ID } from '../ids.js';
import { RouteTable, route, type Params, type Route } from '../router.js';
import { authorizePage, authorizeSubmit, logout } from './authorize-page.js';
import { instanceDiscovery, jwks, openidConfiguration } from './discovery.js';
import type { IdentityEnv } from './env.js';
import { token } from './grants.js';
import { sendJson } from '../http.js';

export interface IdentityRequest {
  env: IdentityEnv;
  ctx: Ctx;
}

/** A handler under `/{tenant}/…`: the sandbox tenant by id or domain, `common` or `organizations`. */
function tenant(handle: (r: IdentityRequest, tenantSegment: string) => unknown): Route<IdentityRequest>['handle'] {
  return (r, p: Params) => {
    const seg = p.tenant ?? '';
    const t = seg.toLowerCase();
    if (t !== TENANT_ID && t !== 'organizations' && t !== 'common' && t !== 'contoso.sandbox') {
      throw aadError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${seg}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    return handle(r, seg);
  };
}

const tokenOnlyPost = tenant(() => {
  throw aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests. Received a GET request.');
});

/** Every Entra ID endpoint the sandbox answers (CORS and preflights are handled before the table). */
export const identityRoutes = new RouteTable<IdentityRequest>().add([
  route('GET', '/common/discovery/instance', ({ env, ctx }) => instanceDiscovery(env, ctx)),
  route('GET', '/organizations/discovery/instance', ({ env, ctx }) => instanceDiscovery(env, ctx)),
  route(
    'GET',
    '/:tenant/v2.0/.well-known/openid-configuration',
    tenant(({ env, ctx }, seg) => sendJson(ctx, 200, openidConfiguration(env, seg))),
  ),
  route(
    'GET',
    '/:tenant/discovery/v2.0/keys',
    tenant(({ env, ctx }) => jwks(env, ctx)),
  ),
  route(
    'POST',
    '/:tenant/oauth2/v2.0/token',
    tenant(({ env, ctx }) => token(env, ctx)),
  ),
  route('GET', '/:tenant/oauth2/v2.0/token', tokenOnlyPost),
  route('PUT', '/:tenant/oauth2/v2.0/token', tokenOnlyPost),
  route(
    'GET',
    '/:tenant/oauth2/v2.0/authorize',
    tenant(({ env, ctx }, seg) => authorizePage(env, ctx, seg, ctx.query)),
  ),
  route(
    'POST',
    '/:tenant/oauth2/v2.0/authorize',
    tenant(({ env, ctx }, seg) => authorizeSubmit(env, ctx, seg)),
  ),
  route(
    'GET',
    '/:tenant/oauth2/v2.0/logout',
    tenant(({ ctx }) => logout(ctx)),
  ),
]);
