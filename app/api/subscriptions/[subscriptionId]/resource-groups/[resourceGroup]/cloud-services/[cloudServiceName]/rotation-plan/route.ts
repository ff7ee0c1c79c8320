import { withUser } from '@/lib/api/handler';
import {
  cloudServiceParamsSchema,
  rotationPlanRequestSchema,
  rotationPlanResponse,
} from '@/lib/api/cloud-service-schemas';
import { planServiceRotation } from '@/lib/azure/cloud-service-rotation';

// POST …/cloud-services/{name}/rotation-plan – the new .cscfg and osProfile.secrets, both diffs, preflight, exports
export const POST = withUser(
  {
    summary:
      'Plan a rotation to a version already in a vault (imported, generated or picked): diffs, preflight, exports',
    params: cloudServiceParamsSchema,
    body: rotationPlanRequestSchema,
    response: rotationPlanResponse,
  },
  ({ azure, params, body }) => planServiceRotation(azure, params, body),
);
