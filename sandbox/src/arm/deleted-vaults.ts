import { armError } from '../errors.js';
import { sendJson } from '../http.js';
import { route, type Route } from '../router.js';
import { vaultId, type DeletedVault, type Vault } from '../model.js';
import { API, checkApiVersion, page, requireAction, subscriptionOr404, type ArmRequest } from './request.js';

// Soft-deleted vaults: list, get, purge (arm-keyvault's vaults.listDeleted / getDeleted / purgeDeleted).

const READ = 'Microsoft.KeyVault/deletedVaults/read';
const PURGE = 'Microsoft.KeyVault/locations/deletedVaults/purge/action';

export function deletedVaultJson(d: {
  vault: Vault;
  deletionDate: string;
  scheduledPurgeDate: string;
}): Record<string, unknown> {
  return {
    id: `/subscriptions/${d.vault.subscriptionId}/providers/Microsoft.KeyVault/locations/${d.vault.location}/deletedVaults/${d.vault.name}`,
    name: d.vault.name,
    type: 'Microsoft.KeyVault/deletedVaults',
    properties: {
      vaultId: vaultId(d.vault),
      location: d.vault.location,
      deletionDate: d.deletionDate,
      scheduledPurgeDate: d.scheduledPurgeDate,
      tags: d.vault.tags,
      purgeProtectionEnabled: d.vault.properties.enablePurgeProtection === true,
    },
  };
}

function deletedIn(r: ArmRequest, subscriptionId: string): { subScope: string; deleted: DeletedVault[] } {
  const { d, ctx, caller } = r;
  checkApiVersion(ctx, API.deletedVaults);
  const sub = subscriptionOr404(d, caller, subscriptionId, READ);
  const deleted = (d.store.state.deletedVaults ?? []).filter((x) => x.vault.subscriptionId === sub.subscriptionId);
  return { subScope: `/subscriptions/${sub.subscriptionId}`, deleted };
}

function deletedNotFound(name: string, location: string) {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.KeyVault/deletedVaults/${name}' under location '${location}' was not found.`,
  );
}

/** GET /subscriptions/{sub}/providers/Microsoft.KeyVault/deletedVaults */
export function listDeletedVaults(r: ArmRequest, subscriptionId: string): void {
  const { subScope, deleted } = deletedIn(r, subscriptionId);
  requireAction(r.d, r.caller, READ, subScope);
  sendJson(
    r.ctx,
    200,
    page(
      r.ctx,
      deleted.map((x) => deletedVaultJson(x)),
      r.ctx.pathname,
      r.ctx.query.get('api-version')!,
    ),
  );
}

/** GET /subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name} */
export function getDeletedVault(r: ArmRequest, subscriptionId: string, location: string, name: string): void {
  const { subScope, deleted } = deletedIn(r, subscriptionId);
  const loc = location.toLowerCase();
  const found = deleted.find((x) => x.vault.location === loc && x.vault.name.toLowerCase() === name.toLowerCase());
  requireAction(r.d, r.caller, READ, subScope);
  if (!found) throw deletedNotFound(name, loc);
  sendJson(r.ctx, 200, deletedVaultJson(found));
}

/** POST …/locations/{location}/deletedVaults/{name}/purge */
export function purgeDeletedVault(r: ArmRequest, subscriptionId: string, location: string, name: string): void {
  const { subScope, deleted } = deletedIn(r, subscriptionId);
  const loc = location.toLowerCase();
  const found = deleted.find((x) => x.vault.location === loc && x.vault.name.toLowerCase() === name.toLowerCase());
  requireAction(r.d, r.caller, PURGE, subScope);
  if (!found) throw deletedNotFound(name, loc);
  if (found.vault.properties.enablePurgeProtection) {
    throw armError(
      400,
      'BadRequest',
      `Vault '${found.vault.name}' has purge protection enabled and cannot be purged before its scheduled purge date (${found.scheduledPurgeDate}).`,
    );
  }
  const state = r.d.store.state;
  state.deletedVaults = (state.deletedVaults ?? []).filter((x) => x !== found);
  delete state.certificates[found.vault.name.toLowerCase()];
  delete state.secrets?.[found.vault.name.toLowerCase()];
  r.d.store.save();
  sendJson(r.ctx, 200, undefined);
}

const DELETED =
  '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/locations/:location/deletedVaults/:vaultName';

export const deletedVaultRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/deletedVaults', (r, p) =>
    listDeletedVaults(r, p.subscriptionId!),
  ),
  route('GET', DELETED, (r, p) => getDeletedVault(r, p.subscriptionId!, p.location!, p.vaultName!)),
  route('POST', `${DELETED}/purge`, (r, p) => purgeDeletedVault(r, p.subscriptionId!, p.location!, p.vaultName!)),
];
