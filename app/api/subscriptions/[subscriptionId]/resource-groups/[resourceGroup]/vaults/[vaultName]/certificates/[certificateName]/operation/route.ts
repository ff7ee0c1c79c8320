import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema, selfSignedSchema } from '@/lib/api/schemas';
import { getCreateOperation, startSelfSigned } from '@/lib/azure/certificates';

// POST …/certificates/{name}/operation – start a self-signed certificate (exportable, PKCS#12)
export const POST = withUser(
  { summary: 'Create a self-signed certificate', params: certificateParamsSchema, body: selfSignedSchema },
  async ({ azure, params, body, user, requestId }) =>
    startSelfSigned(azure, params, params.certificateName, body, { user, requestId }),
);

// GET …/certificates/{name}/operation – the pending create's state (the certificate once completed)
export const GET = withUser(
  { summary: 'Get a pending certificate operation', params: certificateParamsSchema },
  async ({ azure, params }) => getCreateOperation(azure, params, params.certificateName),
);
