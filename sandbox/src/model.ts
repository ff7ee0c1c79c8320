// The sandbox's state model: the types of the one JSON document state.ts persists. Modules that only need the
// shapes (the compute seed, the RP's secret reader, every handler) import them from here, so nothing that
// state.ts itself imports has to import state.ts back.
import type { CloudServiceRecord } from './compute/model.js';

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
  /** last PATCH of the pending certificate (s) */
  updated?: number;
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

/** The deleted state of a certificate or secret (soft delete takes a while, and so does recovery). */
export interface SoftDeleted {
  deletedDate: number;
  scheduledPurgeDate: number;
  /** ms epoch until which the deletion is still in progress (not yet readable as deleted) */
  readyAt?: number;
  /** ms epoch until which a recovery is in progress (no longer readable as deleted, not yet live) */
  recoveringUntil?: number;
}

/** A certificate object with no issued version whose pending operation was deleted: still readable, disabled. */
export interface Unissued {
  version: string;
  created: number;
  updated: number;
  tags?: Record<string, string>;
  enabled?: boolean;
}

export interface Certificate {
  name: string;
  versions: CertVersion[];
  policy: WirePolicy;
  pending?: PendingOperation;
  unissued?: Unissued;
  deleted?: SoftDeleted;
}

/** One version of a plain secret (set through the secrets API, not backed by a certificate). */
export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  tags?: Record<string, string>;
}

export interface Secret {
  name: string;
  versions: SecretVersion[];
  deleted?: SoftDeleted;
}

/** One certificate contact of a vault (Key Vault's `Contact`: who is told about expiring certificates). */
export interface CertificateContact {
  email?: string;
  name?: string;
  phone?: string;
}

/** One administrator in an issuer's organization details (wire names, as Key Vault echoes them). */
export interface IssuerAdministrator {
  first_name?: string;
  last_name?: string;
  email?: string;
  phone?: string;
}

/**
 * A certificate issuer object of a vault (`/certificates/issuers/{name}`). The credential's password is never kept:
 * Key Vault never returns it, and the sandbox talks to no CA that would need it.
 */
export interface CertificateIssuer {
  name: string;
  provider: string;
  accountId?: string;
  /** present when org_details were sent (Key Vault then answers them, with its `zip`) */
  orgDetails?: { id?: string; adminDetails?: IssuerAdministrator[] };
  enabled: boolean;
  created: number;
  updated: number;
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
  /** vault name (lower case) → secret name (lower case) → plain secret; certificate-backed secrets live in `certificates` */
  secrets?: Record<string, Record<string, Secret>>;
  /** vault name (lower case) → its certificate contacts; absent when none are set */
  certificateContacts?: Record<string, CertificateContact[]>;
  /** vault name (lower case) → issuer name (lower case) → certificate issuer */
  certificateIssuers?: Record<string, Record<string, CertificateIssuer>>;
  /** soft-deleted vaults (their certificates stay under `certificates` until purged) */
  deletedVaults?: DeletedVault[];
  /** ids of vault purges that have finished (their operation answers 200) */
  purgedOperations?: string[];
  /** Microsoft.Compute/cloudServices (src/compute/) */
  cloudServices?: CloudServiceRecord[];
}

export interface DeletedVault {
  vault: Vault;
  deletionDate: string;
  scheduledPurgeDate: string;
  /** a purge in progress: its operation id and when it is done (ms epoch) */
  purge?: { operationId: string; doneAt: number };
}

export function vaultId(v: { subscriptionId: string; resourceGroup: string; name: string }): string {
  return `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
}
