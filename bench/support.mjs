// Shared helpers for the benchmarks: start the sandbox + app, talk to them, time things.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);

/**
 * The bench's ports: from E2E_APP_PORT / E2E_SANDBOX_PORT when set (each engineer's own, on a shared machine),
 * else 3290 / 8791; the Azure-mode instance and the cloud-services run take the next ones.
 */
const appBase = Number(process.env.E2E_APP_PORT ?? 3290);
const sandboxBase = Number(process.env.E2E_SANDBOX_PORT ?? 8791);
export const BENCH_PORTS = {
  app: appBase,
  sandbox: sandboxBase,
  phasesApp: appBase + 1,
  phasesSandbox: sandboxBase + 1,
  nextRouterApp: appBase + 3,
  nextRouterSandbox: sandboxBase + 3,
  azureMode: appBase + 2,
  cloudServicesApp: appBase + 4,
  cloudServicesSandbox: sandboxBase + 5,
  soakApp: appBase + 5,
  soakSandbox: sandboxBase + 6,
  loadApp: appBase + 6,
  loadSandbox: sandboxBase + 7,
};

export const median = (xs) => percentile(xs, 50);
export function percentile(xs, p) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
export const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : n.toFixed(0)}` : 'n/a');

/** Starts `node scripts/start.mjs` (sandbox + production app) and resolves once the app answers. */
export async function startApp({ port, sandboxPort, stateDir, env = {}, cpuProfileDir }) {
  const child = spawn(
    'node',
    [
      'scripts/start.mjs',
      '--no-build',
      '--reset',
      '--port',
      String(port),
      '--sandbox-port',
      String(sandboxPort),
      '--state-dir',
      stateDir,
      ...(cpuProfileDir ? ['--cpu-prof', cpuProfileDir] : []),
    ],
    {
      cwd: ROOT,
      // The virtual users of the load and soak runs all sign in as one sandbox persona, so the per-user rate limit
      // (which would answer most of them 429 by design) is off here.
      env: { ...process.env, LOG_LEVEL: 'silent', RATE_LIMIT_REQUESTS: '0', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`http://localhost:${port}/api/config`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('the app did not start within 120 s');
    await new Promise((r) => setTimeout(r, 300));
  }
  return { child, stop: () => stopGroup(child.pid) };
}

/**
 * Ends a process group started detached (the app with its sandbox) and resolves once none of its processes is left
 * (at most 15 s), so that a section's teardown never overlaps the next section's measurements.
 */
export async function stopGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const until = Date.now() + 15_000;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return; // no process of the group is left
    }
    if (Date.now() > until) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A second instance of the same build in Azure mode, configured as for a real tenant but pointed at the sandbox. */
export async function startAzureMode(endpoints, port) {
  const env = {
    ...process.env,
    LOG_LEVEL: 'silent',
    NODE_EXTRA_CA_CERTS: endpoints.caFile,
    AZURE_CLIENT_ID: endpoints.app.clientId,
    AZURE_TENANT_ID: endpoints.identity.tenantId,
    AZURE_CLIENT_SECRET: endpoints.app.clientSecret,
    AZURE_SPA_CLIENT_ID: endpoints.identity.publicClientId,
    AZURE_API_SCOPE: endpoints.app.apiScope,
    AZURE_AUTHORITY_HOST: endpoints.identity.authorityHost,
    AZURE_ARM_ENDPOINT: endpoints.arm.endpoint,
    AZURE_KEYVAULT_DNS_SUFFIX: endpoints.keyVault.dnsSuffix,
    AZURE_KEYVAULT_PORT: String(endpoints.port),
  };
  delete env.SANDBOX_STATE_DIR;
  const child = spawn(bin('next'), ['start', '-p', String(port)], { cwd: ROOT, env, stdio: 'ignore', detached: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://localhost:${port}/api/config`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('the Azure-mode instance did not start');
    await new Promise((r) => setTimeout(r, 300));
  }
  return { stop: () => stopGroup(child.pid) };
}

/** Starts the sandbox alone and measures the time until it prints its endpoints line. */
export function startSandbox({ port, stateDir, reset = true }) {
  const started = performance.now();
  const args = ['sandbox/src/main.ts', '--port', String(port), '--state-dir', stateDir];
  if (reset) args.push('--reset', '--serve');
  const child = spawn(bin('tsx'), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const readyMs = performance.now() - started;
      resolve({ endpoints: JSON.parse(line), readyMs, stop: () => process.kill(-child.pid, 'SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
}

export function sandboxAgent(endpoints) {
  return new Agent({
    keepAlive: true,
    maxSockets: 64,
    ca: readFileSync(endpoints.caFile),
    lookup: (_h, o, cb) => (o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)),
  });
}

function tokenRequest(endpoints, form) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${endpoints.identity.authorityHost}/${endpoints.identity.tenantId}/oauth2/v2.0/token`,
      {
        method: 'POST',
        agent: sandboxAgent(endpoints),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`token ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(new URLSearchParams(form).toString());
  });
}

/** A TokenCredential for the real SDKs, independent of lib/: password grant, then on-behalf-of. */
export function personaCredential(endpoints, username = 'admin@contoso.sandbox') {
  const persona = endpoints.personas.find((p) => p.username === username);
  const cache = new Map();
  return {
    async getToken(scopes) {
      const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
      const hit = cache.get(scope);
      if (hit && hit.expiresOnTimestamp > Date.now() + 60_000) return hit;
      const user = await tokenRequest(endpoints, {
        grant_type: 'password',
        client_id: endpoints.identity.publicClientId,
        username: persona.username,
        password: persona.password,
        scope: endpoints.app.apiScope,
      });
      const obo = await tokenRequest(endpoints, {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        client_id: endpoints.app.clientId,
        client_secret: endpoints.app.clientSecret,
        assertion: user.access_token,
        scope,
      });
      const token = { token: obo.access_token, expiresOnTimestamp: Date.now() + obo.expires_in * 1000 };
      cache.set(scope, token);
      return token;
    },
  };
}

/** The load average as the results files print it: `1.2 / 0.9 / 1.1` (1, 5 and 15 minutes). */
export const formatLoad = (load = loadavg()) => load.map((x) => x.toFixed(1)).join(' / ');

/** The machine as the results files describe it. */
export function machineLine(m = machine()) {
  return `${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB; ${m.os}; Node ${m.node}; ${m.openssl}`;
}

export function machine() {
  const cpu = (() => {
    try {
      return execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], {
        encoding: 'utf8',
      }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const os = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  const openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
  return {
    cpu,
    cores: (execFileSync('nproc', { encoding: 'utf8' }) || '').trim(),
    memGiB: Math.round(
      Number(execFileSync('sh', ['-c', "awk '/MemTotal/ {print $2}' /proc/meminfo"], { encoding: 'utf8' })) / 1048576,
    ),
    node: process.version,
    os,
    openssl,
  };
}

/** The sandbox's fault switches (`/_sandbox/faults`): POST a rule, or DELETE them all. */
export function sandboxFaults(endpoints, method, rule) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${endpoints.identity.authorityHost}/_sandbox/faults`,
      { method, agent: sandboxAgent(endpoints), headers: rule ? { 'content-type': 'application/json' } : {} },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`faults ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(rule ? JSON.stringify(rule) : undefined);
  });
}

/**
 * A signed-in sandbox session and a wizard query naming a vault, an imported certificate version and a target, so
 * every step renders for real (used by the page-weight bench).
 */
export async function signedInState(base, endpoints) {
  const res = await fetch(`${base}/api/sandbox/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin@contoso.sandbox' }),
  });
  const session = await res.json();
  const { makeBenchPfx } = await import('./pfx.mjs');
  const pfx = makeBenchPfx('weight.contoso.example');
  const form = new FormData();
  form.set('file', new Blob([readFileSync(pfx.file)]), 'weight.pfx');
  form.set('password', pfx.password);
  const sub = endpoints.subscriptions?.[0]?.subscriptionId ?? '0b1f6471-1bf0-4dda-aec3-111122223333';
  const vaultPath = `/api/subscriptions/${sub}/resource-groups/rg-cses-prod/vaults/kv-contoso-prod`;
  const imported = await (
    await fetch(`${base}${vaultPath}/certificates/page-weight`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}` },
      body: form,
    })
  ).json();
  const query = `?sub=${sub}&rg=rg-cses-prod&vault=kv-contoso-prod&cert=page-weight&version=${imported.version}&tsub=${sub}&tloc=westeurope`;
  return { session: { key: 'cses.sandbox.session', value: JSON.stringify(session) }, query };
}
