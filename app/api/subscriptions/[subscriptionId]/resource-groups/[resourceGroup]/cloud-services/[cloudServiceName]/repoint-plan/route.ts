import { withUser } from '@/lib/api/handler';
import {
  cloudServiceParamsSchema,
  repointPlanRequestSchema,
  rotationPlanResponse,
} from '@/lib/api/cloud-service-schemas';
import { planServiceRepoint } from '@/lib/azure/cloud-service-rotation';

// POST …/cloud-services/{name}/repoint-plan – osProfile entries to versions with the same thumbprints; .cscfg unchanged
export const POST = withUser(
  {
    summary:
      'Plan pointing osProfile.secrets entries at certificate versions with the same thumbprints (converted secrets, copies)',
    params: cloudServiceParamsSchema,
    body: repointPlanRequestSchema,
    response: rotationPlanResponse,
  },
  ({ azure, params, body }) => planServiceRepoint(azure, params, body),
);
