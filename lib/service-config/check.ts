/**
 * Every check at once: .cscfg thumbprints against a vault's certificates (check-thumbprints.ts), .cscfg ↔ .csdef
 * consistency (check-consistency.ts), and leftovers that Cloud Services (extended support) rejects (leftovers.ts).
 */
import { checkCscfgThumbprints, type ThumbprintCheckResult, type VaultCertificate } from './check-thumbprints';
import { checkServiceConsistency, type ConsistencyResult } from './check-consistency';
import { findCsesLeftovers } from './leftovers';
import type { ServiceIssue } from './issues';

export interface ServiceCheckInput {
  cscfg: string;
  csdef?: string;
  vaultCertificates?: VaultCertificate[];
}

export interface ServiceCheckResult {
  ok: boolean;
  thumbprints: ThumbprintCheckResult | null;
  consistency: ConsistencyResult | null;
  leftovers: ServiceIssue[];
}

/** Run every check that the inputs allow: thumbprints (with vault certificates), consistency (with a .csdef),
 * CSES leftovers (always, in both files). */
export function checkServiceFiles(input: ServiceCheckInput): ServiceCheckResult {
  const thumbprints = input.vaultCertificates ? checkCscfgThumbprints(input.cscfg, input.vaultCertificates) : null;
  const consistency = input.csdef !== undefined ? checkServiceConsistency(input.cscfg, input.csdef) : null;
  const leftovers = [
    ...findCsesLeftovers(input.cscfg),
    ...(input.csdef !== undefined ? findCsesLeftovers(input.csdef) : []),
  ];
  const ok = (thumbprints?.ok ?? true) && (consistency?.ok ?? true) && !leftovers.some((l) => l.severity === 'error');
  return { ok, thumbprints, consistency, leftovers };
}
