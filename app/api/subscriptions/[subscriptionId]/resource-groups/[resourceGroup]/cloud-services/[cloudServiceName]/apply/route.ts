import { withUser } from '@/lib/api/handler';
import { applyRequestSchema, applyResponse, cloudServiceParamsSchema } from '@/lib/api/cloud-service-schemas';
import { applyServicePlan } from '@/lib/azure/cloud-service-rotation';

// POST …/cloud-services/{name}/apply – re-plan from the live service, refuse what the RP would, PUT on behalf of the user
export const POST = withUser(
  {
    summary:
      'Apply a rotation or roll back: the PUT on behalf of the user; returns the operation and the roll-back record',
    params: cloudServiceParamsSchema,
    body: applyRequestSchema,
    maxBodyBytes: 256 * 1024,
    response: applyResponse,
  },
  ({ azure, params, body, user, requestId }) => applyServicePlan(azure, params, body, { user, requestId }),
);
