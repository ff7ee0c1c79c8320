import { describe, expect, it } from 'vitest';
import {
  ALL_RIGHTS,
  cscfg,
  facts,
  NOW,
  OTHER_HOST,
  OTHER_VAULT_ID,
  secret,
  service,
  T,
  url,
  V,
  VAULT_ID,
  version,
} from './fixtures';
import { planRepoint, planRollback, planRotation, PlanError, type NewVersion } from './rotation';
import { serviceFingerprint } from './secrets';
import type { LiveService } from './types';

const newSsl = (over: Partial<NewVersion> = {}): NewVersion => ({
  ...version('web-ssl', V.ssl2, T.ssl2, { days: 400, created: -1 }),
  vaultId: VAULT_ID,
  ...over,
});

const rotate = (over: Partial<Parameters<typeof planRotation>[0]> = {}) =>
  planRotation({
    service: service(),
    from: T.ssl1,
    to: newSsl(),
    facts: facts(),
    rights: ALL_RIGHTS,
    now: NOW,
    ...over,
  });

describe('planRotation', () => {
  it('replaces only that thumbprint in the .cscfg: every other byte stays (BOM, CRLF, quotes, comments, case)', () => {
    const plan = rotate();
    const before = service().configuration!;
    expect(plan.kind).toBe('rotate');
    expect(plan.configuration.after).toBe(before.replace(T.ssl1, T.ssl2));
    expect(plan.configuration.after.startsWith('\uFEFF')).toBe(true);
    expect(plan.configuration.after.split('\r\n').length).toBe(before.split('\r\n').length);
    const changed = plan.configuration.diff.filter((l) => l.kind !== 'same');
    expect(changed.map((l) => l.kind).sort()).toEqual(['added', 'removed']);
    expect(plan.edits).toEqual([{ role: 'WebRole1', name: 'SslCertificate', before: T.ssl1, after: T.ssl2 }]);
  });

  it('replaces the thumbprint in every role that uses the certificate, whatever its case there', () => {
    const plan = rotate({
      from: T.api1.toLowerCase(),
      to: { ...version('api-client', V.api2, T.api2, { created: -1, days: 500 }), vaultId: VAULT_ID },
    });
    expect(plan.edits.map((e) => `${e.role}/${e.name}:${e.before}`)).toEqual([
      `WebRole1/ApiClientCertificate:${T.api1.toLowerCase()}`,
      `WorkerRole1/ApiClientCertificate:${T.api1}`,
    ]);
    const expected = service()
      .configuration!.replace(`thumbprint='${T.api1.toLowerCase()}'`, `thumbprint='${T.api2}'`)
      .replace(`thumbprint="${T.api1}"`, `thumbprint="${T.api2}"`);
    expect(plan.configuration.after).toBe(expected);
  });

  it('keeps every osProfile entry and changes only the rotated URL, in place, with its other fields', () => {
    const plan = rotate({
      from: T.api1,
      to: { ...version('api-client', V.api2, T.api2, { created: -1, days: 500 }), vaultId: VAULT_ID },
    });
    expect(plan.secrets.after).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [
          { certificateUrl: url('web-ssl', V.ssl1) },
          { certificateUrl: url('api-client', V.api2), isBootstrapCertificate: false },
        ],
      },
    ]);
    expect(plan.from.urls).toEqual([url('api-client', V.api1)]);
    expect(plan.secrets.diff.filter((l) => l.kind !== 'same')).toHaveLength(2);
    expect(plan.preflight.canApply).toBe(true);
  });

  it('moves the entry to the group of its new vault, one group per vault, and drops an emptied group', () => {
    const to: NewVersion = {
      ...version('web-ssl', V.other, T.other, { host: OTHER_HOST, created: -1, days: 300 }),
      vaultId: OTHER_VAULT_ID,
    };
    const plan = rotate({ to });
    expect(plan.secrets.after).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [{ certificateUrl: url('api-client', V.api1), isBootstrapCertificate: false }],
      },
      {
        sourceVault: { id: OTHER_VAULT_ID },
        vaultCertificates: [{ certificateUrl: url('web-ssl', V.other, OTHER_HOST) }],
      },
    ]);
    const only = service({
      secrets: [{ sourceVault: { id: VAULT_ID }, vaultCertificates: [{ certificateUrl: url('web-ssl', V.ssl1) }] }],
      configuration: cscfg()
        .replace(/\s*<Certificate name='ApiClientCertificate'[^>]*>/, '')
        .replace(/<Role name="WorkerRole1">[\s\S]*?<\/Role>\r\n\s*/, ''),
      roles: ['WebRole1'],
    });
    const moved = planRotation({ service: only, from: T.ssl1, to, facts: facts(), rights: ALL_RIGHTS, now: NOW });
    expect(moved.secrets.after).toEqual([
      {
        sourceVault: { id: OTHER_VAULT_ID },
        vaultCertificates: [{ certificateUrl: url('web-ssl', V.other, OTHER_HOST) }],
      },
    ]);
  });

  it('repairs a stale pin: the .cscfg already has the new thumbprint, osProfile pins the old version', () => {
    const broken = service({ configuration: cscfg(T.ssl2) });
    const plan = planRotation({
      service: broken,
      from: T.ssl2,
      to: newSsl(),
      facts: facts(),
      rights: ALL_RIGHTS,
      now: NOW,
    });
    expect(plan.kind).toBe('repair');
    expect(plan.configuration.changed).toBe(false);
    expect(plan.edits).toEqual([]);
    expect(plan.secrets.after[0]!.vaultCertificates[0]!.certificateUrl).toBe(url('web-ssl', V.ssl2));
    expect(plan.preflight.canApply).toBe(true);
  });

  it('rotating from a thumbprint that no entry holds replaces the stale pin of the same certificate', () => {
    const broken = service({ configuration: cscfg(T.ssl2) });
    const to: NewVersion = { ...version('web-ssl', V.other, T.other, { created: -1 }), vaultId: VAULT_ID };
    const plan = planRotation({ service: broken, from: T.ssl2, to, facts: facts(), rights: ALL_RIGHTS, now: NOW });
    expect(plan.kind).toBe('rotate');
    expect(plan.secrets.after[0]!.vaultCertificates.map((c) => c.certificateUrl)).toEqual([
      url('web-ssl', V.other),
      url('api-client', V.api1),
    ]);
  });

  it('refuses a thumbprint the .cscfg does not have, and a plan that changes nothing', () => {
    expect(() => rotate({ from: T.other })).toThrow(PlanError);
    expect(() => rotate({ to: { ...version('web-ssl', V.ssl1, T.ssl1), vaultId: VAULT_ID } })).toThrow(
      /already uses version/,
    );
  });

  it('never lets a plan through that the RP would refuse, and says why in its words', () => {
    const noThumb = rotate({ to: newSsl({ thumbprint: T.other }) });
    // The new version's thumbprint goes into the .cscfg, so it is consistent; an unrelated stale .cscfg is not:
    expect(noThumb.preflight.canApply).toBe(true);
    const stale = planRotation({
      service: service({ configuration: cscfg(T.ssl1, T.other) }),
      from: T.ssl1,
      to: newSsl(),
      facts: facts(),
      rights: ALL_RIGHTS,
      now: NOW,
    });
    const t = stale.preflight.checks.find((c) => c.id === 'thumbprints' && !c.ok)!;
    expect(t.message).toContain(`Missing thumbprints: WebRole1|${T.other}, WorkerRole1|${T.other}.`);
    expect(stale.preflight.canApply).toBe(false);
    expect(stale.preflight.canExport).toBe(false);
  });

  it('blocks a vault not enabled for deployment, in another region, listed twice, or a plain secret', () => {
    const disabled = facts();
    disabled.vaults[0] = { ...disabled.vaults[0]!, enabledForDeployment: false };
    const p1 = rotate({ facts: disabled });
    expect(p1.preflight.checks.find((c) => c.id === 'enabled-for-deployment')).toMatchObject({
      ok: false,
      rpCode: 'KeyVaultAccessForbidden',
    });
    expect(p1.preflight.checks.find((c) => c.id === 'enabled-for-deployment')!.message).toMatch(
      /either has not been enabled for deployment or the vault id provided, .* does not match the Key Vault's true resource id\./,
    );
    const far = facts();
    far.vaults[0] = { ...far.vaults[0]!, location: 'eastus' };
    expect(rotate({ facts: far }).preflight.checks.find((c) => c.id === 'subscription-region')!.ok).toBe(false);

    const twice = service({
      secrets: [
        { sourceVault: { id: VAULT_ID }, vaultCertificates: [{ certificateUrl: url('web-ssl', V.ssl1) }] },
        { sourceVault: { id: VAULT_ID }, vaultCertificates: [{ certificateUrl: url('api-client', V.api1) }] },
      ],
    });
    const p3 = planRotation({
      service: twice,
      from: T.ssl1,
      to: newSsl(),
      facts: facts(),
      rights: ALL_RIGHTS,
      now: NOW,
    });
    expect(p3.preflight.checks.find((c) => c.id === 'duplicate-vault')!.message).toBe(
      `List secrets contains repeated instances of ${VAULT_ID}, which is disallowed.`,
    );

    const plain = facts({ api: version('api-client', V.api1, T.api1, { certificateBacked: false }) });
    const p4 = rotate({ facts: plain });
    expect(p4.preflight.checks.find((c) => c.id === 'certificate-format')).toMatchObject({
      ok: false,
      rpCode: 'CertificateImproperlyFormatted',
    });
    for (const p of [p1, p3, p4]) expect(p.preflight.canApply).toBe(false);
  });

  it('a user without write or deploy rights may export the change but not apply it', () => {
    const plan = rotate({ rights: { write: false, deploy: { [VAULT_ID.toLowerCase()]: false } } });
    expect(plan.preflight.canExport).toBe(true);
    expect(plan.preflight.canApply).toBe(false);
    expect(plan.preflight.checks.find((c) => c.id === 'write-permission')!.rpCode).toBe('AuthorizationFailed');
    expect(plan.preflight.checks.find((c) => c.id === 'deploy-permission')!.rpCode).toBe('LinkedAuthorizationFailed');
  });

  it('refuses an expired new version and a version it could not read', () => {
    expect(rotate({ to: newSsl({ expiresOn: '2026-01-01T00:00:00Z' }) }).preflight.canExport).toBe(false);
    const unread = facts();
    unread.secrets[1] = { url: url('api-client', V.api1), read: 'forbidden', siblings: [] };
    expect(rotate({ facts: unread }).preflight.checks.find((c) => c.id === 'readable')!.ok).toBe(false);
  });
});

describe('planRollback', () => {
  const applied = (before: LiveService, plan: ReturnType<typeof planRotation>): LiveService => ({
    ...before,
    configuration: plan.configuration.after,
    secrets: plan.secrets.after,
  });

  it('restores the .cscfg byte for byte and osProfile.secrets exactly', () => {
    const before = service();
    const plan = planRotation({
      service: before,
      from: T.api1,
      to: { ...version('api-client', V.api2, T.api2, { created: -1 }), vaultId: VAULT_ID },
      facts: facts(),
      rights: ALL_RIGHTS,
      now: NOW,
    });
    const live = applied(before, plan);
    const liveFacts = facts({ api: version('api-client', V.api2, T.api2, { created: -1 }) });
    liveFacts.secrets.push({
      url: url('api-client', V.api1),
      read: 'ok',
      version: version('api-client', V.api1, T.api1),
      siblings: [],
    });
    const back = planRollback({ service: live, record: plan.rollback, facts: liveFacts, rights: ALL_RIGHTS, now: NOW });
    expect(back.kind).toBe('rollback');
    expect(back.configuration.after).toBe(before.configuration);
    expect(back.secrets.after).toEqual(before.secrets);
    expect(back.fingerprint.after).toBe(serviceFingerprint(before.configuration!, before.secrets));
    expect(back.preflight.canApply).toBe(true);
  });

  it('refuses when the service changed since, or already has the old state', () => {
    const before = service();
    const plan = planRotation({
      service: before,
      from: T.ssl1,
      to: newSsl(),
      facts: facts(),
      rights: ALL_RIGHTS,
      now: NOW,
    });
    const live = applied(before, plan);
    const changed = { ...live, configuration: live.configuration!.replace('Hello', 'Hi') };
    expect(() => planRollback({ service: changed, record: plan.rollback, facts: facts(), rights: ALL_RIGHTS })).toThrow(
      /changed since/,
    );
    expect(() => planRollback({ service: before, record: plan.rollback, facts: facts(), rights: ALL_RIGHTS })).toThrow(
      /already has/,
    );
    expect(() =>
      planRollback({
        service: { ...live, id: `${live.id}x` },
        record: plan.rollback,
        facts: facts(),
        rights: ALL_RIGHTS,
      }),
    ).toThrow(/another cloud service/);
  });
});

describe('serviceFingerprint', () => {
  it('is always 16 lowercase hex characters, and changes with any byte of either part', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const f = serviceFingerprint(`cscfg ${i} ${'x'.repeat(i)}`, []);
      expect(f).toMatch(/^[0-9a-f]{16}$/);
      seen.add(f);
    }
    expect(seen.size).toBe(300);
    const s = service();
    expect(serviceFingerprint(s.configuration!, s.secrets)).not.toBe(
      serviceFingerprint(s.configuration!, [
        { ...s.secrets[0]!, vaultCertificates: s.secrets[0]!.vaultCertificates.slice(1) },
      ]),
    );
  });
});

describe('planRepoint (converted secrets, copies)', () => {
  // Both entries are plain secrets named by thumbprint, as the classic migration leaves them.
  const plainSsl = version(T.ssl1, V.ssl1, T.ssl1, { certificateBacked: false });
  const plainApi = version(T.api1, V.api1, T.api1, { certificateBacked: false });
  const migrated = service({
    secrets: [
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [
          { certificateUrl: plainSsl.secretUrl },
          { certificateUrl: plainApi.secretUrl, isBootstrapCertificate: false },
        ],
      },
    ],
  });
  const plainFacts = { vaults: facts().vaults, secrets: [secret(plainSsl), secret(plainApi)] };
  const certSsl: NewVersion = { ...version('web-ssl', V.ssl2, T.ssl1), vaultId: VAULT_ID };
  const certApi: NewVersion = { ...version('api-client', V.api2, T.api1), vaultId: VAULT_ID };
  const plan = (
    moves = [
      { from: plainSsl.secretUrl, to: certSsl },
      { from: plainApi.secretUrl, to: certApi },
    ],
  ) => planRepoint({ service: migrated, moves, facts: plainFacts, rights: ALL_RIGHTS, now: NOW });

  it('moves every entry in place in one plan, keeps the .cscfg and the other fields; the RP checks pass', () => {
    const p = plan();
    expect(p.kind).toBe('repoint');
    expect(p.title).toBe('Plan: point 2 osProfile.secrets entries at Key Vault certificate versions');
    expect(p.configuration.changed).toBe(false);
    expect(p.configuration.after).toBe(migrated.configuration);
    expect(p.secrets.after).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [
          { certificateUrl: certSsl.secretUrl },
          { certificateUrl: certApi.secretUrl, isBootstrapCertificate: false },
        ],
      },
    ]);
    expect(p.from.urls).toEqual([plainSsl.secretUrl, plainApi.secretUrl]);
    expect(p.preflight.canApply).toBe(true);
    expect(p.rollback.configurationEdits).toEqual([]);
    expect(p.rollback.secrets).toEqual(migrated.secrets);
  });

  it('moving only one leaves the other plain entry, which the RP check still refuses', () => {
    const p = plan([{ from: plainSsl.secretUrl, to: certSsl }]);
    expect(p.preflight.canApply).toBe(false);
    expect(p.preflight.checks.find((c) => !c.ok && c.severity === 'error')?.message).toMatch(/api-client|C1B2|secret/i);
  });

  it('refuses a version with another thumbprint, and an entry that is no longer there', () => {
    expect(() => plan([{ from: plainSsl.secretUrl, to: certApi }])).toThrow(/not the same certificate/);
    expect(() => plan([{ from: url('gone', V.other), to: certSsl }])).toThrow(PlanError);
  });

  it('a copy in another vault: the entry leaves its group for the new vault’s group (one group per vault)', () => {
    const copy: NewVersion = { ...version('web-ssl', V.other, T.ssl1, { host: OTHER_HOST }), vaultId: OTHER_VAULT_ID };
    const p = plan([
      { from: plainSsl.secretUrl, to: copy },
      { from: plainApi.secretUrl, to: certApi },
    ]);
    expect(p.secrets.after).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [{ certificateUrl: certApi.secretUrl, isBootstrapCertificate: false }],
      },
      { sourceVault: { id: OTHER_VAULT_ID }, vaultCertificates: [{ certificateUrl: copy.secretUrl }] },
    ]);
    expect(p.preflight.canApply).toBe(true);
  });

  it('its roll back restores osProfile.secrets exactly', () => {
    const p = plan();
    const applied = { ...migrated, secrets: p.secrets.after };
    const back = planRollback({
      service: applied,
      record: p.rollback,
      facts: { vaults: plainFacts.vaults, secrets: [...plainFacts.secrets, secret(certSsl), secret(certApi)] },
      rights: ALL_RIGHTS,
      now: NOW,
    });
    expect(back.secrets.after).toEqual(migrated.secrets);
    expect(back.configuration.after).toBe(migrated.configuration);
    expect(serviceFingerprint(back.configuration.after, back.secrets.after)).toBe(p.fingerprint.before);
  });
});
