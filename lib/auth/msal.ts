import type { Configuration, RedirectRequest } from '@azure/msal-browser';
import type { PublicAuthConfig } from './public-config';

/** MSAL browser configuration for Azure mode (the only module that knows MSAL's settings). */
export function msalConfiguration(config: PublicAuthConfig, origin: string): Configuration {
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      // Silent renewals land on the redirect bridge page (MSAL v5 requires one for iframe/popup flows).
      redirectUri: `${origin}/redirect`,
    },
    cache: { cacheLocation: 'sessionStorage' },
  };
}

export function signInRequest(config: PublicAuthConfig): RedirectRequest {
  return { scopes: [config.apiScope] };
}
