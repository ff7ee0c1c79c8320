/**
 * Health of a running cloud service: every role × certificate of its .cscfg mapped to the osProfile.secrets entry
 * whose secret version has that thumbprint (never by name), the vault gate of every vault it uses, and the RemoteAccess
 * leftovers. Pure: the facts come from lib/azure.
 */
import {
  findCsesLeftovers,
  isServiceConfigError,
  normalizeThumbprint,
  readServiceFile,
  REMOTE_ACCESS_CERTIFICATE,
  type RoleInfo,
} from '../service-config';
import { enableDeploymentCommand, trustedServicesCommand } from '../snippets';
import { sameRegion } from '../wizard/regions';
import { isParsed, parseSecretUrl, parseVaultId, sameId, secretEntries } from './secrets';
import type {
  CertificateRow,
  GateCheck,
  LiveService,
  Problem,
  SecretFacts,
  ServiceFacts,
  ServiceHealth,
  ServiceReport,
  UnusedEntry,
  VaultFacts,
  VaultGate,
  VersionFacts,
} from './types';

const DAY = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 30;

export interface HealthOptions {
  now?: Date;
  /** A certificate expiring within this many days is reported (default 30). */
  windowDays?: number;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'an unknown date');

export function daysUntil(iso: string | null, now: Date): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.floor((t - now.getTime()) / DAY);
}

/** The RP's text for cscfg thumbprints without a certificate in osProfile.secrets (cses-field-failures §1.1). */
export function missingThumbprintsText(missing: Array<{ role: string; thumbprint: string }>): string {
  return `The thumbprints specified in the CSCFG do not have corresponding certificates in osProfile.secrets. Add the missing certificates in osProfile.secrets. Missing thumbprints: ${missing.map((m) => `${m.role}|${m.thumbprint}`).join(', ')}. To understand more about how to use KeyVault for certificates, please follow the documentation at https://aka.ms/cses-kv`;
}

const normalize = (raw: string) => {
  const n = normalizeThumbprint(raw);
  return n.valid ? n.value : raw;
};

/** The platform's view of one vault: found, same subscription and region, deployment flag, firewall, true id. */
export function vaultGate(service: LiveService, vaultId: string, urls: string[], facts: ServiceFacts): VaultGate {
  const f = facts.vaults.find((v) => sameId(v.id, vaultId));
  const parsed = parseVaultId(vaultId);
  const name = f?.name ?? parsed?.name ?? vaultId;
  const checks: GateCheck[] = [];
  const readable = f?.read === 'ok';
  checks.push({
    id: 'found',
    ok: readable ? true : f?.read === 'not-found' ? false : null,
    label: 'Vault found',
    message: readable
      ? `ARM returned the vault ${name}.`
      : f?.read === 'not-found'
        ? `There is no vault ${vaultId}.`
        : `The vault could not be read: ${f?.error?.message ?? 'not read.'}`,
    fix: readable
      ? 'Nothing to do.'
      : f?.read === 'not-found'
        ? 'Point sourceVault.id at the vault that holds the certificate (its Resource ID).'
        : (f?.error?.action ?? 'Ask for the Reader role on the vault.'),
  });
  const sub = parsed?.subscriptionId ?? f?.subscriptionId ?? '';
  checks.push({
    id: 'subscription',
    ok: sub ? sub.toLowerCase() === service.subscriptionId.toLowerCase() : null,
    label: 'Same subscription',
    message:
      sub.toLowerCase() === service.subscriptionId.toLowerCase()
        ? 'The vault is in the cloud service’s subscription.'
        : `The vault is in subscription ${sub}, the cloud service in ${service.subscriptionId}: Cloud Services refuse vaults of another subscription.`,
    fix:
      sub.toLowerCase() === service.subscriptionId.toLowerCase()
        ? 'Nothing to do.'
        : 'Use a vault in the cloud service’s subscription (or the Key Vault VM extension, which can read across).',
  });
  if (readable) {
    const inRegion = sameRegion(f.location, service.location);
    checks.push({
      id: 'region',
      ok: inRegion,
      label: 'Same region',
      message: inRegion
        ? `Both are in ${service.location}.`
        : `The vault is in ${f.location}, the cloud service in ${service.location}: Cloud Services refuse vaults of another region.`,
      fix: inRegion
        ? 'Nothing to do.'
        : `Import the certificate into a vault in ${service.location} and point osProfile.secrets at it.`,
    });
    checks.push({
      id: 'deployment',
      ok: f.enabledForDeployment === true,
      label: 'Azure Virtual Machines for deployment',
      message: f.enabledForDeployment
        ? 'enabledForDeployment is on: the platform may read certificates from this vault.'
        : 'enabledForDeployment is off: the platform cannot read certificates from this vault, and the next update is refused (KeyVaultAccessForbidden).',
      fix: f.enabledForDeployment ? 'Nothing to do.' : `Turn it on: ${enableDeploymentCommand(f.trueId ?? vaultId)}`,
    });
    const firewallOn = f.networkDefaultAction?.toLowerCase() === 'deny' || f.publicNetworkAccess === 'Disabled';
    const bypass = (f.networkBypass ?? '').toLowerCase().includes('azureservices');
    checks.push({
      id: 'firewall',
      ok: !firewallOn || bypass,
      label: 'Firewall lets trusted Microsoft services through',
      message: !firewallOn
        ? 'The vault accepts connections from all networks.'
        : bypass
          ? 'The firewall is on and lets trusted Microsoft services (the deployment service) through.'
          : 'The firewall is on without the trusted-services exception: the platform cannot fetch the certificates.',
      fix:
        !firewallOn || bypass
          ? 'Nothing to do.'
          : `Allow trusted Microsoft services: ${trustedServicesCommand(f.trueId ?? vaultId)}`,
    });
    const idMatches = !f.trueId || sameId(f.trueId, vaultId);
    const hostMismatch = urls
      .map((u) => parseSecretUrl(u))
      .filter(isParsed)
      .find((p) => p.vaultName.toLowerCase() !== name.toLowerCase());
    checks.push({
      id: 'id-match',
      ok: idMatches && !hostMismatch,
      label: 'sourceVault.id is the vault of its URLs',
      message: hostMismatch
        ? `${hostMismatch.url} is in vault ${hostMismatch.vaultName}, but its group names ${name}.`
        : idMatches
          ? 'Every certificate URL of this group is in this vault.'
          : `sourceVault.id ${vaultId} is not the vault's true resource id ${f.trueId}.`,
      fix:
        idMatches && !hostMismatch
          ? 'Nothing to do.'
          : "Put each URL in the group of its own vault, with that vault's Resource ID as sourceVault.id.",
    });
  }
  return { vaultId, vaultName: name, ok: checks.every((c) => c.ok === true), checks };
}

interface Entry {
  vaultId: string;
  certificateUrl: string;
  facts: SecretFacts | undefined;
}

function newerThan(pinned: VersionFacts, siblings: VersionFacts[]): VersionFacts | null {
  const pinnedCreated = pinned.createdOn ?? '';
  const pinnedExp = pinned.expiresOn ?? '';
  const better = siblings.filter(
    (s) =>
      s.version.toLowerCase() !== pinned.version.toLowerCase() &&
      s.enabled &&
      (s.createdOn ?? '') > pinnedCreated &&
      (s.expiresOn ?? '') > pinnedExp,
  );
  better.sort((a, b) => (b.expiresOn ?? '').localeCompare(a.expiresOn ?? ''));
  return better[0] ?? null;
}

/** Every version the facts know, pinned or sibling, for finding a version by thumbprint. */
export function knownVersions(facts: ServiceFacts): VersionFacts[] {
  const out = new Map<string, VersionFacts>();
  for (const s of facts.secrets) {
    for (const v of [...(s.version ? [s.version] : []), ...s.siblings]) {
      out.set(`${v.vaultName}/${v.name}/${v.version}`.toLowerCase(), v);
    }
  }
  return [...out.values()];
}

function rowFor(
  service: LiveService,
  role: RoleInfo,
  cert: RoleInfo['certificates'][number],
  entries: Entry[],
  gates: VaultGate[],
  facts: ServiceFacts,
  now: Date,
  windowDays: number,
): { row: CertificateRow; matched: Entry | undefined } {
  const raw = cert.thumbprint ?? '';
  const thumbprint = normalize(raw);
  const matched = entries.find((e) => e.facts?.version?.thumbprint === thumbprint);
  const base = {
    role: role.name,
    name: cert.name,
    thumbprint: raw,
    normalizedThumbprint: thumbprint,
    remoteAccess: cert.name.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase(),
  };
  if (!matched) {
    const unreadable = entries.filter((e) => !e.facts?.version?.thumbprint);
    const repairVersion = knownVersions(facts).find((v) => v.thumbprint === thumbprint && v.enabled);
    const repair = repairVersion
      ? {
          version: repairVersion.version,
          name: repairVersion.name,
          vaultName: repairVersion.vaultName,
          secretUrl: repairVersion.secretUrl,
        }
      : null;
    if (unreadable.length && !repair) {
      const first = unreadable[0]!;
      const err: Problem | undefined = first.facts?.error;
      const p = parseSecretUrl(first.certificateUrl);
      const where = isParsed(p) ? `${p.name} in ${p.vaultName}` : first.certificateUrl;
      const n = unreadable.length;
      return {
        matched,
        row: {
          ...base,
          entry: null,
          expiresOn: null,
          daysLeft: null,
          enabled: null,
          newerVersion: null,
          repair: null,
          status: 'unverified',
          severity: 'warning',
          message: `Not known which osProfile entry holds this certificate: ${n === 1 ? 'one entry' : `${n} entries`} could not be read (${where}${err ? `: ${err.message}` : ''}).`,
          fix: err?.action ?? 'Ask for read access to that vault’s certificates, then refresh.',
        },
      };
    }
    return {
      matched,
      row: {
        ...base,
        entry: null,
        expiresOn: repairVersion?.expiresOn ?? null,
        daysLeft: daysUntil(repairVersion?.expiresOn ?? null, now),
        enabled: repairVersion?.enabled ?? null,
        newerVersion: null,
        repair,
        status: 'missing',
        severity: 'error',
        message: missingThumbprintsText([{ role: role.name, thumbprint }]),
        fix: repair
          ? `Version ${repair.version} of ${repair.name} in ${repair.vaultName} has this thumbprint: repair points osProfile.secrets at it (the .cscfg stays as it is).`
          : `No version in the service's vaults has thumbprint ${thumbprint}. Import that certificate into a vault in ${service.location}, or rotate this certificate to one you have.`,
      },
    };
  }
  const v = matched.facts!.version!;
  const p = parseSecretUrl(matched.certificateUrl);
  const entry = {
    certificateUrl: matched.certificateUrl,
    vaultId: matched.vaultId,
    vaultName: isParsed(p) ? p.vaultName : v.vaultName,
    secretName: isParsed(p) ? p.name : v.name,
    version: isParsed(p) ? p.version : v.version,
  };
  const newer = newerThan(v, matched.facts!.siblings);
  const newerVersion = newer
    ? { version: newer.version, thumbprint: newer.thumbprint, expiresOn: newer.expiresOn, secretUrl: newer.secretUrl }
    : null;
  const daysLeft = daysUntil(v.expiresOn, now);
  const common = { ...base, entry, expiresOn: v.expiresOn, daysLeft, enabled: v.enabled, newerVersion, repair: null };
  const rotateFix = newerVersion
    ? `A newer version (${newerVersion.version}, valid until ${day(newerVersion.expiresOn)}) is already in ${entry.vaultName}: rotate to it.`
    : `Rotate: import the renewed PFX as a new version of ${entry.secretName} (or generate one), then apply.`;
  const gate = gates.find((g) => sameId(g.vaultId, matched.vaultId));
  const failing = gate?.checks.find((c) => c.ok === false);
  const where = `version ${entry.version} of ${entry.secretName} in ${entry.vaultName}`;
  let row: CertificateRow;
  if (!v.enabled) {
    row = {
      ...common,
      status: 'disabled',
      severity: 'error',
      message: `The pinned ${where} is disabled: the platform cannot read it for new or reimaged instances.`,
      fix: 'Enable that version in Key Vault, or rotate to an enabled version.',
    };
  } else if (daysLeft !== null && daysLeft < 0) {
    row = {
      ...common,
      status: 'expired',
      severity: 'error',
      message: `Expired on ${day(v.expiresOn)} (${where}).`,
      fix: rotateFix,
    };
  } else if (!v.certificateBacked) {
    row = {
      ...common,
      status: 'not-certificate',
      severity: 'warning',
      message: `The pinned ${where} is a plain PKCS#12 secret, not a Key Vault certificate (as the classic migration left it): the RP refuses the next update of this service with CertificateImproperlyFormatted.`,
      fix: common.remoteAccess
        ? 'Remove the RemoteAccess plugin and this certificate with the next package (see RemoteAccess leftovers below); if you still need it, convert the secret to a Key Vault certificate and point this entry at that version.'
        : `Convert the secret to a Key Vault certificate (the service page does it for you) or import the PFX as one, then point this entry at that version; a renewed PFX does both at once.`,
    };
  } else if (failing) {
    row = {
      ...common,
      status: 'vault-blocked',
      severity: 'warning',
      message: `${failing.message} (vault ${entry.vaultName})`,
      fix: failing.fix,
    };
  } else if (daysLeft !== null && daysLeft <= windowDays) {
    row = {
      ...common,
      status: 'expiring',
      severity: 'warning',
      message: `Expires in ${daysLeft} days, on ${day(v.expiresOn)} (${where}).`,
      fix: rotateFix,
    };
  } else {
    row = {
      ...common,
      status: 'ok',
      severity: 'ok',
      message: `Valid until ${day(v.expiresOn)} (${where}).`,
      fix: newerVersion ? rotateFix : 'Nothing to do.',
    };
  }
  return { row, matched };
}

/** One short clause per status, for the list's summary column. */
export function shortReason(r: CertificateRow): string {
  const what = `${r.name} (${r.role})`;
  switch (r.status) {
    case 'ok':
      return `${what} is valid until ${day(r.expiresOn)}.`;
    case 'expiring':
      return `${what} expires on ${day(r.expiresOn)}.`;
    case 'expired':
      return `${what} expired on ${day(r.expiresOn)}.`;
    case 'missing':
      return `${what} has no matching osProfile entry.`;
    case 'disabled':
      return `${what} pins a disabled version.`;
    case 'not-certificate':
      return `${what} is a plain secret, not a Key Vault certificate.`;
    case 'unverified':
      return `${what} could not be verified: its vault or version could not be read.`;
    case 'vault-blocked':
      return `${what}: its vault fails the gate.`;
  }
}

function healthOf(rows: CertificateRow[], configurationError: Problem | null, gates: VaultGate[]): ServiceHealth {
  const counts = { ok: 0, warning: 0, error: 0 };
  for (const r of rows) counts[r.severity]++;
  const withExpiry = rows.filter((r) => r.entry && r.daysLeft !== null);
  withExpiry.sort((a, b) => a.daysLeft! - b.daysLeft!);
  const soonest = withExpiry[0] ?? null;
  const common = { soonestExpiry: soonest?.expiresOn ?? null, daysLeft: soonest?.daysLeft ?? null, counts };
  if (configurationError) return { status: 'broken', label: 'Broken', summary: configurationError.message, ...common };
  const error = rows.find((r) => r.severity === 'error');
  if (error)
    return {
      status: 'broken',
      label: 'Broken',
      summary:
        error.status === 'missing' ? `${error.role}: ${error.name} has no matching osProfile entry.` : error.message,
      ...common,
    };
  const expiring = rows.find((r) => r.status === 'expiring');
  if (expiring)
    return {
      status: 'expiring',
      label: `Expires in ${expiring.daysLeft} days`,
      summary: shortReason(expiring),
      ...common,
    };
  const warnings = rows.filter((r) => r.severity === 'warning');
  const warning = warnings[0];
  const gate = gates.find((g) => !g.ok);
  if (warning || gate)
    return {
      status: 'attention',
      label: 'Needs attention',
      summary: warning
        ? `${shortReason(warning)}${warnings.length === 2 ? ' 1 more certificate needs attention.' : warnings.length > 2 ? ` ${warnings.length - 1} more certificates need attention.` : ''}`
        : `Vault ${gate!.vaultName}: ${gate!.checks.find((c) => c.ok !== true)!.label.toLowerCase()} fails.`,
      ...common,
    };
  return {
    status: 'healthy',
    label: 'Healthy',
    summary: soonest ? `All certificates valid; the first expires on ${day(soonest.expiresOn)}.` : 'No certificates.',
    ...common,
  };
}

/** The whole picture of one service. */
export function serviceReport(service: LiveService, facts: ServiceFacts, options: HealthOptions = {}): ServiceReport {
  const now = options.now ?? new Date();
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const entries: Entry[] = secretEntries(service.secrets).map((e) => ({
    ...e,
    facts: facts.secrets.find((s) => s.url === e.certificateUrl),
  }));
  const gates = service.secrets.map((g) =>
    vaultGate(
      service,
      g.sourceVault.id,
      g.vaultCertificates.map((c) => c.certificateUrl),
      facts,
    ),
  );
  let roles: RoleInfo[] = [];
  let configurationError: Problem | null = null;
  let remoteAccess: ServiceReport['remoteAccess'] = [];
  if (service.configuration === null) {
    configurationError = {
      code: 'no-configuration',
      message: 'ARM returned no configuration (.cscfg) for this cloud service.',
      action: 'Check the service in the portal; without its configuration its certificates cannot be checked.',
    };
  } else {
    try {
      roles = readServiceFile(service.configuration, 'cscfg').roles;
      remoteAccess = (
        /Remote(Access|Forwarder)/i.test(service.configuration) ? findCsesLeftovers(service.configuration) : []
      ).map((i) => ({
        code: i.code,
        message: i.message,
        action: i.action,
        ...(i.role && { role: i.role }),
      }));
    } catch (e) {
      if (!isServiceConfigError(e)) throw e;
      configurationError = { code: e.code, message: e.message, action: e.action };
    }
  }
  const rows: CertificateRow[] = [];
  const used = new Set<Entry>();
  for (const role of roles) {
    for (const cert of role.certificates) {
      const { row, matched } = rowFor(service, role, cert, entries, gates, facts, now, windowDays);
      rows.push(row);
      if (matched) used.add(matched);
    }
  }
  const unused: UnusedEntry[] = entries
    .filter((e) => !used.has(e) && e.facts?.version?.thumbprint)
    .map((e) => ({
      certificateUrl: e.certificateUrl,
      vaultId: e.vaultId,
      thumbprint: e.facts?.version?.thumbprint ?? null,
    }));
  return {
    service,
    health: healthOf(rows, configurationError, gates),
    rows,
    unused,
    gates,
    remoteAccess,
    configurationError,
  };
}

/** For sorting lists: soonest expiry first, services without a known expiry last. */
export function compareByExpiry(a: ServiceReport, b: ServiceReport): number {
  const x = a.health.daysLeft ?? Number.POSITIVE_INFINITY;
  const y = b.health.daysLeft ?? Number.POSITIVE_INFINITY;
  return x - y || a.service.name.localeCompare(b.service.name);
}

export type { VaultFacts };
