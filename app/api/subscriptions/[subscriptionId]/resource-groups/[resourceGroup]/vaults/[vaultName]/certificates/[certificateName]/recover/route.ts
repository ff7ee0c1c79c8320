import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema } from '@/lib/api/schemas';
import { recoverCertificate } from '@/lib/azure/certificates';

// POST …/certificates/{name}/recover – recover a deleted certificate (all its versions)
export const POST = withUser(
  { summary: 'Recover a deleted certificate', params: certificateParamsSchema },
  async ({ azure, params, user, requestId }) =>
    recoverCertificate(azure, params, params.certificateName, { user, requestId }),
);
