#!/usr/bin/env node
// Runs every test: typecheck, lint (ESLint), format (Prettier --check), boundaries (dependency-cruiser), unit (Vitest),
// sandbox conformance (Vitest + the real Azure SDKs), e2e (Playwright in Debian's Chromium). Chromium is made sure of
// (installed with apt when missing and we run as root) before the first suite that needs it: the sandbox suite drives
// msal-browser in it, the e2e suite everything. Prints one line per suite with its passed, failed and skipped tests,
// then one line `N passed, N failed` (also written to test-results/summary.txt), in which every skipped test and
// every suite that failed outside its tests count as failed (scripts/test-summary.mjs).
//
//   node scripts/test.mjs [--only typecheck|lint|format|boundaries|unit|sandbox|e2e]
import { spawnSync } from 'node:child_process';
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

function vitest(name, config, extraEnv = {}) {
  const report = path.join(out, `${name}.json`);
  rmSync(report, { force: true });
  const status = run(
    bin('vitest'),
    ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    extraEnv,
  );
  return countVitest(name, readJson(report), status);
}

// The sandbox suite's browser test runs msal-browser in the same Chromium as e2e; without it the test is skipped,
// and a skip counts as failed.
function sandbox() {
  ensureChromium();
  const count = vitest('sandbox', 'sandbox/vitest.config.ts', { SANDBOX_CHROMIUM: CHROMIUM });
  return chromium ? count : { ...count, notes: [...count.notes, 'Chromium unavailable'] };
}

function e2e() {
  if (!ensureChromium()) return noReport('e2e', 1, 'Chromium unavailable');
  if (run(bin('next'), ['build']) !== 0) return noReport('e2e', 1, 'next build failed');
  const report = path.join(out, 'e2e.json');
  rmSync(report, { force: true });
  const status = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  return countPlaywright('e2e', readJson(report), status);
}

// The app and the sandbox are typechecked separately (the sandbox is self-contained); each counts as one check.
function typecheck() {
  const projects = [
    ['app', 'tsconfig.json'],
    ['sandbox', 'sandbox/tsconfig.json'],
  ];
  return checkCount(
    'typecheck',
    projects.map(([name, project]) => ({ name, status: run(bin('tsc'), ['--noEmit', '-p', project]) })),
  );
}

// Lint, format and boundaries: each is one check, passed or failed (decision 023).
function check(name, cmd, args) {
  const status = run(cmd, args);
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
const results = SUITES.filter((name) => !only || name === only).map((name) => suites[name]());
const { lines, failed, closing } = summarise(results);
console.log('\n[test] summary');
for (const line of lines) console.log(line);
writeFileSync(path.join(out, 'summary.txt'), `${closing}\n`);
console.log(closing);
process.exit(failed > 0 ? 1 : 0);
