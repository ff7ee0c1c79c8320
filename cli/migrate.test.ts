/**
 * `cses-cert migrate` against a real sandbox process (its four seeded cloud services): for every service, target and
 * format the CLI prints exactly what the page's code (migrationSource → planMigration → the lib/snippets renderers)
 * gives, each output reads back with every carried certificate exactly once, and the blockers are the seeded ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationSource } from '@/lib/azure/cloud-service-migration';
import { planMigration, type MigrationSource } from '@/lib/cloud-services';
import { placements } from '@/lib/cloud-services/migration-readers.test-support';
import { MIGRATION_FORMATS, MIGRATION_TARGETS } from '@/lib/snippets';
import { runCli, useSandboxForCli } from './run.test-support';
import { sandboxContext } from './services';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const RG = 'rg-cses-prod';
const root = path.resolve(__dirname, '..');
let csdefDir = '';
let csdefFile = '';

const CSDEF = `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="cs-contoso-web" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WebRole1" vmsize="Standard_D1_v2">
    <Certificates>
      <Certificate name="SslCertificate" storeLocation="LocalMachine" storeName="My" />
      <Certificate name="ApiClientCertificate" storeLocation="LocalMachine" storeName="TrustedPeople" />
    </Certificates>
  </WebRole>
  <WorkerRole name="WorkerRole1" vmsize="Standard_D1_v2">
    <Certificates>
      <Certificate name="ApiClientCertificate" storeLocation="CurrentUser" storeName="My" />
    </Certificates>
  </WorkerRole>
</ServiceDefinition>
`;

useSandboxForCli();
beforeAll(() => {
  csdefDir = mkdtempSync(path.join(tmpdir(), 'cses-cli-migrate-'));
  csdefFile = path.join(csdefDir, 'ServiceDefinition.csdef');
  writeFileSync(csdefFile, CSDEF);
});
afterAll(() => rmSync(csdefDir, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(['migrate', ...argv], root);

const SERVICES = ['cs-contoso-web', 'cs-contoso-shop', 'cs-contoso-billing', 'cs-contoso-legacy'];
/** The blockers each seeded service has (for every target; the RemoteAccess certificate is dropped). */
const EXPECTED: Record<string, string[]> = {
  'cs-contoso-web': [],
  'cs-contoso-shop': ['blocker expires-in-window WebRole1/SslCertificate'],
  'cs-contoso-billing': ['warning no-version WebRole1/SslCertificate'],
  'cs-contoso-legacy': [
    'blocker secret-only WebRole1/SslCertificate',
    'drop remote-access WebRole1/Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
  ],
};

describe('cses-cert migrate (sandbox)', () => {
  const sources = new Map<string, MigrationSource>();
  const source = async (name: string) => {
    if (!sources.has(name)) {
      const ctx = await sandboxContext('Ada');
      sources.set(name, await migrationSource(ctx, { subscriptionId: SUB, resourceGroup: RG, cloudServiceName: name }));
    }
    return sources.get(name)!;
  };

  for (const name of SERVICES) {
    it(`${name}: every target and format as the page's code gives it, read back, with the seeded blockers`, async () => {
      const s = await source(name);
      for (const target of MIGRATION_TARGETS) {
        const plan = planMigration(s, { target });
        expect(
          plan.blockers
            .filter((b) => b.id !== 'csdef-missing')
            .map((b) => `${b.severity} ${b.id} ${b.role}/${b.certificate}`),
        ).toEqual(EXPECTED[name]);
        expect(plan.blockers.find((b) => b.id === 'csdef-missing')?.severity).toBe('warning');
        for (const format of MIGRATION_FORMATS) {
          const r = await run([
            '--subscription',
            SUB,
            '--resource-group',
            RG,
            '--name',
            name,
            '--target',
            target,
            '--format',
            format,
          ]);
          expect(r.code).toBe(0);
          expect(r.out).toBe(plan.outputs![format]);
          expect(r.err).toContain('warning [csdef-missing]');
          const got = placements(format, r.out, target).map((x) => x.url);
          const carried = plan.certificates.filter((c) => c.included);
          const want =
            target === 'app-service'
              ? [...new Set(carried.map((c) => `${c.vaultName}/${c.secretName}`))]
              : carried.map((c) => (target === 'kv-extension' ? c.versionlessUrl! : c.versionedUrl!));
          expect(got.map((u) => u.toLowerCase()).sort()).toEqual(want.map((u) => u.toLowerCase()).sort());
          if (target === 'vmss' || target === 'sf-managed') for (const u of got) expect(u).toMatch(/\/[0-9a-f]{32}$/);
          if (target === 'kv-extension') for (const u of got) expect(u).toMatch(/\/secrets\/[\w-]+$/);
        }
      }
    }, 180_000);
  }

  it('--csdef carries the stores; --json prints the mapping; --report the report; a CurrentUser store blocks vmss', async () => {
    const j = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--csdef',
      csdefFile,
      '--target',
      'kv-extension',
      '--json',
    ]);
    expect(j.code).toBe(0);
    expect(j.err).toBe('');
    const mapping = JSON.parse(j.out);
    expect(
      mapping.certificates.map(
        (c: { role: string; storeLocation: string; storeName: string }) =>
          `${c.role} ${c.storeLocation}/${c.storeName}`,
      ),
    ).toEqual(['WebRole1 LocalMachine/My', 'WebRole1 LocalMachine/TrustedPeople', 'WorkerRole1 CurrentUser/My']);
    expect(mapping.grants).toEqual([expect.objectContaining({ vaultName: 'kv-contoso-rbac', how: 'rbac' })]);
    expect(mapping).not.toHaveProperty('outputs');
    const plan = planMigration(await source('cs-contoso-web'), { target: 'kv-extension', csdef: CSDEF });
    const { outputs: _o, model: _m, generatedAt: _g, ...same } = plan;
    void [_o, _m, _g];
    const { generatedAt: _g2, ...got } = mapping;
    void _g2;
    expect(got).toEqual(JSON.parse(JSON.stringify(same)));

    const vmss = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--csdef',
      csdefFile,
      '--target',
      'vmss',
      '--format',
      'bicep',
    ]);
    expect(vmss.code).toBe(0);
    expect(vmss.err).toMatch(/blocker \[store-location\]: WorkerRole1\/ApiClientCertificate/);

    const md = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-legacy',
      '--target',
      'app-service',
      '--format',
      'powershell',
      '--report',
      'markdown',
    ]);
    expect(md.out).toMatch(/^# Migration of cs-contoso-legacy to App Service/);
    expect(md.out).toContain('**Blocker** (secret-only) WebRole1/SslCertificate');
    expect(md.out).toContain('```powershell\n');
  }, 120_000);

  it('a persona without read access to a vault gets the blockers that say so, not a crash', async () => {
    const cole = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-legacy',
      '--target',
      'vmss',
      '--json',
      '--user',
      'Cole',
    ]);
    const mapping = JSON.parse(cole.out);
    expect(mapping.blockers.map((b: { id: string }) => b.id)).toContain('unreadable');
    expect(cole.code).toBe(2);
    expect(cole.err).toContain('[nothing-to-migrate]');
    const rita = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--target',
      'app-service',
      '--format',
      'az',
      '--user',
      'Rita',
    ]);
    expect(rita.code).toBe(0);
    expect(rita.out).toContain('az webapp config ssl import');
  }, 120_000);

  it('sf-managed client certificate by common name; usage errors exit 1 with one line', async () => {
    const cn = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--target',
      'sf-managed',
      '--format',
      'arm',
      '--client-certificate',
      'WebRole1/ApiClientCertificate',
      '--client-by',
      'common-name',
    ]);
    expect(cn.code).toBe(0);
    expect(JSON.parse(cn.out).resources[0].properties.clients).toEqual([
      expect.objectContaining({ isAdmin: true, commonName: 'api-client.contoso.sandbox' }),
    ]);
    const bad = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--target',
      'vm',
      '--format',
      'arm',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^cses-cert: error \[invalid-option-value\]: --target vm is not one of vmss, kv-extension, sf-managed, app-service\./,
    );
    const noFormat = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--target',
      'vmss',
    ]);
    expect(noFormat.code).toBe(1);
    const missing = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'nope',
      '--target',
      'vmss',
      '--format',
      'az',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err.split('\n').filter(Boolean)).toHaveLength(1);
    const notClient = await run([
      '--subscription',
      SUB,
      '--resource-group',
      RG,
      '--name',
      'cs-contoso-web',
      '--target',
      'vmss',
      '--format',
      'az',
      '--client-certificate',
      'WebRole1/SslCertificate',
    ]);
    expect(notClient.code).toBe(1);
  }, 120_000);
});
