import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema } from '@/lib/api/schemas';
import { listCertificateVersions } from '@/lib/azure/certificates';

// GET …/certificates/{name}/versions – every version, newest first, latest marked
export const GET = withUser(
  { summary: 'List certificate versions', params: certificateParamsSchema },
  async ({ azure, params }) => ({
    versions: await listCertificateVersions(azure, params, params.certificateName),
  }),
);
