import { z } from 'zod';
import {
  certificateNameSchema,
  keyVaultVersionSchema,
  resourceGroupSchema,
  subscriptionIdSchema,
  vaultParamsSchema,
} from './schemas';

/**
 * Requests of the cloud-services routes (parsed) and their responses (for the API document only). The response
 * schemas follow lib/api/types.ts and lib/cloud-services/types.ts.
 */

export const cloudServiceNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9](?:[-\w.]*[a-zA-Z0-9])?$/, 'must be a cloud service name (letters, digits, hyphens)');

export const cloudServiceListParamsSchema = z.object({
  subscriptionId: subscriptionIdSchema,
  resourceGroup: resourceGroupSchema.optional(),
});
export const resourceGroupParamsSchema = z.object({
  subscriptionId: subscriptionIdSchema,
  resourceGroup: resourceGroupSchema,
});
export const cloudServiceParamsSchema = resourceGroupParamsSchema.extend({ cloudServiceName: cloudServiceNameSchema });
export const operationParamsSchema = cloudServiceParamsSchema.extend({
  operation: z
    .string()
    .min(8)
    .max(2048)
    .regex(/^[\w-]+$/, 'must be an operation token from Apply'),
});
export const windowQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).optional() });

const thumbprint = z.string().min(1).max(200);

/** A certificate version to point osProfile entries at. */
const rotationTargetSchema = z
  .object({
    vault: vaultParamsSchema,
    certificateName: certificateNameSchema,
    version: keyVaultVersionSchema,
  })
  .strict();

export const rotationPlanRequestSchema = z
  .object({
    from: thumbprint,
    to: rotationTargetSchema,
  })
  .strict();

export const repointPlanRequestSchema = z
  .object({
    moves: z
      .array(z.object({ from: z.string().min(1).max(400), to: rotationTargetSchema }).strict())
      .min(1)
      .max(100),
  })
  .strict();

const secretGroupSchema = z.object({
  sourceVault: z.object({ id: z.string().min(1).max(400) }),
  vaultCertificates: z
    .array(z.object({ certificateUrl: z.string().min(1).max(400), isBootstrapCertificate: z.boolean().optional() }))
    .max(100),
});

export const rollbackRecordSchema = z
  .object({
    serviceId: z.string().min(1).max(400),
    appliedFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    previousFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    configurationEdits: z
      .array(z.object({ role: z.string().min(1).max(200), name: z.string().min(1).max(200), thumbprint }))
      .max(200),
    secrets: z.array(secretGroupSchema).max(50),
    description: z.string().max(1000),
    createdAt: z.string().max(40),
  })
  .strict();

export const rollbackPlanRequestSchema = z.object({ record: rollbackRecordSchema }).strict();

const fingerprint = z.string().regex(/^[0-9a-f]{16}$/, 'must be the fingerprint from the plan');
export const applyRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rotate'), request: rotationPlanRequestSchema, expect: fingerprint }).strict(),
  z.object({ kind: z.literal('repoint'), request: repointPlanRequestSchema, expect: fingerprint }).strict(),
  z.object({ kind: z.literal('rollback'), record: rollbackRecordSchema, expect: fingerprint }).strict(),
]);

export const exportRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rotate'), request: rotationPlanRequestSchema }).strict(),
  z.object({ kind: z.literal('repoint'), request: repointPlanRequestSchema }).strict(),
  z.object({ kind: z.literal('rollback'), record: rollbackRecordSchema }).strict(),
]);

// ----------------------------------------------------------------------------------------------- responses

const nullableString = z.string().nullable();
const health = z.object({
  status: z.enum(['healthy', 'expiring', 'broken', 'attention']),
  label: z.string(),
  summary: z.string(),
  soonestExpiry: nullableString,
  daysLeft: z.number().int().nullable(),
  counts: z.object({ ok: z.number().int(), warning: z.number().int(), error: z.number().int() }),
});

export const cloudServiceListResponse = z.object({
  windowDays: z.number().int(),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      location: z.string(),
      provisioningState: nullableString,
      health,
      certificates: z.number().int(),
    }),
  ),
});

const problem = z.object({ code: z.string(), message: z.string(), action: z.string() });
const liveService = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  name: z.string(),
  location: z.string(),
  provisioningState: nullableString,
  configuration: nullableString,
  secrets: z.array(secretGroupSchema),
  roles: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
});
const row = z.object({
  role: z.string(),
  name: z.string(),
  thumbprint: z.string(),
  normalizedThumbprint: z.string(),
  remoteAccess: z.boolean(),
  entry: z
    .object({
      certificateUrl: z.string(),
      vaultId: z.string(),
      vaultName: z.string(),
      secretName: z.string(),
      version: z.string(),
    })
    .nullable(),
  expiresOn: nullableString,
  daysLeft: z.number().int().nullable(),
  enabled: z.boolean().nullable(),
  newerVersion: z
    .object({ version: z.string(), thumbprint: nullableString, expiresOn: nullableString, secretUrl: z.string() })
    .nullable(),
  repair: z.object({ version: z.string(), name: z.string(), vaultName: z.string(), secretUrl: z.string() }).nullable(),
  status: z.enum([
    'ok',
    'expiring',
    'expired',
    'missing',
    'disabled',
    'not-certificate',
    'unverified',
    'vault-blocked',
  ]),
  severity: z.enum(['ok', 'warning', 'error']),
  message: z.string(),
  fix: z.string(),
});
const gate = z.object({
  vaultId: z.string(),
  vaultName: z.string(),
  ok: z.boolean(),
  checks: z.array(
    z.object({
      id: z.enum(['found', 'subscription', 'region', 'deployment', 'firewall', 'id-match']),
      ok: z.boolean().nullable(),
      label: z.string(),
      message: z.string(),
      fix: z.string(),
    }),
  ),
});
const rights = z.object({ write: z.boolean().nullable(), deploy: z.record(z.string(), z.boolean().nullable()) });

export const cloudServiceDetailResponse = z.object({
  report: z.object({
    service: liveService,
    health,
    rows: z.array(row),
    unused: z.array(z.object({ certificateUrl: z.string(), vaultId: z.string(), thumbprint: nullableString })),
    gates: z.array(gate),
    remoteAccess: z.array(
      z.object({ code: z.string(), message: z.string(), action: z.string(), role: z.string().optional() }),
    ),
    configurationError: problem.nullable(),
  }),
  rights,
  canWrite: z.boolean().nullable(),
});

const diffLine = z.object({
  kind: z.enum(['same', 'added', 'removed']),
  text: z.string(),
  oldLine: z.number().int().nullable(),
  newLine: z.number().int().nullable(),
});
const check = z.object({
  id: z.string(),
  kind: z.enum(['rp', 'rights', 'advice']),
  ok: z.boolean(),
  severity: z.enum(['error', 'warning']),
  title: z.string(),
  message: z.string(),
  fix: z.string(),
  rpCode: z.string().optional(),
});

export const rotationPlanResponse = z.object({
  plan: z.object({
    kind: z.enum(['rotate', 'repair', 'repoint', 'rollback']),
    title: z.string(),
    serviceId: z.string(),
    from: z.object({ thumbprint: z.string(), urls: z.array(z.string()) }),
    to: z.object({
      thumbprint: z.string(),
      url: z.string(),
      name: z.string(),
      vaultName: z.string(),
      version: z.string(),
      expiresOn: nullableString,
    }),
    edits: z.array(z.object({ role: z.string(), name: z.string(), before: z.string(), after: z.string() })),
    configuration: z.object({ before: z.string(), after: z.string(), changed: z.boolean(), diff: z.array(diffLine) }),
    secrets: z.object({
      before: z.array(secretGroupSchema),
      after: z.array(secretGroupSchema),
      changed: z.boolean(),
      diff: z.array(diffLine),
    }),
    preflight: z.object({ canApply: z.boolean(), canExport: z.boolean(), checks: z.array(check) }),
    fingerprint: z.object({ before: z.string(), after: z.string() }),
    rollback: rollbackRecordSchema,
  }),
  exports: z.array(
    z.object({
      kind: z.enum(['update-template', 'update-parameters', 'update-powershell', 'update-az-rest']),
      fileName: z.string(),
      text: z.string(),
    }),
  ),
});

const exportFile = z.object({
  kind: z.enum(['update-template', 'update-parameters', 'update-powershell', 'update-az-rest']),
  fileName: z.string(),
  text: z.string(),
});

export const exportResponse = z.object({
  exports: z.array(exportFile),
  /** The state the exported change was made for (it applies only while the service still has it). */
  fingerprint: z.string(),
});

export const applyResponse = z.object({ operation: z.string(), rollback: rollbackRecordSchema, startedAt: z.string() });

export const operationResponse = z.object({
  status: z.enum(['InProgress', 'Succeeded', 'Failed', 'Canceled']),
  error: z
    .object({ code: z.string(), message: z.string(), action: z.string(), reason: z.string().optional() })
    .nullable(),
  detail: cloudServiceDetailResponse.optional(),
});

const versionFacts = z.object({
  vaultName: z.string(),
  name: z.string(),
  version: z.string(),
  secretUrl: z.string(),
  thumbprint: nullableString,
  enabled: z.boolean(),
  notBefore: nullableString,
  expiresOn: nullableString,
  createdOn: nullableString,
  certificateBacked: z.boolean(),
  contentType: nullableString,
});
const readOutcome = z.enum(['ok', 'not-found', 'forbidden', 'error']);

/** GET …/migration: what the Migrate tab plans from (lib/cloud-services MigrationSource). */
export const migrationSourceResponse = z.object({
  service: liveService,
  facts: z.object({
    vaults: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        subscriptionId: z.string(),
        resourceGroup: z.string(),
        read: readOutcome,
        trueId: nullableString,
        location: nullableString,
        vaultUri: nullableString,
        enabledForDeployment: z.boolean().nullable(),
        publicNetworkAccess: nullableString,
        networkDefaultAction: nullableString,
        networkBypass: nullableString,
        rbac: z.boolean().nullable(),
        error: problem.optional(),
      }),
    ),
    secrets: z.array(
      z.object({
        url: z.string(),
        read: z.enum(['ok', 'not-found', 'forbidden', 'error', 'invalid-url']),
        version: versionFacts.optional(),
        siblings: z.array(versionFacts),
        error: problem.optional(),
      }),
    ),
  }),
  details: z.array(
    z.object({
      url: z.string(),
      thumbprint: z.string(),
      subject: z.string(),
      commonName: nullableString,
      issuer: z.string(),
      selfSigned: z.boolean(),
      keyType: z.enum(['RSA', 'EC', 'other']),
      keyBits: z.number().int().nullable(),
      signatureAlgorithm: z.string(),
      notAfter: z.string(),
    }),
  ),
  unreadable: z.array(z.object({ url: z.string(), problem })),
});
