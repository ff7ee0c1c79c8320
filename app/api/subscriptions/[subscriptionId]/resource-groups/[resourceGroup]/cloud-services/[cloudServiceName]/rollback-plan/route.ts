import { withUser } from '@/lib/api/handler';
import {
  cloudServiceParamsSchema,
  rollbackPlanRequestSchema,
  rotationPlanResponse,
} from '@/lib/api/cloud-service-schemas';
import { planServiceRollback } from '@/lib/azure/cloud-service-rotation';

// POST …/cloud-services/{name}/rollback-plan – what Roll back would send (from the record Apply returned)
export const POST = withUser(
  {
    summary: 'Plan the roll back of an applied change from its roll-back record (decision 033)',
    params: cloudServiceParamsSchema,
    body: rollbackPlanRequestSchema,
    response: rotationPlanResponse,
  },
  ({ azure, params, body }) => planServiceRollback(azure, params, body.record),
);
