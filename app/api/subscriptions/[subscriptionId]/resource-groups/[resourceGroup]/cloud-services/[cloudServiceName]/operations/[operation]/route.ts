import { withUser } from '@/lib/api/handler';
import { operationParamsSchema, operationResponse } from '@/lib/api/cloud-service-schemas';
import { serviceOperation } from '@/lib/azure/cloud-service-rotation';

// GET …/cloud-services/{name}/operations/{operation} – the update's progress; once over, the service read again
export const GET = withUser(
  {
    summary: 'Follow an applied update (Azure-AsyncOperation); when it is over, the service is read again',
    params: operationParamsSchema,
    response: operationResponse,
  },
  ({ azure, params }) => serviceOperation(azure, params, params.operation),
);
