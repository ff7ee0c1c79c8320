import { withUser } from '@/lib/api/handler';
import { certificateSummaryResponse, convertSecretSchema, secretParamsSchema } from '@/lib/api/secret-schemas';
import { convertSecretToCertificate } from '@/lib/azure/secret-conversion';

// POST …/vaults/{vault}/secrets/{name}/convert – import a PKCS#12 secret as a certificate, on the server only
export const POST = withUser(
  {
    summary:
      'Convert a PKCS#12 secret into a Key Vault certificate (same or another name); the bytes stay on the server',
    params: secretParamsSchema,
    body: convertSecretSchema,
    response: certificateSummaryResponse,
  },
  ({ azure, params, body, user, requestId }) => convertSecretToCertificate(azure, params, body, { user, requestId }),
);
