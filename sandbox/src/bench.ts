/**
 * Get-certificate throughput of the sandbox (for `npm run bench`): starts a sandbox on a random port in a temp
 * state dir, imports one certificate, then hammers GET /certificates/{name}/ with a pool of keep-alive HTTPS
 * connections for a fixed time. Prints one JSON line: { op, durationMs, concurrency, requests, opsPerSec, p50Ms, p95Ms, p99Ms }.
 *
 *   tsx sandbox/src/bench.ts [--duration-ms 5000] [--concurrency 16]
 *
 * Exported as `benchGetCertificate` for scripts that want the numbers programmatically.
 */
import { Agent, request } from 'node:https';
import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { startSandbox } from './server.js';
import { selfSignedCertificate } from './selfsign.js';
import { buildPasswordlessPkcs12 } from './pkcs12.js';
import { PERSONA_PASSWORD } from './ids.js';

export interface BenchResult {
  op: 'get-certificate';
  durationMs: number;
  concurrency: number;
  requests: number;
  errors: number;
  /** first failure seen (status and error code only), to explain `errors` */
  firstError?: string;
  opsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function call(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

export async function benchGetCertificate(
  opts: { durationMs?: number; concurrency?: number } = {},
): Promise<BenchResult> {
  const durationMs = opts.durationMs ?? 5000;
  const concurrency = opts.concurrency ?? 16;
  const tmp = mkdtempSync(join(tmpdir(), 'sbx-bench-'));
  const sb = await startSandbox({ port: 0, stateDir: join(tmp, 'state') });
  const agent = new Agent({
    keepAlive: true,
    maxSockets: concurrency,
    ca: readFileSync(sb.endpoints.caFile),
    lookup: ((host: string, o: LookupOptions, cb: (...a: unknown[]) => void) =>
      host === 'localhost' || host.endsWith('.localhost')
        ? o.all
          ? cb(null, [{ address: '127.0.0.1', family: 4 }])
          : cb(null, '127.0.0.1', 4)
        : dnsLookup(host, o, cb as never)) as never,
  });
  try {
    const e = sb.endpoints;
    const form = (f: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(f).toString(),
    });
    const user = JSON.parse(
      (
        await call(
          agent,
          `${e.identity.authority}/oauth2/v2.0/token`,
          form({
            grant_type: 'password',
            client_id: e.identity.publicClientId,
            username: 'admin@contoso.sandbox',
            password: PERSONA_PASSWORD,
            scope: e.app.apiScope,
          }),
        )
      ).text,
    ).access_token as string;
    const kvToken = JSON.parse(
      (
        await call(
          agent,
          `${e.identity.authority}/oauth2/v2.0/token`,
          form({
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            requested_token_use: 'on_behalf_of',
            client_id: e.app.clientId,
            client_secret: e.app.clientSecret,
            assertion: user,
            scope: 'https://vault.azure.net/.default',
          }),
        )
      ).text,
    ).access_token as string;
    const origin = `https://kv-contoso-prod.vault.localhost:${sb.port}`;
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const der = selfSignedCertificate(key, { subject: 'CN=bench.contoso.sandbox', validityMonths: 12 });
    const pfx = buildPasswordlessPkcs12(key.export({ type: 'pkcs8', format: 'der' }), [der]);
    const auth = { authorization: `Bearer ${kvToken}`, 'content-type': 'application/json' };
    const imp = await call(agent, `${origin}/certificates/bench/import?api-version=2025-07-01`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ value: pfx.toString('base64') }),
    });
    if (imp.status !== 200) throw new Error(`import failed: ${imp.status} ${imp.text}`);
    const url = `${origin}/certificates/bench/?api-version=2025-07-01`;
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const end = Date.now() + durationMs;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          const s = performance.now();
          const r = await call(agent, url, { headers: auth }).catch((e: NodeJS.ErrnoException) => ({
            status: 0,
            text: String(e.code ?? e.message),
          }));
          latencies.push(performance.now() - s);
          if (r.status !== 200) {
            errors++;
            firstError ??= r.status === 0 ? `network: ${r.text}` : `HTTP ${r.status}`;
          }
        }
      }),
    );
    const elapsed = Date.now() - t0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0) * 100) /
      100;
    return {
      op: 'get-certificate',
      durationMs: elapsed,
      concurrency,
      requests: latencies.length,
      errors,
      ...(firstError ? { firstError } : {}),
      opsPerSec: Math.round((latencies.length / elapsed) * 1000),
      p50Ms: pct(50),
      p95Ms: pct(95),
      p99Ms: pct(99),
    };
  } finally {
    agent.destroy();
    await sb.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  benchGetCertificate({ durationMs: arg('--duration-ms', 5000), concurrency: arg('--concurrency', 16) })
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`[sandbox] bench failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
