import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandboxProcess, type SandboxProcess } from '@/lib/testing/sandbox-process';
import { sandboxToken } from '@/lib/testing/sign-in.test-support';

// Issue 17 item 1, through the real import route, SDK and sandbox: the sandbox stores an import and then loses the
// connection before answering (`dropAfter`, as a server killed between storing and replying); the SDK retries the
// POST, and Key Vault — not idempotent — stores a second version of the same file. The user must see one.

const VAULT = { subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333', resourceGroup: 'rg-cses-prod' };
let sb: SandboxProcess;
let token = '';
let dir = '';
let pfx: { bytes: Uint8Array; password: string; thumbprint: string };

const { POST: importRoute } =
  await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/certificates/[certificateName]/route');
const { GET: versionsRoute } =
  await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/certificates/[certificateName]/versions/route');

function makePfx(subject: string, password: string) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const file = path.join(dir, 'web.pfx');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '90'].concat([
      '-subj',
      `/CN=${subject}`,
    ]),
    { stdio: 'ignore' },
  );
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', file, '-passout', 'stdin'], {
    input: `${password}\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const fingerprint = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', cert], {
    encoding: 'utf8',
  });
  return {
    bytes: new Uint8Array(readFileSync(file)),
    password,
    thumbprint: fingerprint.split('=')[1]!.replace(/:/g, '').trim().toUpperCase(),
  };
}

const params = (vaultName: string, certificateName: string) => ({
  params: Promise.resolve({ ...VAULT, vaultName, certificateName }),
});

async function importPfx(vaultName: string, name: string) {
  const form = new FormData();
  form.set('file', new File([pfx.bytes.slice() as BlobPart], 'web.pfx', { type: 'application/x-pkcs12' }));
  form.set('password', pfx.password);
  const response = await importRoute(
    new Request('http://localhost/api/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    }),
    params(vaultName, name),
  );
  return {
    status: response.status,
    body: (await response.json()) as { version?: string; thumbprint?: string; error?: { code: string } },
  };
}

async function versions(vaultName: string, name: string) {
  const response = await versionsRoute(
    new Request('http://localhost/api/versions', { headers: { authorization: `Bearer ${token}` } }),
    params(vaultName, name),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { versions: Array<{ version: string; enabled: boolean; thumbprint: string }> })
    .versions;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cses-idem-'));
  pfx = makePfx('idempotent.contoso.example', 'Idem-Passw0rd');
  sb = await startSandboxProcess();
  vi.stubEnv('SANDBOX_STATE_DIR', sb.stateDir);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
  token = await sandboxToken('admin@contoso.sandbox');
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await sb?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sb.faults.clear());

/** The vault client's first request answers Key Vault's auth challenge; make it before a fault is set. */
async function warmUp(vaultName: string) {
  await versionsRoute(
    new Request('http://localhost/api/versions', { headers: { authorization: `Bearer ${token}` } }),
    params(vaultName, 'warm-up'),
  );
}

describe('an import whose answer is lost after Key Vault stored it', () => {
  it('the SDK retried the POST: the app reports one version, and the duplicate it made is disabled', async () => {
    await warmUp('kv-contoso-prod');
    await sb.faults.add({ area: 'vault', method: 'POST', path: '/import$', dropAfter: true, count: 1 });
    const r = await importPfx('kv-contoso-prod', 'idem-retried');
    expect(r.status).toBe(200);
    expect(r.body.thumbprint).toBe(pfx.thumbprint);
    const all = await versions('kv-contoso-prod', 'idem-retried');
    expect(all).toHaveLength(2); // Key Vault did store two
    expect(all.filter((v) => v.enabled).map((v) => v.version)).toEqual([r.body.version]);
    expect((await sb.faults.list())[0]).toMatchObject({ hits: 1 });
  });

  it('every attempt lost its answer: the import is found and reported as done, once', async () => {
    await warmUp('kv-contoso-rbac');
    await sb.faults.add({ area: 'vault', method: 'POST', path: '/import$', dropAfter: true, count: 4 });
    const r = await importPfx('kv-contoso-rbac', 'idem-failed');
    expect(r.status).toBe(200);
    expect(r.body.thumbprint).toBe(pfx.thumbprint);
    const all = await versions('kv-contoso-rbac', 'idem-failed');
    expect(all.length).toBeGreaterThan(1);
    expect(all.filter((v) => v.enabled).map((v) => v.version)).toEqual([r.body.version]);
  });

  it('an import sent once and answered does not read the versions (no duplicate can exist); a retried one does', async () => {
    const readsOf = (name: string) => ({ area: 'vault', method: 'GET', path: `/certificates/${name}/versions$` });
    await sb.faults.add(readsOf('idem-once'));
    await sb.faults.add(readsOf('idem-again'));
    await sb.faults.add({ area: 'vault', method: 'POST', path: '/idem-again/import$', dropAfter: true, count: 1 });
    expect((await importPfx('kv-contoso-prod', 'idem-once')).status).toBe(200);
    expect((await importPfx('kv-contoso-prod', 'idem-again')).status).toBe(200);
    const hits = (await sb.faults.list()).map((r) => r.hits ?? 0);
    expect(hits.slice(0, 2)).toEqual([0, 1]);
  });

  it('an import the user makes again, separately, of the same file is a version of its own and is kept', async () => {
    const first = await importPfx('kv-contoso-prod', 'idem-twice');
    const second = await importPfx('kv-contoso-prod', 'idem-twice');
    expect([first.status, second.status]).toEqual([200, 200]);
    const enabled = (await versions('kv-contoso-prod', 'idem-twice')).filter((v) => v.enabled).map((v) => v.version);
    expect(enabled.sort()).toEqual([first.body.version, second.body.version].sort());
  });
});
