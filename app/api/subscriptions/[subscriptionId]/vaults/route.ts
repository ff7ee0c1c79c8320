import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { createVaultSchema, subscriptionIdSchema } from '@/lib/api/schemas';
import { createVault, listVaults } from '@/lib/azure/vaults';

const params = z.object({ subscriptionId: subscriptionIdSchema });

// GET /api/subscriptions/{sub}/vaults – the subscription's key vaults with their access settings
export const GET = withUser({ summary: 'List key vaults', params }, async ({ azure, params }) => ({
  vaults: await listVaults(azure, params.subscriptionId),
}));

// POST /api/subscriptions/{sub}/vaults – create a vault for CSES (deployment flag on), optionally its resource group
export const POST = withUser(
  { summary: 'Create a key vault', params, body: createVaultSchema },
  async ({ azure, params, body, user, requestId }) =>
    createVault(azure, params.subscriptionId, body, { user, requestId }),
);
