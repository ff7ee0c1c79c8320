import { type Ctx, sendJson } from '../http.js';
import { TENANT_ID } from '../ids.js';
import { type IdentityEnv } from './env.js';

export function openidConfiguration(d: IdentityEnv, tenantSegment: string): Record<string, unknown> {
  const host = d.authorityHost();
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

/** GET /common/discovery/instance (MSAL's instance discovery; the sandbox is its own known authority). */
export function instanceDiscovery(d: IdentityEnv, ctx: Ctx): void {
  const hostPort = new URL(d.authorityHost()).host;
  sendJson(ctx, 200, {
    tenant_discovery_endpoint: `${d.authorityHost()}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: hostPort, preferred_cache: hostPort, aliases: [hostPort] }],
  });
}

/** GET /{tenant}/discovery/v2.0/keys */
export async function jwks(d: IdentityEnv, ctx: Ctx): Promise<void> {
  sendJson(ctx, 200, await d.tokens.jwks());
}
