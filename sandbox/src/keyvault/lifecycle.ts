import { azError } from '../errors.js';
import { nowSeconds } from '../ids.js';
import type { SoftDeleted, Vault } from '../model.js';
import { envMs } from '../env.js';

// Key Vault does its slow work in the background: issuing a self-signed certificate, moving an object into the
// deleted state and back out of it. Each takes a while, and the SDKs' pollers are written for that: the create poller
// reads `/pending` until it is no longer `inProgress`, the delete poller reads `/deleted…/{name}` until it stops being
// 404, the recover poller reads the object until it stops being 404. The durations are configurable; every request
// to a vault first finishes whatever work of that vault is due (`runDueWork` in pending.ts), whether or not anyone
// polls.

/**
 * Shortest time a self-signed create stays `inProgress`, whatever is configured, so that a client can always see it
 * (stop, resume, abort or cancel its poller) even on a loaded machine; Key Vault itself never issues that fast.
 */
const MIN_CREATE_MS = 1000;

/**
 * How long a self-signed create stays `inProgress` (`SANDBOX_CREATE_DELAY_MS`, default 4000, at least 1000). Key Vault
 * took 4 s in azure-sdk-for-js's recording of "can wait until a certificate is created" (policy created 18:04:36,
 * certificate 18:04:40); at 2 s Microsoft's `operations` sample, which cancels right after creating, raced the
 * issuance on a loaded machine (decision 043).
 */
export function createDelayMs(): number {
  return Math.max(MIN_CREATE_MS, envMs('SANDBOX_CREATE_DELAY_MS', 4000));
}

/** How long a soft delete takes before the object is readable as deleted (`SANDBOX_DELETE_DELAY_MS`, default 2000). */
function deleteDelayMs(): number {
  return envMs('SANDBOX_DELETE_DELAY_MS', 2000);
}

/** How long a recovery takes before the object is readable again (`SANDBOX_RECOVER_DELAY_MS`, default 2000). */
function recoverDelayMs(): number {
  return envMs('SANDBOX_RECOVER_DELAY_MS', 2000);
}

/** The deleted-state record of an object soft-deleted now; readable as deleted once the delete delay has passed. */
export function softDeletedNow(vault: Vault): SoftDeleted {
  const now = nowSeconds();
  const delay = deleteDelayMs();
  return {
    deletedDate: now,
    scheduledPurgeDate: now + (vault.properties.softDeleteRetentionInDays ?? 90) * 86400,
    ...(delay > 0 ? { readyAt: Date.now() + delay } : {}),
  };
}

/** Starts a recovery: the object leaves the deleted state (and becomes readable) once the recover delay has passed. */
export function startRecovery(obj: { deleted?: SoftDeleted }): void {
  const delay = recoverDelayMs();
  if (delay > 0 && obj.deleted) obj.deleted.recoveringUntil = Date.now() + delay;
  else delete obj.deleted;
}

/** Finishes a due recovery (the object is live again) or a due deletion; true when something changed. */
export function advanceDeleted(obj: { deleted?: SoftDeleted }): boolean {
  const del = obj.deleted;
  if (!del) return false;
  const now = Date.now();
  if (del.recoveringUntil !== undefined && now >= del.recoveringUntil) {
    delete obj.deleted;
    return true;
  }
  if (del.readyAt !== undefined && now >= del.readyAt) {
    delete del.readyAt;
    return true;
  }
  return false;
}

/** Deleted and settled: readable through `/deleted…`, recoverable and purgeable. */
export function isSettledDeleted(del: SoftDeleted | undefined): del is SoftDeleted {
  return !!del && del.readyAt === undefined && del.recoveringUntil === undefined;
}

/**
 * The 409 for reusing a name that is deleted, being deleted or being recovered. Key Vault's texts: "… is currently in
 * a deleted but recoverable state …" (keyvault-wire.md §4.5); "… is currently being deleted and cannot be re-created;
 * retry later." is the key variant (C++ SDK test), the certificate and secret analogues and the recovering text are
 * UNVERIFIED.
 */
export function nameInUse(kind: 'Certificate' | 'Secret', name: string, del: SoftDeleted): Error {
  if (del.readyAt !== undefined)
    return azError(
      409,
      'Conflict',
      `${kind} ${name} is currently being deleted and cannot be re-created; retry later.`,
      'ObjectIsBeingDeleted',
    );
  if (del.recoveringUntil !== undefined)
    return azError(
      409,
      'Conflict',
      `${kind} ${name} is currently being recovered and cannot be re-created; retry later.`,
      'ObjectIsBeingRecovered',
    );
  const lower = kind.toLowerCase();
  return azError(
    409,
    'Conflict',
    `${kind} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the ${lower} can only be recovered or purged.`,
    'ObjectIsDeletedButRecoverable',
  );
}
