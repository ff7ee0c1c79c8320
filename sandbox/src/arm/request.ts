import { armError, authorizationFailed, invalidContent } from '../errors.js';
import { parseJsonBody, readBody } from '../http.js';
import { hasAction } from '../rbac.js';
import type { Vault } from '../model.js';
import type { Ctx } from '../http.js';
import type { Store } from '../state.js';
import type { TokenService } from '../tokens.js';
import type { Faults } from '../faults.js';

export interface ArmDeps {
  store: Store;
  tokens: TokenService;
  /** fault rules; the cloud services RP takes its own (`area: "cloudServices"`) from them */
  faults?: Faults;
  vaultUri: (name: string) => string;
  onVaultsChanged?: () => void;
}

export interface ArmCaller {
  oid: string;
  upn: string;
}

/** One authenticated ARM request, as every ARM handler receives it (each checks its own api-version). */
export interface ArmRequest {
  d: ArmDeps;
  ctx: Ctx;
  caller: ArmCaller;
}

export const SUBSCRIPTION_API_VERSIONS = [
  '2016-06-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2021-01-01',
  '2022-01-01',
  '2022-09-01',
  '2022-12-01',
];
export const RESOURCE_API_VERSIONS = [
  '2019-10-01',
  '2020-06-01',
  '2021-04-01',
  '2022-09-01',
  '2023-07-01',
  '2024-03-01',
  '2024-07-01',
  '2024-11-01',
  '2025-01-01',
  '2025-03-01',
  '2025-04-01',
];
export const KEYVAULT_API_VERSIONS = [
  '2015-06-01',
  '2016-10-01',
  '2018-02-14',
  '2018-02-14-preview',
  '2019-09-01',
  '2020-04-01-preview',
  '2021-04-01-preview',
  '2021-06-01-preview',
  '2021-10-01',
  '2021-11-01-preview',
  '2022-02-01-preview',
  '2022-07-01',
  '2022-11-01',
  '2023-02-01',
  '2023-07-01',
  '2023-08-01-PREVIEW',
  '2024-04-01-preview',
  '2024-11-01',
  '2024-12-01-preview',
  '2025-05-01',
  '2026-02-01',
];
export const AUTHORIZATION_API_VERSIONS = [
  '2015-07-01',
  '2018-01-01-preview',
  '2018-09-01-preview',
  '2020-04-01-preview',
  '2020-10-01-preview',
  '2022-04-01',
  '2022-05-01-preview',
];
export const VAULT_NAME_RE = /^(?=.{3,24}$)[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$/;
export const VAULT_NAME_MESSAGE = (name: string) =>
  `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`;
export const LOCATIONS = [
  'westeurope',
  'northeurope',
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'uksouth',
  'centralus',
  'swedencentral',
];

/** The api-versions one resource type answers, and how ARM names it in a refusal. */
export interface ApiVersions {
  versions: string[];
  type: string;
  namespace: string;
}

export const API = {
  subscriptions: { versions: SUBSCRIPTION_API_VERSIONS, type: 'subscriptions', namespace: 'Microsoft.Resources' },
  resources: {
    versions: ['2015-11-01', ...RESOURCE_API_VERSIONS],
    type: 'resources',
    namespace: 'Microsoft.Resources',
  },
  resourceGroups: { versions: RESOURCE_API_VERSIONS, type: 'resourceGroups', namespace: 'Microsoft.Resources' },
  vaults: { versions: KEYVAULT_API_VERSIONS, type: 'vaults', namespace: 'Microsoft.KeyVault' },
  checkNameAvailability: {
    versions: KEYVAULT_API_VERSIONS,
    type: 'checkNameAvailability',
    namespace: 'Microsoft.KeyVault',
  },
  deletedVaults: { versions: KEYVAULT_API_VERSIONS, type: 'deletedVaults', namespace: 'Microsoft.KeyVault' },
  authorization: {
    versions: AUTHORIZATION_API_VERSIONS,
    type: 'roleAssignments',
    namespace: 'Microsoft.Authorization',
  },
} satisfies Record<string, ApiVersions>;

export function requireAction(d: ArmDeps, caller: ArmCaller, action: string, scope: string): void {
  if (!hasAction(d.store.state, caller.oid, scope, action)) throw authorizationFailed(caller, action, scope);
}

export function checkApiVersion(ctx: Ctx, api: ApiVersions): string {
  const { versions: supported, type: typeName, namespace } = api;
  const v = ctx.query.get('api-version');
  if (!v) {
    throw armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!supported.some((s) => s.toLowerCase() === v.toLowerCase())) {
    if (namespace === 'Microsoft.Resources') {
      throw armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${v}' is invalid. The supported versions are '${supported.slice().reverse().join(',')}'.`,
      );
    }
    throw armError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'westeurope' and API version '${v}' for type '${typeName}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are '${LOCATIONS.join(', ')}'.`,
    );
  }
  return v;
}

export function visibleSubscriptions(d: ArmDeps, caller: ArmCaller) {
  return d.store.state.subscriptions.filter((s) =>
    d.store.state.roleAssignments.some(
      (a) =>
        a.principalId === caller.oid &&
        (a.scope.toLowerCase() === `/subscriptions/${s.subscriptionId}` ||
          a.scope.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId}/`)),
    ),
  );
}

/**
 * The subscription, or ARM's answer when it does not exist (404) or the caller has no role anywhere in it (403 for
 * the operation's own action and scope, which is what ARM reports).
 */
export function subscriptionOr404(
  d: ArmDeps,
  caller: ArmCaller,
  subId: string,
  action = 'Microsoft.Resources/subscriptions/read',
  scope = `/subscriptions/${subId}`,
) {
  const sub = d.store.state.subscriptions.find((s) => s.subscriptionId.toLowerCase() === subId.toLowerCase());
  if (!sub) throw armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);
  if (!visibleSubscriptions(d, caller).includes(sub)) throw authorizationFailed(caller, action, scope);
  return sub;
}

export function findVault(d: ArmDeps, subId: string, rg: string, name: string): Vault | undefined {
  return d.store.state.vaults.find(
    (v) =>
      v.subscriptionId.toLowerCase() === subId.toLowerCase() &&
      v.resourceGroup.toLowerCase() === rg.toLowerCase() &&
      v.name.toLowerCase() === name.toLowerCase(),
  );
}

export function rgOr404(d: ArmDeps, subId: string, rg: string) {
  const g = d.store.state.resourceGroups.find(
    (r) => r.subscriptionId.toLowerCase() === subId.toLowerCase() && r.name.toLowerCase() === rg.toLowerCase(),
  );
  if (!g) throw armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
  return g;
}

/** Paging with $top / $skiptoken on the same path (keyvault-wire.md §8.2). */
export function page<T>(ctx: Ctx, items: T[], basePath: string, apiVersion: string): { value: T[]; nextLink?: string } {
  const topRaw = ctx.query.get('$top');
  const skip = Number(ctx.query.get('$skiptoken') ?? '0') || 0;
  const top = topRaw ? Math.max(1, Math.min(1000, Number(topRaw) || 1000)) : 1000;
  const slice = items.slice(skip, skip + top);
  const out: { value: T[]; nextLink?: string } = { value: slice };
  if (skip + top < items.length) {
    const q = new URLSearchParams({ 'api-version': apiVersion, $skiptoken: String(skip + top) });
    if (topRaw) q.set('$top', String(top));
    out.nextLink = `${ctx.origin}${basePath}?${q.toString()}`;
  }
  return out;
}

export async function jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(await readBody(ctx.req));
  } catch (e) {
    throw invalidContent(`'${(e as Error).message}'.`);
  }
  if (parsed === undefined) throw invalidContent('the body is empty.');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidContent('expected a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
