import type { ServerConfig } from '@/lib/config';

/** What the browser needs to sign in. Identifiers and URLs only; never a secret. */
export interface PublicAuthConfig {
  mode: 'sandbox' | 'azure';
  clientId: string;
  authority: string;
  knownAuthorities: string[];
  apiScope: string;
}

export function publicAuthConfig(config: ServerConfig): PublicAuthConfig {
  return {
    mode: config.mode,
    clientId: config.spaClientId ?? config.clientId,
    authority: `${config.authorityHost}/${config.tenantId}`,
    knownAuthorities: [new URL(config.authorityHost).host],
    apiScope: config.apiScope,
  };
}
