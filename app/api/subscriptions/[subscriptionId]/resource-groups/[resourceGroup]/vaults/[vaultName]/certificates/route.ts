import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { vaultParamsSchema } from '@/lib/api/schemas';
import { listAllCertificateVersions, listCertificates } from '@/lib/azure/certificates';

// GET …/vaults/{vault}/certificates[?include=versions] – the vault's certificates, or every version of every one
export const GET = withUser(
  {
    summary: 'List certificates (or all their versions)',
    params: vaultParamsSchema,
    query: z.object({ include: z.literal('versions').optional() }),
  },
  async ({ azure, params, query }) =>
    query.include === 'versions'
      ? { versions: await listAllCertificateVersions(azure, params) }
      : { certificates: await listCertificates(azure, params) },
);
