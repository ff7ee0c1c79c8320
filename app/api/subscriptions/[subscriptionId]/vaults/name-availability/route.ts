import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { subscriptionIdSchema, vaultNameQuerySchema } from '@/lib/api/schemas';
import { checkVaultName } from '@/lib/azure/vaults';

// GET /api/subscriptions/{sub}/vaults/name-availability?name= – is this vault name free (names are global)
export const GET = withUser(
  {
    summary: 'Check a key vault name',
    params: z.object({ subscriptionId: subscriptionIdSchema }),
    query: vaultNameQuerySchema,
  },
  async ({ azure, params, query }) => checkVaultName(azure, params.subscriptionId, query.name),
);
