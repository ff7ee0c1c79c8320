import 'server-only';
import type { TokenCredential } from '@azure/core-auth';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ServiceClient } from '@azure/core-client';
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
 * Clients are kept per credential (one credential per user token, see credentials.ts) and per target, so a user's
 * consecutive requests reuse the Key Vault challenge the SDK cached (no 401 round trip each time) and its kept-alive
 * connections. They can never serve another user: the map is keyed by that user's credential object and goes when
 * the credential does.
 */
const clientsByCredential = new WeakMap<TokenCredential, Map<string, unknown>>();

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
    const agent = httpAgent(config);
    return new SubscriptionClient(credential, {
      endpoint: config.armEndpoint,
      credentialScopes: [`${config.armAudience}/.default`],
      ...boundedPipeline(),
      ...(agent && { agent }),
    });
  });
}

export function keyVaultManagementClient(
  credential: TokenCredential,
  config: ServerConfig,
  subscriptionId: string,
): KeyVaultManagementClient {
  return reuse(credential, `keyvault-management ${config.armEndpoint} ${subscriptionId}`, () => {
    const agent = httpAgent(config);
    return new KeyVaultManagementClient(credential, subscriptionId, {
      endpoint: config.armEndpoint,
      credentials: { scopes: [`${config.armAudience}/.default`] },
      ...boundedPipeline(),
      ...(agent && { agent }),
    });
  });
}

export function resourceManagementClient(
  credential: TokenCredential,
  config: ServerConfig,
  subscriptionId: string,
): ResourceManagementClient {
  return reuse(credential, `resources ${config.armEndpoint} ${subscriptionId}`, () => {
    const agent = httpAgent(config);
    return new ResourceManagementClient(credential, subscriptionId, {
      endpoint: config.armEndpoint,
      credentialScopes: [`${config.armAudience}/.default`],
      ...boundedPipeline(),
      ...(agent && { agent }),
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
    const agent = httpAgent(config);
    return new ServiceClient({
      endpoint: config.armEndpoint,
      credential,
      credentialScopes: [`${config.armAudience}/.default`],
      ...boundedPipeline(),
      ...(agent && { agent }),
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

export function certificateClient(
  credential: TokenCredential,
  config: ServerConfig,
  vaultUri: string,
): CertificateClient {
  // Checked on every call, before any cached client is handed out.
  const url = checkVaultUrl(vaultUri, config.keyVaultDnsSuffix, config.sandbox?.port ?? config.keyVaultPort);
  return reuse(credential, `keyvault ${url.href}`, () => {
    const agent = httpAgent(config);
    return new CertificateClient(url.href, credential, {
      // The sandbox answers challenges with resource=https://vault.azure.net (as Azure does) while its hosts are
      // *.vault.localhost, so the SDK's host-vs-resource check is replaced by checkVaultUrl above (decision 003). In
      // Azure's clouds the vault suffix lies under the resource's host and the SDK checks it as well.
      disableChallengeResourceVerification: config.mode === 'sandbox' || !suffixUnderResource(config),
      ...boundedPipeline(),
      ...(agent && { agent }),
    });
  });
}

/** The vault's secrets (metadata of plain PKCS#12 secrets left by the classic migration; see cloud-services.ts). */
export function secretClient(credential: TokenCredential, config: ServerConfig, vaultUri: string): SecretClient {
  const url = checkVaultUrl(vaultUri, config.keyVaultDnsSuffix, config.sandbox?.port ?? config.keyVaultPort);
  return reuse(credential, `keyvault-secrets ${url.href}`, () => {
    const agent = httpAgent(config);
    return new SecretClient(url.href, credential, {
      disableChallengeResourceVerification: config.mode === 'sandbox' || !suffixUnderResource(config),
      ...boundedPipeline(),
      ...(agent && { agent }),
    });
  });
}
