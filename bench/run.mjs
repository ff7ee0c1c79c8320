#!/usr/bin/env node
// `npm run bench`: every speed and size target, measured on this machine in one run, written to bench/results.md.
//   node bench/run.mjs [--quick] [--no-build] [--only inspect,sandbox,phases,routes,load,bodies,app-inspect,weight,cloud-services,lighthouse]
// --no-build: use the existing `next build` (built beforehand, e.g. under a shared machine's build lock).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchBrowser, benchInspect } from '../scripts/bench-inspect.mjs';
import { WIZARD_STEP_IDS } from './steps.mjs';
import { benchLighthouse } from './lighthouse.mjs';
import { benchAppInspection } from './app-inspection.mjs';
import { benchCacheSize } from './cache-size.mjs';
import { benchCloudServices } from './cloud-services.mjs';
import { benchPageWeight } from './page-weight.mjs';
import { benchPhases } from './phases.mjs';
import { benchLargeBodies, benchLoad, benchRoutes, heapProbe, loadSeedFile } from './routes.mjs';
import { benchSandbox } from './sandbox.mjs';
import {
  BENCH_PORTS,
  bin,
  formatLoad,
  machine,
  machineLine,
  ms,
  ROOT,
  signedInState,
  startApp,
  startAzureMode,
} from './support.mjs';

const SECTIONS = [
  'inspect',
  'sandbox',
  'phases',
  'routes',
  'cache',
  'load',
  'bodies',
  'app-inspect',
  'weight',
  'cloud-services',
  'lighthouse',
];
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
  allowPositionals: false,
});
const quick = args.quick;
const only = args.only === undefined ? null : new Set(args.only.split(','));
const unknown = [...(only ?? [])].filter((name) => !SECTIONS.includes(name));
if (unknown.length) throw new Error(`--only takes sections from ${SECTIONS.join(',')}; unknown: ${unknown.join(',')}`);
const want = (name) => !only || only.has(name);
const sections = [];
/** What this run measured of issue 16's targets, for the table at the top of results.md. */
const targets = {};
const started = new Date();
// The machine may be shared: its load when the run began and ended goes into the header, so numbers can be judged.
const loadAtStart = formatLoad();

function section(title, body) {
  sections.push(`## ${title}\n\n${body}\n`);
  console.log(`\n## ${title}\n${body}`);
}

async function attempt(title, fn) {
  try {
    section(title, await fn());
  } catch (error) {
    section(title, `Not measured: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const m = machine();
if (want('inspect')) {
  await attempt(
    'PFX inspection versus `openssl pkcs12` (Node, same files)',
    async () => (await benchInspect({ runs: quick ? 3 : 7 })).markdown,
  );
  await attempt(
    'PFX inspection in the browser (600 000-iteration vector, Chromium)',
    async () => (await benchBrowser({})).markdown,
  );
}
if (want('sandbox')) await attempt('Sandbox', async () => (await benchSandbox({ seconds: quick ? 3 : 10 })).markdown);

const needsApp = [
  'phases',
  'routes',
  'cache',
  'load',
  'bodies',
  'weight',
  'lighthouse',
  'app-inspect',
  'cloud-services',
].some(want);
if (needsApp) {
  console.log(args['no-build'] ? '[bench] using the existing build (--no-build)' : '[bench] building the app…');
  if (
    !args['no-build'] &&
    spawnSync(bin('next'), ['build'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    }).status !== 0
  ) {
    throw new Error('next build failed');
  }
  const port = BENCH_PORTS.app;
  // LOG_LEVEL=info: the request log line is written as in production (to /dev/null here), so its cost is in every
  // number. SERVER_TIMING stays off here as in production: its bookkeeping (an AsyncLocalStorage, whose hooks then
  // run for every promise of the process) would be in the ratios; the per-phase harness has instances of its own.
  const app = await startApp({
    port,
    sandboxPort: BENCH_PORTS.sandbox,
    stateDir: '.sandbox-bench',
    env: { LOG_LEVEL: 'info' },
  });
  const base = `http://localhost:${port}`;
  const endpoints = JSON.parse(readFileSync(path.join(ROOT, '.sandbox-bench', 'endpoints.json'), 'utf8'));
  /** The per-phase table from an instance of the same build with SERVER_TIMING=1 (and `env`), stopped after. */
  const phasesOf = async ({ port: p, sandboxPort, stateDir, env = {}, served }) => {
    const timed = await startApp({
      port: p,
      sandboxPort,
      stateDir,
      env: { SERVER_TIMING: '1', LOG_LEVEL: 'info', ...env },
    });
    try {
      return (await benchPhases({ base: `http://localhost:${p}`, runs: quick ? 30 : 150, ...(served && { served }) }))
        .markdown;
    } finally {
      await timed.stop();
    }
  };
  try {
    if (want('phases'))
      await attempt("The route's fixed cost per phase", async () => {
        const now = await phasesOf({
          port: BENCH_PORTS.phasesApp,
          sandboxPort: BENCH_PORTS.phasesSandbox,
          stateDir: '.sandbox-bench-phases',
        });
        // The same build with the API left to Next.js's router (API_ROUTER=next), measured in this run: the
        // alternative decision 049 replaced.
        const viaNext = await phasesOf({
          port: BENCH_PORTS.nextRouterApp,
          sandboxPort: BENCH_PORTS.nextRouterSandbox,
          stateDir: '.sandbox-bench-next',
          env: { API_ROUTER: 'next' },
          served: "Next.js's router (`API_ROUTER=next`, the same build)",
        });
        const before = readFileSync(path.join(ROOT, 'bench', 'phases-before.md'), 'utf8').trim();
        return `${now}\n\nThe same build and run, the API left to Next.js's router:\n\n${viaNext}\n\n${before}`;
      });
    if (want('routes'))
      await attempt('Route overhead versus direct SDK calls (same sandbox)', async () => {
        const routes = await benchRoutes({ base, endpoints, runs: quick ? 10 : 100 });
        targets.routes = routes.rows;
        return routes.markdown;
      });
    if (want('cache'))
      await attempt('Memory per signed-in user (the on-behalf-of cache)', async () => {
        const cache = benchCacheSize({
          endpointsFile: path.join(ROOT, '.sandbox-bench', 'endpoints.json'),
          users: quick ? 50 : 200,
        });
        targets.cache = cache.after;
        return cache.markdown;
      });
    if (want('bodies'))
      await attempt(
        'Oversized unauthenticated bodies (refused before they are buffered)',
        async () => (await benchLargeBodies({ base, port, count: quick ? 10 : 40, mib: 12 })).markdown,
      );
    if (want('load'))
      await attempt('Load: 200 users, each its own persona', async () => {
        const users = 200;
        const heapFile = path.join(tmpdir(), `cses-bench-heap-${process.pid}.json`);
        const loadApp = await startApp({
          port: BENCH_PORTS.loadApp,
          sandboxPort: BENCH_PORTS.loadSandbox,
          stateDir: '.sandbox-bench-load',
          env: {
            SANDBOX_SEED: loadSeedFile(users),
            RATE_LIMIT_REQUESTS: '120',
            LOG_LEVEL: 'info',
            ...heapProbe(heapFile),
          },
        });
        try {
          const loadBase = `http://localhost:${BENCH_PORTS.loadApp}`;
          const result = await benchLoad({
            base: loadBase,
            port: BENCH_PORTS.loadApp,
            users,
            seconds: quick ? 15 : 60,
            heapFile,
          });
          targets.load = { ...result, users, seconds: quick ? 15 : 60 };
          return result.markdown;
        } finally {
          await loadApp.stop();
          rmSync(heapFile, { force: true });
        }
      });
    if (want('app-inspect')) {
      await attempt(
        'The certificate step inspecting the 600 000-iteration vector (the app in Chromium)',
        async () => (await benchAppInspection({ base, runs: quick ? 1 : 3 })).markdown,
      );
    }
    if (want('weight')) {
      const signedIn = await signedInState(base, endpoints);
      await attempt('Page weight (first-load JavaScript), sandbox mode', async () => {
        const out = await benchPageWeight({ base, steps: WIZARD_STEP_IDS });
        const inside = await benchPageWeight({
          base,
          steps: WIZARD_STEP_IDS,
          label: 'sandbox mode, signed in, step rendered',
          ...signedIn,
        });
        return `${out.markdown}\n\n${inside.markdown}`;
      });
      await attempt('Page weight (first-load JavaScript), Azure mode (target ≤ 300 KiB gz per step)', async () => {
        const azure = await startAzureMode(endpoints, BENCH_PORTS.azureMode);
        try {
          const out = await benchPageWeight({
            base: `http://localhost:${BENCH_PORTS.azureMode}`,
            steps: WIZARD_STEP_IDS,
            label: 'Azure mode, signed out: MSAL loaded, step not yet',
          });
          return `${out.markdown}\n\nSigned in, a step adds its own chunk on top (the difference between the two sandbox-mode tables above).`;
        } finally {
          await azure.stop();
        }
      });
    }
    if (want('cloud-services'))
      await attempt(
        'Cloud services: 50 services × 4 certificates, +40 ms per Azure request',
        async () => (await benchCloudServices({ runs: quick ? 5 : 10, rotations: quick ? 3 : 5 })).markdown,
      );
    if (want('lighthouse'))
      await attempt(
        'Lighthouse',
        async () => benchLighthouse({ base, steps: quick ? WIZARD_STEP_IDS.slice(0, 1) : WIZARD_STEP_IDS }).markdown,
      );
  } finally {
    await app.stop();
  }
}

const header = [
  '# Benchmark results',
  '',
  `Produced by \`npm run bench\`${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''} on ${started.toISOString()}.`,
  '',
  `Machine: ${machineLine(m)}.`,
  `Load average (1 / 5 / 15 min) at the start: ${loadAtStart}; at the end: ${formatLoad()}.`,
  'Medians unless stated; every ratio compares two measurements from this same run.',
  '',
].join('\n');
/** Issue 16's targets as this run met them or not, each from the section below it that measured it. */
function targetsTable() {
  const rows = [];
  const verdict = (met) => (met ? 'met' : '**missed**');
  for (const r of targets.routes ?? []) {
    if (!r.target) continue;
    const ratio = r.routeP50 / r.sdkP50;
    rows.push([
      `${r.name}, ${r.latency}: route p50 ≤ ${r.target}× the direct SDK call`,
      `${ratio.toFixed(2)}× (${ms(r.routeP50)} ms / ${ms(r.sdkP50)} ms)`,
      verdict(ratio <= r.target),
    ]);
  }
  if (targets.load) {
    const l = targets.load;
    rows.push([
      `${l.users} users × ${l.seconds} s: 0 errors, p95 ≤ 250 ms`,
      `${l.errors} errors, p95 ${ms(l.p95)} ms (p50 ${ms(l.p50)} ms)`,
      verdict(l.errors === 0 && l.p95 <= 250),
    ]);
    rows.push([
      `${l.users} users: RSS growth after warm-up < 10%`,
      `${Number.isFinite(l.growth) ? l.growth.toFixed(1) : 'n/a'}%`,
      verdict(l.growth < 10),
    ]);
  }
  if (targets.cache)
    rows.push([
      'memory per signed-in user ≤ 20 KiB',
      `${(targets.cache.perUser / 1024).toFixed(1)} KiB`,
      verdict(targets.cache.perUser <= 20 * 1024),
    ]);
  if (!rows.length) return '';
  return [
    '## Issue 16 targets in this run',
    '',
    '| target | this run | |',
    '|---|---:|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Each line comes from the section below that measured it. `npm run soak -- --minutes 10` measures memory over time.',
    '',
  ].join('\n');
}

const summary = targetsTable();
writeFileSync(
  path.join(ROOT, 'bench', 'results.md'),
  `${header}\n${summary ? `${summary}\n` : ''}${sections.join('\n')}`,
);
console.log('\n[bench] wrote bench/results.md');
process.exit(0);
