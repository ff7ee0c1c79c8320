import { withUser } from '@/lib/api/handler';
import { cloudServiceListResponse, windowQuerySchema } from '@/lib/api/cloud-service-schemas';
import { subscriptionIdSchema } from '@/lib/api/schemas';
import { listServices } from '@/lib/azure/cloud-service-rotation';
import { z } from 'zod';

// GET /api/subscriptions/{id}/cloud-services[?days=30] – every cloud service of the subscription with its health
export const GET = withUser(
  {
    summary: 'List the cloud services of a subscription with their certificate health (soonest expiry first)',
    params: z.object({ subscriptionId: subscriptionIdSchema }),
    query: windowQuerySchema,
    response: cloudServiceListResponse,
  },
  ({ azure, params, query }) => listServices(azure, params.subscriptionId, undefined, query.days),
);
