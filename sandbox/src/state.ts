import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './fsutil.js';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GUID, ROLE, TENANT_ID } from './ids.js';
import { log } from './log.js';
import { CertificateSeedSchema, CloudServiceSeedSchema, applyComputeSeed } from './compute/seed.js';
import type { AccessPolicyPermissions, Certificate, CertificateIssuer, Secret, State } from './model.js';

const ALL_CERT_PERMS = [
  'get',
  'list',
  'delete',
  'create',
  'import',
  'update',
  'managecontacts',
  'getissuers',
  'listissuers',
  'setissuers',
  'deleteissuers',
  'manageissuers',
  'recover',
  'purge',
  'backup',
  'restore',
];
const ALL_SECRET_PERMS = ['get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'];
const ALL_KEY_PERMS = [
  'get',
  'list',
  'update',
  'create',
  'import',
  'delete',
  'recover',
  'backup',
  'restore',
  'decrypt',
  'encrypt',
  'unwrapKey',
  'wrapKey',
  'verify',
  'sign',
  'purge',
  'release',
  'rotate',
  'getrotationpolicy',
  'setrotationpolicy',
];

const permList = z.array(z.string().min(1)).optional();
const SeedSchema = z.object({
  personas: z
    .array(
      z.object({
        username: z.string().min(3).includes('@'),
        password: z.string().min(1),
        displayName: z.string().min(1),
        objectId: z.string().regex(GUID),
        description: z.string().default(''),
      }),
    )
    .min(1),
  subscriptions: z.array(z.object({ subscriptionId: z.string().regex(GUID), displayName: z.string().min(1) })).min(1),
  resourceGroups: z.array(
    z.object({ subscriptionId: z.string().regex(GUID), name: z.string().min(1), location: z.string().min(1) }),
  ),
  vaults: z.array(
    z.object({
      name: z.string().regex(/^(?=.{3,24}$)[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$/),
      subscriptionId: z.string().regex(GUID),
      resourceGroup: z.string().min(1),
      location: z.string().min(1),
      permissionModel: z.enum(['accessPolicies', 'rbac']),
      enabledForDeployment: z.boolean().default(false),
      enabledForTemplateDeployment: z.boolean().default(false),
      enabledForDiskEncryption: z.boolean().default(false),
      softDeleteRetentionInDays: z.number().int().min(7).max(90).default(90),
      enablePurgeProtection: z.boolean().optional(),
      tags: z.record(z.string(), z.string()).default({}),
      accessPolicies: z
        .array(z.object({ principal: z.string(), keys: permList, secrets: permList, certificates: permList }))
        .default([]),
    }),
  ),
  roleAssignments: z.array(
    z.object({ principal: z.string(), role: z.string(), scope: z.string().startsWith('/subscriptions/') }),
  ),
  certificates: z.array(CertificateSeedSchema).default([]),
  cloudServices: z.array(CloudServiceSeedSchema).default([]),
});

export type Seed = z.infer<typeof SeedSchema>;

export const DEFAULT_SEED_FILE = fileURLToPath(new URL('../seed.json', import.meta.url));

const expand = (perms: string[] | undefined, all: string[]) =>
  perms === undefined
    ? undefined
    : perms.some((p) => p.toLowerCase() === 'all')
      ? [...all]
      : perms.map((p) => p.toLowerCase());

/**
 * Reads and validates a seed file and turns it into a fresh state. `stateDir` keeps the keys of the seeded
 * certificates between resets (src/compute/seed.ts).
 */
export function seedState(file: string = process.env.SANDBOX_SEED || DEFAULT_SEED_FILE, stateDir?: string): State {
  const parsed = SeedSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `invalid seed ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const seed = parsed.data;
  const oidOf = (principal: string) => {
    const p = seed.personas.find(
      (x) => x.username.toLowerCase() === principal.toLowerCase() || x.objectId === principal,
    );
    if (!p) throw new Error(`invalid seed ${file}: unknown principal '${principal}'`);
    return p.objectId;
  };
  const roleByName = Object.values(ROLE).reduce<Record<string, { id: string; name: string }>>(
    (m, r) => ((m[r.name.toLowerCase()] = r), m),
    {},
  );
  const at = '2026-01-15T09:30:00.000Z';
  const creator = seed.personas[0]!.username;
  const state: State = {
    schema: 1,
    tenantId: TENANT_ID,
    personas: seed.personas,
    subscriptions: seed.subscriptions.map((s) => ({ ...s, state: 'Enabled' as const })),
    resourceGroups: seed.resourceGroups.map((g) => ({ ...g, tags: {} })),
    vaults: seed.vaults.map((v) => ({
      name: v.name,
      subscriptionId: v.subscriptionId,
      resourceGroup: v.resourceGroup,
      location: v.location,
      tags: v.tags,
      properties: {
        tenantId: TENANT_ID,
        sku: { family: 'A', name: 'standard' },
        accessPolicies: v.accessPolicies.map((a) => {
          const permissions: AccessPolicyPermissions = {};
          const keys = expand(a.keys, ALL_KEY_PERMS);
          const secrets = expand(a.secrets, ALL_SECRET_PERMS);
          const certificates = expand(a.certificates, ALL_CERT_PERMS);
          if (keys) permissions.keys = keys;
          if (secrets) permissions.secrets = secrets;
          if (certificates) permissions.certificates = certificates;
          return { tenantId: TENANT_ID, objectId: oidOf(a.principal), permissions };
        }),
        enabledForDeployment: v.enabledForDeployment,
        enabledForDiskEncryption: v.enabledForDiskEncryption,
        enabledForTemplateDeployment: v.enabledForTemplateDeployment,
        enableSoftDelete: true,
        softDeleteRetentionInDays: v.softDeleteRetentionInDays,
        enableRbacAuthorization: v.permissionModel === 'rbac',
        ...(v.enablePurgeProtection ? { enablePurgeProtection: true } : {}),
        provisioningState: 'Succeeded',
        publicNetworkAccess: 'Enabled',
      },
      createdAt: at,
      createdBy: creator,
      lastModifiedAt: at,
      lastModifiedBy: creator,
    })),
    roleAssignments: seed.roleAssignments.map((a) => {
      const role = roleByName[a.role.toLowerCase()];
      if (!role)
        throw new Error(
          `invalid seed ${file}: unknown role '${a.role}' (known: ${Object.values(ROLE)
            .map((r) => r.name)
            .join(', ')})`,
        );
      const principalId = oidOf(a.principal);
      // Deterministic assignment ids, so docs and tests can name them.
      const h = createHash('sha256').update(`${principalId}|${role.id}|${a.scope.toLowerCase()}`).digest('hex');
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      return { id, principalId, roleDefinitionId: role.id, roleName: role.name, scope: a.scope };
    }),
    certificates: {},
  };
  applyComputeSeed(
    state,
    seed,
    (msg) => {
      throw new Error(`invalid seed ${file}: ${msg}`);
    },
    stateDir,
  );
  return state;
}

/** The whole sandbox state, persisted as one JSON document replaced atomically after every mutation. */
export class Store {
  readonly file: string;
  state: State;

  constructor(
    readonly stateDir: string,
    readonly seedFile?: string,
  ) {
    this.file = join(stateDir, 'state.json');
    this.state = this.load();
  }

  private load(): State {
    if (existsSync(this.file)) {
      try {
        const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as State;
        if (parsed.schema === 1) return parsed;
        log('state.json has an unknown schema; re-seeding');
      } catch (e) {
        // Never silently drop data: keep the unreadable file next to the new one.
        const aside = `${this.file}.unreadable-${Date.now()}`;
        renameSync(this.file, aside);
        log(`state.json unreadable (${(e as Error).message}); kept as ${aside}; re-seeding`);
      }
    }
    const s = seedState(this.seedFile, this.stateDir);
    writeFileAtomic(this.file, JSON.stringify(s));
    return s;
  }

  save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.state));
  }

  reset(): void {
    this.state = seedState(this.seedFile, this.stateDir);
    this.save();
  }

  vaultSecrets(vaultName: string): Record<string, Secret> {
    const key = vaultName.toLowerCase();
    const all = (this.state.secrets ??= {});
    return (all[key] ??= {});
  }

  vaultIssuers(vaultName: string): Record<string, CertificateIssuer> {
    const key = vaultName.toLowerCase();
    const all = (this.state.certificateIssuers ??= {});
    return (all[key] ??= {});
  }

  vaultCerts(vaultName: string): Record<string, Certificate> {
    const key = vaultName.toLowerCase();
    let m = this.state.certificates[key];
    if (!m) {
      m = {};
      this.state.certificates[key] = m;
    }
    return m;
  }
}

/** Wipes state back to the seed (keeps the CA so clients that trust it keep working). */
export function resetState(stateDir: string, seedFile?: string): void {
  const fresh = seedState(seedFile, stateDir); // built first: a bad seed must not wipe the current state
  rmSync(join(stateDir, 'faults.json'), { force: true });
  writeFileAtomic(join(stateDir, 'state.json'), JSON.stringify(fresh));
}
