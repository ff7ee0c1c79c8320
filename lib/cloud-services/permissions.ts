/**
 * ARM's permissions API (`{scope}/providers/Microsoft.Authorization/permissions`) lists the caller's effective
 * actions at a scope as `{ actions, notActions }` per role assignment. An action is allowed when some entry's actions
 * match it and that same entry's notActions do not (ARM's own rule; wildcards `*` match any characters).
 */

export interface PermissionEntry {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i');
  return re.test(action);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function isActionAllowed(entries: PermissionEntry[], action: string): boolean {
  return entries.some(
    (e) => (e.actions ?? []).some((a) => matches(a, action)) && !(e.notActions ?? []).some((n) => matches(n, action)),
  );
}

/** The same rule for data actions (`dataActions` / `notDataActions`), as ARM lists them for RBAC key vaults. */
export function isDataActionAllowed(entries: PermissionEntry[], dataAction: string): boolean {
  return entries.some(
    (e) =>
      (e.dataActions ?? []).some((a) => matches(a, dataAction)) &&
      !(e.notDataActions ?? []).some((n) => matches(n, dataAction)),
  );
}

export const CLOUD_SERVICE_WRITE = 'Microsoft.Compute/cloudServices/write';
export const VAULT_DEPLOY = 'Microsoft.KeyVault/vaults/deploy/action';
