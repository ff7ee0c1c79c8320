/**
 * The rotation planner: from a live service and a new certificate version, the new .cscfg (that certificate's
 * thumbprint replaced in every role that uses it, every other byte the same) and the new osProfile.secrets (every entry
 * kept, only the rotated URL changed, one group per vault), both diffs, and the preflight of what the RP checks.
 * Also its inverse, the roll back. Pure: no Azure, no React.
 */
import { normalizeThumbprint, readServiceFile, setCscfgThumbprints, type ThumbprintEdit } from '../service-config';
import { diffLines, type DiffLine } from '../wizard/diff';
import { daysUntil } from './health';
import { preflight, type PreflightCheck, type PreflightResult } from './preflight';
import { cloneSecrets, isParsed, parseSecretUrl, sameId, secretsJson, serviceFingerprint } from './secrets';
import type { LiveService, SecretGroup, ServiceFacts, ServiceRights, VersionFacts } from './types';

/** The version to rotate to, with the ARM id of its vault. */
export interface NewVersion extends VersionFacts {
  vaultId: string;
}

export interface RotationInput {
  service: LiveService;
  /** The thumbprint the .cscfg carries today for the certificate being rotated (any case or format). */
  from: string;
  to: NewVersion;
  /** Facts for every URL of the service and for `to.secretUrl`. */
  facts: ServiceFacts;
  rights: ServiceRights;
  now?: Date;
}

export interface CertificateEdit {
  role: string;
  name: string;
  /** The thumbprint attribute before and after, as written. */
  before: string;
  after: string;
}

/** Everything needed to undo an applied plan; holds no secret (URLs, vault ids and thumbprints only). */
export interface RollbackRecord {
  serviceId: string;
  /** The fingerprint of the state the plan produced: roll back only while the service still has it. */
  appliedFingerprint: string;
  /** The fingerprint of the state before the plan (what roll back restores). */
  previousFingerprint: string;
  /** The thumbprint edits to undo (role, name, the value to write back). */
  configurationEdits: ThumbprintEdit[];
  /** osProfile.secrets before the plan, exactly. */
  secrets: SecretGroup[];
  /** For people reading the record: what the plan did. */
  description: string;
  createdAt: string;
}

/**
 * What a plan does: `rotate` a certificate to a new thumbprint; `repair` the osProfile pin of a certificate whose .cscfg
 * already has the new thumbprint; `repoint` osProfile.secrets entries at other Key Vault versions with the same
 * thumbprints (a copy or a secret-to-certificate conversion); `rollback` the last change.
 */
export type PlanKind = 'rotate' | 'repair' | 'repoint' | 'rollback';

export interface RotationPlan {
  kind: PlanKind;
  /** The plan's headline, the one sentence the page and the exports show for it. */
  title: string;
  serviceId: string;
  from: { thumbprint: string; urls: string[] };
  to: { thumbprint: string; url: string; name: string; vaultName: string; version: string; expiresOn: string | null };
  edits: CertificateEdit[];
  configuration: { before: string; after: string; changed: boolean; diff: DiffLine[] };
  secrets: { before: SecretGroup[]; after: SecretGroup[]; changed: boolean; diff: DiffLine[] };
  /** The rotation's own checks (the new version) followed by the RP's checks of the whole new state. */
  preflight: PreflightResult;
  fingerprint: { before: string; after: string };
  rollback: RollbackRecord;
}

export class PlanError extends Error {
  constructor(
    readonly code: 'not-in-configuration' | 'no-configuration' | 'same-version' | 'service-changed' | 'wrong-service',
    message: string,
    readonly action: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

const norm = (t: string) => {
  const n = normalizeThumbprint(t);
  return n.valid ? n.value : t.trim().toUpperCase();
};

/** The new osProfile.secrets: the rotated URL replaced in place (moved to its vault's group when the vault changes). */
function rotateSecrets(
  before: SecretGroup[],
  replace: Set<string>,
  to: NewVersion,
): { secrets: SecretGroup[]; replaced: string[] } {
  const out = cloneSecrets(before);
  const replaced: string[] = [];
  const toKey = parseSecretUrl(to.secretUrl);
  const key = (u: string) => {
    const p = parseSecretUrl(u);
    return isParsed(p) ? p.key : u;
  };
  let placed = false;
  for (const g of out) {
    for (let i = 0; i < g.vaultCertificates.length; i++) {
      const c = g.vaultCertificates[i]!;
      if (!replace.has(c.certificateUrl)) continue;
      replaced.push(c.certificateUrl);
      if (sameId(g.sourceVault.id, to.vaultId)) {
        if (placed) {
          g.vaultCertificates.splice(i--, 1);
        } else {
          g.vaultCertificates[i] = { ...c, certificateUrl: to.secretUrl };
          placed = true;
        }
      } else {
        // Another vault: the entry leaves this group and joins the group of the new version's vault.
        g.vaultCertificates.splice(i--, 1);
      }
    }
  }
  if (!placed) {
    const existing = out.find((g) => sameId(g.sourceVault.id, to.vaultId));
    const already = existing?.vaultCertificates.some((c) => isParsed(toKey) && key(c.certificateUrl) === toKey.key);
    if (existing && !already) existing.vaultCertificates.push({ certificateUrl: to.secretUrl });
    else if (!existing)
      out.push({ sourceVault: { id: to.vaultId }, vaultCertificates: [{ certificateUrl: to.secretUrl }] });
  }
  // One entry per version and one group per vault; groups emptied by a move go.
  for (const g of out) {
    const seen = new Set<string>();
    g.vaultCertificates = g.vaultCertificates.filter((c) => {
      const k = key(c.certificateUrl);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return { secrets: out.filter((g) => g.vaultCertificates.length > 0), replaced };
}

function ownChecks(input: RotationInput, edits: CertificateEdit[]): PreflightCheck[] {
  const { to, now = new Date() } = input;
  const checks: PreflightCheck[] = [];
  const left = daysUntil(to.expiresOn, now);
  checks.push({
    id: 'expiry',
    kind: 'rp',
    ok: left === null || left >= 0,
    severity: 'error',
    title: 'The new version is valid',
    message:
      left !== null && left < 0
        ? `Version ${to.version} of ${to.name} expired on ${to.expiresOn!.slice(0, 10)}.`
        : `Version ${to.version} of ${to.name} is valid until ${to.expiresOn?.slice(0, 10) ?? 'an unknown date'}${left !== null && left <= 30 ? ` — only ${left} days` : ''}.`,
    fix: left !== null && left < 0 ? 'Renew the certificate and rotate to the renewed version.' : 'Nothing to do.',
  });
  checks.push({
    id: 'thumbprints',
    kind: 'rp',
    ok: to.thumbprint !== null,
    severity: 'error',
    title: "The new version's thumbprint is known",
    message: to.thumbprint
      ? `Thumbprint ${to.thumbprint}, read from Key Vault${edits.length ? `, goes into ${edits.map((e) => `${e.role}/${e.name}`).join(', ')}` : ''}.`
      : 'Key Vault returned no thumbprint for the new version.',
    fix: to.thumbprint
      ? 'Nothing to do.'
      : 'Import the certificate again; a version without a thumbprint cannot be used.',
  });
  return checks;
}

function combine(own: PreflightCheck[], rp: PreflightResult): PreflightResult {
  const checks = [...own, ...rp.checks];
  const failing = checks.filter((c) => !c.ok && c.severity === 'error');
  const canExport = !failing.some((c) => c.kind !== 'rights');
  return { canApply: canExport && failing.length === 0, canExport, checks };
}

/** Plan a rotation (or, when the .cscfg already carries the new thumbprint, a repair of the osProfile pin). */
export function planRotation(input: RotationInput): RotationPlan {
  const { service, to } = input;
  if (service.configuration === null)
    throw new PlanError('no-configuration', 'The service has no configuration to rotate.', 'Refresh the service.');
  const from = norm(input.from);
  const toThumbprint = to.thumbprint ? norm(to.thumbprint) : '';
  const before = service.configuration;
  const roles = readServiceFile(before, 'cscfg').roles;
  const targets = roles.flatMap((r) =>
    r.certificates.filter((c) => norm(c.thumbprint ?? '') === from).map((c) => ({ role: r.name, c })),
  );
  if (targets.length === 0) {
    throw new PlanError(
      'not-in-configuration',
      `No certificate of the .cscfg has thumbprint ${from}.`,
      'Refresh the service page and pick the certificate to rotate from its table.',
    );
  }
  const edits: CertificateEdit[] = targets
    .filter(({ c }) => (c.thumbprint ?? '') !== toThumbprint)
    .map(({ role, c }) => ({ role, name: c.name, before: c.thumbprint ?? '', after: toThumbprint }));
  const after = setCscfgThumbprints(
    before,
    edits.map((e) => ({ role: e.role, name: e.name, thumbprint: e.after })),
  );

  // The entries to replace: those whose version has the old thumbprint; for a repair (the .cscfg already has the new
  // thumbprint), the stale pins of the same certificate that no certificate of the new .cscfg still needs.
  const urlThumbprint = new Map(input.facts.secrets.map((s) => [s.url, s.version?.thumbprint ?? null]));
  const stillNeeded = new Set(
    readServiceFile(after, 'cscfg').roles.flatMap((r) => r.certificates.map((c) => norm(c.thumbprint ?? ''))),
  );
  const toParsed = parseSecretUrl(to.secretUrl);
  const all = service.secrets.flatMap((g) => g.vaultCertificates.map((c) => c.certificateUrl));
  const replace = new Set(all.filter((u) => urlThumbprint.get(u) === from && from !== toThumbprint));
  const repair = from === toThumbprint;
  if (replace.size === 0) {
    for (const u of all) {
      const p = parseSecretUrl(u);
      const t = urlThumbprint.get(u);
      if (
        isParsed(p) &&
        isParsed(toParsed) &&
        p.vaultName === toParsed.vaultName &&
        p.name.toLowerCase() === toParsed.name.toLowerCase() &&
        (!t || !stillNeeded.has(t))
      )
        replace.add(u);
    }
  }
  const { secrets, replaced } = rotateSecrets(service.secrets, replace, to);
  const beforeJson = secretsJson(service.secrets);
  const afterJson = secretsJson(secrets);
  if (after === before && afterJson === beforeJson) {
    throw new PlanError(
      'same-version',
      `The service already uses version ${to.version} of ${to.name} for this certificate.`,
      'Choose another version, or import the renewed certificate first.',
    );
  }
  const facts: ServiceFacts = {
    vaults: input.facts.vaults,
    secrets: input.facts.secrets.some((s) => s.url === to.secretUrl)
      ? input.facts.secrets
      : [...input.facts.secrets, { url: to.secretUrl, read: 'ok', version: to, siblings: [] }],
  };
  const rp = preflight(service, { configuration: after, secrets }, facts, input.rights, { now: input.now });
  const fingerprint = {
    before: serviceFingerprint(before, service.secrets),
    after: serviceFingerprint(after, secrets),
  };
  const roleList = [...new Set(targets.map((t) => t.role))].join(', ');
  return {
    kind: repair ? 'repair' : 'rotate',
    title: repair
      ? `Plan: point osProfile.secrets at version ${to.version} of ${to.name}`
      : `Plan: rotate to version ${to.version} of ${to.name}`,
    serviceId: service.id,
    from: { thumbprint: from, urls: replaced },
    to: {
      thumbprint: toThumbprint,
      url: to.secretUrl,
      name: to.name,
      vaultName: to.vaultName,
      version: to.version,
      expiresOn: to.expiresOn,
    },
    edits,
    configuration: { before, after, changed: after !== before, diff: diffLines(before, after) },
    secrets: {
      before: service.secrets,
      after: secrets,
      changed: beforeJson !== afterJson,
      diff: diffLines(beforeJson, afterJson),
    },
    preflight: combine(ownChecks(input, edits), rp),
    fingerprint,
    rollback: {
      serviceId: service.id,
      appliedFingerprint: fingerprint.after,
      previousFingerprint: fingerprint.before,
      configurationEdits: edits.map((e) => ({ role: e.role, name: e.name, thumbprint: e.before })),
      secrets: cloneSecrets(service.secrets),
      description: repair
        ? `Repair of ${service.name}: osProfile.secrets pointed at version ${to.version} of ${to.name} (thumbprint ${toThumbprint}, roles ${roleList}).`
        : `Rotation of ${service.name}: thumbprint ${from} → ${toThumbprint} (version ${to.version} of ${to.name}) in ${roleList}.`,
      createdAt: (input.now ?? new Date()).toISOString(),
    },
  };
}

/** Plan the roll back of an applied plan: the thumbprints written back, osProfile.secrets as it was. */
export function planRollback(input: {
  service: LiveService;
  record: RollbackRecord;
  facts: ServiceFacts;
  rights: ServiceRights;
  now?: Date;
}): RotationPlan {
  const { service, record } = input;
  if (!sameId(service.id, record.serviceId))
    throw new PlanError(
      'wrong-service',
      'This roll back belongs to another cloud service.',
      'Open the service it was made for.',
    );
  if (service.configuration === null)
    throw new PlanError('no-configuration', 'The service has no configuration.', 'Refresh the service.');
  const current = serviceFingerprint(service.configuration, service.secrets);
  if (current === record.previousFingerprint) {
    throw new PlanError(
      'same-version',
      'The service already has the configuration from before the change.',
      'Nothing to roll back.',
    );
  }
  if (current !== record.appliedFingerprint) {
    throw new PlanError(
      'service-changed',
      'The service has changed since the change this roll back undoes (someone deployed again), so rolling back would also undo their change.',
      'Review the service page and rotate to the version you want instead.',
    );
  }
  const before = service.configuration;
  const roles = readServiceFile(before, 'cscfg').roles;
  const edits: CertificateEdit[] = record.configurationEdits.map((e) => ({
    role: e.role,
    name: e.name,
    before: roles.find((r) => r.name === e.role)?.certificates.find((c) => c.name === e.name)?.thumbprint ?? '',
    after: e.thumbprint,
  }));
  const after = setCscfgThumbprints(before, record.configurationEdits);
  const secrets = cloneSecrets(record.secrets);
  const beforeJson = secretsJson(service.secrets);
  const afterJson = secretsJson(secrets);
  const rp = preflight(service, { configuration: after, secrets }, input.facts, input.rights, { now: input.now });
  const fingerprint = { before: current, after: serviceFingerprint(after, secrets) };
  const restored = new Set(secrets.flatMap((g) => g.vaultCertificates.map((c) => c.certificateUrl)));
  const removed = service.secrets
    .flatMap((g) => g.vaultCertificates.map((c) => c.certificateUrl))
    .filter((u) => !restored.has(u));
  const back = [...restored].find(
    (u) => !service.secrets.some((g) => g.vaultCertificates.some((c) => c.certificateUrl === u)),
  );
  const backParsed = back ? parseSecretUrl(back) : null;
  const backFacts = back ? input.facts.secrets.find((s) => s.url === back)?.version : undefined;
  return {
    kind: 'rollback',
    title: 'Plan: roll back the last change',
    serviceId: service.id,
    from: { thumbprint: edits[0]?.before ?? '', urls: removed },
    to: {
      thumbprint: edits[0]?.after ?? backFacts?.thumbprint ?? '',
      url: back ?? '',
      name: backParsed && isParsed(backParsed) ? backParsed.name : '',
      vaultName: backParsed && isParsed(backParsed) ? backParsed.vaultName : '',
      version: backParsed && isParsed(backParsed) ? backParsed.version : '',
      expiresOn: backFacts?.expiresOn ?? null,
    },
    edits,
    configuration: { before, after, changed: after !== before, diff: diffLines(before, after) },
    secrets: {
      before: service.secrets,
      after: secrets,
      changed: beforeJson !== afterJson,
      diff: diffLines(beforeJson, afterJson),
    },
    preflight: rp,
    fingerprint,
    rollback: {
      serviceId: service.id,
      appliedFingerprint: fingerprint.after,
      previousFingerprint: fingerprint.before,
      configurationEdits: edits.map((e) => ({ role: e.role, name: e.name, thumbprint: e.before })),
      secrets: cloneSecrets(service.secrets),
      description: `Undo of the roll back of ${service.name}.`,
      createdAt: (input.now ?? new Date()).toISOString(),
    },
  };
}

/** One osProfile entry to point at another version with the same certificate (a converted secret, a copy). */
export interface RepointMove {
  /** The certificateUrl as it is in osProfile.secrets today. */
  from: string;
  to: NewVersion;
}

/**
 * Plan moving osProfile entries to other versions of the same certificates (same thumbprint): the .cscfg stays as it
 * is. Used after the migration's plain secrets were imported as certificates, or a certificate was copied into a vault
 * the service may use. One plan for all entries, so the RP's checks of the whole new state can pass in one update.
 */
export function planRepoint(input: {
  service: LiveService;
  moves: RepointMove[];
  facts: ServiceFacts;
  rights: ServiceRights;
  now?: Date;
}): RotationPlan {
  const { service, moves } = input;
  if (service.configuration === null)
    throw new PlanError('no-configuration', 'The service has no configuration.', 'Refresh the service.');
  if (moves.length === 0)
    throw new PlanError('same-version', 'Nothing to move.', 'Convert or copy a certificate first.');
  const urlThumbprint = new Map(input.facts.secrets.map((s) => [s.url, s.version?.thumbprint ?? null]));
  let secrets = cloneSecrets(service.secrets);
  const replaced: string[] = [];
  for (const m of moves) {
    if (!secrets.some((g) => g.vaultCertificates.some((c) => c.certificateUrl === m.from))) {
      throw new PlanError(
        'service-changed',
        `${m.from} is no longer in osProfile.secrets.`,
        'Refresh the service page and plan again.',
      );
    }
    const had = urlThumbprint.get(m.from) ?? null;
    if (!had || !m.to.thumbprint || norm(had) !== norm(m.to.thumbprint)) {
      throw new PlanError(
        'not-in-configuration',
        `Version ${m.to.version} of ${m.to.name} has thumbprint ${m.to.thumbprint ?? '(unknown)'}, but ${m.from} holds ${had ?? 'an unknown thumbprint'}: it is not the same certificate.`,
        'Pick the version with the same thumbprint, or rotate this certificate instead.',
      );
    }
    const r = rotateSecrets(secrets, new Set([m.from]), m.to);
    secrets = r.secrets;
    replaced.push(...r.replaced);
  }
  const before = service.configuration;
  const beforeJson = secretsJson(service.secrets);
  const afterJson = secretsJson(secrets);
  if (afterJson === beforeJson)
    throw new PlanError('same-version', 'osProfile.secrets already points there.', 'Nothing to apply.');
  const known = new Set(input.facts.secrets.map((s) => s.url));
  const facts: ServiceFacts = {
    vaults: input.facts.vaults,
    secrets: [
      ...input.facts.secrets,
      ...moves
        .filter((m) => !known.has(m.to.secretUrl))
        .map((m) => ({ url: m.to.secretUrl, read: 'ok' as const, version: m.to, siblings: [] })),
    ],
  };
  const rp = preflight(service, { configuration: before, secrets }, facts, input.rights, { now: input.now });
  const fingerprint = {
    before: serviceFingerprint(before, service.secrets),
    after: serviceFingerprint(before, secrets),
  };
  const first = moves[0]!.to;
  const targets = moves.map((m) => `${m.to.name} ${m.to.version} in ${m.to.vaultName}`).join(', ');
  return {
    kind: 'repoint',
    title:
      moves.length > 1
        ? `Plan: point ${moves.length} osProfile.secrets entries at Key Vault certificate versions`
        : `Plan: point osProfile.secrets at version ${first.version} of ${first.name}`,
    serviceId: service.id,
    from: { thumbprint: norm(first.thumbprint ?? ''), urls: replaced },
    to: {
      thumbprint: norm(first.thumbprint ?? ''),
      url: first.secretUrl,
      name: first.name,
      vaultName: first.vaultName,
      version: first.version,
      expiresOn: first.expiresOn,
    },
    edits: [],
    configuration: { before, after: before, changed: false, diff: diffLines(before, before) },
    secrets: { before: service.secrets, after: secrets, changed: true, diff: diffLines(beforeJson, afterJson) },
    preflight: combine([], rp),
    fingerprint,
    rollback: {
      serviceId: service.id,
      appliedFingerprint: fingerprint.after,
      previousFingerprint: fingerprint.before,
      configurationEdits: [],
      secrets: cloneSecrets(service.secrets),
      description: `osProfile.secrets of ${service.name} pointed at the same certificates in Key Vault certificate versions: ${targets}.`,
      createdAt: (input.now ?? new Date()).toISOString(),
    },
  };
}
