import 'server-only';
import { createHash } from 'node:crypto';
import { OnBehalfOfCredential, type MultiTenantTokenCredentialOptions, type OnBehalfOfCredentialSecretOptions } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';
import { httpAgent } from './transport';

/**
 * One OBO credential per incoming user token. The credential keeps the exchanged ARM and Key Vault tokens in its own
 * MSAL cache, so reusing it for the same assertion avoids a token exchange on every request, and a cache entry can
 * only ever serve the user whose token created it. Entries leave when the assertion expires.
 */
const MAX_ENTRIES = 1000;
const credentials = new Map<string, { credential: TokenCredential; expiresAt: number }>();

export function oboCredential(principal: Principal, config: ServerConfig): TokenCredential {
  const key = createHash('sha256').update(config.clientId).update('\0').update(principal.assertion).digest('base64url');
  const now = Date.now();
  const hit = credentials.get(key);
  if (hit && hit.expiresAt > now) return hit.credential;

  for (const [k, v] of credentials) if (v.expiresAt <= now) credentials.delete(k);
  if (credentials.size >= MAX_ENTRIES) {
    const oldest = credentials.keys().next().value;
    if (oldest !== undefined) credentials.delete(oldest);
  }

  const agent = httpAgent(config);
  const options: OnBehalfOfCredentialSecretOptions & MultiTenantTokenCredentialOptions & { disableInstanceDiscovery?: boolean } = {
    tenantId: config.tenantId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    userAssertionToken: principal.assertion,
    authorityHost: config.authorityHost,
    ...(agent && { agent }),
  };
  // The sandbox is not on Microsoft's instance-discovery list (the option exists at runtime but not in the typings).
  if (config.mode === 'sandbox') options.disableInstanceDiscovery = true;
  const credential = new OnBehalfOfCredential(options);
  credentials.set(key, { credential, expiresAt: principal.expiresAt });
  return credential;
}
