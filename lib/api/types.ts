/** Shapes the API returns; shared with the browser (types only, no server code). */
import type { RollbackRecord, RotationPlan, ServiceHealth, ServiceReport, ServiceRights } from '@/lib/cloud-services';

export interface SubscriptionSummary {
  subscriptionId: string;
  displayName: string;
  state: string;
}

export interface VaultSummary {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  vaultUri: string;
  /** true: Azure RBAC; false: vault access policies. */
  rbac: boolean;
  enabledForDeployment: boolean;
  enabledForTemplateDeployment: boolean;
  enabledForDiskEncryption: boolean;
  softDelete: boolean;
  purgeProtection: boolean;
  publicNetworkAccess: string;
  sku: string;
}

export interface VaultRef {
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
}

export interface CertificateSummary {
  name: string;
  version: string;
  /** SHA-1 of the leaf certificate, 40 uppercase hex characters: the `.cscfg` thumbprint. */
  thumbprint: string;
  /** Versioned certificate identifier (`…/certificates/{name}/{version}`). */
  certificateId: string;
  /** Versioned secret identifier (`…/secrets/{name}/{version}`): the `certificateUrl` for osProfile.secrets. */
  secretId: string;
  vaultId: string;
  vaultUri: string;
  subject: string;
  notBefore: string | null;
  expiresOn: string | null;
  enabled: boolean;
  contentType: string | null;
  exportable: boolean | null;
  /** From the certificate itself (parsed on the server): issuer, key and signature algorithm, DNS names. */
  issuer: string;
  keyType: string | null;
  keySize: number | null;
  curve: string | null;
  signatureAlgorithm: string | null;
  dnsNames: string[];
  createdOn: string | null;
}

/** One certificate in a vault's list (latest version's attributes). */
export interface CertificateListItem {
  name: string;
  enabled: boolean;
  thumbprint: string;
  notBefore: string | null;
  expiresOn: string | null;
  updatedOn: string | null;
}

/** One version of a certificate. */
export interface CertificateVersionItem {
  name: string;
  version: string;
  enabled: boolean;
  thumbprint: string;
  notBefore: string | null;
  expiresOn: string | null;
  createdOn: string | null;
  isLatest: boolean;
}

/** Whether a certificate name can be used in a vault. */
export type CertificateNameStatus =
  | { status: 'available'; name: string }
  | { status: 'exists'; name: string; version: string; expiresOn: string | null; thumbprint: string }
  | { status: 'deleted-recoverable'; name: string; deletedOn: string | null; scheduledPurgeDate: string | null };

/** The state of a self-signed create while Key Vault works on it. */
export interface CertificateOperationSummary {
  name: string;
  status: 'inProgress' | 'completed' | 'failed' | 'cancelled' | string;
  statusDetails: string | null;
  error: string | null;
  /** Set when `status` is `completed`. */
  certificate?: CertificateSummary;
}

export interface SelfSignedRequest {
  subject: string;
  dnsNames: string[];
  validityMonths: number;
  keyType: 'RSA' | 'EC';
  keySize?: number;
  curve?: 'P-256' | 'P-384' | 'P-521';
}

export interface ResourceGroupSummary {
  name: string;
  location: string;
}

export interface VaultNameAvailability {
  name: string;
  available: boolean;
  reason: string | null;
  message: string | null;
}

export interface CreateVaultRequest {
  resourceGroup: string;
  vaultName: string;
  location: string;
  rbac: boolean;
  /** Create the resource group first (in `location`). */
  createResourceGroup: boolean;
}

// ------------------------------------------------------------------------------------------ cloud services

/** One row of the "Cloud services" list. */
export interface CloudServiceListItem {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  provisioningState: string | null;
  health: ServiceHealth;
  /** Role × certificate rows of its .cscfg. */
  certificates: number;
}

export interface CloudServiceList {
  services: CloudServiceListItem[];
  /** The expiry window the health used, in days. */
  windowDays: number;
}

/** The service page: health, role × certificate table, vault gate, leftovers, and what the user may do. */
export interface CloudServiceDetail {
  report: ServiceReport;
  rights: ServiceRights;
  /** True: Apply is offered; false: Export only; null: not known until Azure answers. */
  canWrite: boolean | null;
}

/** The version a rotation goes to: already in a vault (imported from a renewed PFX, generated, or picked). */
export interface RotationTarget {
  vault: VaultRef;
  certificateName: string;
  version: string;
}

export interface RotationPlanRequest {
  /** The thumbprint the .cscfg carries today for the certificate to rotate. */
  from: string;
  to: RotationTarget;
}

/** Point osProfile entries at other versions of the same certificates (converted secrets, copies); .cscfg unchanged. */
export interface RepointPlanRequest {
  moves: Array<{ from: string; to: RotationTarget }>;
}

export interface ServiceExportFile {
  kind: 'update-template' | 'update-parameters' | 'update-powershell' | 'update-az-rest';
  fileName: string;
  text: string;
}

export interface RotationPlanResponse {
  plan: RotationPlan;
  /** The same change as files for someone with write rights (ARM template + parameters, PowerShell, az rest). */
  exports: ServiceExportFile[];
}

export type ApplyRequest =
  | { kind: 'rotate'; request: RotationPlanRequest; expect: string }
  | { kind: 'repoint'; request: RepointPlanRequest; expect: string }
  | { kind: 'rollback'; record: RollbackRecord; expect: string };

/** A PKCS#12 secret no Key Vault certificate backs (what the classic migration left, §6.1), read on the server. */
export interface UnbackedSecret {
  name: string;
  version: string;
  /** The versioned secret URL. */
  secretId: string;
  enabled: boolean;
  updatedOn: string | null;
  /** convertible: a PFX with its key; certificate: a certificate of this vault already has its thumbprint. */
  status: 'convertible' | 'certificate' | 'not-pkcs12' | 'unreadable';
  thumbprint: string | null;
  subject: string | null;
  notAfter: string | null;
  /** The certificate (name, version) that already has this thumbprint, for status `certificate`. */
  certificate: { name: string; version: string } | null;
  problem: { code: string; message: string; action: string } | null;
}

export interface UnbackedSecretList {
  vault: { id: string; name: string; location: string };
  secrets: UnbackedSecret[];
}

/** Copy a certificate (its exportable secret, the whole chain) into another vault; the same name unless given. */
export interface CopyCertificateRequest {
  target: VaultRef;
  certificateName?: string;
  /** The version to copy (default: the latest). */
  version?: string;
}

export interface ConvertSecretRequest {
  /** The certificate to create: the secret's own name, or another. */
  certificateName: string;
  /** The secret version to convert (default: the latest). */
  version?: string;
}

export interface ApplyResponse {
  /** Opaque: poll it at …/operations/{operation}. */
  operation: string;
  /** Keep it: Roll back sends it back (decision 033). Holds no secret. */
  rollback: RollbackRecord;
  startedAt: string;
}

export interface CloudServiceOperation {
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  /** The RP's refusal, in its words, with the fix. */
  error: { code: string; message: string; action: string; reason?: string } | null;
  /** The service read again once the operation is over. */
  detail?: CloudServiceDetail;
}

/** Whether the signed-in user may do something, found out before offering it; `allowed: null` when not known. */
export interface PermissionCheck {
  allowed: boolean | null;
  /** role-assignments: ARM's permissions API; access-policy: the vault's policy for the user's object id. */
  basis: 'role-assignments' | 'access-policy' | 'unknown';
}

/** What the signed-in user may do on a vault (`GET …/vaults/{vault}/permissions`). */
export interface VaultPermissions {
  /** The vault's permission model (true: Azure RBAC). */
  rbac: boolean;
  /** Microsoft.KeyVault/vaults/write: the deployment flag. */
  changeSettings: PermissionCheck;
  /** Import and create certificates (data plane). */
  addCertificates: PermissionCheck;
}
