import { withUser } from '@/lib/api/handler';
import { vaultParamsSchema, vaultPermissionsResponse } from '@/lib/api/schemas';
import { getVaultPermissions } from '@/lib/azure/vault-permissions';

// GET …/vaults/{vault}/permissions – what the signed-in user may do on the vault, before offering it
export const GET = withUser(
  {
    summary: 'What the signed-in user may do on a key vault',
    params: vaultParamsSchema,
    response: vaultPermissionsResponse,
  },
  async ({ azure, params, user }) => getVaultPermissions(azure, params, user),
);
