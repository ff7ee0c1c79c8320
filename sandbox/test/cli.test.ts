import { afterAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateClient } from '@azure/keyvault-certificates';
import { startSandbox } from '../src/server';
import { benchGetCertificate } from '../src/bench';
import { apiToken, oboCredential, opensslPfx, sandboxAgent } from './helpers';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dirs: string[] = [];
/** Every sandbox process this file starts; afterAll kills whatever is still alive, whatever a test did. */
const children: ChildProcess[] = [];

function stateDirWithCa(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'sbx-cli-'));
  dirs.push(tmp);
  const dir = join(tmp, 'state');
  mkdirSync(dir);
  copyFileSync(join(process.env.SANDBOX_TEST_CA_DIR!, 'ca.pem'), join(dir, 'ca.pem'));
  copyFileSync(join(process.env.SANDBOX_TEST_CA_DIR!, 'ca-key.pem'), join(dir, 'ca-key.pem'));
  return dir;
}

function startCli(
  stateDir: string,
): Promise<{ child: ChildProcess; endpoints: any; ms: number; stdout: () => string; stderr: () => string }> {
  const t0 = Date.now();
  // Node itself with tsx as a loader, not the tsx wrapper: the wrapper runs the sandbox in a child process of its
  // own, so a SIGKILL (which the wrapper cannot pass on) would kill the wrapper and leave the sandbox running.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/src/main.ts', '--port', '0', '--state-dir', stateDir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no endpoints line; stderr: ${err}`)), 45_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve({
          child,
          endpoints: JSON.parse(out.slice(0, nl)),
          ms: Date.now() - t0,
          stdout: () => out,
          stderr: () => err,
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('CLI, persistence, reset, crash safety', () => {
  it('state survives a restart; --reset wipes it back to the seed; the CA is reused', async () => {
    const dir = stateDirWithCa();
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const pfx = opensslPfx({ password: 'pw' });
    let sb = await startSandbox({ port: 0, stateDir: dir });
    let agent = sandboxAgent(sb.endpoints.caFile);
    const client = () =>
      apiToken({ ...sb, agent, tmp: '' } as never).then(
        (t) =>
          new CertificateClient(`https://kv-contoso-east.vault.localhost:${sb.port}/`, oboCredential(sb.endpoints, t), {
            disableChallengeResourceVerification: true,
            agent,
          } as never),
      );
    const imported = await (await client()).importCertificate('persist-me', pfx.pfx, { password: 'pw' });
    agent.destroy();
    await sb.close();
    sb = await startSandbox({ port: 0, stateDir: dir });
    agent = sandboxAgent(sb.endpoints.caFile);
    const again = await (await client()).getCertificate('persist-me');
    expect(again.properties.version).toBe(imported.properties.version);
    expect(again.properties.x509ThumbprintString).toBe(imported.properties.x509ThumbprintString);
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toBe(ca);
    agent.destroy();
    await sb.close();
    const state = readFileSync(join(dir, 'state.json'), 'utf8');
    expect(state).not.toContain(pfx.pfx.toString('base64').slice(0, 40)); // the upload itself is never stored
    expect(state).not.toContain('"pw"');
    const out = execFileSync(tsx, ['sandbox/src/main.ts', '--reset', '--state-dir', dir], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toBe('');
    sb = await startSandbox({ port: 0, stateDir: dir });
    agent = sandboxAgent(sb.endpoints.caFile);
    await expect((await client()).getCertificate('persist-me')).rejects.toMatchObject({ statusCode: 404 });
    agent.destroy();
    await sb.close();
  });

  it('CLI: one JSON line on stdout, [sandbox] diagnostics on stderr; kill -9 mid-import leaves a readable state.json', async () => {
    const dir = stateDirWithCa();
    const run = await startCli(dir);
    const e = run.endpoints;
    console.log(`[sandbox test] CLI start to endpoints line: ${run.ms} ms`);
    expect(e).toEqual(JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')));
    expect(e.caFile).toBe(join(dir, 'ca.pem'));
    const agent = sandboxAgent(e.caFile);
    const token = await apiToken({ endpoints: e, agent } as never);
    const cred = oboCredential(e, token);
    const c = new CertificateClient(`https://kv-contoso-prod.vault.localhost:${e.port}/`, cred, {
      disableChallengeResourceVerification: true,
      agent,
      retryOptions: { maxRetries: 0 },
    } as never);
    const pfx = opensslPfx({ password: 'pw' });
    await c.importCertificate('warm-up', pfx.pfx, { password: 'pw' });
    const pending = Array.from({ length: 12 }, (_, i) =>
      c.importCertificate(`burst-${i}`, pfx.pfx, { password: 'pw' }).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 60));
    const exited = new Promise((r) => run.child.once('exit', r));
    run.child.kill('SIGKILL');
    await exited;
    await Promise.all(pending);
    expect(run.stdout().trim().split('\n')).toHaveLength(1);
    for (const line of run.stderr().trim().split('\n')) expect(line).toMatch(/^\[sandbox\] /);
    agent.destroy();
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state.schema).toBe(1);
    expect(Object.keys(state.certificates['kv-contoso-prod'])).toContain('warm-up');
    const sb = await startSandbox({ port: 0, stateDir: dir });
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
    await sb.close();
  });
  it('bench: get-certificate throughput runs and reports numbers', async () => {
    const r = await benchGetCertificate({ durationMs: 500, concurrency: 4 });
    expect(r.firstError).toBeUndefined();
    expect(r.errors).toBe(0);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.opsPerSec).toBeGreaterThan(0);
  });
  it('a custom seed file shapes the world; an invalid one is refused with the reason', async () => {
    const dir = stateDirWithCa();
    const seedFile = join(dir, '..', 'seed.json');
    const seed = JSON.parse(readFileSync(join(root, 'sandbox', 'seed.json'), 'utf8'));
    seed.personas = seed.personas.slice(0, 1);
    seed.vaults = [
      {
        ...seed.vaults[0],
        name: 'kv-custom-seed',
        accessPolicies: [{ principal: 'admin@contoso.sandbox', certificates: ['all'] }],
      },
    ];
    seed.roleAssignments = seed.roleAssignments.filter((a: { principal: string }) => a.principal.startsWith('admin@'));
    seed.certificates = [];
    seed.cloudServices = [];
    writeFileSync(seedFile, JSON.stringify(seed));
    const sb = await startSandbox({ port: 0, stateDir: dir, seedFile });
    expect(sb.endpoints.vaults.map((v) => v.name)).toEqual(['kv-custom-seed']);
    expect(sb.endpoints.personas.map((p) => p.username)).toEqual(['admin@contoso.sandbox']);
    expect(sb.store.state.vaults[0]!.properties.accessPolicies[0]!.permissions.certificates).toContain('import');
    await sb.close();
    writeFileSync(
      seedFile,
      JSON.stringify({
        ...seed,
        roleAssignments: [{ principal: 'nobody@x', role: 'Owner', scope: '/subscriptions/x' }],
      }),
    );
    expect(() =>
      execFileSync(tsx, ['sandbox/src/main.ts', '--reset', '--state-dir', dir, '--seed', seedFile], {
        cwd: root,
        stdio: 'pipe',
      }),
    ).toThrow(/unknown principal 'nobody@x'/);
  });
});
