export type { Severity, Finding, PublicKeyInfo, CertInfo, PfxInfo, InspectResult, DetectedFormat } from './types';
export {
  inspectPfx,
  MAX_PFX_BYTES,
  MAX_ITERATIONS,
  MAX_TOTAL_ITERATIONS,
  KEY_VAULT_MAX_CHARS,
  type InspectOptions,
} from './inspect';
export { ERROR_CODES, WARNING_CODES, INFO_CODES, type CertsFindingCode } from './findings';
export { buildPfxFromPem, BuildPfxError, type BuildPfxOptions, type BuiltPfx } from './build';
export { inspectPem, type PemInspectOptions, type PemInspectResult, type PemDetails } from './pem-inspect';
export type { PemFile, KeyFormat, SourceFileInfo } from './pem-sources';
export { certificateInfo } from './x509';
