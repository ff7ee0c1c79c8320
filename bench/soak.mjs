#!/usr/bin/env node
// `npm run soak`: a long run of scripted wizard sessions against the sandbox (not part of CI). Each session makes the
// calls the wizard makes — persona sign-in, subscriptions, vaults, vault, deployment flag, PFX import, certificate —
// with a few sessions in parallel. Each of those keeps its sign-in for --sign-in-every sessions, as a browser keeps
// its token (a fresh sign-in for every session would only fill the per-token caches up to their caps). It samples
// the server's memory every minute and ends with errors (target 0) and memory growth after warm-up (target: flat),
// read right after a full collection (bench/heap-probe.mjs) at the end of the warm-up and at the end.
//   node bench/soak.mjs [--minutes 30] [--parallel 4] [--sign-in-every 100]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeBenchPfx } from './pfx.mjs';
import { afterFullGc, heapProbe, serverPid } from './routes.mjs';
import { BENCH_PORTS, formatLoad, machineLine, ROOT, startApp } from './support.mjs';

const started = new Date();
const loadAtStart = formatLoad();

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    parallel: { type: 'string', default: '4' },
    'sign-in-every': { type: 'string', default: '100' },
  },
  strict: true,
  allowPositionals: false,
});
const minutes = Number(args.minutes);
const parallel = Number(args.parallel);
if (!(minutes > 0)) throw new Error(`--minutes takes a positive number, not '${args.minutes}'`);
if (!Number.isInteger(parallel) || parallel < 1)
  throw new Error(`--parallel takes a whole number ≥ 1, not '${args.parallel}'`);
const signInEvery = Number(args['sign-in-every']);
if (!Number.isInteger(signInEvery) || signInEvery < 1)
  throw new Error(`--sign-in-every takes a whole number ≥ 1, not '${args['sign-in-every']}'`);
const port = BENCH_PORTS.soakApp;
const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT = `/api/subscriptions/${SUB}/resource-groups/rg-cses-prod/vaults/kv-contoso-prod`;

function rssMiB() {
  try {
    const pid = String(serverPid(port));
    return Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', pid], { encoding: 'utf8' }).trim()) / 1024);
  } catch {
    return NaN;
  }
}

const heapFile = path.join(tmpdir(), `cses-soak-heap-${process.pid}.json`);
const app = await startApp({
  port,
  sandboxPort: BENCH_PORTS.soakSandbox,
  stateDir: '.sandbox-soak',
  env: heapProbe(heapFile),
});
const pid = serverPid(port);
const base = `http://localhost:${port}`;
const pfx = makeBenchPfx('soak.contoso.example');
const bytes = readFileSync(pfx.file);
let sessions = 0;
let errors = 0;
const failures = new Map();

async function call(path, init = {}, token) {
  const headers = { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(base + path, { ...init, headers });
  const body = await res.text();
  if (!res.ok) {
    const key = `${init.method ?? 'GET'} ${path.replace(/certificates\/[^/?]+/, 'certificates/…')} ${res.status}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
    throw new Error(key);
  }
  return body ? JSON.parse(body) : undefined;
}

const signIn = async () =>
  (
    await call('/api/sandbox/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin@contoso.sandbox' }),
    })
  ).accessToken;
let signIns = 0;

async function session(n, token) {
  await call('/api/subscriptions', {}, token);
  await call(`/api/subscriptions/${SUB}/vaults`, {}, token);
  await call(VAULT, {}, token);
  await call(
    VAULT,
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabledForDeployment: true }),
    },
    token,
  );
  const form = new FormData();
  form.set('file', new Blob([bytes]), 'soak.pfx');
  form.set('password', pfx.password);
  const imported = await call(`${VAULT}/certificates/soak-${n % 20}`, { method: 'POST', body: form }, token);
  await call(`${VAULT}/certificates/soak-${n % 20}?version=${imported.version}`, {}, token);
}

const samples = [];
const until = Date.now() + minutes * 60_000;
const warmupEnds = Date.now() + Math.min(60_000, minutes * 15_000);
let baseline = NaN;
/** Memory right after a full collection when the warm-up ended (taken once, by the first sample after it). */
let gcBaseline;
const sampler = setInterval(async () => {
  const rss = rssMiB();
  samples.push(rss);
  if (Number.isNaN(baseline) && Date.now() > warmupEnds) {
    baseline = rss;
    gcBaseline = await afterFullGc(pid, heapFile);
  }
  console.log(`[soak] ${new Date().toISOString()} sessions=${sessions} errors=${errors} rss=${rss} MiB`);
}, 60_000);

await Promise.all(
  Array.from({ length: parallel }, async () => {
    let token;
    for (let mine = 0; Date.now() < until; mine++) {
      const n = sessions++;
      try {
        if (!token || mine % signInEvery === 0) {
          token = await signIn();
          signIns++;
        }
        await session(n, token);
      } catch {
        errors++;
        token = undefined;
      }
    }
  }),
);
clearInterval(sampler);
const end = rssMiB();
const gcEnd = await afterFullGc(pid, heapFile);
await app.stop();
rmSync(heapFile, { force: true });
const growth = ((end - baseline) / baseline) * 100;
const mib = (bytes) => `${Math.round(bytes / 1048576)} MiB`;
const pct = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
const lines = [
  `${minutes} min, ${sessions} sessions (${signIns} sign-ins, one per ${signInEvery} sessions of a worker, ${parallel} workers), ${errors} errors${failures.size ? ` (${[...failures].map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''}`,
  `server RSS after warm-up ${baseline} MiB → end ${end} MiB (${Number.isFinite(growth) ? `${growth.toFixed(1)}%` : 'n/a'}); every minute: ${samples.join(', ')} MiB`,
  ...(gcBaseline && gcEnd
    ? [
        `live JS heap right after a full GC, warm-up end → end: ${mib(gcBaseline.heapUsed)} → ${mib(gcEnd.heapUsed)} (${pct(gcBaseline.heapUsed, gcEnd.heapUsed)})`,
      ]
    : []),
];
for (const line of lines) console.log(`[soak] ${line}`);
// The last run's figures, beside bench/results.md (the bench rewrites that file; the soak keeps its own).
writeFileSync(
  path.join(ROOT, 'bench', 'soak-results.md'),
  [
    '# Soak results',
    '',
    `Produced by \`npm run soak\` ${process.argv.slice(2).join(' ')} on ${started.toISOString()}; ${machineLine()}.`,
    `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${formatLoad()}.`,
    '',
    ...lines.map((l) => `- ${l}`),
    '',
  ].join('\n'),
);
process.exit(errors === 0 ? 0 : 1);
