#!/usr/bin/env node
// Runs every test: typecheck, lint (ESLint), format (Prettier --check), boundaries (dependency-cruiser), unit (Vitest),
// sandbox conformance (Vitest + the real Azure SDKs), e2e (Playwright in Debian's Chromium). Chromium is made sure of
// (installed with apt when missing and we run as root) before the first suite that needs it: the sandbox suite drives
// msal-browser in it, the e2e suite everything. Prints one line per suite with its passed, failed and skipped tests,
// then one line `N passed, N failed` (also written to test-results/summary.txt), in which every skipped test and
// every suite that failed outside its tests count as failed (scripts/test-summary.mjs).
//
//   node scripts/test.mjs [--only typecheck|lint|format|boundaries|unit|sandbox|e2e]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkCount, countPlaywright, countVitest, noReport, summarise } from './test-summary.mjs';

const SUITES = ['typecheck', 'lint', 'format', 'boundaries', 'unit', 'sandbox', 'e2e'];
const only = (() => {
  try {
    const { values } = parseArgs({ options: { only: { type: 'string' } }, strict: true, allowPositionals: false });
    if (values.only !== undefined && !SUITES.includes(values.only)) {
      throw new Error(`--only takes one of ${SUITES.join(', ')}, not '${values.only}'`);
    }
    return values.only;
  } catch (e) {
    console.error(`[test] ${e.message}\n[test] usage: node scripts/test.mjs [--only ${SUITES.join('|')}]`);
    process.exit(2);
  }
})();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
mkdirSync(out, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR,
};

function run(cmd, args, extraEnv = {}) {
  console.log(`\n[test] $ ${path.basename(cmd)} ${args.join(' ')}`);
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
}

/**
 * Runs a command with its output held back and printed in one piece when it ends, so suites that run side by side do
 * not interleave their lines; a line says when it starts. Resolves with the exit status.
 */
function runHeld(cmd, args, extraEnv = {}) {
  const line = `${path.basename(cmd)} ${args.join(' ')}`;
  console.log(`[test] started: ${line}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (status) => {
      console.log(`\n[test] $ ${line}  (exit ${status}, ${Math.round((Date.now() - started) / 1000)} s)`);
      process.stdout.write(Buffer.concat(output));
      resolve(status ?? 1);
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function installChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() === 0) {
    console.log('[test] Debian Chromium is missing; installing it with apt (chromium)…');
    if (
      run('apt-get', ['update', '-q']) === 0 &&
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], {
        DEBIAN_FRONTEND: 'noninteractive',
      }) === 0
    ) {
      return existsSync(CHROMIUM);
    }
    return false;
  }
  console.error(
    `[test] ${CHROMIUM} is missing. Install Debian's Chromium first: sudo apt-get install chromium (or set CHROMIUM_PATH).`,
  );
  return false;
}
let chromium;
const ensureChromium = () => (chromium ??= installChromium());

async function vitest(name, config, extraEnv = {}) {
  const report = path.join(out, `${name}.json`);
  rmSync(report, { force: true });
  const status = await runHeld(
    bin('vitest'),
    ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    extraEnv,
  );
  return countVitest(name, readJson(report), status);
}

// The sandbox suite's browser test runs msal-browser in the same Chromium as e2e; without it the test is skipped,
// and a skip counts as failed.
async function sandbox() {
  const count = await vitest('sandbox', 'sandbox/vitest.config.ts', { SANDBOX_CHROMIUM: CHROMIUM });
  return chromium ? count : { ...count, notes: [...count.notes, 'Chromium unavailable'] };
}

// The production build e2e runs against; started beside the Vitest suites, so it is ready when e2e begins.
let build;
const nextBuild = () => (build ??= runHeld(bin('next'), ['build']));

async function e2e() {
  if (!chromium) return noReport('e2e', 1, 'Chromium unavailable');
  if ((await nextBuild()) !== 0) return noReport('e2e', 1, 'next build failed');
  const report = path.join(out, 'e2e.json');
  rmSync(report, { force: true });
  const status = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  return countPlaywright('e2e', readJson(report), status);
}

// The app and the sandbox are typechecked separately (the sandbox is self-contained); each counts as one check.
async function typecheck() {
  const projects = [
    ['app', 'tsconfig.json'],
    ['sandbox', 'sandbox/tsconfig.json'],
  ];
  return checkCount(
    'typecheck',
    await Promise.all(
      projects.map(async ([name, project]) => ({
        name,
        status: await runHeld(bin('tsc'), ['--noEmit', '-p', project]),
      })),
    ),
  );
}

// Lint, format and boundaries: each is one check, passed or failed (decision 023).
async function check(name, cmd, args) {
  const status = await runHeld(cmd, args);
  return checkCount(name, [{ name: `exit ${status}`, status }]);
}
const depcruise = ['tools/lint/depcruise.mjs', '--config', 'tools/lint/dependency-cruiser.cjs', '--output-type', 'err'];

const suites = {
  typecheck,
  lint: () => check('lint', bin('eslint'), ['--max-warnings', '0', '.']),
  format: () => check('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']),
  boundaries: () => check('boundaries', process.execPath, [...depcruise, '.']),
  unit: () => vitest('unit', 'vitest.config.ts'),
  sandbox,
  e2e,
};
// Three groups, one after another, each run side by side inside (decision 053): the static checks (CPU-bound, and
// quick together); the two Vitest suites and the production build (much of their time is spent waiting on child
// processes: sandboxes, the CLI, openssl); then e2e alone, which needs the build and all the CPU there is. Results
// are listed in SUITES' order.
const chosen = SUITES.filter((name) => !only || name === only);
const GROUPS = [['typecheck', 'lint', 'format', 'boundaries'], ['unit', 'sandbox'], ['e2e']];
if (chosen.some((name) => name === 'sandbox' || name === 'e2e')) ensureChromium();
const counts = new Map();
for (const group of GROUPS) {
  const names = group.filter((name) => chosen.includes(name));
  if (group.includes('unit') && chosen.includes('e2e') && chromium) void nextBuild();
  for (const [i, count] of (await Promise.all(names.map((name) => suites[name]()))).entries()) {
    counts.set(names[i], count);
  }
}
const results = chosen.map((name) => counts.get(name));
const { lines, failed, closing } = summarise(results);
console.log('\n[test] summary');
for (const line of lines) console.log(line);
writeFileSync(path.join(out, 'summary.txt'), `${closing}\n`);
console.log(closing);
process.exit(failed > 0 ? 1 : 0);
