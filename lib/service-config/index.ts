/**
 * lib/service-config — read, write, patch and check .cscfg/.csdef files. Isomorphic (browser, worker, server, CLI).
 * The offset-keeping XML layer (xml.ts) is internal: edits go through patch.ts and remove.ts.
 */
export { ServiceConfigError, isServiceConfigError, type ServiceConfigErrorCode } from './errors';
export {
  codePointLabel,
  normalizeThumbprint,
  editDistance,
  diffThumbprint,
  thumbprintToHex,
  describeCleanup,
  type CleanupPart,
  type ThumbprintCleanup,
  type RemovedCharacter,
  type InvalidCharacter,
  type ThumbprintProblem,
  type NormalizedThumbprint,
  type ThumbprintDiffOp,
  type ThumbprintDiff,
} from './thumbprint';
export {
  STORE_LOCATIONS,
  KNOWN_STORE_NAMES,
  PERMISSION_LEVELS,
  escapeXmlAttribute,
  validateCertificateName,
  validateRoleName,
  validateThumbprint,
  validateStoreLocation,
  validateStoreName,
  validatePermissionLevel,
  resolveCscfgCertificate,
  resolveCsdefCertificate,
  cscfgCertificateElement,
  csdefCertificateElement,
  type StoreLocation,
  type PermissionLevel,
  type CscfgCertificateInput,
  type CsdefCertificateInput,
  type ResolvedCsdefCertificate,
} from './elements';
export {
  CSCFG_NAMESPACE,
  CSDEF_NAMESPACE,
  kindOfRoot,
  parseServiceFile,
  roleElements,
  readServiceFile,
  listRoles,
  detectServiceFileKind,
  type ServiceFileKind,
  type RoleType,
  type Position,
  type CertificateEntry,
  type SettingEntry,
  type ImportEntry,
  type EndpointEntry,
  type RoleInfo,
  type ServiceFileInfo,
} from './read';
export {
  setCscfgCertificate,
  setCsdefCertificate,
  setServiceCertificate,
  setCscfgThumbprints,
  type PatchAction,
  type PatchResult,
  type CscfgPatchInput,
  type CsdefPatchInput,
  type ServiceCertificateInput,
  type ThumbprintEdit,
} from './patch';
export { REMOTE_ACCESS_CERTIFICATE, type ServiceIssue } from './issues';
export {
  checkCscfgThumbprints,
  checkPastedThumbprints,
  splitPastedThumbprints,
  vaultCertificatesFromThumbprints,
  type VaultCertificate,
  type CertificateCheckStatus,
  type CheckProblem,
  type CertificateCheck,
  type ThumbprintCheckResult,
} from './check-thumbprints';
export { checkServiceConsistency, type ConsistencyResult } from './check-consistency';
export { findCsesLeftovers } from './leftovers';
export { checkServiceFiles, type ServiceCheckInput, type ServiceCheckResult } from './check';
export { removeCsesLeftovers, removeCertificate, type RemoveResult } from './remove';
