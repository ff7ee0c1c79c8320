import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { subscriptionIdSchema } from '@/lib/api/schemas';
import { listResourceGroups } from '@/lib/azure/resource-groups';

// GET /api/subscriptions/{sub}/resource-groups – the subscription's resource groups
export const GET = withUser(
  { summary: 'List resource groups', params: z.object({ subscriptionId: subscriptionIdSchema }) },
  async ({ azure, params }) => ({ resourceGroups: await listResourceGroups(azure, params.subscriptionId) }),
);
