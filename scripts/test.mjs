#!/usr/bin/env node
// Runs every test: typecheck, lint (ESLint), format (Prettier --check), boundaries (dependency-cruiser), unit (Vitest),
// sandbox conformance (Vitest + the real Azure SDKs), e2e (Playwright in Debian's Chromium). Installs Chromium with apt when it is missing and we run as root. Ends with one line:
// `N passed, N failed` (also written to test-results/summary.txt).
//
//   node scripts/test.mjs [--only typecheck|lint|format|boundaries|unit|sandbox|e2e]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();
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

function vitest(name, config) {
  const report = path.join(out, `${name}.json`);
  rmSync(report, { force: true });
  const status = run(bin('vitest'), [
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  const json = readJson(report);
  if (!json) return { name, passed: 0, failed: 1, note: `runner exited ${status} without a report` };
  const failed = json.numFailedTests + (status !== 0 && json.numFailedTests === 0 ? 1 : 0);
  return {
    name,
    passed: json.numPassedTests,
    failed,
    note: status !== 0 && json.numFailedTests === 0 ? `exit ${status}` : '',
  };
}

function ensureChromium() {
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

function e2e() {
  if (!ensureChromium()) return { name: 'e2e', passed: 0, failed: 1, note: 'Chromium unavailable' };
  if (run(bin('next'), ['build']) !== 0) return { name: 'e2e', passed: 0, failed: 1, note: 'next build failed' };
  const report = path.join(out, 'e2e.json');
  rmSync(report, { force: true });
  const status = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  const json = readJson(report);
  if (!json?.stats) return { name: 'e2e', passed: 0, failed: 1, note: `runner exited ${status} without a report` };
  const { expected = 0, unexpected = 0, flaky = 0 } = json.stats;
  const failed = unexpected + (status !== 0 && unexpected === 0 ? 1 : 0);
  return { name: 'e2e', passed: expected + flaky, failed, note: flaky ? `${flaky} flaky` : '' };
}

// The app and the sandbox are typechecked separately (the sandbox is self-contained); each counts as one check.
function typecheck() {
  const checks = [
    ['app', 'tsconfig.json'],
    ['sandbox', 'sandbox/tsconfig.json'],
  ];
  const failedChecks = checks
    .filter(([, project]) => run(bin('tsc'), ['--noEmit', '-p', project]) !== 0)
    .map(([name]) => name);
  return {
    name: 'typecheck',
    passed: checks.length - failedChecks.length,
    failed: failedChecks.length,
    note: failedChecks.join(', '),
  };
}

// Lint, format and boundaries: each is one check, passed or failed (decision 023).
function check(name, cmd, args) {
  const status = run(cmd, args);
  return {
    name,
    passed: status === 0 ? 1 : 0,
    failed: status === 0 ? 0 : 1,
    note: status === 0 ? '' : `exit ${status}`,
  };
}

const suites = [
  ['typecheck', typecheck],
  ['lint', () => check('lint', bin('eslint'), ['--max-warnings', '0', '.'])],
  ['format', () => check('format', bin('prettier'), ['--check', '--log-level', 'warn', '.'])],
  [
    'boundaries',
    () =>
      check('boundaries', process.execPath, [
        'tools/lint/depcruise.mjs',
        '--config',
        'tools/lint/dependency-cruiser.cjs',
        '--output-type',
        'err',
        '.',
      ]),
  ],
  ['unit', () => vitest('unit', 'vitest.config.ts')],
  ['sandbox', () => vitest('sandbox', 'sandbox/vitest.config.ts')],
  ['e2e', e2e],
];
const results = suites.filter(([name]) => !only || name === only).map(([, fn]) => fn());
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\n[test] summary');
for (const r of results)
  console.log(`[test]   ${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}`);
const line = `${passed} passed, ${failed} failed`;
writeFileSync(path.join(out, 'summary.txt'), `${line}\n`);
console.log(line);
process.exit(failed > 0 ? 1 : 0);
