import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema } from '@/lib/api/schemas';
import { certificateSummaryResponse, copyCertificateSchema } from '@/lib/api/secret-schemas';
import { copyCertificate } from '@/lib/azure/certificate-copy';

// POST …/certificates/{name}/copy – copy the certificate (exportable secret, whole chain) into another vault
export const POST = withUser(
  {
    summary:
      'Copy a certificate into another vault (e.g. one in the cloud service’s region); the key stays on the server',
    params: certificateParamsSchema,
    body: copyCertificateSchema,
    response: certificateSummaryResponse,
  },
  ({ azure, params, body, user, requestId }) => copyCertificate(azure, params, body, { user, requestId }),
);
