import { armError } from '../errors.js';
import { sendJson } from '../http.js';
import { ROLE_DEFINITIONS, assignmentsFor } from '../rbac.js';
import { route, type Params, type Route } from '../router.js';
import { API, checkApiVersion, requireAction, rgOr404, subscriptionOr404, type ArmRequest } from './request.js';

// Microsoft.Authorization at a subscription, resource group or resource scope: role assignments, role definitions
// and the caller's permissions — enough to explain a caller's rights.

function covers(outer: string, inner: string): boolean {
  return inner.toLowerCase() === outer.toLowerCase() || inner.toLowerCase().startsWith(`${outer.toLowerCase()}/`);
}

/** The ARM scope a route matched, rebuilt from its parameters. */
function scopeOf(p: Params): string {
  let s = `/subscriptions/${p.subscriptionId}`;
  if (p.resourceGroupName !== undefined) s += `/resourceGroups/${p.resourceGroupName}`;
  if (p.namespace !== undefined) {
    s += `/providers/${p.namespace}`;
    if (p.parentType !== undefined) s += `/${p.parentType}/${p.parentName}`;
    s += `/${p.resourceType}/${p.resourceName}`;
  }
  return s;
}

/** ARM's checks before any Microsoft.Authorization answer at `scope`. */
function authorizationScope(r: ArmRequest, p: Params): string {
  const { d, ctx, caller } = r;
  checkApiVersion(ctx, API.authorization);
  const scope = scopeOf(p);
  subscriptionOr404(d, caller, p.subscriptionId!, 'Microsoft.Authorization/roleAssignments/read', scope);
  requireAction(d, caller, 'Microsoft.Authorization/roleAssignments/read', scope);
  return scope;
}

function roleDefinitionId(subscriptionId: string, id: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
}

/** GET {scope}/providers/Microsoft.Authorization/roleAssignments (`$filter=assignedTo('…')`, `atScope()`). */
export function listRoleAssignments(r: ArmRequest, p: Params): void {
  const scope = authorizationScope(r, p);
  const filter = r.ctx.query.get('$filter') ?? '';
  let list = r.d.store.state.roleAssignments.filter((a) => covers(a.scope, scope) || covers(scope, a.scope));
  const pm = /(?:assignedTo\('([^']+)'\)|principalId eq '([^']+)')/i.exec(filter);
  if (pm) list = list.filter((a) => a.principalId === (pm[1] ?? pm[2]));
  if (/atScope\(\)/i.test(filter)) list = list.filter((a) => covers(a.scope, scope));
  sendJson(r.ctx, 200, {
    value: list.map((a) => ({
      properties: {
        roleDefinitionId: roleDefinitionId(p.subscriptionId!, a.roleDefinitionId),
        principalId: a.principalId,
        principalType: 'User',
        scope: a.scope,
        condition: null,
        conditionVersion: null,
        createdOn: '2026-01-15T09:30:00.0000000Z',
        updatedOn: '2026-01-15T09:30:00.0000000Z',
        createdBy: null,
        updatedBy: null,
        delegatedManagedIdentityResourceId: null,
        description: null,
      },
      id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.id}`,
      type: 'Microsoft.Authorization/roleAssignments',
      name: a.id,
    })),
  });
}

function roleDefinitionJson(subscriptionId: string, id: string): Record<string, unknown> {
  const d = ROLE_DEFINITIONS[id]!;
  return {
    properties: {
      roleName: d.name,
      type: 'BuiltInRole',
      description: d.name,
      assignableScopes: ['/'],
      permissions: [{ actions: d.actions, notActions: d.notActions, dataActions: d.dataActions, notDataActions: [] }],
    },
    id: roleDefinitionId(subscriptionId, id),
    type: 'Microsoft.Authorization/roleDefinitions',
    name: id,
  };
}

/** GET {scope}/providers/Microsoft.Authorization/roleDefinitions */
export function listRoleDefinitions(r: ArmRequest, p: Params): void {
  authorizationScope(r, p);
  sendJson(r.ctx, 200, { value: Object.keys(ROLE_DEFINITIONS).map((id) => roleDefinitionJson(p.subscriptionId!, id)) });
}

/** GET {scope}/providers/Microsoft.Authorization/roleDefinitions/{id} */
export function getRoleDefinition(r: ArmRequest, p: Params): void {
  authorizationScope(r, p);
  const id = p.roleDefinitionId!;
  if (!ROLE_DEFINITIONS[id])
    throw armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${id}' does not exist.`);
  sendJson(r.ctx, 200, roleDefinitionJson(p.subscriptionId!, id));
}

/**
 * GET {scope}/providers/Microsoft.Authorization/permissions (api-version 2015-07-01 … 2022-04-01): what the caller
 * may do at `scope`, one entry per role assignment at or above it, each with its role definition's actions and data
 * actions. Every caller may ask about itself, so no `roleAssignments/read` is needed (a caller with no assignment gets
 * an empty list); the subscription and resource group must exist. UNVERIFIED: whether ARM also checks that the
 * resource itself exists (the sandbox does not).
 */
export function listPermissions({ d, ctx, caller }: ArmRequest, p: Params): void {
  checkApiVersion(ctx, API.authorization);
  const state = d.store.state;
  const sub = state.subscriptions.find((s) => s.subscriptionId.toLowerCase() === p.subscriptionId!.toLowerCase());
  if (!sub) throw armError(404, 'SubscriptionNotFound', `The subscription '${p.subscriptionId}' could not be found.`);
  if (p.resourceGroupName !== undefined) rgOr404(d, sub.subscriptionId, p.resourceGroupName);
  const value = assignmentsFor(state, caller.oid, scopeOf({ ...p, subscriptionId: sub.subscriptionId })).flatMap(
    (a) => {
      const def = ROLE_DEFINITIONS[a.roleDefinitionId];
      return def
        ? [{ actions: def.actions, notActions: def.notActions, dataActions: def.dataActions, notDataActions: [] }]
        : [];
    },
  );
  sendJson(ctx, 200, { value });
}

/** The scopes Microsoft.Authorization answers at: subscription, resource group, resource, child resource. */
const SCOPES = [
  '/subscriptions/:subscriptionId',
  '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName',
  '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/:namespace/:resourceType/:resourceName',
  '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/:namespace/:parentType/:parentName/:resourceType/:resourceName',
];

export const authorizationRoutes: Route<ArmRequest>[] = SCOPES.flatMap((scope) => {
  const at = `${scope}/providers/Microsoft.Authorization`;
  return [
    route<ArmRequest>('GET', `${at}/roleAssignments`, listRoleAssignments),
    route<ArmRequest>('GET', `${at}/roleDefinitions`, listRoleDefinitions),
    route<ArmRequest>('GET', `${at}/roleDefinitions/:roleDefinitionId`, getRoleDefinition),
    route<ArmRequest>('GET', `${at}/permissions`, listPermissions),
  ];
});
