import { randomUUID } from 'node:crypto';
import { envMs } from '../env.js';
import { armError } from '../errors.js';
import { sendJson } from '../http.js';
import { route, type Route } from '../router.js';
import { vaultId, type DeletedVault, type Vault } from '../model.js';
import {
  API,
  checkApiVersion,
  page,
  requireAction,
  subscriptionOr404,
  type ArmDeps,
  type ArmRequest,
} from './request.js';

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

/** How long purging a deleted vault takes (`SANDBOX_PURGE_DELAY_MS`, default 2000; 0 = done at the first poll). */
function purgeDelayMs(): number {
  return envMs('SANDBOX_PURGE_DELAY_MS', 2000);
}

function operationUrl(r: ArmRequest, found: DeletedVault): string {
  const { vault } = found;
  return `${r.ctx.origin}/subscriptions/${vault.subscriptionId}/providers/Microsoft.KeyVault/locations/${vault.location}/operationResults/${found.purge!.operationId}?api-version=${r.ctx.query.get('api-version')}`;
}

/** Purges whose time has come are finished (the vault and everything in it gone) before ARM answers anything. */
export function finishDuePurges(d: ArmDeps): void {
  const state = d.store.state;
  const due = (state.deletedVaults ?? []).filter((x) => x.purge && Date.now() >= x.purge.doneAt);
  if (due.length === 0) return;
  state.deletedVaults = (state.deletedVaults ?? []).filter((x) => !due.includes(x));
  for (const x of due) {
    delete state.certificates[x.vault.name.toLowerCase()];
    delete state.secrets?.[x.vault.name.toLowerCase()];
    delete state.certificateContacts?.[x.vault.name.toLowerCase()];
    delete state.certificateIssuers?.[x.vault.name.toLowerCase()];
  }
  // Finished operations keep answering 200 (the last 100 are remembered).
  state.purgedOperations = [...(state.purgedOperations ?? []), ...due.map((x) => x.purge!.operationId)].slice(-100);
  d.store.save();
}

/**
 * POST …/locations/{location}/deletedVaults/{name}/purge: 202 and a `Location` to poll, as the RP answers
 * (REST example purgeDeletedVault.json); the vault stays listed as deleted until the purge is done.
 */
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
  // A second purge while one is running answers with the same operation.
  found.purge ??= { operationId: randomUUID(), doneAt: Date.now() + purgeDelayMs() };
  r.d.store.save();
  sendJson(r.ctx, 202, undefined, { location: operationUrl(r, found) });
}

/**
 * GET /subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{location}/operationResults/{id}: 202 while the
 * purge runs, 200 once it is done (path shape UNVERIFIED; the spec's example only shows a Location header).
 */
export function getOperationResult(r: ArmRequest, subscriptionId: string, location: string, id: string): void {
  const { d, ctx, caller } = r;
  checkApiVersion(ctx, API.deletedVaults);
  subscriptionOr404(d, caller, subscriptionId, READ);
  const running = (d.store.state.deletedVaults ?? []).find(
    (x) => x.purge?.operationId === id && x.vault.location === location.toLowerCase(),
  );
  if (running) {
    sendJson(ctx, 202, undefined, { location: operationUrl(r, running) });
    return;
  }
  const known = d.store.state.purgedOperations ?? [];
  if (!known.includes(id))
    throw armError(404, 'OperationNotFound', `The operation '${id}' was not found in location '${location}'.`);
  sendJson(ctx, 200, undefined);
}

const DELETED =
  '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/locations/:location/deletedVaults/:vaultName';

export const deletedVaultRoutes: Route<ArmRequest>[] = [
  route('GET', '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/deletedVaults', (r, p) =>
    listDeletedVaults(r, p.subscriptionId!),
  ),
  route('GET', DELETED, (r, p) => getDeletedVault(r, p.subscriptionId!, p.location!, p.vaultName!)),
  route('POST', `${DELETED}/purge`, (r, p) => purgeDeletedVault(r, p.subscriptionId!, p.location!, p.vaultName!)),
  route(
    'GET',
    '/subscriptions/:subscriptionId/providers/Microsoft.KeyVault/locations/:location/operationResults/:operationId',
    (r, p) => getOperationResult(r, p.subscriptionId!, p.location!, p.operationId!),
  ),
];
