import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { subscriptionIdSchema } from '@/lib/api/schemas';
import { listVaults } from '@/lib/azure/vaults';

// GET /api/subscriptions/{sub}/vaults – the subscription's key vaults with their access settings
export const GET = withUser({ params: z.object({ subscriptionId: subscriptionIdSchema }) }, async ({ azure, params }) => ({
  vaults: await listVaults(azure, params.subscriptionId),
}));
