import { VAULT_NAME_IN_USE, armError, authorizationFailed, vaultNotFound, invalidContent } from '../errors.js';
import type { Ctx } from '../http.js';
import { sendJson } from '../http.js';
import { hasAction } from '../rbac.js';
import { route, type Route } from '../router.js';
import { vaultId, type Vault } from '../model.js';
import {
  API,
  LOCATIONS,
  VAULT_NAME_MESSAGE,
  VAULT_NAME_RE,
  checkApiVersion,
  findVault,
  jsonBody,
  page,
  requireAction,
  rgOr404,
  subscriptionOr404,
  type ArmCaller,
  type ArmDeps,
  type ArmRequest,
} from './request.js';
import { applyPatch, replacementBase, requireAccessPolicies } from './vault-properties.js';

// Microsoft.KeyVault/vaults: list (by subscription, by resource group), get, PUT (create or update), PATCH,
// DELETE (soft delete), checkNameAvailability. Access policies: access-policies.ts; deleted vaults: deleted-vaults.ts.

const READ = 'Microsoft.KeyVault/vaults/read';
const WRITE = 'Microsoft.KeyVault/vaults/write';
const DELETE = 'Microsoft.KeyVault/vaults/delete';

export function vaultJson(d: ArmDeps, v: Vault): Record<string, unknown> {
  const { ...props } = v.properties;
  return {
    id: vaultId(v),
    name: v.name,
    type: 'Microsoft.KeyVault/vaults',
    location: v.location,
    tags: v.tags,
    systemData: {
      createdBy: v.createdBy,
      createdByType: 'User',
      createdAt: v.createdAt,
      lastModifiedBy: v.lastModifiedBy,
      lastModifiedByType: 'User',
      lastModifiedAt: v.lastModifiedAt,
    },
    properties: { ...props, vaultUri: d.vaultUri(v.name) },
  };
}

function vaultScope(subscriptionId: string, rg: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
}

/** The vault a request names, after ARM's checks in ARM's order: api-version, subscription, action, group, vault. */
function vaultOr404(r: ArmRequest, p: VaultParams, action: string): Vault {
  const { d, ctx, caller } = r;
  checkApiVersion(ctx, API.vaults);
  const sub = subscriptionOr404(d, caller, p.subscriptionId, action, vaultScope(p.subscriptionId, p.rg, p.name));
  requireAction(d, caller, action, vaultScope(sub.subscriptionId, p.rg, p.name));
  rgOr404(d, sub.subscriptionId, p.rg);
  const v = findVault(d, sub.subscriptionId, p.rg, p.name);
  if (!v) throw vaultNotFound(p.rg, p.name);
  return v;
}

export interface VaultParams {
  subscriptionId: string;
  rg: string;
  name: string;
}

function touched(v: Vault, caller: ArmCaller): void {
  v.lastModifiedAt = new Date().toISOString();
  v.lastModifiedBy = caller.upn;
}

/** GET /subscriptions/{sub}/providers/Microsoft.KeyVault/vaults */
export function listVaultsBySubscription({ d, ctx, caller }: ArmRequest, subscriptionId: string): void {
  const apiVersion = checkApiVersion(ctx, API.vaults);
  const sub = subscriptionOr404(d, caller, subscriptionId, READ);
  const scope = `/subscriptions/${sub.subscriptionId}`;
  const state = d.store.state;
  const vaults = state.vaults
    .filter((v) => v.subscriptionId === sub.subscriptionId)
    .filter((v) => hasAction(state, caller.oid, vaultId(v), READ));
  if (vaults.length === 0 && !hasAction(state, caller.oid, scope, READ)) throw authorizationFailed(caller, READ, scope);
  sendJson(
    ctx,
    200,
    page(
      ctx,
      vaults.map((v) => vaultJson(d, v)),
      ctx.pathname,
      apiVersion,
    ),
  );
}

/** GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults */
export function listVaultsByResourceGroup(
  { d, ctx, caller }: ArmRequest,
  subscriptionId: string,
  rgName: string,
): void {
  const apiVersion = checkApiVersion(ctx, API.vaults);
  const sub = subscriptionOr404(
    d,
    caller,
    subscriptionId,
    READ,
    `/subscriptions/${subscriptionId}/resourceGroups/${rgName}`,
  );
  const rg = rgOr404(d, sub.subscriptionId, rgName);
  const scope = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}`;
  const state = d.store.state;
  const vaults = state.vaults
    .filter((v) => v.subscriptionId === sub.subscriptionId && v.resourceGroup.toLowerCase() === rg.name.toLowerCase())
    .filter((v) => hasAction(state, caller.oid, vaultId(v), READ));
  if (vaults.length === 0 && !hasAction(state, caller.oid, scope, READ)) throw authorizationFailed(caller, READ, scope);
  sendJson(
    ctx,
    200,
    page(
      ctx,
      vaults.map((v) => vaultJson(d, v)),
      ctx.pathname,
      apiVersion,
    ),
  );
}

/** GET …/vaults/{name} */
export function getVault(r: ArmRequest, p: VaultParams): void {
  sendJson(r.ctx, 200, vaultJson(r.d, vaultOr404(r, p, READ)));
}

/** PATCH …/vaults/{name}: merge of the properties sent (vault-properties.ts). */
export async function patchVault(r: ArmRequest, p: VaultParams): Promise<void> {
  const { d, ctx, caller } = r;
  const v = vaultOr404(r, p, WRITE);
  const body = await jsonBody(ctx);
  // Validated on a copy, so a refused PATCH changes nothing.
  const draft = structuredClone(v);
  applyPatch(d, caller, draft, body);
  v.tags = draft.tags;
  v.properties = draft.properties;
  touched(v, caller);
  d.store.save();
  sendJson(ctx, 200, vaultJson(d, v));
}

/** PUT …/vaults/{name}: create, recover (`createMode: recover`) or update. */
export async function createOrUpdateVault({ d, ctx, caller }: ArmRequest, p: VaultParams): Promise<void> {
  checkApiVersion(ctx, API.vaults);
  const sub = subscriptionOr404(d, caller, p.subscriptionId, WRITE, vaultScope(p.subscriptionId, p.rg, p.name));
  requireAction(d, caller, WRITE, vaultScope(sub.subscriptionId, p.rg, p.name));
  const group = rgOr404(d, sub.subscriptionId, p.rg);
  const body = await jsonBody(ctx);
  await putVault(d, ctx, caller, sub.subscriptionId, group.name, p.name, body);
}

/** DELETE …/vaults/{name}: soft delete; the vault and its objects stay recoverable until purged. */
export function deleteVault({ d, ctx, caller }: ArmRequest, p: VaultParams): void {
  checkApiVersion(ctx, API.vaults);
  const sub = subscriptionOr404(d, caller, p.subscriptionId, DELETE, vaultScope(p.subscriptionId, p.rg, p.name));
  requireAction(d, caller, DELETE, vaultScope(sub.subscriptionId, p.rg, p.name));
  rgOr404(d, sub.subscriptionId, p.rg);
  const state = d.store.state;
  const v = findVault(d, sub.subscriptionId, p.rg, p.name);
  if (!v) {
    sendJson(ctx, 204, undefined);
    return;
  }
  state.vaults = state.vaults.filter((x) => x !== v);
  const now = new Date();
  (state.deletedVaults ??= []).push({
    vault: v,
    deletionDate: now.toISOString(),
    scheduledPurgeDate: new Date(
      now.getTime() + (v.properties.softDeleteRetentionInDays ?? 90) * 86400e3,
    ).toISOString(),
  });
  d.store.save();
  d.onVaultsChanged?.();
  sendJson(ctx, 200, undefined);
}

/** POST /subscriptions/{sub}/providers/Microsoft.KeyVault/checkNameAvailability */
export async function checkVaultName({ d, ctx, caller }: ArmRequest, subscriptionId: string): Promise<void> {
  checkApiVersion(ctx, API.checkNameAvailability);
  subscriptionOr404(d, caller, subscriptionId, 'Microsoft.KeyVault/checkNameAvailability/read');
  const body = await jsonBody(ctx);
  if (body.type !== 'Microsoft.KeyVault/vaults')
    throw armError(400, 'InvalidRequestContent', "The parameter 'type' must be 'Microsoft.KeyVault/vaults'.");
  const name = String(body.name ?? '');
  const state = d.store.state;
  if (!VAULT_NAME_RE.test(name)) {
    sendJson(ctx, 200, { nameAvailable: false, reason: 'AccountNameInvalid', message: VAULT_NAME_MESSAGE(name) });
  } else if (
    state.vaults.some((v) => v.name.toLowerCase() === name.toLowerCase()) ||
    (state.deletedVaults ?? []).some((x) => x.vault.name.toLowerCase() === name.toLowerCase())
  ) {
    sendJson(ctx, 200, { nameAvailable: false, reason: 'AlreadyExists', message: VAULT_NAME_IN_USE(name) });
  } else {
    sendJson(ctx, 200, { nameAvailable: true });
  }
}

async function putVault(
  d: ArmDeps,
  ctx: Ctx,
  caller: ArmCaller,
  subscriptionId: string,
  rg: string,
  name: string,
  body: Record<string, unknown>,
): Promise<void> {
  if (!VAULT_NAME_RE.test(name)) throw armError(400, 'VaultNameNotValid', VAULT_NAME_MESSAGE(name));
  const existing = findVault(d, subscriptionId, rg, name);
  const taken = d.store.state.vaults.find((v) => v.name.toLowerCase() === name.toLowerCase() && v !== existing);
  if (taken) {
    throw armError(409, 'VaultAlreadyExists', VAULT_NAME_IN_USE(name));
  }
  const props0 = (body.properties ?? {}) as Record<string, unknown>;
  const deletedIdx = (d.store.state.deletedVaults ?? []).findIndex(
    (x) => x.vault.name.toLowerCase() === name.toLowerCase(),
  );
  if (!existing && deletedIdx >= 0) {
    const gone = d.store.state.deletedVaults![deletedIdx]!;
    if (gone.purge)
      throw armError(
        409,
        'ConflictError',
        `The deleted vault '${name}' is being purged and can neither be recovered nor re-created until the purge is done.`,
      );
    if (props0.createMode !== 'recover') {
      throw armError(
        409,
        'ConflictError',
        `A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.`,
      );
    }
    if (gone.vault.subscriptionId !== subscriptionId || gone.vault.resourceGroup.toLowerCase() !== rg.toLowerCase()) {
      throw armError(
        400,
        'BadRequest',
        `The deleted vault '${name}' belongs to ${vaultId(gone.vault)}; recover it in its original resource group.`,
      );
    }
    d.store.state.deletedVaults!.splice(deletedIdx, 1);
    gone.vault.lastModifiedAt = new Date().toISOString();
    gone.vault.lastModifiedBy = caller.upn;
    d.store.state.vaults.push(gone.vault);
    d.store.save();
    d.onVaultsChanged?.();
    sendJson(ctx, 200, vaultJson(d, gone.vault));
    return;
  }
  if (props0.createMode === 'recover') {
    throw armError(404, 'ResourceNotFound', `The deleted vault '${name}' was not found and cannot be recovered.`);
  }
  const location = typeof body.location === 'string' ? body.location.toLowerCase().replace(/\s+/g, '') : '';
  if (!location) throw armError(400, 'LocationRequired', 'The location property is required for this definition.');
  if (!LOCATIONS.includes(location))
    throw armError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${body.location}' is not available for resource type 'Microsoft.KeyVault/vaults'. List of available regions for the resource type is '${LOCATIONS.join(',')}'.`,
    );
  const props = (body.properties ?? {}) as Record<string, unknown>;
  if (typeof props !== 'object' || props === null) throw invalidContent("'properties' is required.");
  if (typeof props.tenantId !== 'string')
    throw armError(400, 'BadRequest', "The parameter 'properties.tenantId' is required.");
  const sku = props.sku as { family?: string; name?: string } | undefined;
  if (!sku || typeof sku !== 'object' || (sku.name !== 'standard' && sku.name !== 'premium'))
    throw armError(
      400,
      'BadRequest',
      "The parameter 'properties.sku' is required and 'sku.name' must be 'standard' or 'premium'.",
    );
  const apiVersion = ctx.query.get('api-version')!;
  const now = new Date().toISOString();
  if (existing) {
    if (existing.location !== location)
      throw armError(
        400,
        'LocationCannotBeChanged',
        `The location of vault '${name}' cannot be changed from '${existing.location}' to '${location}'.`,
      );
    // ARM PUT replaces the resource: what is not sent goes back to its default (replacementBase), tags included.
    const draft = structuredClone(existing);
    draft.properties = replacementBase(existing.properties);
    draft.tags = {};
    applyPatch(d, caller, draft, { tags: body.tags ?? {}, properties: props });
    requireAccessPolicies(draft, props);
    existing.tags = draft.tags;
    existing.properties = draft.properties;
    existing.lastModifiedAt = now;
    existing.lastModifiedBy = caller.upn;
    d.store.save();
    sendJson(ctx, 200, vaultJson(d, existing));
    return;
  }
  // 2026-02-01 and later: enableRbacAuthorization defaults to true on create (keyvault-wire.md §8.8).
  const rbacDefault = apiVersion >= '2026-02-01';
  const v: Vault = {
    name,
    subscriptionId,
    resourceGroup: rg,
    location,
    tags: (body.tags as Record<string, string>) ?? {},
    properties: {
      tenantId: props.tenantId,
      sku: { family: 'A', name: sku.name },
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: rbacDefault,
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
    },
    createdAt: now,
    createdBy: caller.upn,
    lastModifiedAt: now,
    lastModifiedBy: caller.upn,
  };
  const { enableSoftDelete, enablePurgeProtection, ...rest } = props;
  if (enableSoftDelete === false)
    throw armError(
      400,
      'BadRequest',
      'The property "enableSoftDelete" cannot be set to false. Soft delete is enabled for all new vaults.',
    );
  applyPatch(
    d,
    caller,
    v,
    { properties: { ...rest, ...(enablePurgeProtection === true ? { enablePurgeProtection } : {}) } },
    true,
  );
  requireAccessPolicies(v, props);
  d.store.state.vaults.push(v);
  d.store.save();
  d.onVaultsChanged?.();
  sendJson(ctx, 201, vaultJson(d, v));
  return;
}

const VAULT =
  '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.KeyVault/vaults/:vaultName';
const vp = (p: Record<string, string>): VaultParams => ({
  subscriptionId: p.subscriptionId!,
  rg: p.resourceGroupName!,
  name: p.vaultName!,
});

export const vaultRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/vaults', (r, p) =>
    listVaultsBySubscription(r, p.subscriptionId!),
  ),
  route(
    'GET',
    '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.KeyVault/vaults',
    (r, p) => listVaultsByResourceGroup(r, p.subscriptionId!, p.resourceGroupName!),
  ),
  route('GET', VAULT, (r, p) => getVault(r, vp(p))),
  route('PUT', VAULT, (r, p) => createOrUpdateVault(r, vp(p))),
  route('PATCH', VAULT, (r, p) => patchVault(r, vp(p))),
  route('DELETE', VAULT, (r, p) => deleteVault(r, vp(p))),
  route('POST', '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/checkNameAvailability', (r, p) =>
    checkVaultName(r, p.subscriptionId!),
  ),
];
