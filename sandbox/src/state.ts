import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './fsutil.js';
import {
  PERSONA_PASSWORD,
  ROLE,
  SUB_PROD,
  SUB_STAGING,
  TENANT_ID,
  newGuid,
} from './ids.js';
import { log } from './log.js';

export interface Persona {
  username: string;
  password: string;
  displayName: string;
  objectId: string;
  description: string;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
}

export interface ResourceGroup {
  subscriptionId: string;
  name: string;
  location: string;
  tags: Record<string, string>;
}

export interface AccessPolicyPermissions {
  keys?: string[];
  secrets?: string[];
  certificates?: string[];
  storage?: string[];
}

export interface AccessPolicy {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: AccessPolicyPermissions;
}

export interface VaultProperties {
  tenantId: string;
  sku: { family: 'A'; name: 'standard' | 'premium' };
  accessPolicies: AccessPolicy[];
  enabledForDeployment: boolean;
  enabledForDiskEncryption: boolean;
  enabledForTemplateDeployment: boolean;
  enableSoftDelete: boolean;
  softDeleteRetentionInDays: number;
  enableRbacAuthorization: boolean;
  enablePurgeProtection?: boolean;
  createMode?: string;
  networkAcls?: unknown;
  provisioningState: 'Succeeded' | 'RegisteringDns';
  publicNetworkAccess: 'Enabled' | 'Disabled';
  [extra: string]: unknown;
}

export interface Vault {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  properties: VaultProperties;
  createdAt: string;
  createdBy: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
}

export interface RoleAssignment {
  id: string; // GUID name of the assignment
  principalId: string;
  roleDefinitionId: string; // GUID of the built-in role
  roleName: string;
  scope: string; // ARM scope, e.g. /subscriptions/{sub} or a vault id
}

/** Certificate policy in wire (snake_case) form, without its `id`. */
export type WirePolicy = Record<string, unknown>;

export interface CertVersion {
  version: string;
  created: number;
  updated: number;
  enabled: boolean;
  nbf: number;
  exp: number;
  tags?: Record<string, string>;
  /** base64 DER PKCS#8 private key. Never the uploaded PFX, never its password. */
  keyPkcs8: string;
  /** base64 DER certificates, leaf first unless preserveCertOrder. */
  chain: string[];
  x5t: string;
  contentType: 'application/x-pkcs12' | 'application/x-pem-file';
  preserveCertOrder?: boolean;
  /** Policy snapshot that applied to this version. */
  policy: WirePolicy;
}

export interface PendingOperation {
  requestId: string;
  /** version the certificate will get; kid/sid of the pending certificate already use it */
  version: string;
  created: number;
  status: 'inProgress' | 'completed' | 'cancelled' | 'failed';
  statusDetails?: string;
  cancellationRequested: boolean;
  csr: string;
  keyPkcs8: string;
  issuerName: string;
  readyAt: number; // ms epoch when the operation completes
  error?: { code: string; message: string };
  createAttributes?: { enabled?: boolean };
  tags?: Record<string, string>;
  policy: WirePolicy;
}

export interface Certificate {
  name: string;
  versions: CertVersion[];
  policy: WirePolicy;
  pending?: PendingOperation;
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

export interface State {
  schema: 1;
  tenantId: string;
  personas: Persona[];
  subscriptions: Subscription[];
  resourceGroups: ResourceGroup[];
  vaults: Vault[];
  roleAssignments: RoleAssignment[];
  /** vault name (lower case) → certificate name (lower case) → certificate */
  certificates: Record<string, Record<string, Certificate>>;
  /** soft-deleted vaults (their certificates stay under `certificates` until purged) */
  deletedVaults?: DeletedVault[];
}

export interface DeletedVault {
  vault: Vault;
  deletionDate: string;
  scheduledPurgeDate: string;
}

export const PERSONA_IDS = {
  admin: '4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001',
  certs: '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002',
  reader: '8b3e9c40-2d5f-4a0c-9e82-c3f4a5b60003',
} as const;

const ALL_CERT_PERMS = [
  'get', 'list', 'delete', 'create', 'import', 'update', 'managecontacts', 'getissuers', 'listissuers',
  'setissuers', 'deleteissuers', 'manageissuers', 'recover', 'purge', 'backup', 'restore',
];
const ALL_SECRET_PERMS = ['get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'];
const ALL_KEY_PERMS = [
  'get', 'list', 'update', 'create', 'import', 'delete', 'recover', 'backup', 'restore', 'decrypt', 'encrypt',
  'unwrapKey', 'wrapKey', 'verify', 'sign', 'purge', 'release', 'rotate', 'getrotationpolicy', 'setrotationpolicy',
];

export function vaultId(v: { subscriptionId: string; resourceGroup: string; name: string }): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
}

function seedVault(
  name: string,
  subscriptionId: string,
  resourceGroup: string,
  location: string,
  rbac: boolean,
  enabledForDeployment: boolean,
): Vault {
  const accessPolicies: AccessPolicy[] = rbac
    ? []
    : [
        {
          tenantId: TENANT_ID,
          objectId: PERSONA_IDS.admin,
          permissions: { keys: ALL_KEY_PERMS, secrets: ALL_SECRET_PERMS, certificates: ALL_CERT_PERMS },
        },
        {
          tenantId: TENANT_ID,
          objectId: PERSONA_IDS.reader,
          permissions: { keys: ['get', 'list'], secrets: ['get', 'list'], certificates: ['get', 'list'] },
        },
      ];
  const at = '2026-01-15T09:30:00.000Z';
  return {
    name,
    subscriptionId,
    resourceGroup,
    location,
    tags: { environment: subscriptionId === SUB_PROD ? 'production' : 'staging', 'created-by': 'sandbox-seed' },
    properties: {
      tenantId: TENANT_ID,
      sku: { family: 'A', name: 'standard' },
      accessPolicies,
      enabledForDeployment,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enableRbacAuthorization: rbac,
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
    },
    createdAt: at,
    createdBy: 'admin@contoso.sandbox',
    lastModifiedAt: at,
    lastModifiedBy: 'admin@contoso.sandbox',
  };
}

export function seedState(): State {
  const subScope = (s: string) => `/subscriptions/${s}`;
  const rbacVault = vaultId({ subscriptionId: SUB_PROD, resourceGroup: 'rg-cses-prod', name: 'kv-contoso-rbac' });
  const ra = (id: string, principalId: string, role: { id: string; name: string }, scope: string): RoleAssignment => ({
    id,
    principalId,
    roleDefinitionId: role.id,
    roleName: role.name,
    scope,
  });
  return {
    schema: 1,
    tenantId: TENANT_ID,
    personas: [
      {
        username: 'admin@contoso.sandbox',
        password: PERSONA_PASSWORD,
        displayName: 'Ada Admin',
        objectId: PERSONA_IDS.admin,
        description:
          'Owner on both subscriptions; Key Vault Administrator; full access policies on the access-policy vaults.',
      },
      {
        username: 'certs@contoso.sandbox',
        password: PERSONA_PASSWORD,
        displayName: 'Cole Certs',
        objectId: PERSONA_IDS.certs,
        description:
          'Reader on Production; Key Vault Certificates Officer on kv-contoso-rbac only; nothing on the others (cannot flip enabledForDeployment).',
      },
      {
        username: 'reader@contoso.sandbox',
        password: PERSONA_PASSWORD,
        displayName: 'Rita Reader',
        objectId: PERSONA_IDS.reader,
        description: 'Reader on both subscriptions; Key Vault Reader; get/list only.',
      },
    ],
    subscriptions: [
      { subscriptionId: SUB_PROD, displayName: 'Contoso Production', state: 'Enabled' },
      { subscriptionId: SUB_STAGING, displayName: 'Contoso Staging', state: 'Enabled' },
    ],
    resourceGroups: [
      { subscriptionId: SUB_PROD, name: 'rg-cses-prod', location: 'westeurope', tags: {} },
      { subscriptionId: SUB_STAGING, name: 'rg-cses-staging', location: 'eastus', tags: {} },
    ],
    vaults: [
      seedVault('kv-contoso-prod', SUB_PROD, 'rg-cses-prod', 'westeurope', false, false),
      seedVault('kv-contoso-rbac', SUB_PROD, 'rg-cses-prod', 'westeurope', true, true),
      seedVault('kv-contoso-east', SUB_STAGING, 'rg-cses-staging', 'eastus', false, false),
    ],
    roleAssignments: [
      ra('1a000001-0000-4000-8000-000000000001', PERSONA_IDS.admin, ROLE.owner, subScope(SUB_PROD)),
      ra('1a000001-0000-4000-8000-000000000002', PERSONA_IDS.admin, ROLE.owner, subScope(SUB_STAGING)),
      ra('1a000001-0000-4000-8000-000000000003', PERSONA_IDS.admin, ROLE.kvAdministrator, subScope(SUB_PROD)),
      ra('1a000001-0000-4000-8000-000000000004', PERSONA_IDS.admin, ROLE.kvAdministrator, subScope(SUB_STAGING)),
      ra('2b000002-0000-4000-8000-000000000001', PERSONA_IDS.certs, ROLE.reader, subScope(SUB_PROD)),
      ra('2b000002-0000-4000-8000-000000000002', PERSONA_IDS.certs, ROLE.kvCertificatesOfficer, rbacVault),
      ra('3c000003-0000-4000-8000-000000000001', PERSONA_IDS.reader, ROLE.reader, subScope(SUB_PROD)),
      ra('3c000003-0000-4000-8000-000000000002', PERSONA_IDS.reader, ROLE.reader, subScope(SUB_STAGING)),
      ra('3c000003-0000-4000-8000-000000000003', PERSONA_IDS.reader, ROLE.kvReader, subScope(SUB_PROD)),
      ra('3c000003-0000-4000-8000-000000000004', PERSONA_IDS.reader, ROLE.kvReader, subScope(SUB_STAGING)),
    ],
    certificates: {},
  };
}

/** The whole sandbox state, persisted as one JSON document replaced atomically after every mutation. */
export class Store {
  readonly file: string;
  state: State;

  constructor(readonly stateDir: string) {
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
        log('state.json unreadable; re-seeding:', (e as Error).message);
      }
    }
    const s = seedState();
    writeFileAtomic(this.file, JSON.stringify(s, null, 1));
    return s;
  }

  save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.state, null, 1));
  }

  reset(): void {
    this.state = seedState();
    this.save();
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
export function resetState(stateDir: string): void {
  rmSync(join(stateDir, 'state.json'), { force: true });
  rmSync(join(stateDir, 'faults.json'), { force: true });
  const s = new Store(stateDir);
  void s;
}

export { newGuid };
