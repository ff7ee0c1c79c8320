// The "Cloud services" blade at scale: a subscription seeded with 50 running services × 4 certificates, +40 ms on
// every ARM and Key Vault request (the sandbox's fault switch). Measures the list and one service page (the API
// routes each page waits for), and a rotation's wall time (plan → apply → operation followed → service read again)
// minus the sandbox's own operation delay.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeBenchPfx } from './pfx.mjs';
import { BENCH_PORTS, bin, median, ms, percentile, ROOT, sandboxFaults, startApp } from './support.mjs';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const RG = 'rg-cses-prod';
const SERVICES = 50;
const CERTS = 4;
/** The sandbox's operation delay during the bench (subtracted from the rotation's wall time). */
const OPERATION_DELAY_MS = 1000;

/** The sandbox's bench seed (sandbox/src/compute/bench-seed.ts): 50 services × 4 certificates over 10 vaults. */
export function benchSeed() {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cses-bench-seed-')), 'seed.json');
  execFileSync(
    bin('tsx'),
    [
      'sandbox/src/compute/bench-seed.ts',
      '--out',
      file,
      '--services',
      String(SERVICES),
      '--certificates',
      String(CERTS),
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return file;
}

async function json(res, what) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

async function timed(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchCloudServices({ runs = 10, rotations = 5 } = {}) {
  const port = BENCH_PORTS.cloudServicesApp;
  const stateDir = '.sandbox-bench-cs';
  const app = await startApp({
    port,
    sandboxPort: BENCH_PORTS.cloudServicesSandbox,
    stateDir,
    env: { SANDBOX_SEED: benchSeed(), SANDBOX_CS_OPERATION_DELAY_MS: String(OPERATION_DELAY_MS) },
  });
  const base = `http://localhost:${port}`;
  const endpoints = JSON.parse(readFileSync(path.join(ROOT, stateDir, 'endpoints.json'), 'utf8'));
  try {
    const session = await json(
      await fetch(`${base}/api/sandbox/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin@contoso.sandbox' }),
      }),
      'sign-in',
    );
    const headers = { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' };
    const api = `${base}/api/subscriptions/${SUB}`;
    const service = `${api}/resource-groups/${RG}/cloud-services/cs-bench-07`;
    const get = async (url, what) => json(await fetch(url, { headers }), what);

    // Warm: token exchanges, Key Vault challenges, connections (a user's first request pays them once).
    const first = await get(`${api}/cloud-services`, 'list');
    if (first.services.length !== SERVICES) throw new Error(`the seed has ${first.services.length} services`);
    await get(service, 'service page');

    // A renewed certificate for the rotation, imported once (not part of the rotation's time).
    const detail = await get(service, 'service page');
    const row = detail.report.rows[0];
    const pfx = makeBenchPfx('cs-bench-07.contoso.sandbox');
    const form = new FormData();
    form.set('file', new Blob([readFileSync(pfx.file)]), 'renewed.pfx');
    form.set('password', pfx.password);
    const vaultName = row.entry.vaultName;
    const vaultPath = `${api}/resource-groups/${RG}/vaults/${vaultName}/certificates/${row.entry.secretName}`;
    const renewed = await json(
      await fetch(vaultPath, { method: 'POST', headers: { authorization: headers.authorization }, body: form }),
      'import',
    );
    const versions = [
      { version: renewed.version, thumbprint: renewed.thumbprint },
      { version: row.entry.version, thumbprint: row.normalizedThumbprint },
    ];

    await sandboxFaults(endpoints, 'POST', { area: 'arm', delayMs: 40 });
    await sandboxFaults(endpoints, 'POST', { area: 'vault', delayMs: 40 });
    let list, page, rotation;
    const polls = [];
    try {
      list = await timed(runs, () => get(`${api}/cloud-services`, 'list'));
      page = await timed(runs, () => get(service, 'service page'));
      rotation = await timed(rotations, async (i) => {
        const to = versions[i % 2];
        const from = versions[(i + 1) % 2];
        const request = {
          from: from.thumbprint,
          to: {
            vault: { subscriptionId: SUB, resourceGroup: RG, vaultName },
            certificateName: row.entry.secretName,
            version: to.version,
          },
        };
        const planned = await json(
          await fetch(`${service}/rotation-plan`, { method: 'POST', headers, body: JSON.stringify(request) }),
          'plan',
        );
        if (!planned.plan.preflight.canApply) throw new Error('the bench rotation would be refused');
        const applied = await json(
          await fetch(`${service}/apply`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ kind: 'rotate', request, expect: planned.plan.fingerprint.before }),
          }),
          'apply',
        );
        let n = 0;
        for (;;) {
          await new Promise((r) => setTimeout(r, 100));
          n++;
          const op = await get(`${service}/operations/${applied.operation}`, 'operation');
          if (op.status === 'Succeeded') break;
          if (op.status !== 'InProgress') throw new Error(`operation ${op.status}`);
        }
        polls.push(n);
      });
    } finally {
      await sandboxFaults(endpoints, 'DELETE');
    }
    const net = rotation.map((t) => t - OPERATION_DELAY_MS);
    const markdown = [
      `Seed: the sandbox's bench seed, ${SERVICES} services × ${CERTS} certificates over 10 vaults (every second certificate with two versions), +40 ms on every ARM and Key Vault request; ${runs} sequential calls per row after one warm-up, Ada signed in.`,
      '',
      '| measurement | p50 | p95 | target |',
      '|---|---|---|---|',
      `| service list (\`GET …/cloud-services\`, health of all ${SERVICES} services) | ${ms(median(list))} ms | ${ms(percentile(list, 95))} ms | p50 < 1500 ms |`,
      `| one service page (\`GET …/cloud-services/{name}\`: table, vault gate, rights) | ${ms(median(page))} ms | ${ms(percentile(page, 95))} ms | p50 < 1500 ms |`,
      `| rotation: plan → apply → operation followed (100 ms polls) → service read again, minus the sandbox's ${OPERATION_DELAY_MS} ms operation (${rotations} runs) | ${ms(median(net))} ms | ${ms(percentile(net, 95))} ms | < 1000 ms |`,
      '',
      `The rotation's raw wall time was ${ms(median(rotation))} ms (p50), with ${median(polls)} operation polls. The page itself polls every second after the first half second, so a person sees the result up to that much later than measured here.`,
    ].join('\n');
    return { list, page, rotation: net, markdown };
  } finally {
    await app.stop();
  }
}
