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
}

