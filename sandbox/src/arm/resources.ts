import { notImplemented } from '../errors.js';
import { sendJson } from '../http.js';
import { hasAction } from '../rbac.js';
import { route, type Route } from '../router.js';
import { vaultId } from '../model.js';
import { API, checkApiVersion, page, subscriptionOr404, type ArmRequest } from './request.js';

// Microsoft.Resources generic resource list: what arm-keyvault's `vaults.list()` calls (no `properties`).

/** GET /subscriptions/{sub}/resources?$filter=resourceType eq 'Microsoft.KeyVault/vaults' */
export function listResources({ d, ctx, caller }: ArmRequest, subscriptionId: string): void {
  const apiVersion = checkApiVersion(ctx, API.resources);
  const sub = subscriptionOr404(d, caller, subscriptionId, 'Microsoft.Resources/subscriptions/resources/read');
  const filter = ctx.query.get('$filter') ?? '';
  const fm = /resourceType eq '([^']+)'/i.exec(filter);
  if (filter && (!fm || fm[1]!.toLowerCase() !== 'microsoft.keyvault/vaults'))
    throw notImplemented(ctx.method, `${ctx.pathname}?$filter=${filter}`);
  const state = d.store.state;
  const items = state.vaults
    .filter(
      (v) =>
        v.subscriptionId === sub.subscriptionId &&
        hasAction(state, caller.oid, vaultId(v), 'Microsoft.KeyVault/vaults/read'),
    )
    .map((v) => ({
      id: vaultId(v),
      name: v.name,
      type: 'Microsoft.KeyVault/vaults',
      location: v.location,
      tags: v.tags,
    }));
  sendJson(ctx, 200, page(ctx, items, ctx.pathname, apiVersion));
}

export const resourceRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions/:subscriptionId/resources', (r, p) => listResources(r, p.subscriptionId!)),
];
