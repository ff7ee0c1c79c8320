import { sendJson } from '../http.js';
import { TENANT_ID } from '../ids.js';
import { route, type Route } from '../router.js';
import { API, checkApiVersion, page, subscriptionOr404, visibleSubscriptions, type ArmRequest } from './request.js';

// Microsoft.Resources subscriptions: list and get (what @azure/arm-resources-subscriptions calls).

export function subscriptionJson(s: {
  subscriptionId: string;
  displayName: string;
  state: string;
}): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    tags: {},
    subscriptionId: s.subscriptionId,
    tenantId: TENANT_ID,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

/** GET /subscriptions */
export function listSubscriptions({ d, ctx, caller }: ArmRequest): void {
  const apiVersion = checkApiVersion(ctx, API.subscriptions);
  const subs = visibleSubscriptions(d, caller).map((s) => subscriptionJson(s));
  sendJson(ctx, 200, {
    ...page(ctx, subs, '/subscriptions', apiVersion),
    count: { type: 'Total', value: subs.length },
  });
}

/** GET /subscriptions/{subscriptionId} */
export function getSubscription({ d, ctx, caller }: ArmRequest, subscriptionId: string): void {
  checkApiVersion(ctx, API.subscriptions);
  sendJson(ctx, 200, subscriptionJson(subscriptionOr404(d, caller, subscriptionId)));
}

export const subscriptionRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions', (r) => listSubscriptions(r)),
  route('GET', '/subscriptions/:subscriptionId', (r, p) => getSubscription(r, p.subscriptionId!)),
];
