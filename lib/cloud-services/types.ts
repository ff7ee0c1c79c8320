/**
 * Shapes of a running Cloud Service (extended support) and of what its vaults said, as the planner, the API and the
 * browser share them. Types only: no Azure, no React.
 */

/** `properties.osProfile.secrets[].vaultCertificates[]`. */
export interface VaultCertificateRef {
  certificateUrl: string;
  /** api-version 2024-11-04 and later. Kept as it was; never set by this app. */
  isBootstrapCertificate?: boolean;
}

/** `properties.osProfile.secrets[]`: one vault and the versioned secret URLs taken from it. */
export interface SecretGroup {
  sourceVault: { id: string };
  vaultCertificates: VaultCertificateRef[];
}

/** The parts of a live `Microsoft.Compute/cloudServices` resource that certificates depend on. */
export interface LiveService {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  provisioningState: string | null;
  /** The .cscfg text of `properties.configuration` (null when ARM returned none). */
  configuration: string | null;
  secrets: SecretGroup[];
  /** `roleProfile.roles[].name`. */
  roles: string[];
  tags: Record<string, string>;
}

export interface Problem {
  code: string;
  message: string;
  action: string;
}

export type ReadOutcome = 'ok' | 'not-found' | 'forbidden' | 'error';

/** A vault a service refers to, as ARM returned it (or why it could not be read). */
export interface VaultFacts {
  /** The ARM id as referenced by `sourceVault.id` (or by a URL's host when no group names it). */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  read: ReadOutcome;
  /** ARM's own id of the vault (its true resource id), when read. */
  trueId: string | null;
  location: string | null;
  vaultUri: string | null;
  enabledForDeployment: boolean | null;
  publicNetworkAccess: string | null;
  /** `networkAcls.defaultAction`: `Deny` means the firewall is on. */
  networkDefaultAction: string | null;
  /** `networkAcls.bypass`: `AzureServices` lets trusted Microsoft services (the platform) through. */
  networkBypass: string | null;
  rbac: boolean | null;
  error?: Problem;
}

/** One version of a secret (certificate-backed or plain) in a vault. */
export interface VersionFacts {
  vaultName: string;
  name: string;
  version: string;
  /** `https://{vault host}/secrets/{name}/{version}`. */
  secretUrl: string;
  /** SHA-1 of the certificate in that version, 40 uppercase hex; null when it could not be read. */
  thumbprint: string | null;
  enabled: boolean;
  notBefore: string | null;
  expiresOn: string | null;
  createdOn: string | null;
  /** True when the secret belongs to a Key Vault certificate (what the platform can install). */
  certificateBacked: boolean;
  contentType: string | null;
}

/** What was read for one `certificateUrl` of a service. */
export interface SecretFacts {
  /** The URL exactly as in `osProfile.secrets`. */
  url: string;
  read: ReadOutcome | 'invalid-url';
  /** The pinned version. */
  version?: VersionFacts;
  /** The other versions of the same certificate (newest first): newer versions and repairs come from here. */
  siblings: VersionFacts[];
  error?: Problem;
}

export interface ServiceFacts {
  vaults: VaultFacts[];
  secrets: SecretFacts[];
}

/** The signed-in user's rights that a change needs, from ARM's permissions API. Null: not known. */
export interface ServiceRights {
  /** `Microsoft.Compute/cloudServices/write` on the service. */
  write: boolean | null;
  /** `Microsoft.KeyVault/vaults/deploy/action`, per vault id (lowercase). */
  deploy: Record<string, boolean | null>;
}

export type RowStatus =
  'ok' | 'expiring' | 'expired' | 'missing' | 'disabled' | 'not-certificate' | 'unverified' | 'vault-blocked';

/** One role × certificate of the .cscfg, with the osProfile entry it maps to (by thumbprint). */
export interface CertificateRow {
  role: string;
  name: string;
  /** As written in the .cscfg. */
  thumbprint: string;
  /** Normalized (40 uppercase hex) when it could be; else as written. */
  normalizedThumbprint: string;
  /** The RemoteAccess plugin's PasswordEncryption certificate (a leftover, §5.1). */
  remoteAccess: boolean;
  /** The osProfile entry whose secret version has this thumbprint. */
  entry: { certificateUrl: string; vaultId: string; vaultName: string; secretName: string; version: string } | null;
  expiresOn: string | null;
  daysLeft: number | null;
  enabled: boolean | null;
  /** A version of the same certificate created after the pinned one, enabled and valid longer. */
  newerVersion: { version: string; thumbprint: string | null; expiresOn: string | null; secretUrl: string } | null;
  /** A vault version whose thumbprint is this row's (for a row whose entry is missing): the repair target. */
  repair: { version: string; name: string; vaultName: string; secretUrl: string } | null;
  status: RowStatus;
  severity: 'ok' | 'warning' | 'error';
  message: string;
  fix: string;
}

/** An osProfile entry no .cscfg certificate maps to (harmless, but installed on every instance). */
export interface UnusedEntry {
  certificateUrl: string;
  vaultId: string;
  thumbprint: string | null;
}

export interface GateCheck {
  id: 'found' | 'subscription' | 'region' | 'deployment' | 'firewall' | 'id-match';
  ok: boolean | null;
  label: string;
  message: string;
  fix: string;
}

/** The eligibility of one vault for the platform: what the RP and the platform's secret fetch need. */
export interface VaultGate {
  vaultId: string;
  vaultName: string;
  ok: boolean;
  checks: GateCheck[];
}

export type HealthStatus = 'healthy' | 'expiring' | 'broken' | 'attention';

export interface ServiceHealth {
  status: HealthStatus;
  /** "Healthy", "Expires in 19 days", "Broken", "Needs attention". */
  label: string;
  /** The first reason, for the list. */
  summary: string;
  soonestExpiry: string | null;
  daysLeft: number | null;
  counts: { ok: number; warning: number; error: number };
}

export interface ServiceReport {
  service: LiveService;
  health: ServiceHealth;
  rows: CertificateRow[];
  unused: UnusedEntry[];
  gates: VaultGate[];
  /** §5.1 RemoteAccess/RemoteForwarder settings, imports and certificates left in the .cscfg. */
  remoteAccess: Array<{ code: string; message: string; action: string; role?: string }>;
  /** A .cscfg that could not be read. */
  configurationError: Problem | null;
}
