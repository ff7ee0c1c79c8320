/**
 * Checks: .cscfg thumbprints against a vault's certificates, .cscfg ↔ .csdef consistency, and leftovers that
 * Cloud Services (extended support) rejects.
 */
import { readServiceFile, type CertificateEntry, type RoleInfo, type ServiceFileInfo } from './read';
import {
  diffThumbprint,
  editDistance,
  normalizeThumbprint,
  thumbprintToHex,
  type NormalizedThumbprint,
  type ThumbprintDiff,
} from './thumbprint';

/** One version of a Key Vault certificate. */
export interface VaultCertificate {
  name: string;
  version: string;
  /** SHA-1 thumbprint: hex in any case/format (normalized before comparing), or Key Vault's base64url `x5t`. */
  thumbprint: string;
  enabled: boolean;
  /** True for the certificate's current (latest) version. */
  isLatest: boolean;
}

export type CertificateCheckStatus = 'found' | 'found-in-another-version' | 'missing' | 'malformed';

export interface CheckProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  action: string;
}

export interface CertificateCheck {
  role: string;
  name: string;
  /** As written in the .cscfg (null when the attribute is absent). */
  thumbprint: string | null;
  normalized: NormalizedThumbprint;
  /**
   * found: matches the latest version of a vault certificate;
   * found-in-another-version: matches a version that is not the latest;
   * missing: a well-formed thumbprint that no vault certificate version has;
   * malformed: not exactly 40 hex characters as written (empty, wrong length, separators, invisible characters).
   */
  status: CertificateCheckStatus;
  /** True when nothing blocks deployment for this certificate (status `found` and no error-level problem). */
  ok: boolean;
  /** The vault version with this thumbprint (also set for `malformed` when the cleaned-up value matches). */
  match?: VaultCertificate;
  /** The latest version of the matched certificate, when `match` is not the latest. */
  latest?: VaultCertificate;
  /** Other vault versions with the same thumbprint (e.g. the same PFX imported under two names). */
  otherMatches: VaultCertificate[];
  /** Closest vault thumbprint, for `missing`/`malformed` when it is close enough to be a typo (≤ 8 edits). */
  nearMiss?: { certificate: VaultCertificate; diff: ThumbprintDiff };
  problems: CheckProblem[];
  message: string;
  action: string;
  line: number;
  column: number;
}

export interface ThumbprintCheckResult {
  ok: boolean;
  certificates: CertificateCheck[];
  /** Certificates not checked: the RemoteAccess PasswordEncryption certificate, which has to be removed for CSES
   * (reported by `findCsesLeftovers` as `remote-access-certificate`), not found in a vault. */
  skipped: Array<{ role: string; name: string; reason: 'remote-access-certificate'; line: number; column: number }>;
  counts: Record<CertificateCheckStatus, number>;
}

const NEAR_MISS_MAX = 8;
export const REMOTE_ACCESS_CERTIFICATE = 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption';

function strictlyWellFormed(raw: string | null): boolean {
  return raw !== null && /^[0-9A-Fa-f]{40}$/.test(raw);
}

function checkOne(entry: CertificateEntry, vault: VaultCertificate[]): CertificateCheck {
  const raw = entry.thumbprint ?? null;
  const normalized = normalizeThumbprint(raw ?? '');
  const problems: CheckProblem[] = [];
  const normVault = vault.map((v) => ({
    v,
    t: thumbprintToHex(v.thumbprint) ?? normalizeThumbprint(v.thumbprint).value,
  }));
  const matches = normalized.valid ? normVault.filter((x) => x.t === normalized.value).map((x) => x.v) : [];
  // Prefer the latest enabled version, then any latest, then any enabled.
  const rank = (v: VaultCertificate) => (v.isLatest ? 2 : 0) + (v.enabled ? 1 : 0);
  const sorted = [...matches].sort((a, b) => rank(b) - rank(a));
  const match = sorted[0];
  const otherMatches = sorted.slice(1);

  let status: CertificateCheckStatus;
  let message: string;
  let action: string;
  const label = `Certificate "${entry.name}" in role "${entry.role}"`;

  if (!strictlyWellFormed(raw)) {
    status = 'malformed';
    if (raw === null || raw.trim() === '') {
      message = `${label} has no thumbprint.`;
      action = 'Fill in the thumbprint attribute with the 40-character SHA-1 thumbprint of the certificate.';
    } else if (normalized.valid) {
      const what = normalized.removed.map((r) => `${r.name} (${r.codePoint})`);
      const uniq = [...new Set(what)].slice(0, 4).join(', ');
      message = `${label} has a thumbprint with extra characters: ${uniq}.`;
      action = `Write it as ${normalized.value} (40 hex characters, nothing else).`;
    } else {
      message = `${label}: ${normalized.message ?? 'the thumbprint is not 40 hexadecimal characters.'}`;
      action = 'Copy the SHA-1 thumbprint of the certificate again (40 hex characters).';
    }
  } else if (!match) {
    status = 'missing';
    const onlyThumbprints = vault.length > 0 && vault.every((v) => v.name === '');
    message = onlyThumbprints
      ? `${label}: thumbprint ${normalized.value} is not one of the expected thumbprints.`
      : `${label}: no certificate in the vault has thumbprint ${normalized.value}.`;
    action = onlyThumbprints
      ? 'Put the thumbprint of the certificate you deploy (the version referenced in osProfile.secrets) in the .cscfg.'
      : 'Import the PFX of this certificate into the vault, or change the thumbprint to the one of the certificate you imported.';
  } else if (!match.isLatest) {
    status = 'found-in-another-version';
    message = `${label}: thumbprint matches version ${match.version} of "${match.name}", which is not its latest version.`;
    action =
      'Either reference exactly that version in osProfile.secrets (certificateUrl …/secrets/' +
      `${match.name}/${match.version}), or put the latest version's thumbprint in the .cscfg.`;
  } else {
    status = 'found';
    if (match.name === '') {
      message = `${label}: thumbprint ${normalized.value} is one of the expected thumbprints.`;
      action = 'Nothing to do.';
    } else {
      message = `${label}: found in the vault as "${match.name}" (version ${match.version}).`;
      action = `Reference …/secrets/${match.name}/${match.version} in osProfile.secrets.`;
    }
  }

  if (match && !match.enabled) {
    problems.push({
      severity: 'error',
      code: 'vault-version-disabled',
      message: `Version ${match.version} of "${match.name}" is disabled in the vault.`,
      action: 'Enable that certificate version in Key Vault, or use an enabled version and its thumbprint.',
    });
  }
  if (status !== 'malformed' && raw !== null && raw !== raw.toUpperCase()) {
    problems.push({
      severity: 'warning',
      code: 'thumbprint-not-uppercase',
      message: `${label} has a lowercase thumbprint; the schema documents uppercase hex.`,
      action: `Write it as ${normalized.value}.`,
    });
  }

  const result: CertificateCheck = {
    role: entry.role,
    name: entry.name,
    thumbprint: raw,
    normalized,
    status,
    ok: status === 'found' && !problems.some((p) => p.severity === 'error'),
    otherMatches,
    problems,
    message,
    action,
    line: entry.line,
    column: entry.column,
  };
  if (match) result.match = match;
  if (match && !match.isLatest) {
    const latest = vault.find((v) => v.name === match.name && v.isLatest);
    if (latest) result.latest = latest;
  }
  if ((status === 'missing' || status === 'malformed') && !match && normalized.value.length > 0) {
    let best: { v: VaultCertificate; d: number } | null = null;
    for (const x of normVault) {
      const d = editDistance(normalized.value, x.t);
      if (!best || d < best.d) best = { v: x.v, d };
    }
    if (best && best.d <= NEAR_MISS_MAX) {
      result.nearMiss = {
        certificate: best.v,
        diff: diffThumbprint(normalized.value, thumbprintToHex(best.v.thumbprint) ?? best.v.thumbprint),
      };
      result.message += best.v.name
        ? ` Closest vault thumbprint: "${best.v.name}" version ${best.v.version} (${result.nearMiss.diff.summary})`
        : ` Closest expected thumbprint: ${result.nearMiss.diff.expected.value} (${result.nearMiss.diff.summary})`;
    }
  }
  return result;
}

/** Check every `<Certificate>` of a .cscfg against the vault's certificate versions. */
export function checkCscfgThumbprints(cscfgText: string, vaultCertificates: VaultCertificate[]): ThumbprintCheckResult {
  const info = readServiceFile(cscfgText, 'cscfg');
  const all = info.roles.flatMap((r) => r.certificates);
  const isRdp = (c: CertificateEntry) => c.name.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase();
  const certificates = all.filter((c) => !isRdp(c)).map((c) => checkOne(c, vaultCertificates));
  const skipped = all.filter(isRdp).map((c) => ({
    role: c.role,
    name: c.name,
    reason: 'remote-access-certificate' as const,
    line: c.line,
    column: c.column,
  }));
  const counts: Record<CertificateCheckStatus, number> = {
    found: 0,
    'found-in-another-version': 0,
    missing: 0,
    malformed: 0,
  };
  for (const c of certificates) counts[c.status]++;
  return { ok: certificates.every((c) => c.ok), certificates, skipped, counts };
}

/** Thumbprints only (e.g. from a pipeline): each becomes a "latest, enabled" vault certificate. */
export function vaultCertificatesFromThumbprints(thumbprints: string[]): VaultCertificate[] {
  // Empty name/version mark "expected thumbprint, not a vault certificate" (messages say so).
  return thumbprints.map((t) => ({
    name: '',
    version: '',
    thumbprint: t,
    enabled: true,
    isLatest: true,
  }));
}

// ------------------------------------------------------------------------------------------ cscfg ↔ csdef

export interface ServiceIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  action: string;
  role?: string;
  certificate?: string;
  file?: 'cscfg' | 'csdef';
  line?: number;
  column?: number;
}

export interface ConsistencyResult {
  ok: boolean;
  issues: ServiceIssue[];
  roles: Array<{
    role: string;
    inCscfg: boolean;
    inCsdef: boolean;
    certificates: Array<{ name: string; inCscfg: boolean; inCsdef: boolean }>;
  }>;
}

function dupes(names: string[]): string[] {
  const seen = new Set<string>();
  const d = new Set<string>();
  for (const n of names) (seen.has(n) ? d : seen).add(n);
  return [...d];
}

function duplicateIssues(info: ServiceFileInfo): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const file = info.kind;
  for (const d of dupes(info.roles.map((r) => r.name))) {
    issues.push({
      severity: 'error',
      code: 'duplicate-role',
      message: `Role "${d}" appears more than once in the .${file}.`,
      action: 'Keep one role element per role name.',
      role: d,
      file,
    });
  }
  for (const r of info.roles) {
    for (const d of dupes(r.certificates.map((c) => c.name))) {
      issues.push({
        severity: 'error',
        code: 'duplicate-certificate',
        message: `Certificate "${d}" appears more than once in role "${r.name}" of the .${file}.`,
        action: 'Keep one <Certificate> per name in each role.',
        role: r.name,
        certificate: d,
        file,
      });
    }
  }
  return issues;
}

/** Compare a .cscfg with its .csdef: service name, role sets, certificate names per role, https endpoints. */
export function checkServiceConsistency(cscfgText: string, csdefText: string): ConsistencyResult {
  const cfg = readServiceFile(cscfgText, 'cscfg');
  const def = readServiceFile(csdefText, 'csdef');
  const issues: ServiceIssue[] = [...duplicateIssues(cfg), ...duplicateIssues(def)];
  if (cfg.serviceName !== null && def.serviceName !== null && cfg.serviceName !== def.serviceName) {
    issues.push({
      severity: 'error',
      code: 'service-name-mismatch',
      message: `The .cscfg serviceName "${cfg.serviceName}" differs from the .csdef name "${def.serviceName}".`,
      action: 'Use the same service name in both files (ServiceConfiguration@serviceName = ServiceDefinition@name).',
    });
  }
  const cfgRoles = new Map<string, RoleInfo>(cfg.roles.map((r) => [r.name, r]));
  const defRoles = new Map<string, RoleInfo>(def.roles.map((r) => [r.name, r]));
  const names = [...new Set([...cfgRoles.keys(), ...defRoles.keys()])];
  const roles: ConsistencyResult['roles'] = [];
  for (const name of names) {
    const c = cfgRoles.get(name);
    const d = defRoles.get(name);
    if (c && !d) {
      issues.push({
        severity: 'error',
        code: 'role-missing-in-csdef',
        message: `Role "${name}" is in the .cscfg but not in the .csdef.`,
        action:
          'Remove the role from the .cscfg or add it to the .csdef (and rebuild the package); role names must match exactly.',
        role: name,
        file: 'cscfg',
        line: c.line,
        column: c.column,
      });
    }
    if (d && !c) {
      issues.push({
        severity: 'error',
        code: 'role-missing-in-cscfg',
        message: `Role "${name}" is in the .csdef but not in the .cscfg.`,
        action: 'Add a <Role> with that name (and its <Instances>) to the .cscfg.',
        role: name,
        file: 'csdef',
        line: d.line,
        column: d.column,
      });
    }
    const certNames = [...new Set([...(c?.certificates ?? []), ...(d?.certificates ?? [])].map((x) => x.name))];
    const certs: ConsistencyResult['roles'][number]['certificates'] = [];
    for (const cert of certNames) {
      const inC = c?.certificates.find((x) => x.name === cert);
      const inD = d?.certificates.find((x) => x.name === cert);
      certs.push({ name: cert, inCscfg: !!inC, inCsdef: !!inD });
      // Like the Az.CloudService validator, skip the RemoteAccess certificate here: findCsesLeftovers reports it.
      if (!c || !d || cert.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase()) continue;
      if (inC && !inD) {
        issues.push({
          severity: 'error',
          code: 'certificate-missing-in-csdef',
          message: `Certificate "${cert}" of role "${name}" is in the .cscfg but not defined in the .csdef.`,
          action: `Add <Certificate name="${cert}" storeLocation="LocalMachine" storeName="My" /> to the role in the .csdef (and rebuild the package), or remove it from the .cscfg.`,
          role: name,
          certificate: cert,
          file: 'cscfg',
          line: inC.line,
          column: inC.column,
        });
      }
      if (inD && !inC) {
        issues.push({
          severity: 'error',
          code: 'certificate-missing-in-cscfg',
          message: `Certificate "${cert}" of role "${name}" is defined in the .csdef but has no thumbprint in the .cscfg.`,
          action: `Add <Certificate name="${cert}" thumbprint="…" thumbprintAlgorithm="sha1" /> to the role in the .cscfg.`,
          role: name,
          certificate: cert,
          file: 'csdef',
          line: inD.line,
          column: inD.column,
        });
      }
    }
    if (d) {
      for (const ep of d.endpoints) {
        if (ep.certificate && !d.certificates.some((x) => x.name === ep.certificate)) {
          issues.push({
            severity: 'error',
            code: 'endpoint-certificate-undefined',
            message: `Endpoint "${ep.name}" of role "${name}" uses certificate "${ep.certificate}", which the role's <Certificates> in the .csdef does not define.`,
            action: `Add <Certificate name="${ep.certificate}" storeLocation="LocalMachine" storeName="My" /> to the role's <Certificates> in the .csdef.`,
            role: name,
            certificate: ep.certificate,
            file: 'csdef',
            line: ep.line,
            column: ep.column,
          });
        }
      }
    }
    roles.push({ role: name, inCscfg: !!c, inCsdef: !!d, certificates: certs });
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues, roles };
}

// ------------------------------------------------------------------------------------------ CSES leftovers

const REMOTE_MODULES: Record<string, string> = {
  remoteaccess: 'remote-access-import',
  remoteforwarder: 'remote-forwarder-import',
};

/** Flag what Cloud Services (extended support) rejects: the RemoteAccess/RemoteForwarder plugins, their settings and
 * the RemoteAccess PasswordEncryption certificate. Works on a .cscfg or a .csdef. */
export function findCsesLeftovers(text: string): ServiceIssue[] {
  const info = readServiceFile(text);
  const file = info.kind;
  const issues: ServiceIssue[] = [];
  const rdpAction =
    'Remove it: Cloud Services (extended support) does not support the RemoteAccess/RemoteForwarder plugins; use the RDP extension instead.';
  for (const r of info.roles) {
    for (const im of r.imports) {
      const code = REMOTE_MODULES[im.moduleName.toLowerCase()];
      if (code) {
        issues.push({
          severity: 'error',
          code,
          message: `Role "${r.name}" imports the ${im.moduleName} plugin.`,
          action: `${rdpAction} Delete <Import moduleName="${im.moduleName}" /> from the .csdef and rebuild the package.`,
          role: r.name,
          file,
          line: im.line,
          column: im.column,
        });
      }
    }
    for (const s of r.settings) {
      if (/^Microsoft\.WindowsAzure\.Plugins\.Remote(Access|Forwarder)\./i.test(s.name)) {
        issues.push({
          severity: 'error',
          code: 'remote-access-setting',
          message: `Role "${r.name}" has the setting "${s.name}" of the remote desktop plugins.`,
          action: `${rdpAction} Delete the <Setting name="${s.name}" …/>.`,
          role: r.name,
          file,
          line: s.line,
          column: s.column,
        });
      }
    }
    for (const c of r.certificates) {
      if (c.name.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase()) {
        issues.push({
          severity: 'error',
          code: 'remote-access-certificate',
          message: `Role "${r.name}" has the RemoteAccess plugin certificate "${c.name}".`,
          action: `${rdpAction} Delete this <Certificate> from the .cscfg and the .csdef.`,
          role: r.name,
          certificate: c.name,
          file,
          line: c.line,
          column: c.column,
        });
      }
    }
  }
  return issues;
}

// ------------------------------------------------------------------------------------------ everything at once

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
