#!/usr/bin/env node
// Starts the wizard. With no Azure settings (AZURE_CLIENT_ID unset) it first starts the local sandbox, waits for its
// endpoints, and runs Next.js with the sandbox CA trusted through NODE_EXTRA_CA_CERTS (never by disabling TLS checks).
//
//   node scripts/start.mjs [--dev] [--port 3000] [--sandbox-port 8443] [--state-dir .sandbox] [--reset] [--no-build]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const dev = flag('dev');
const port = option('port', process.env.PORT ?? '3000');
const sandboxPort = option('sandbox-port', process.env.SANDBOX_PORT ?? '8443');
const stateDir = path.resolve(root, option('state-dir', process.env.SANDBOX_STATE_DIR ?? '.sandbox'));
const azureMode = Boolean(process.env.AZURE_CLIENT_ID);
const children = [];

function bin(name) {
  return path.join(root, 'node_modules', '.bin', name);
}

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(code);
}
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

// The sandbox is supervised: if it dies (a crash, `kill -9`), it is started again on the same port and state, the
// way a service manager would, and the app carries on without a restart. Its state on disk survives (atomic writes).
const restarts = [];
function supervise(child) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > 5) {
      console.error('[start] the sandbox keeps exiting (more than 5 times in a minute); stopping.');
      stop(1);
      return;
    }
    console.error(`[start] the sandbox exited (${signal ?? `code ${code}`}); starting it again on the same state…`);
    setTimeout(() => startSandbox(false).catch((error) => console.error(`[start] ${error.message}`)), 300);
  });
}

function startSandbox(first = true) {
  const sandboxArgs = ['sandbox/src/main.ts', '--port', sandboxPort, '--state-dir', stateDir];
  if (first && flag('reset')) sandboxArgs.push('--reset', '--serve');
  const child = spawn(bin('tsx'), sandboxArgs, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('the sandbox did not report its endpoints within 60 s')), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`the sandbox printed an unexpected first line: ${line.slice(0, 200)}`));
      }
      lines.on('line', (l) => process.stdout.write(`[sandbox] ${l}\n`));
      supervise(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with code ${code}`));
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
  if (!dev && !flag('no-build')) buildIfStale();
  const next = spawn(bin('next'), [dev ? 'dev' : 'start', '-p', port], { cwd: root, stdio: 'inherit', env });
  children.push(next);
  console.log(`[start] wizard: http://localhost:${port}  (${azureMode ? 'Azure mode' : 'sandbox mode'})`);
  next.once('exit', (code) => stop(code ?? 0));
}

main().catch((error) => {
  console.error(`[start] ${error.message}`);
  stop(1);
});
