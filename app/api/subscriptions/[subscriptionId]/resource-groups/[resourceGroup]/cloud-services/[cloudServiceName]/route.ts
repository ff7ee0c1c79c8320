import { withUser } from '@/lib/api/handler';
import { cloudServiceDetailResponse, cloudServiceParamsSchema } from '@/lib/api/cloud-service-schemas';
import { serviceDetail } from '@/lib/azure/cloud-service-rotation';

// GET …/cloud-services/{name} – role × certificate table, vault gate, RemoteAccess leftovers and the user's rights
export const GET = withUser(
  {
    summary: 'A cloud service: every role × certificate with its osProfile entry and status, the vault gate, rights',
    params: cloudServiceParamsSchema,
    response: cloudServiceDetailResponse,
  },
  ({ azure, params }) => serviceDetail(azure, params),
);
