/**
 * Whether the signed-in user may do what a step offers, found out before the click: ARM's permissions API for the
 * vault (actions and, on RBAC vaults, data actions), or on access-policy vaults the policy for the user's object id.
 * An answer is a hint, not a verdict: a policy given to a group the user is in cannot be seen, and role changes take
 * minutes to show, so the UI says what it found and still lets the user try.
 */
import type { PermissionCheck, VaultPermissions } from '@/lib/api/types';
import { isActionAllowed, isDataActionAllowed, type PermissionEntry } from '@/lib/cloud-services/permissions';
import { VAULT_WRITE_ACTION } from './access';

export const CERTIFICATE_IMPORT_DATA_ACTION = 'Microsoft.KeyVault/vaults/certificates/import/action';
export const CERTIFICATE_CREATE_DATA_ACTION = 'Microsoft.KeyVault/vaults/certificates/create/action';

/** One access-policy entry as ARM returns it (properties.accessPolicies[]). */
export interface PolicyEntry {
  tenantId: string;
  objectId: string;
  certificates: string[];
}

export interface PermissionFacts {
  rbac: boolean;
  /** The permissions API's entries at the vault; null when it could not be read. */
  entries: PermissionEntry[] | null;
  policies: PolicyEntry[];
  user: { oid: string; tid: string };
}

const unknown: PermissionCheck = { allowed: null, basis: 'unknown' };

export function decideVaultPermissions(f: PermissionFacts): VaultPermissions {
  const changeSettings: PermissionCheck = f.entries
    ? { allowed: isActionAllowed(f.entries, VAULT_WRITE_ACTION), basis: 'role-assignments' }
    : unknown;
  let addCertificates: PermissionCheck;
  if (f.rbac) {
    addCertificates = f.entries
      ? {
          allowed:
            isDataActionAllowed(f.entries, CERTIFICATE_IMPORT_DATA_ACTION) &&
            isDataActionAllowed(f.entries, CERTIFICATE_CREATE_DATA_ACTION),
          basis: 'role-assignments',
        }
      : unknown;
  } else {
    const mine = f.policies.filter(
      (p) =>
        p.objectId.toLowerCase() === f.user.oid.toLowerCase() && p.tenantId.toLowerCase() === f.user.tid.toLowerCase(),
    );
    const perms = new Set(mine.flatMap((p) => p.certificates.map((c) => c.toLowerCase())));
    addCertificates = {
      allowed: perms.has('all') || (perms.has('import') && perms.has('create')),
      basis: 'access-policy',
    };
  }
  return { rbac: f.rbac, changeSettings, addCertificates };
}
