import 'server-only';
import { createHash } from 'node:crypto';
import {
  DefaultAzureCredential,
  ManagedIdentityCredential,
  OnBehalfOfCredential,
  type MultiTenantTokenCredentialOptions,
  type OnBehalfOfCredentialAssertionOptions,
  type OnBehalfOfCredentialCertificateOptions,
  type OnBehalfOfCredentialSecretOptions,
} from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { OboAuth, ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';
import { boundedPipeline } from './deadline';
import { timed } from '@/lib/timing';
import { httpAgent } from './transport';

/**
 * One OBO credential per incoming user token. The credential keeps the exchanged ARM and Key Vault tokens in its own
 * MSAL cache, so reusing it for the same assertion avoids a token exchange on every request, and a cache entry can
 * only ever serve the user whose token created it. Entries leave when the assertion expires. The cache is per app
 * instance by design (decision 011): another replica simply exchanges the same user token once more.
 */
const MAX_ENTRIES = 1000;
const credentials = new Map<string, { credential: TokenCredential; expiresAt: number }>();

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
  const credential = new OnBehalfOfCredential(options);
  const getToken = credential.getToken.bind(credential);
  credential.getToken = (scopes, opts) => timed('token', () => getToken(scopes, opts));
  credentials.set(key, { credential, expiresAt: principal.expiresAt });
  return credential;
}

/**
 * `cses-cert services check` in Azure mode runs as whoever DefaultAzureCredential finds (environment, workload
 * identity, managed identity, the az CLI's sign-in): there is no browser token to exchange on the command line.
 */
export function cliCredential(): TokenCredential {
  return new DefaultAzureCredential();
}
