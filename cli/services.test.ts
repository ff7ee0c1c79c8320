/**
 * `cses-cert services check` against a real sandbox process (its seeded cloud services), signed in as a persona.
 * The sandbox runs as a separate process (it is the independent oracle: nothing here imports it).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useSandboxForCli } from './run.test-support';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const root = path.resolve(__dirname, '..');
useSandboxForCli();

const run = (argv: string[]) => runCli(['services', 'check', ...argv], root);

describe('cses-cert services check (sandbox)', () => {
  it('exits 2 and names the expiring and the broken service; the healthy one passes alone', async () => {
    const all = await run(['--subscription', SUB]);
    expect(all.code).toBe(2);
    expect(all.err).toMatch(/^cses-cert: error \[check-failed\]: .*cs-contoso-shop/);
    expect(all.err).toContain('cs-contoso-billing');
    expect(all.out).toMatch(
      /cs-contoso-shop\s+WebRole1\s+SslCertificate\s+[0-9A-F]{40}\s+\S+\s+\S+\s+\d+\s+FAIL expiring/,
    );
    expect(all.out).toMatch(/cs-contoso-billing\s+\S+\s+\S+\s+[0-9A-F]{40}\s+-\s+.*FAIL missing/);
    expect(all.out).toContain('Missing thumbprints:');
    const web = await run(['--subscription', SUB, '--resource-group', 'rg-cses-prod', '--name', 'cs-contoso-web']);
    expect(web.code).toBe(0);
    expect(web.out).toMatch(/1 service, 3 certificates: all fine for the next 30 days\./);
  }, 120_000);

  it('--json: per service and per certificate, with the window; a short window lets the expiring one pass', async () => {
    const r = await run(['--subscription', SUB, '--json', '--name', 'cs-contoso-shop', '--user', 'Rita']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: false, windowDays: 30, services: [{ name: 'cs-contoso-shop', failing: true }] });
    expect(j.certificates[0]).toMatchObject({
      role: 'WebRole1',
      certificate: 'SslCertificate',
      status: 'expiring',
      failing: true,
    });
    expect(j.certificates[0].daysLeft).toBeGreaterThan(10);
    const short = await run(['--subscription', SUB, '--json', '--name', 'cs-contoso-shop', '--days', '5']);
    expect(short.code).toBe(0);
    expect(JSON.parse(short.out).ok).toBe(true);
  }, 120_000);

  it('usage errors exit 1 with one line', async () => {
    expect((await run([])).code).toBe(1);
    const bad = await run(['--subscription', SUB, '--user', 'Mallory']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^cses-cert: error \[invalid-option-value\]: There is no sandbox persona "Mallory"\..*Ada/);
    const missing = await run(['--subscription', SUB, '--name', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('[service-not-found]');
  }, 120_000);
});
