/** Finding constructors. Every code here is documented in docs/error-codes.md (section "lib/certs"). */
import type { DetectedFormat, Finding, InspectResult, Severity } from './types';

export const ERROR_CODES = [
  'empty-file',
  'too-large',
  'not-pkcs12',
  'corrupt',
  'wrong-password',
  'unsupported-algorithm',
  'unsupported-key-type',
  'no-private-key',
  'no-certificate',
  'key-mismatch',
  'multiple-leaf-certificates',
  'multiple-private-keys',
  'expired',
  'password-too-long',
  'subject-too-long',
  'excessive-iterations',
  'not-pem',
  'key-passphrase-required',
  'wrong-key-passphrase',
  'leaf-missing',
] as const;

export const WARNING_CODES = [
  'not-yet-valid',
  'expires-soon',
  'weak-rsa-key',
  'sha1-signature',
  'weak-signature-algorithm',
  'missing-server-auth-eku',
  'key-usage-not-tls',
  'leaf-is-ca',
  'aes-encrypted-pfx',
  'no-mac',
  'legacy-password-encoding',
  'chain-certificate-expired',
  'unrelated-certificate',
  'trailing-data',
  'pbmac1-mac',
  'chain-signature-invalid',
  'der-named-pem',
] as const;

export const INFO_CODES = [
  'no-password',
  'legacy-pfx-encryption',
  'self-signed',
  'chain-incomplete',
  'no-subject-alt-name',
  'extra-bags',
  'leaf-not-first',
  'chain-reordered',
  'ignored-pem-blocks',
] as const;

export type CertsErrorCode = (typeof ERROR_CODES)[number];
export type CertsWarningCode = (typeof WARNING_CODES)[number];
export type CertsInfoCode = (typeof INFO_CODES)[number];
export type CertsFindingCode = CertsErrorCode | CertsWarningCode | CertsInfoCode;

export function finding(severity: Severity, code: CertsFindingCode, message: string, action: string): Finding {
  return { severity, code, message, action };
}

export const err = (code: CertsErrorCode, message: string, action: string) => finding('error', code, message, action);
export const warn = (code: CertsWarningCode, message: string, action: string) =>
  finding('warning', code, message, action);
export const info = (code: CertsInfoCode, message: string, action: string) => finding('info', code, message, action);

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
export function sortFindings(f: Finding[]): Finding[] {
  return f
    .map((x, i) => [x, i] as const)
    .sort((a, b) => ORDER[a[0].severity] - ORDER[b[0].severity] || a[1] - b[1])
    .map(([x]) => x);
}

/** Command that re-exports a PFX with the legacy (3DES/RC2, SHA-1 MAC) encryption older Windows can read. */
export const LEGACY_REEXPORT =
  'openssl pkcs12 -in cert.pfx -nodes | openssl pkcs12 -export -legacy -out cert-legacy.pfx ' +
  '(OpenSSL 3; on OpenSSL 1.1 omit -legacy; or use -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1)';

/** A result that holds nothing but findings (the input could not be read as far as certificates). */
export function emptyResult(findings: Finding[], format?: DetectedFormat): InspectResult {
  const r: InspectResult = {
    importable: false,
    leaf: null,
    chain: [],
    key: null,
    pfx: null,
    findings: sortFindings(findings),
  };
  if (format) r.detected = { format, canBuildPfx: false };
  return r;
}
