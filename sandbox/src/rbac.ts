import { ROLE } from './ids.js';
import { vaultId, type State, type Vault } from './model.js';

/**
 * Built-in role definitions: control-plane actions and data actions (subset that matters here). As in Azure, Owner
 * and Contributor (`*`) include `Microsoft.Compute/cloudServices/write` and `Microsoft.KeyVault/vaults/deploy/action`,
 * Reader (`*\/read`) only `Microsoft.Compute/cloudServices/read`; the Key Vault roles have no Compute actions.
 */
export const ROLE_DEFINITIONS: Record<
  string,
  { name: string; actions: string[]; notActions: string[]; dataActions: string[] }
> = {
  [ROLE.owner.id]: { name: ROLE.owner.name, actions: ['*'], notActions: [], dataActions: [] },
  [ROLE.contributor.id]: {
    name: ROLE.contributor.name,
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
    ],
    dataActions: [],
  },
  [ROLE.reader.id]: { name: ROLE.reader.name, actions: ['*/read'], notActions: [], dataActions: [] },
  [ROLE.kvAdministrator.id]: {
    name: ROLE.kvAdministrator.name,
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.KeyVault/checkNameAvailability/read',
      'Microsoft.KeyVault/deletedVaults/read',
      'Microsoft.KeyVault/locations/*/read',
      'Microsoft.KeyVault/vaults/*/read',
      'Microsoft.KeyVault/operations/read',
    ],
    notActions: [],
    dataActions: ['Microsoft.KeyVault/vaults/*'],
  },
  [ROLE.kvCertificatesOfficer.id]: {
    name: ROLE.kvCertificatesOfficer.name,
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.KeyVault/checkNameAvailability/read',
      'Microsoft.KeyVault/deletedVaults/read',
      'Microsoft.KeyVault/locations/*/read',
      'Microsoft.KeyVault/vaults/*/read',
      'Microsoft.KeyVault/operations/read',
    ],
    notActions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/certificatecas/*',
      'Microsoft.KeyVault/vaults/certificates/*',
      'Microsoft.KeyVault/vaults/certificatecontacts/write',
    ],
  },
  [ROLE.kvCertificateUser.id]: {
    name: ROLE.kvCertificateUser.name,
    actions: [],
    notActions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/certificates/read',
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
      'Microsoft.KeyVault/vaults/keys/read',
    ],
  },
  [ROLE.kvSecretsUser.id]: {
    name: ROLE.kvSecretsUser.name,
    actions: [],
    notActions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  },
  [ROLE.kvSecretsOfficer.id]: {
    name: ROLE.kvSecretsOfficer.name,
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.KeyVault/vaults/*/read',
    ],
    notActions: [],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  [ROLE.kvReader.id]: {
    name: ROLE.kvReader.name,
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.KeyVault/checkNameAvailability/read',
      'Microsoft.KeyVault/deletedVaults/read',
      'Microsoft.KeyVault/locations/*/read',
      'Microsoft.KeyVault/vaults/*/read',
      'Microsoft.KeyVault/operations/read',
    ],
    notActions: [],
    dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  },
  [ROLE.kvContributor.id]: {
    name: ROLE.kvContributor.name,
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
      'Microsoft.KeyVault/*',
    ],
    notActions: [
      'Microsoft.KeyVault/locations/deletedVaults/purge/action',
      'Microsoft.KeyVault/hsmPools/*',
      'Microsoft.KeyVault/managedHsms/*',
    ],
    dataActions: [],
  },
};

function patternMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

function scopeCovers(scope: string, target: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const t = target.toLowerCase();
  return t === s || t.startsWith(`${s}/`);
}

export function assignmentsFor(state: State, principalId: string, target: string) {
  return state.roleAssignments.filter((a) => a.principalId === principalId && scopeCovers(a.scope, target));
}

/** Control-plane check (Azure RBAC actions) for `action` at `scope`. */
export function hasAction(state: State, principalId: string, scope: string, action: string): boolean {
  return assignmentsFor(state, principalId, scope).some((a) => {
    const def = ROLE_DEFINITIONS[a.roleDefinitionId];
    if (!def) return false;
    return def.actions.some((p) => patternMatches(p, action)) && !def.notActions.some((p) => patternMatches(p, action));
  });
}

/** Data-plane check (RBAC data actions) on a vault. */
export function hasDataAction(state: State, principalId: string, vault: Vault, dataAction: string): boolean {
  return assignmentsFor(state, principalId, vaultId(vault)).some((a) => {
    const def = ROLE_DEFINITIONS[a.roleDefinitionId];
    return !!def && def.dataActions.some((p) => patternMatches(p, dataAction));
  });
}

/** Access-policy check: `kind` is certificates/secrets/keys, `perm` e.g. import. */
export function hasPolicyPermission(
  vault: Vault,
  tenantId: string,
  objectId: string,
  kind: 'certificates' | 'secrets' | 'keys',
  perm: string,
): boolean {
  return vault.properties.accessPolicies.some((p) => {
    if (p.objectId !== objectId || p.tenantId !== tenantId) return false;
    const perms = (p.permissions[kind] ?? []).map((x) => x.toLowerCase());
    return perms.includes('all') || perms.includes(perm.toLowerCase());
  });
}
