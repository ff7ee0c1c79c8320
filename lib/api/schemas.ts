import { z } from 'zod';

// Zod compiles object parsers with `new Function` where it can. The browser runs these schemas under the app's CSP
// (no 'unsafe-eval'), where even zod's probe for that is a reported violation: parse without it, everywhere.
z.config({ jitless: true });

/** Names and ids by Azure's own rules, shared by routes (server) and forms (browser). */

export const subscriptionIdSchema = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a subscription id (a GUID)',
  );

export const resourceGroupSchema = z
  .string()
  .min(1)
  .max(90)
  .regex(
    /^[-\w.()]*[-\w()]$/,
    'must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period',
  );

export const vaultNameSchema = z
  .string()
  .regex(
    /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){1,22}[a-zA-Z0-9]$/,
    'must be 3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
  );

export const certificateNameSchema = z
  .string()
  .min(1, 'is required')
  .max(127, 'must be at most 127 characters')
  .regex(/^[0-9a-zA-Z-]+$/, 'may contain only letters, digits and hyphens');

/** A certificate or secret version as Key Vault names them. */
export const keyVaultVersionSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'must be a Key Vault version (32 hex characters)');

export const vaultParamsSchema = z.object({
  subscriptionId: subscriptionIdSchema,
  resourceGroup: resourceGroupSchema,
  vaultName: vaultNameSchema,
});

export const certificateParamsSchema = vaultParamsSchema.extend({ certificateName: certificateNameSchema });

/** Key Vault refuses import passwords over 200 characters. */
export const PFX_PASSWORD_MAX = 200;

/** Azure region names as ARM spells them (`westeurope`, `eastus2`). */
export const locationSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,39}$/, 'must be an Azure region name such as westeurope');

export const createVaultSchema = z
  .object({
    resourceGroup: resourceGroupSchema,
    vaultName: vaultNameSchema,
    location: locationSchema,
    rbac: z.boolean(),
    createResourceGroup: z.boolean(),
  })
  .strict();

export const vaultNameQuerySchema = z.object({ name: vaultNameSchema });

/** DNS names for a certificate's subject alternative names (letters, digits, hyphens, dots; a leading `*.` allowed). */
export const dnsNameSchema = z
  .string()
  .max(253)
  .regex(
    /^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/,
    'must be a DNS name such as www.contoso.com',
  );

export const selfSignedSchema = z
  .object({
    subject: z
      .string()
      .min(4)
      .max(500)
      .regex(/^(CN|O|OU|C|L|ST|E)=/i, 'must be a distinguished name such as CN=www.contoso.com'),
    dnsNames: z.array(dnsNameSchema).max(20),
    validityMonths: z.number().int().min(1).max(120),
    keyType: z.enum(['RSA', 'EC']),
    keySize: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]).optional(),
    curve: z.enum(['P-256', 'P-384', 'P-521']).optional(),
  })
  .strict();

const permissionCheckSchema = z.object({
  allowed: z.boolean().nullable(),
  basis: z.enum(['role-assignments', 'access-policy', 'unknown']),
});
export const vaultPermissionsResponse = z.object({
  rbac: z.boolean(),
  changeSettings: permissionCheckSchema,
  addCertificates: permissionCheckSchema,
});
