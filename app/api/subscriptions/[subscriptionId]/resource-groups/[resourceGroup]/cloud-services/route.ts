import { withUser } from '@/lib/api/handler';
import {
  cloudServiceListResponse,
  resourceGroupParamsSchema,
  windowQuerySchema,
} from '@/lib/api/cloud-service-schemas';
import { listServices } from '@/lib/azure/cloud-service-rotation';

// GET …/resource-groups/{group}/cloud-services[?days=30] – the group's cloud services with their certificate health
export const GET = withUser(
  {
    summary: 'List the cloud services of a resource group with their certificate health',
    params: resourceGroupParamsSchema,
    query: windowQuerySchema,
    response: cloudServiceListResponse,
  },
  ({ azure, params, query }) => listServices(azure, params.subscriptionId, params.resourceGroup, query.days),
);
