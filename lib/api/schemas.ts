import { z } from 'zod';

/** Names and ids by Azure's own rules, shared by routes (server) and forms (browser). */

export const subscriptionIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a subscription id (a GUID)');

export const resourceGroupSchema = z
  .string()
  .min(1)
  .max(90)
  .regex(/^[-\w.()]*[-\w()]$/, 'must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period');

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

export const vaultParamsSchema = z.object({
  subscriptionId: subscriptionIdSchema,
  resourceGroup: resourceGroupSchema,
  vaultName: vaultNameSchema,
});

export const certificateParamsSchema = vaultParamsSchema.extend({ certificateName: certificateNameSchema });

/** Key Vault refuses import passwords over 200 characters. */
export const PFX_PASSWORD_MAX = 200;
