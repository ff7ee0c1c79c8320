#!/usr/bin/env node
// Starts the wizard. With no Azure settings (AZURE_CLIENT_ID unset) it first starts the local sandbox, waits for its
// endpoints, and runs Next.js with the sandbox CA trusted through NODE_EXTRA_CA_CERTS (never by disabling TLS checks).
//
//   node scripts/start.mjs [--dev] [--port 3000] [--sandbox-port 8443] [--state-dir .sandbox] [--reset] [--no-build]
//                          [--cpu-prof DIR]   (the bench: V8 CPU profiles of the app server and the sandbox, written to
//                                              DIR when they exit)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE =
  'usage: node scripts/start.mjs [--dev] [--port N] [--sandbox-port N] [--state-dir DIR] [--reset] [--no-build] [--cpu-prof DIR]';

/** The command line, read strictly with node:util parseArgs (decision 025): a typo or a missing value is an error. */
function readArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dev: { type: 'boolean', default: false },
        port: { type: 'string' },
        'sandbox-port': { type: 'string' },
        'state-dir': { type: 'string' },
        reset: { type: 'boolean', default: false },
        'no-build': { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`[start] ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const portOf = (name, value) => {
    const n = Number(value);
    if (!/^\d+$/.test(String(value)) || n < 0 || n > 65535) {
      console.error(`[start] --${name} must be a port number (0-65535), not '${value}'.\n${USAGE}`);
      process.exit(2);
    }
    return String(n);
  };
  return {
    dev: values.dev,
    reset: values.reset,
    build: !values['no-build'],
    port: portOf('port', values.port ?? process.env.PORT ?? '3000'),
    sandboxPort: portOf('sandbox-port', values['sandbox-port'] ?? process.env.SANDBOX_PORT ?? '8443'),
    stateDir: path.resolve(root, values['state-dir'] ?? process.env.SANDBOX_STATE_DIR ?? '.sandbox'),
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']),
  };
}

const { dev, reset, build, port, sandboxPort, stateDir, cpuProfileDir } = readArgs(process.argv.slice(2));
/** `--cpu-prof DIR`: Node writes a V8 CPU profile of each server process into DIR when it exits. */
const profileArgs = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
const azureMode = Boolean(process.env.AZURE_CLIENT_ID);
const children = new Set();

function bin(name) {
  return path.join(root, 'node_modules', '.bin', name);
}

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

// The sandbox is supervised: if it dies (a crash, `kill -9`), it is started again on the same port and state, the
// way a service manager would, and the app carries on without a restart. Its state on disk survives (atomic writes).
//
// The supervised child is the sandbox server itself — `node --import tsx`, not the `tsx` command, which is a wrapper
// that runs the server as a grandchild: killing that wrapper used to orphan the server on its port, the restart then
// failed with EADDRINUSE and was never tried again. A restart that fails (the port still held, a crash on start) is
// retried with exponential backoff (0.3 s doubling to 10 s), for as long as `npm start` runs.
const BACKOFF_MS = { first: 300, max: 10_000, healthyAfter: 30_000 };
let failures = 0;
let upSince = 0;

function scheduleRestart(what) {
  if (stopping) return;
  if (upSince && Date.now() - upSince >= BACKOFF_MS.healthyAfter) failures = 0;
  upSince = 0;
  const wait = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** failures);
  failures += 1;
  console.error(`[start] the sandbox ${what}; starting it again on the same state in ${(wait / 1000).toFixed(1)} s…`);
  setTimeout(() => {
    if (stopping) return;
    startSandbox(false).then(
      () => {
        upSince = Date.now();
        console.error(`[start] the sandbox is back on port ${sandboxPort}.`);
      },
      (error) => scheduleRestart(`did not start (${error.message})`),
    );
  }, wait);
}

function startSandbox(first = true) {
  const sandboxArgs = [
    ...profileArgs,
    '--import',
    'tsx',
    'sandbox/src/main.ts',
    '--port',
    sandboxPort,
    '--state-dir',
    stateDir,
  ];
  if (first && reset) sandboxArgs.push('--reset', '--serve');
  const child = spawn(process.execPath, sandboxArgs, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the sandbox did not report its endpoints within 60 s'));
    }, 60_000);
    const early = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${signal ?? `code ${code}`}`));
    };
    child.once('exit', early);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', early);
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`the sandbox printed an unexpected first line: ${line.slice(0, 200)}`));
      }
      lines.on('line', (l) => process.stdout.write(`[sandbox] ${l}\n`));
      child.once('exit', (code, signal) => scheduleRestart(`exited (${signal ?? `code ${code}`})`));
    });
  });
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const inputs = ['app', 'components', 'lib', 'public'].map((d) => newestMtime(path.join(root, d)));
  for (const f of ['next.config.js', 'package-lock.json', 'tailwind.config.ts', 'tsconfig.json']) {
    if (existsSync(path.join(root, f))) inputs.push(statSync(path.join(root, f)).mtimeMs);
  }
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...inputs)) return;
  console.log('[start] building the app (first start or sources changed)…');
  const result = spawnSync(bin('next'), ['build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) stop(result.status ?? 1);
}

async function main() {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: port };
  if (!azureMode) {
    const endpoints = await startSandbox();
    env.SANDBOX_STATE_DIR = stateDir;
    env.NODE_EXTRA_CA_CERTS = endpoints.caFile;
    console.log(
      `[start] sandbox ready at ${endpoints.identity.authorityHost} (state in ${path.relative(root, stateDir) || stateDir})`,
    );
  }
  if (!dev && build) buildIfStale();
  const nextArgs = [dev ? 'dev' : 'start', '-p', port];
  // Next's own entry under this Node (with the profiler's flags when --cpu-prof is given; none otherwise).
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const next = spawn(process.execPath, [...profileArgs, nextBin, ...nextArgs], { cwd: root, stdio: 'inherit', env });
  children.add(next);
  console.log(`[start] wizard: http://localhost:${port}  (${azureMode ? 'Azure mode' : 'sandbox mode'})`);
  next.once('exit', (code) => stop(code ?? 0));
}

main().catch((error) => {
  console.error(`[start] ${error.message}`);
  stop(1);
});
