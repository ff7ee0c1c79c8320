import 'server-only';
import type { VaultPermissions, VaultRef } from '@/lib/api/types';
import { vaultResourceId } from '@/lib/wizard/access';
import { decideVaultPermissions } from '@/lib/wizard/permissions';
import { keyVaultManagementClient } from './clients';
import { permissionsAt } from './cloud-services';
import { toAppError } from './errors';
import type { AzureContext } from './types';

/**
 * What the signed-in user may do on a vault, asked up front: ARM's permissions API at the vault (read in parallel
 * with the vault itself, whose access policies decide on the access-policy model). The permissions API failing is
 * "not known", never an error: the step still offers the action.
 */
export async function getVaultPermissions(
  ctx: AzureContext,
  ref: VaultRef,
  user: { oid: string; tid: string },
): Promise<VaultPermissions> {
  const id = vaultResourceId(ref.subscriptionId, ref.resourceGroup, ref.vaultName);
  const readVault = async () => {
    try {
      return await keyVaultManagementClient(ctx.credential, ctx.config, ref.subscriptionId).vaults.get(
        ref.resourceGroup,
        ref.vaultName,
      );
    } catch (error) {
      throw toAppError(error, { operation: 'get-vault', vaultName: ref.vaultName, vaultId: id, upn: ctx.upn });
    }
  };
  const readPermissions = async () => {
    try {
      return await permissionsAt(ctx, id);
    } catch {
      return null;
    }
  };
  const [vault, entries] = await Promise.all([readVault(), readPermissions()]);
  return decideVaultPermissions({
    rbac: vault.properties.enableRbacAuthorization === true,
    entries,
    policies: (vault.properties.accessPolicies ?? []).map((p) => ({
      tenantId: p.tenantId,
      objectId: p.objectId,
      certificates: p.permissions.certificates ?? [],
    })),
    user,
  });
}
