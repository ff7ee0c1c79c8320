import 'server-only';
import {
  DefaultAzureCredential,
  ManagedIdentityCredential,
  OnBehalfOfCredential,
  type MultiTenantTokenCredentialOptions,
  type OnBehalfOfCredentialAssertionOptions,
  type OnBehalfOfCredentialCertificateOptions,
  type OnBehalfOfCredentialSecretOptions,
} from '@azure/identity';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { OboAuth, ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';
import { timed } from '@/lib/timing';
import { boundedPipeline } from './deadline';
import { TokenCache, isFresh, type CachedToken, type UserEntry } from './token-cache';
import { httpAgent } from './transport';

/**
 * On-behalf-of access for a signed-in user (decision 056). The tokens the exchange returns are kept per user token in
 * a `TokenCache` (a few KB an entry); each request gets a small `UserCredential` that answers from that entry, and
 * only a miss (first use, or a token near its expiry) runs the exchange, through a short-lived `OnBehalfOfCredential`
 * that is dropped as soon as it has answered. The cache is per app instance by design (decision 011): another
 * replica simply exchanges the same user token once more.
 */
export const tokenCache = new TokenCache();

type SecretOrCert =
  | Pick<OnBehalfOfCredentialSecretOptions, 'clientSecret'>
  | Pick<OnBehalfOfCredentialCertificateOptions, 'certificatePath' | 'sendCertificateChain'>
  | Pick<OnBehalfOfCredentialAssertionOptions, 'getAssertion'>;

/** The managed identity whose token is the client assertion, one per process (its own token cache). */
let federated: { key: string; credential: ManagedIdentityCredential } | undefined;

/** How the app proves itself to Entra ID in the exchange: client secret, client certificate or a federated assertion. */
export function clientAuthentication(
  config: ServerConfig,
  auth: OboAuth = config.oboAuth ?? { kind: 'secret' },
): SecretOrCert {
  if (auth.kind === 'certificate')
    return { certificatePath: auth.certificatePath, sendCertificateChain: auth.sendCertificateChain };
  if (auth.kind === 'managed-identity') {
    const key = auth.managedIdentityClientId ?? '';
    if (federated?.key !== key) {
      federated = {
        key,
        credential: auth.managedIdentityClientId
          ? new ManagedIdentityCredential({ clientId: auth.managedIdentityClientId })
          : new ManagedIdentityCredential(),
      };
    }
    const mi = federated.credential;
    return {
      getAssertion: async () => {
        const token = await mi.getToken(`${auth.audience}/.default`);
        return token.token;
      },
    };
  }
  return { clientSecret: config.clientSecret };
}

const MICROSOFT_LOGIN_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

export function isMicrosoftAuthority(authorityHost: string): boolean {
  try {
    return MICROSOFT_LOGIN_HOSTS.includes(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}

function exchangeOptions(principal: Principal, config: ServerConfig) {
  const agent = httpAgent(config);
  const options = {
    // The exchange runs in the user's own tenant (validated against the allow-list) — for a single-tenant app that is
    // the configured tenant.
    tenantId: principal.tid || config.tenantId,
    clientId: config.clientId,
    userAssertionToken: principal.assertion,
    authorityHost: config.authorityHost,
    ...clientAuthentication(config),
    // The token endpoint is an Azure call like any other: bounded (lib/azure/deadline.ts).
    ...boundedPipeline(),
    ...(agent && { agent }),
  } as OnBehalfOfCredentialSecretOptions & MultiTenantTokenCredentialOptions & { disableInstanceDiscovery?: boolean };
  // Instance discovery asks login.microsoftonline.com about the authority; an authority that is not a Microsoft
  // login host (the sandbox, Azure Stack, a local emulator) is trusted as configured instead. (The option exists at
  // runtime but not in the typings.)
  if (config.mode === 'sandbox' || !isMicrosoftAuthority(config.authorityHost)) options.disableInstanceDiscovery = true;
  return options;
}

/** The exchange itself, for one scope: a fresh OnBehalfOfCredential, used once and dropped. */
async function exchange(
  principal: Principal,
  config: ServerConfig,
  scope: string,
  options: GetTokenOptions | undefined,
): Promise<CachedToken> {
  const credential = new OnBehalfOfCredential(exchangeOptions(principal, config));
  const token = await credential.getToken(scope, {
    ...(options?.abortSignal && { abortSignal: options.abortSignal }),
    ...(options?.claims && { claims: options.claims }),
  });
  return token as CachedToken;
}

/**
 * The credential a request's SDK clients get: tokens from the user's cache entry, exchanged on a miss. It holds the
 * entry and the validated principal of this request only; it is never cached itself.
 */
export class UserCredential implements TokenCredential {
  constructor(
    /** The cache entry of this user token (also the per-user key for other small per-user memos, see vaults.ts). */
    readonly entry: UserEntry,
    private readonly principal: Principal,
    private readonly config: ServerConfig,
  ) {}

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    return timed('token', () => this.tokenFor(scopes, options));
  }

  private async tokenFor(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(' ');
    const { entry } = this;
    // A claims challenge (continuous access evaluation) asks for a new token with those claims: never from the cache.
    if (!options?.claims) {
      const hit = entry.tokens.get(scope);
      if (hit && isFresh(hit)) return hit;
      const inFlight = entry.pending.get(scope);
      if (inFlight) return inFlight;
    }
    const pending = timed('exchange', () => exchange(this.principal, this.config, scope, options));
    if (!options?.claims) entry.pending.set(scope, pending);
    try {
      const token = await pending;
      tokenCache.store(entry, scope, token);
      return token;
    } finally {
      if (entry.pending.get(scope) === pending) entry.pending.delete(scope);
    }
  }
}

export function oboCredential(principal: Principal, config: ServerConfig): UserCredential {
  return new UserCredential(tokenCache.entry(config.clientId, principal), principal, config);
}

/** A stable per-user object for small memos (vault lookups): the cache entry for a user credential. */
export function userScope(credential: TokenCredential): object {
  return credential instanceof UserCredential ? credential.entry : credential;
}

/**
 * `cses-cert services check` in Azure mode runs as whoever DefaultAzureCredential finds (environment, workload
 * identity, managed identity, the az CLI's sign-in): there is no browser token to exchange on the command line.
 */
export function cliCredential(): TokenCredential {
  return new DefaultAzureCredential();
}
