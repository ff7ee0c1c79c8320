/**
 * Public shapes of the PFX inspection. Isomorphic: used in the browser (Web Worker), on the server and in the CLI.
 */

export type Severity = 'error' | 'warning' | 'info';

/** One thing the inspection found. `code` is stable (documented in docs/error-codes.md); `action` says what to do. */
export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  action: string;
}

export interface PublicKeyInfo {
  type: 'RSA' | 'EC' | 'other';
  /** RSA modulus size or EC field size, in bits. */
  bits?: number;
  /** EC curve name, e.g. `P-256`. */
  curve?: string;
}

export interface CertInfo {
  /** SHA-1 of the certificate's original DER bytes: 40 uppercase hex characters. */
  thumbprint: string;
  /** SHA-256 of the original DER, 64 uppercase hex characters. */
  thumbprintSha256: string;
  subject: string;
  issuer: string;
  /** Uppercase hex of the serial's magnitude, without DER sign padding (as `openssl x509 -serial` prints it). */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  sans: { dns: string[]; ip: string[]; email: string[]; uri: string[] };
  /** Extended key usages as names where known (`serverAuth`, `clientAuth`, …), else dotted OIDs. */
  extendedKeyUsage: string[];
  keyUsage: string[];
  publicKey: PublicKeyInfo;
  /** e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA384`. */
  signatureAlgorithm: string;
  isCA: boolean;
  selfSigned: boolean;
  friendlyName?: string;
  /** Standard base64 of the original DER. */
  derBase64: string;
}

export interface PfxInfo {
  /** MAC digest (`sha1`, `sha256`, …) or null when the file has no MAC. */
  macAlgorithm: string | null;
  macIterations: number | null;
  /** One entry per encrypted part, e.g. `PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC` or `pbeWithSHAAnd40BitRC2-CBC`. */
  encryption: Array<{ part: 'certificates' | 'key'; algorithm: string; iterations: number | null }>;
  /** True when the password was "no password" (absent) rather than the empty string. */
  passwordless: boolean;
}

/** What the input turned out to be. */
export type DetectedFormat = 'pkcs12' | 'pem' | 'der-certificate' | 'base64' | 'unknown';

export interface InspectResult {
  /** True when Key Vault would import it: no finding of severity `error`. */
  importable: boolean;
  /** The certificate that belongs to the private key (chosen by localKeyId or public-key match, never by position). */
  leaf: CertInfo | null;
  /** The other certificates, ordered from the leaf's issuer towards the root where the chain can be built. */
  chain: CertInfo[];
  key: (PublicKeyInfo & { matchesLeaf: boolean }) | null;
  pfx: PfxInfo | null;
  /** Every finding, errors first. */
  findings: Finding[];
  /**
   * What the input was (added compatibly; optional). `canBuildPfx` is true for PEM input holding a certificate and an
   * unencrypted private key: `buildPfxFromPem` can turn it into a PFX.
   */
  detected?: { format: DetectedFormat; canBuildPfx: boolean };
}
