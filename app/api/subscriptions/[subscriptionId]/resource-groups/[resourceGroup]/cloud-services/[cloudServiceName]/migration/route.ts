import { withUser } from '@/lib/api/handler';
import { cloudServiceParamsSchema, migrationSourceResponse } from '@/lib/api/cloud-service-schemas';
import { migrationSource } from '@/lib/azure/cloud-service-migration';

// GET …/cloud-services/{name}/migration – the service, its vault facts and each carried certificate's key and signature
export const GET = withUser(
  {
    summary:
      'What a migration is planned from: the live service, its vaults and versions, and the key size, signature and subject of each certificate it would carry',
    params: cloudServiceParamsSchema,
    response: migrationSourceResponse,
  },
  ({ azure, params }) => migrationSource(azure, params),
);
