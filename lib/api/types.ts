/** Shapes the API returns; shared with the browser (types only, no server code). */

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
