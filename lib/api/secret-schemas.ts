import { z } from 'zod';
import { certificateNameSchema, keyVaultVersionSchema, vaultParamsSchema } from './schemas';

/** Secret names follow the same rule as certificate names (1–127 letters, digits, hyphens). */
export const secretParamsSchema = vaultParamsSchema.extend({ secretName: certificateNameSchema });

export const convertSecretSchema = z
  .object({
    certificateName: certificateNameSchema,
    version: keyVaultVersionSchema.optional(),
  })
  .strict();

export const copyCertificateSchema = z
  .object({
    target: vaultParamsSchema.strict(),
    certificateName: certificateNameSchema.optional(),
    version: keyVaultVersionSchema.optional(),
  })
  .strict();

const problem = z.object({ code: z.string(), message: z.string(), action: z.string() });

export const unbackedSecretListResponse = z.object({
  vault: z.object({ id: z.string(), name: z.string(), location: z.string() }),
  secrets: z.array(
    z.object({
      name: z.string(),
      version: z.string(),
      secretId: z.string(),
      enabled: z.boolean(),
      updatedOn: z.string().nullable(),
      status: z.enum(['convertible', 'certificate', 'not-pkcs12', 'unreadable']),
      thumbprint: z.string().nullable(),
      subject: z.string().nullable(),
      notAfter: z.string().nullable(),
      certificate: z.object({ name: z.string(), version: z.string() }).nullable(),
      problem: problem.nullable(),
    }),
  ),
});

/** The certificate a conversion or copy created (the fields outputs need; the full CertificateSummary is returned). */
export const certificateSummaryResponse = z
  .object({
    name: z.string(),
    version: z.string(),
    thumbprint: z.string(),
    secretId: z.string(),
    certificateId: z.string(),
    vaultId: z.string(),
    vaultUri: z.string(),
    subject: z.string(),
    expiresOn: z.string().nullable(),
  })
  .loose();
