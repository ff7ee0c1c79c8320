import 'server-only';
import type { TokenCredential } from '@azure/core-auth';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ServiceClient } from '@azure/core-client';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import type { ServerConfig } from '@/lib/config';
import { boundedPipeline } from './deadline';
import { timed } from '@/lib/timing';
import { httpAgent } from './transport';
import { checkVaultUrl } from './vault-url';

/**
 * The only place that builds Azure SDK clients. Every client gets the configured endpoint and audience.
 *
 * Clients live for one request: they are kept per credential object (credentials.ts makes one per request) and per
 * target, so the calls of one request share a client, and nothing of a client outlives the request — per user, only
 * the exchanged tokens are kept (decision 056). Building one costs well under a millisecond. What would be lost by
 * a fresh client is kept elsewhere: connections in one process-wide HTTP client (`sharedHttpClient`), and Key Vault's
 * challenge round trip is never needed, because Key Vault clients send the user's token for the configured Key Vault
 * audience up front (`keyVaultBearer`) to hosts that `checkVaultUrl` allowed — the SDK's own challenge policy sends a
 * first request without a token only to learn that audience.
 */
const clientsByCredential = new WeakMap<TokenCredential, Map<string, unknown>>();

/** One HTTP client for every SDK client of the process, so per-request clients share kept-alive connections. */
let httpClient: HttpClient | undefined;
function sharedHttpClient(): HttpClient {
  return (httpClient ??= createDefaultHttpClient());
}

function transportOptions(config: ServerConfig) {
  const agent = httpAgent(config);
  return { httpClient: sharedHttpClient(), ...boundedPipeline(), ...(agent && { agent }) };
}

function reuse<T>(credential: TokenCredential, key: string, make: () => T): T {
  let clients = clientsByCredential.get(credential);
  if (!clients) {
    clients = new Map();
    clientsByCredential.set(credential, clients);
  }
  let client = clients.get(key) as T | undefined;
  if (client === undefined) {
    client = timed('client', make);
    clients.set(key, client);
  }
  return client;
}

export function subscriptionClient(credential: TokenCredential, config: ServerConfig): SubscriptionClient {
  return reuse(credential, `subscriptions ${config.armEndpoint}`, () => {
    return new SubscriptionClient(credential, {
      endpoint: config.armEndpoint,
      credentialScopes: [`${config.armAudience}/.default`],
      ...transportOptions(config),
    });
  });
}

export function keyVaultManagementClient(
  credential: TokenCredential,
  config: ServerConfig,
  subscriptionId: string,
): KeyVaultManagementClient {
  return reuse(credential, `keyvault-management ${config.armEndpoint} ${subscriptionId}`, () => {
    return new KeyVaultManagementClient(credential, subscriptionId, {
      endpoint: config.armEndpoint,
      credentials: { scopes: [`${config.armAudience}/.default`] },
      ...transportOptions(config),
    });
  });
}

export function resourceManagementClient(
  credential: TokenCredential,
  config: ServerConfig,
  subscriptionId: string,
): ResourceManagementClient {
  return reuse(credential, `resources ${config.armEndpoint} ${subscriptionId}`, () => {
    return new ResourceManagementClient(credential, subscriptionId, {
      endpoint: config.armEndpoint,
      credentialScopes: [`${config.armAudience}/.default`],
      ...transportOptions(config),
    });
  });
}

/**
 * A plain ARM client on Azure's core pipeline (bearer token from the user's credential, the default retry, redirect
 * and logging policies, the sandbox agent) for the resource types no maintained SDK covers: cloud services and the
 * permissions API (decision 032). Requests are built by the caller (`createPipelineRequest`).
 */
export function armClient(credential: TokenCredential, config: ServerConfig): ServiceClient {
  return reuse(credential, `arm ${config.armEndpoint}`, () => {
    return new ServiceClient({
      endpoint: config.armEndpoint,
      credential,
      credentialScopes: [`${config.armAudience}/.default`],
      ...transportOptions(config),
    });
  });
}

function suffixUnderResource(config: ServerConfig): boolean {
  try {
    const resourceHost = new URL(config.keyVaultAudience).hostname.toLowerCase();
    const suffix = config.keyVaultDnsSuffix.toLowerCase();
    return suffix === resourceHost || suffix.endsWith(`.${resourceHost}`);
  } catch {
    return false;
  }
}

const KEY_VAULT_CHALLENGE_POLICY = 'keyVaultAuthenticationPolicy';

/**
 * Swaps a Key Vault client's challenge policy for Azure core's bearer-token policy with the configured Key Vault
 * audience, so the first request of a (per-request) client carries the token instead of costing a 401 round trip.
 * The SDK builds its pipeline the same way (it removes core's bearer policy and adds its challenge policy by name);
 * should a future SDK stop doing so, nothing is removed and the client keeps its own policy — slower, never unsafe.
 * Returns the client; `usesKeyVaultBearer` tells whether the swap happened (tested).
 */
function keyVaultBearer<T extends CertificateClient | SecretClient>(
  client: T,
  credential: TokenCredential,
  config: ServerConfig,
): T {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  const removed = pipeline?.removePolicy({ name: KEY_VAULT_CHALLENGE_POLICY }) ?? [];
  if (pipeline && removed.length) {
    pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential,
        scopes: `${config.keyVaultAudience.replace(/\/+$/, '')}/.default`,
      }),
    );
    swapped.add(client);
  }
  return client;
}
const swapped = new WeakSet<object>();
export const usesKeyVaultBearer = (client: CertificateClient | SecretClient): boolean => swapped.has(client);

export function certificateClient(
  credential: TokenCredential,
  config: ServerConfig,
  vaultUri: string,
): CertificateClient {
  // Checked on every call, before any cached client is handed out.
  const url = checkVaultUrl(vaultUri, config.keyVaultDnsSuffix, config.sandbox?.port ?? config.keyVaultPort);
  return reuse(credential, `keyvault ${url.href}`, () => {
    const sent = { imports: 0 };
    const transport = transportOptions(config);
    const client = keyVaultBearer(
      new CertificateClient(url.href, credential, {
        // The sandbox answers challenges with resource=https://vault.azure.net (as Azure does) while its hosts are
        // *.vault.localhost, so the SDK's host-vs-resource check is replaced by checkVaultUrl above (decision 003). In
        // Azure's clouds the vault suffix lies under the resource's host and the SDK checks it as well.
        disableChallengeResourceVerification: config.mode === 'sandbox' || !suffixUnderResource(config),
        ...transport,
        additionalPolicies: [
          ...transport.additionalPolicies,
          { policy: countImports(sent), position: 'perRetry' as const },
        ],
      }),
      credential,
      config,
    );
    importsSent.set(client, sent);
    return client;
  });
}

/**
 * Counts the certificate imports a client has put on the wire, each retry of the SDK's retry policy included
 * (`perRetry`: the policy runs once per attempt). An import sent exactly once and answered cannot have left a
 * duplicate version, so the import skips its look for duplicates (decision 050).
 */
function countImports(sent: { imports: number }): PipelinePolicy {
  return {
    name: 'csesCountImports',
    sendRequest(request, next) {
      if (request.method === 'POST' && /\/certificates\/[^/]+\/import$/i.test(new URL(request.url).pathname))
        sent.imports++;
      return next(request);
    },
  };
}
const importsSent = new WeakMap<CertificateClient, { imports: number }>();
/** How many import requests `client` has sent, retries included; NaN for a client not built here. */
export const importRequestsSent = (client: CertificateClient): number => importsSent.get(client)?.imports ?? NaN;

/** The vault's secrets (metadata of plain PKCS#12 secrets left by the classic migration; see cloud-services.ts). */
export function secretClient(credential: TokenCredential, config: ServerConfig, vaultUri: string): SecretClient {
  const url = checkVaultUrl(vaultUri, config.keyVaultDnsSuffix, config.sandbox?.port ?? config.keyVaultPort);
  return reuse(credential, `keyvault-secrets ${url.href}`, () =>
    keyVaultBearer(
      new SecretClient(url.href, credential, {
        disableChallengeResourceVerification: config.mode === 'sandbox' || !suffixUnderResource(config),
        ...transportOptions(config),
      }),
      credential,
      config,
    ),
  );
}
