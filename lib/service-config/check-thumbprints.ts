/** .cscfg thumbprints against the versions of a vault's certificates: found, in another version, missing, malformed. */
import { readServiceFile, type CertificateEntry } from './read';
import {
  describeCleanup,
  diffThumbprint,
  editDistance,
  normalizeThumbprint,
  thumbprintToHex,
  type NormalizedThumbprint,
  type ThumbprintCleanup,
  type ThumbprintDiff,
} from './thumbprint';
import { REMOTE_ACCESS_CERTIFICATE } from './issues';

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
  /**
   * For `malformed`: the value written matches `match` once cleaned up (invisible characters, spaces, separators
   * removed, upper-cased). A near miss to fix in the file, not a wrong certificate.
   */
  cleanup?: ThumbprintCleanup & { value: string };
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

function strictlyWellFormed(raw: string | null): boolean {
  return raw !== null && /^[0-9A-Fa-f]{40}$/.test(raw);
}

function checkOne(
  entry: Pick<CertificateEntry, 'role' | 'name' | 'thumbprint' | 'line' | 'column'>,
  vault: VaultCertificate[],
  label = `Certificate "${entry.name}" in role "${entry.role}"`,
): CertificateCheck {
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
  if (match && status === 'malformed') result.cleanup = { ...describeCleanup(normalized), value: normalized.value };
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

/**
 * Thumbprints pasted by hand (one per line, or separated by commas or semicolons; a pasted `thumbprint="…"` attribute
 * counts as its value), in order. Spaces and tabs around an entry are the text field's, not the value's, and go;
 * everything else stays for the check to see. Blank entries, also ones holding only invisible characters, are dropped.
 */
export function splitPastedThumbprints(text: string): string[] {
  return text
    .split(/[\r\n,;]+/)
    .map((part) => /thumbprint\s*=\s*["']([^"']*)["']/i.exec(part)?.[1] ?? part.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((part) => normalizeThumbprint(part).value !== '');
}

/** Pasted thumbprints against the vault's certificate versions, with the same statuses as a .cscfg's. */
export function checkPastedThumbprints(text: string, vaultCertificates: VaultCertificate[]): CertificateCheck[] {
  return splitPastedThumbprints(text).map((thumbprint, i) =>
    checkOne(
      { role: '', name: `Thumbprint ${i + 1}`, thumbprint, line: i + 1, column: 1 },
      vaultCertificates,
      `Thumbprint ${i + 1}`,
    ),
  );
}
