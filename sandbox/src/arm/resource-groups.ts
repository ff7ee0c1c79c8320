import { armError, authorizationFailed } from '../errors.js';
import { sendEmpty, sendJson } from '../http.js';
import { hasAction } from '../rbac.js';
import { route, type Route } from '../router.js';
import type { ResourceGroup } from '../model.js';
import {
  API,
  LOCATIONS,
  checkApiVersion,
  jsonBody,
  page,
  requireAction,
  rgOr404,
  subscriptionOr404,
  type ArmRequest,
} from './request.js';

// Microsoft.Resources resource groups: list, get, HEAD (exists?), PUT (create or update tags).

const READ = 'Microsoft.Resources/subscriptions/resourceGroups/read';
const WRITE = 'Microsoft.Resources/subscriptions/resourceGroups/write';

export function rgJson(g: ResourceGroup): Record<string, unknown> {
  return {
    id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
    name: g.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: g.location,
    tags: g.tags,
    properties: { provisioningState: 'Succeeded' },
  };
}

/** GET /subscriptions/{sub}/resourcegroups */
export function listResourceGroups({ d, ctx, caller }: ArmRequest, subscriptionId: string): void {
  const apiVersion = checkApiVersion(ctx, API.resourceGroups);
  const sub = subscriptionOr404(d, caller, subscriptionId, READ, `/subscriptions/${subscriptionId}`);
  const subScope = `/subscriptions/${sub.subscriptionId}`;
  const state = d.store.state;
  const groups = state.resourceGroups
    .filter((g) => g.subscriptionId === sub.subscriptionId)
    .filter((g) => hasAction(state, caller.oid, `${subScope}/resourceGroups/${g.name}`, READ));
  if (groups.length === 0 && !hasAction(state, caller.oid, subScope, READ)) {
    throw authorizationFailed(caller, READ, subScope);
  }
  sendJson(
    ctx,
    200,
    page(
      ctx,
      groups.map((g) => rgJson(g)),
      ctx.pathname,
      apiVersion,
    ),
  );
}

/** GET and HEAD /subscriptions/{sub}/resourcegroups/{rg} */
export function getResourceGroup({ d, ctx, caller }: ArmRequest, subscriptionId: string, rgName: string): void {
  checkApiVersion(ctx, API.resourceGroups);
  const sub = subscriptionOr404(
    d,
    caller,
    subscriptionId,
    READ,
    `/subscriptions/${subscriptionId}/resourceGroups/${rgName}`,
  );
  requireAction(d, caller, READ, `/subscriptions/${sub.subscriptionId}/resourceGroups/${rgName}`);
  const g = rgOr404(d, sub.subscriptionId, rgName);
  if (ctx.method === 'HEAD') sendEmpty(ctx, 204);
  else sendJson(ctx, 200, rgJson(g));
}

/** PUT /subscriptions/{sub}/resourcegroups/{rg} */
export async function putResourceGroup(
  { d, ctx, caller }: ArmRequest,
  subscriptionId: string,
  rgName: string,
): Promise<void> {
  checkApiVersion(ctx, API.resourceGroups);
  const sub = subscriptionOr404(
    d,
    caller,
    subscriptionId,
    WRITE,
    `/subscriptions/${subscriptionId}/resourceGroups/${rgName}`,
  );
  requireAction(d, caller, WRITE, `/subscriptions/${sub.subscriptionId}/resourceGroups/${rgName}`);
  if (!/^[-\w._()]{1,90}$/.test(rgName) || rgName.endsWith('.')) {
    throw armError(
      400,
      'InvalidResourceGroup',
      `The provided resource group name '${rgName}' has these invalid characters: '${rgName.replace(/[-\w._()]/g, '')}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.`,
    );
  }
  const body = await jsonBody(ctx);
  const location = typeof body.location === 'string' ? body.location.toLowerCase().replace(/\s+/g, '') : '';
  if (!location) throw armError(400, 'LocationRequired', 'The location property is required for this definition.');
  if (!LOCATIONS.includes(location))
    throw armError(
      400,
      'LocationNotAvailableForResourceGroup',
      `The provided location '${body.location}' is not available for resource group. List of available regions is '${LOCATIONS.join(',')}'.`,
    );
  const state = d.store.state;
  const existing = state.resourceGroups.find(
    (g) => g.subscriptionId === sub.subscriptionId && g.name.toLowerCase() === rgName.toLowerCase(),
  );
  if (existing) {
    if (existing.location !== location)
      throw armError(
        409,
        'InvalidResourceGroupLocation',
        `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
      );
    if (body.tags && typeof body.tags === 'object') existing.tags = body.tags as Record<string, string>;
    d.store.save();
    sendJson(ctx, 200, rgJson(existing));
    return;
  }
  const g: ResourceGroup = {
    subscriptionId: sub.subscriptionId,
    name: rgName,
    location,
    tags: (body.tags as Record<string, string>) ?? {},
  };
  state.resourceGroups.push(g);
  d.store.save();
  sendJson(ctx, 201, rgJson(g));
}

const RG = '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName';

export const resourceGroupRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions/:subscriptionId/resourceGroups', (r, p) => listResourceGroups(r, p.subscriptionId!)),
  route('GET', RG, (r, p) => getResourceGroup(r, p.subscriptionId!, p.resourceGroupName!)),
  route('HEAD', RG, (r, p) => getResourceGroup(r, p.subscriptionId!, p.resourceGroupName!)),
  route('PUT', RG, (r, p) => putResourceGroup(r, p.subscriptionId!, p.resourceGroupName!)),
];
