import 'server-only';
import type { Vault } from '@azure/arm-keyvault';
import { audit } from '@/lib/log';
import { keyVaultManagementClient } from './clients';
import { userScope } from './credentials';
import { vaultResourceId } from '@/lib/wizard/access';
import { toAppError } from './errors';
import { createResourceGroup } from './resource-groups';
import type { CreateVaultRequest, VaultNameAvailability, VaultRef, VaultSummary } from '@/lib/api/types';
import type { AuditInfo, AzureContext } from './types';

const ID_PATTERN =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i;

export function toVaultSummary(vault: Vault): VaultSummary {
  const id = vault.id ?? '';
  const match = ID_PATTERN.exec(id);
  const p = vault.properties;
  return {
    id,
    name: vault.name ?? match?.[3] ?? '',
    subscriptionId: match?.[1] ?? '',
    resourceGroup: match?.[2] ?? '',
    location: vault.location ?? '',
    vaultUri: p.vaultUri ?? '',
    rbac: p.enableRbacAuthorization === true,
    enabledForDeployment: p.enabledForDeployment === true,
    enabledForTemplateDeployment: p.enabledForTemplateDeployment === true,
    enabledForDiskEncryption: p.enabledForDiskEncryption === true,
    softDelete: p.enableSoftDelete !== false,
    purgeProtection: p.enablePurgeProtection === true,
    publicNetworkAccess: p.publicNetworkAccess ?? 'Enabled',
    sku: p.sku?.name ?? 'standard',
  };
}

export async function listVaults(
  { credential, config, upn }: AzureContext,
  subscriptionId: string,
): Promise<VaultSummary[]> {
  try {
    const out: VaultSummary[] = [];
    for await (const v of keyVaultManagementClient(credential, config, subscriptionId).vaults.listBySubscription())
      out.push(toVaultSummary(v));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw toAppError(error, { operation: 'list-vaults', scope: `/subscriptions/${subscriptionId}`, upn });
  }
}

export async function getVault({ credential, config, upn }: AzureContext, ref: VaultRef): Promise<VaultSummary> {
  try {
    return toVaultSummary(
      await keyVaultManagementClient(credential, config, ref.subscriptionId).vaults.get(
        ref.resourceGroup,
        ref.vaultName,
      ),
    );
  } catch (error) {
    throw toAppError(error, {
      operation: 'get-vault',
      vaultName: ref.vaultName,
      vaultId: vaultResourceId(ref.subscriptionId, ref.resourceGroup, ref.vaultName),
      upn,
    });
  }
}

/**
 * The vault as the data-plane operations need it (its URI, id and permission model), remembered per user token (the
 * user's token-cache entry, credentials.ts) for a minute so a Key Vault call does not cost an ARM round trip every time. Key Vault still authorizes every call
 * itself; the access step reads the vault with `getVault`, uncached, so flags are always shown fresh.
 */
const VAULT_TTL_MS = 60_000;
const vaultsByUser = new WeakMap<object, Map<string, { vault: VaultSummary; until: number }>>();
/** A user remembers at most this many vaults (the oldest goes first), so the memo stays small per user. */
const MAX_VAULTS_PER_USER = 16;
const vaultKey = (ref: VaultRef) => `${ref.subscriptionId}/${ref.resourceGroup}/${ref.vaultName}`.toLowerCase();

function remember(ctx: AzureContext, vault: VaultSummary, ref: VaultRef): VaultSummary {
  const user = userScope(ctx.credential);
  let known = vaultsByUser.get(user);
  if (!known) {
    known = new Map();
    vaultsByUser.set(user, known);
  }
  known.delete(vaultKey(ref));
  known.set(vaultKey(ref), { vault, until: Date.now() + VAULT_TTL_MS });
  for (const k of known.keys()) {
    if (known.size <= MAX_VAULTS_PER_USER) break;
    known.delete(k);
  }
  return vault;
}

export async function vaultForDataPlane(ctx: AzureContext, ref: VaultRef): Promise<VaultSummary> {
  const hit = vaultsByUser.get(userScope(ctx.credential))?.get(vaultKey(ref));
  if (hit && hit.until > Date.now()) return hit.vault;
  return remember(ctx, await getVault(ctx, ref), ref);
}

/** Turns on "Azure Virtual Machines for deployment" (`enabledForDeployment`) with a minimal ARM PATCH. */
export async function setEnabledForDeployment(
  ctx: AzureContext,
  ref: VaultRef,
  enabled: boolean,
  who: AuditInfo,
): Promise<VaultSummary> {
  try {
    const vault = await keyVaultManagementClient(ctx.credential, ctx.config, ref.subscriptionId).vaults.update(
      ref.resourceGroup,
      ref.vaultName,
      {
        properties: { enabledForDeployment: enabled },
      },
    );
    const summary = remember(ctx, toVaultSummary(vault), ref);
    audit('vault.enabledForDeployment.changed', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      vault: summary.id,
      enabled,
    });
    return summary;
  } catch (error) {
    throw toAppError(error, {
      operation: 'update-vault',
      vaultName: ref.vaultName,
      vaultId: vaultResourceId(ref.subscriptionId, ref.resourceGroup, ref.vaultName),
      upn: ctx.upn,
    });
  }
}

/** Whether a vault name is free worldwide (vault names are global DNS labels). */
export async function checkVaultName(
  ctx: AzureContext,
  subscriptionId: string,
  name: string,
): Promise<VaultNameAvailability> {
  try {
    const r = await keyVaultManagementClient(ctx.credential, ctx.config, subscriptionId).vaults.checkNameAvailability({
      name,
      type: 'Microsoft.KeyVault/vaults',
    });
    return { name, available: r.nameAvailable === true, reason: r.reason ?? null, message: r.message ?? null };
  } catch (error) {
    throw toAppError(error, { operation: 'check-vault-name', vaultName: name, upn: ctx.upn });
  }
}

/**
 * Creates a vault ready for Cloud Services (extended support): "Azure Virtual Machines for deployment" on, soft delete on.
 * With the access-policy model the creator gets certificate and secret permissions (as the portal does).
 */
export async function createVault(
  ctx: AzureContext,
  subscriptionId: string,
  req: CreateVaultRequest,
  who: AuditInfo,
): Promise<VaultSummary> {
  const scope = `/subscriptions/${subscriptionId}/resourceGroups/${req.resourceGroup}`;
  if (req.createResourceGroup) await createResourceGroup(ctx, subscriptionId, req.resourceGroup, req.location, who);
  try {
    const vault = await keyVaultManagementClient(ctx.credential, ctx.config, subscriptionId).vaults.createOrUpdate(
      req.resourceGroup,
      req.vaultName,
      {
        location: req.location,
        properties: {
          tenantId: ctx.config.tenantId,
          sku: { family: 'A', name: 'standard' },
          enableRbacAuthorization: req.rbac,
          enabledForDeployment: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 90,
          accessPolicies: req.rbac
            ? []
            : [
                {
                  tenantId: ctx.config.tenantId,
                  objectId: who.user.oid,
                  permissions: {
                    certificates: ['get', 'list', 'import', 'create', 'update', 'delete', 'recover'],
                    secrets: ['get', 'list'],
                    keys: ['get', 'list'],
                  },
                },
              ],
        },
      },
    );
    const summary = toVaultSummary(vault);
    audit('vault.created', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      vault: summary.id,
      rbac: req.rbac,
    });
    return summary;
  } catch (error) {
    throw toAppError(error, { operation: 'create-vault', vaultName: req.vaultName, scope, upn: ctx.upn });
  }
}
