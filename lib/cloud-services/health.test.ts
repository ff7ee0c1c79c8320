import { describe, expect, it } from 'vitest';
import { cscfg, facts, NOW, service, T, url, V, VAULT_ID, vaultFacts, version } from './fixtures';
import { compareByExpiry, missingThumbprintsText, serviceReport } from './health';
import { isActionAllowed } from './permissions';

describe('serviceReport', () => {
  it('maps every role × certificate to its osProfile entry by the version thumbprint, not by name', () => {
    // The secret names do not say which certificate they hold: the thumbprint of the version does.
    const s = service({
      secrets: [
        {
          sourceVault: { id: VAULT_ID },
          vaultCertificates: [{ certificateUrl: url('x1', V.ssl1) }, { certificateUrl: url('x2', V.api1) }],
        },
      ],
    });
    const f = {
      vaults: [vaultFacts()],
      secrets: [
        { url: url('x1', V.ssl1), read: 'ok' as const, version: version('x1', V.ssl1, T.api1), siblings: [] },
        { url: url('x2', V.api1), read: 'ok' as const, version: version('x2', V.api1, T.ssl1), siblings: [] },
      ],
    };
    const r = serviceReport(s, f, { now: NOW });
    expect(r.rows.map((x) => [x.role, x.name, x.entry?.secretName])).toEqual([
      ['WebRole1', 'SslCertificate', 'x2'],
      ['WebRole1', 'ApiClientCertificate', 'x1'],
      ['WorkerRole1', 'ApiClientCertificate', 'x1'],
    ]);
    expect(r.health.status).toBe('healthy');
    expect(r.unused).toEqual([]);
  });

  it('says "expires in N days" with the soonest expiry, and names a newer version in the vault', () => {
    const newer = version('web-ssl', V.ssl2, T.ssl2, { days: 400, created: -2 });
    const r = serviceReport(
      service(),
      facts({ ssl: version('web-ssl', V.ssl1, T.ssl1, { days: 19 }), sslSiblings: [newer] }),
      { now: NOW },
    );
    expect(r.health).toMatchObject({ status: 'expiring', label: 'Expires in 19 days', daysLeft: 19 });
    const row = r.rows.find((x) => x.name === 'SslCertificate')!;
    expect(row).toMatchObject({ status: 'expiring', daysLeft: 19, newerVersion: { version: V.ssl2 } });
    expect(row.fix).toContain('A newer version');
  });

  it('a cscfg thumbprint without its osProfile entry is broken, with the RP text and the repair version', () => {
    const newer = version('web-ssl', V.ssl2, T.ssl2, { created: -2 });
    const r = serviceReport(service({ configuration: cscfg(T.ssl2) }), facts({ sslSiblings: [newer] }), { now: NOW });
    expect(r.health.status).toBe('broken');
    const row = r.rows.find((x) => x.name === 'SslCertificate')!;
    expect(row.status).toBe('missing');
    expect(row.message).toBe(missingThumbprintsText([{ role: 'WebRole1', thumbprint: T.ssl2 }]));
    expect(row.message).toContain(`Missing thumbprints: WebRole1|${T.ssl2}.`);
    expect(row.repair).toMatchObject({ version: V.ssl2, name: 'web-ssl' });
    expect(r.unused.map((u) => u.certificateUrl)).toEqual([url('web-ssl', V.ssl1)]);
  });

  it('a plain PKCS#12 secret (classic migration) needs attention; the RemoteAccess leftovers are listed', () => {
    const rdp = cscfg().replace(
      '    </ConfigurationSettings>',
      '      <Setting name="Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled" value="true" />\r\n    </ConfigurationSettings>',
    );
    const r = serviceReport(
      service({ configuration: rdp }),
      facts({ ssl: version('web-ssl', V.ssl1, T.ssl1, { certificateBacked: false }) }),
      { now: NOW },
    );
    expect(r.health.status).toBe('attention');
    expect(r.rows[0]!.status).toBe('not-certificate');
    expect(r.rows[0]!.message).toContain(`pinned version ${V.ssl1} of web-ssl`);
    expect(r.rows[0]!.message).toContain('CertificateImproperlyFormatted');
    expect(r.rows[0]!.fix).toMatch(/^Convert the secret to a Key Vault certificate/);
    expect(r.remoteAccess.map((x) => x.code)).toContain('remote-access-setting');
  });

  it('unreadable versions make rows unverified, not missing', () => {
    const f = facts();
    f.secrets = f.secrets.map((s) => ({
      url: s.url,
      read: 'forbidden' as const,
      siblings: [],
      error: { code: 'ForbiddenByRbac', message: 'no', action: 'ask' },
    }));
    const r = serviceReport(service(), f, { now: NOW });
    expect(r.rows.every((x) => x.status === 'unverified')).toBe(true);
    expect(r.health.status).toBe('attention');
    const more = r.rows.length - 1;
    expect(r.health.summary).toMatch(
      new RegExp(`could not be verified.*\\. ${more} more certificates? needs? attention\\.$`),
    );
  });

  it('the vault gate reports region, subscription, deployment flag, firewall and the true id', () => {
    const f = facts();
    f.vaults[0] = vaultFacts(VAULT_ID, {
      location: 'eastus',
      enabledForDeployment: false,
      networkDefaultAction: 'Deny',
      networkBypass: 'None',
    });
    const r = serviceReport(service(), f, { now: NOW });
    const gate = r.gates[0]!;
    expect(gate.ok).toBe(false);
    expect(Object.fromEntries(gate.checks.map((c) => [c.id, c.ok]))).toEqual({
      found: true,
      subscription: true,
      region: false,
      deployment: false,
      firewall: false,
      'id-match': true,
    });
    expect(r.rows[0]!.status).toBe('vault-blocked');
    // Each fix is a command to paste as it is: the vault's id quoted for the shell.
    const fix = (id: string) => gate.checks.find((c) => c.id === id)!.fix;
    expect(fix('deployment')).toBe(`Turn it on: az keyvault update --ids '${VAULT_ID}' --enabled-for-deployment true`);
    expect(fix('firewall')).toBe(
      `Allow trusted Microsoft services: az keyvault update --ids '${VAULT_ID}' --bypass AzureServices`,
    );
  });

  it('a .cscfg that cannot be read makes the service broken, and sorting puts the soonest expiry first', () => {
    const bad = serviceReport(service({ configuration: '<nope' }), facts(), { now: NOW });
    expect(bad.health.status).toBe('broken');
    expect(bad.configurationError?.code).toBe('xml-parse-error');
    const soon = serviceReport(
      service({ name: 'b' }),
      facts({ ssl: version('web-ssl', V.ssl1, T.ssl1, { days: 5 }) }),
      { now: NOW },
    );
    const later = serviceReport(service({ name: 'a' }), facts(), { now: NOW });
    expect([later, bad, soon].sort(compareByExpiry).map((r) => r.service.name)).toEqual(['b', 'a', 'cs-contoso-web']);
  });
});

describe('isActionAllowed', () => {
  it('matches wildcards and honours notActions of the same entry', () => {
    expect(isActionAllowed([{ actions: ['*'] }], 'Microsoft.Compute/cloudServices/write')).toBe(true);
    expect(isActionAllowed([{ actions: ['*/read'] }], 'Microsoft.Compute/cloudServices/write')).toBe(false);
    expect(isActionAllowed([{ actions: ['Microsoft.Compute/*'] }], 'microsoft.compute/cloudservices/write')).toBe(true);
    expect(
      isActionAllowed(
        [{ actions: ['*'], notActions: ['Microsoft.KeyVault/*'] }],
        'Microsoft.KeyVault/vaults/deploy/action',
      ),
    ).toBe(false);
    expect(
      isActionAllowed(
        [
          { actions: ['*'], notActions: ['Microsoft.KeyVault/*'] },
          { actions: ['Microsoft.KeyVault/vaults/deploy/action'] },
        ],
        'Microsoft.KeyVault/vaults/deploy/action',
      ),
    ).toBe(true);
  });
});
