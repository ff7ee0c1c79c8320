import { armError, vaultNotFound, invalidContent } from '../errors.js';
import { sendJson } from '../http.js';
import { route, type Route } from '../router.js';
import { vaultId, type AccessPolicy, type Vault } from '../model.js';
import {
  API,
  checkApiVersion,
  findVault,
  jsonBody,
  requireAction,
  rgOr404,
  subscriptionOr404,
  type ArmRequest,
} from './request.js';
import { checkAccessPolicyTenants } from './vault-properties.js';

// PUT …/vaults/{name}/accessPolicies/{add|replace|remove} (arm-keyvault's vaults.updateAccessPolicy).

const WRITE = 'Microsoft.KeyVault/vaults/accessPolicies/write';

export async function updateAccessPolicy(
  { d, ctx, caller }: ArmRequest,
  subscriptionId: string,
  rg: string,
  name: string,
  operationKind: string,
): Promise<void> {
  checkApiVersion(ctx, API.vaults);
  const scopeOf = (sub: string) =>
    `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
  const sub = subscriptionOr404(d, caller, subscriptionId, WRITE, scopeOf(subscriptionId));
  const kind = operationKind.toLowerCase();
  if (kind !== 'add' && kind !== 'replace' && kind !== 'remove') {
    throw armError(
      400,
      'InvalidRequestParameter',
      `The value '${operationKind}' is not valid for operationKind. Valid values are 'add', 'replace', 'remove'.`,
    );
  }
  requireAction(d, caller, WRITE, scopeOf(sub.subscriptionId));
  rgOr404(d, sub.subscriptionId, rg);
  const v = findVault(d, sub.subscriptionId, rg, name);
  if (!v) throw vaultNotFound(rg, name);
  const body = await jsonBody(ctx);
  const entries = ((body.properties ?? {}) as Record<string, unknown>).accessPolicies;
  if (!Array.isArray(entries)) throw invalidContent("'properties.accessPolicies' is required.");
  updateAccessPolicies(v, kind, entries as AccessPolicy[]);
  v.lastModifiedAt = new Date().toISOString();
  v.lastModifiedBy = caller.upn;
  d.store.save();
  sendJson(ctx, 200, {
    id: `${vaultId(v)}/accessPolicies/`,
    type: 'Microsoft.KeyVault/vaults/accessPolicies',
    properties: { accessPolicies: entries },
  });
}

/**
 * On an RBAC vault the access policies are stored like on any vault and ignored by the data plane (the spec's
 * enableRbacAuthorization: "the access policies specified in vault properties will be ignored"), so `add`,
 * `replace` and `remove` are accepted there as a PATCH with `accessPolicies` is.
 */
export function updateAccessPolicies(v: Vault, kind: string, entries: AccessPolicy[]): void {
  checkAccessPolicyTenants(v, entries);
  const kinds = ['keys', 'secrets', 'certificates', 'storage'] as const;
  for (const e of entries) {
    if (
      !e ||
      typeof e.objectId !== 'string' ||
      typeof e.tenantId !== 'string' ||
      !e.permissions ||
      typeof e.permissions !== 'object'
    ) {
      throw armError(400, 'BadRequest', 'An access policy entry requires tenantId, objectId and permissions.');
    }
    const same = (a: AccessPolicy) =>
      a.objectId === e.objectId && a.tenantId === e.tenantId && (a.applicationId ?? null) === (e.applicationId ?? null);
    const cur = v.properties.accessPolicies.find(same);
    if (kind === 'add') {
      if (!cur) v.properties.accessPolicies.push({ ...e, permissions: { ...e.permissions } });
      else
        for (const k of kinds) {
          const add = e.permissions[k];
          if (add)
            cur.permissions[k] = Array.from(
              new Set([...(cur.permissions[k] ?? []), ...add.map((x) => x.toLowerCase())]),
            );
        }
    } else if (kind === 'replace') {
      if (!cur) v.properties.accessPolicies.push({ ...e, permissions: { ...e.permissions } });
      else cur.permissions = { ...e.permissions };
    } else if (cur) {
      for (const k of kinds) {
        const rm = (e.permissions[k] ?? []).map((x) => x.toLowerCase());
        if (rm.length && cur.permissions[k])
          cur.permissions[k] = cur.permissions[k]!.filter((x) => !rm.includes(x.toLowerCase()) && !rm.includes('all'));
      }
      if (kinds.every((k) => !cur.permissions[k]?.length))
        v.properties.accessPolicies = v.properties.accessPolicies.filter((a) => a !== cur);
    }
  }
}

export const accessPolicyRoutes: Route<ArmRequest>[] = [
  route(
    'PUT',
    '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.KeyVault/vaults/:vaultName/accessPolicies/:operationKind',
    (r, p) => updateAccessPolicy(r, p.subscriptionId!, p.resourceGroupName!, p.vaultName!, p.operationKind!),
  ),
];
