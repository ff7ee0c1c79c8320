import { withUser } from '@/lib/api/handler';
import { vaultParamsSchema } from '@/lib/api/schemas';
import { unbackedSecretListResponse } from '@/lib/api/secret-schemas';
import { listUnbackedSecrets } from '@/lib/azure/secret-conversion';

// GET …/vaults/{vault}/unbacked-secrets – PKCS#12 secrets no certificate backs, with thumbprint, subject and expiry
export const GET = withUser(
  {
    summary: 'List PKCS#12 secrets that no certificate backs (read on the server: thumbprint, subject, expiry)',
    params: vaultParamsSchema,
    response: unbackedSecretListResponse,
  },
  ({ azure, params }) => listUnbackedSecrets(azure, params),
);
