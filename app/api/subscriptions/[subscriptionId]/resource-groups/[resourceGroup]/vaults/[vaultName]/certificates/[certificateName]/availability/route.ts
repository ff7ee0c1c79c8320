import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema } from '@/lib/api/schemas';
import { certificateNameStatus } from '@/lib/azure/certificates';

// GET …/certificates/{name}/availability – free, taken (new version) or deleted but recoverable
export const GET = withUser(
  { summary: 'Check a certificate name', params: certificateParamsSchema },
  async ({ azure, params }) => certificateNameStatus(azure, params, params.certificateName),
);
