import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { certificateParamsSchema, PFX_PASSWORD_MAX } from '@/lib/api/schemas';
import { getCertificate, importPfxUpload } from '@/lib/azure/certificates';
import { MAX_PFX_UPLOAD_BYTES } from '@/lib/certs/limits';

const importForm = z.object({
  file: z.instanceof(File, { message: 'choose a .pfx file' }),
  password: z
    .string()
    .max(PFX_PASSWORD_MAX, `must be at most ${PFX_PASSWORD_MAX} characters (Key Vault's limit)`)
    .optional(),
});

// GET …/certificates/{name}[?version=] – a certificate's latest (or given) version
export const GET = withUser(
  {
    summary: 'Get a certificate version',
    params: certificateParamsSchema,
    query: z.object({
      version: z
        .string()
        .regex(/^[0-9a-f]{32}$/i, 'must be a 32-character version id')
        .optional(),
    }),
  },
  async ({ azure, params, query }) => getCertificate(azure, params, params.certificateName, query.version),
);

// POST …/certificates/{name} – import a PFX (multipart: file, password) as a new version
export const POST = withUser(
  {
    summary: 'Import a PFX as a new version',
    params: certificateParamsSchema,
    body: importForm,
    form: true,
    maxBodyBytes: MAX_PFX_UPLOAD_BYTES,
  },
  async ({ azure, params, body, user, requestId }) => importPfxUpload(azure, params, body, { user, requestId }),
);
