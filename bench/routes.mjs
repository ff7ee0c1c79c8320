// Route overhead: our API routes versus the same SDK call made directly to the same sandbox, and a load test.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { CertificateClient } from '@azure/keyvault-certificates';
import { makeBenchPfx } from './pfx.mjs';
import { bin, median, ms, percentile, personaCredential, ROOT, sandboxAgent, sandboxFaults } from './support.mjs';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT_PATH = `/api/subscriptions/${SUB}/resource-groups/rg-cses-prod/vaults/kv-contoso-prod`;

async function signIn(base, username = 'admin@contoso.sandbox') {
  const res = await fetch(`${base}/api/sandbox/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!res.ok) throw new Error(`sign-in ${res.status}`);
  return (await res.json()).accessToken;
}

async function timed(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return times;
}

const LOOPBACK_NOTE =
  "\n\nTargets (issue 16): on loopback the route p50 ≤ 2× the direct SDK call for list and get and ≤ 1.2× for an import (which also inspects the PFX on the server before sending it); with +40 ms per Key Vault request ≤ 1.1×. The direct side is the same SDK call from the bench process with its own cached token and client, over Node's HTTP client with a kept-alive connection; the route is called the same way (node:http, kept alive; the import as the multipart form a browser posts), and the last column shows it called with Node's `fetch` (undici, the import with fetch's FormData), which costs the client more per request. The route adds the HTTP hop into the app, the request guard's dispatch (decision 049) and the route's fixed cost (see the per-phase table). The app runs as in production (no `SERVER_TIMING`).";

/**
 * GETs and POSTs through Node's own HTTP client with a kept-alive connection: the stack the SDK side uses
 * (core-rest-pipeline over node:https, kept alive), so that the ratio compares the route with the SDK call and not two
 * HTTP clients. Node's `fetch` (undici) costs about 0.5–1 ms more per request on this machine; its numbers are shown
 * beside. Each call resolves with the parsed JSON of a 200 answer.
 */
function nodeClient(base, headers) {
  const agent = new http.Agent({ keepAlive: true });
  const send = (path, options, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(`${base}${path}`, { agent, ...options }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
            : reject(new Error(`${path} ${res.statusCode}`)),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    get: (path) => send(path, { headers }),
    post: (path, body, contentType) =>
      send(
        path,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': contentType, 'content-length': body.byteLength },
        },
        body,
      ),
  };
}

/** A multipart/form-data body as a browser builds it for the import form: the PFX file and its password. */
function multipart(file, password) {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pfx"\r\nContent-Type: application/x-pkcs12\r\n\r\n`,
    ),
    file,
    Buffer.from(
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${password}\r\n--${boundary}--\r\n`,
    ),
  ]);
  return [body, `multipart/form-data; boundary=${boundary}`];
}

export async function benchRoutes({ base, endpoints, runs = 40 }) {
  const token = await signIn(base);
  const auth = { authorization: `Bearer ${token}` };
  const { get, post } = nodeClient(base, auth);
  const vault = endpoints.vaults.find((v) => v.name === 'kv-contoso-prod');
  const sdk = new CertificateClient(vault.vaultUri, personaCredential(endpoints), {
    disableChallengeResourceVerification: true,
    agent: sandboxAgent(endpoints),
  });
  const pfx = makeBenchPfx();
  const bytes = readFileSync(pfx.file);

  // The multipart body a browser sends for the import form (file and password), posted over node:http like the reads.
  const importViaRoute = (i) => post(`${VAULT_PATH}/certificates/route-${i % 5}`, ...multipart(bytes, pfx.password));
  const importViaFetch = async (i) => {
    const form = new FormData();
    form.set('file', new Blob([bytes]), 'bench.pfx');
    form.set('password', pfx.password);
    const res = await fetch(`${base}${VAULT_PATH}/certificates/route-${i % 5}`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    if (!res.ok) throw new Error(`import route ${res.status}`);
    await res.arrayBuffer();
  };
  const importViaSdk = (i) => sdk.importCertificate(`sdk-${i % 5}`, bytes, { password: pfx.password });
  // The list route comes with the full wizard; until it exists, get-certificate stands in for it.
  const listProbe = await fetch(`${base}${VAULT_PATH}/certificates`, { headers: auth });
  const hasList = listProbe.ok;
  const readViaRoute = () => get(hasList ? `${VAULT_PATH}/certificates` : `${VAULT_PATH}/certificates/route-0`);
  const readViaFetch = async () => {
    const res = await fetch(`${base}${VAULT_PATH}/certificates`, { headers: auth });
    if (!res.ok) throw new Error(`read route ${res.status}`);
    await res.json();
  };
  const readViaSdk = async () => {
    if (hasList) {
      for await (const _ of sdk.listPropertiesOfCertificates());
    } else await sdk.getCertificate('route-0');
  };

  const getViaRoute = () => get(`${VAULT_PATH}/certificates/route-0`);
  const getViaFetch = async () => {
    const res = await fetch(`${base}${VAULT_PATH}/certificates/route-0`, { headers: auth });
    if (!res.ok) throw new Error(`get route ${res.status}`);
    await res.json();
  };
  const getViaSdk = () => sdk.getCertificate('route-0');

  // A page first: the server is measured as it runs for the wizard (Next.js has rendered a page, with whatever
  // that sets up process-wide), not as a process that has only ever answered the API.
  await (await fetch(`${base}/wizard/vault`)).arrayBuffer();
  await importViaRoute(0);
  await importViaSdk(0);
  await readViaRoute();
  await readViaSdk();
  await getViaRoute();
  await getViaSdk();
  const rows = [];
  const measure = async (latency, loopback) => {
    for (const [name, route, direct, target, viaFetch] of [
      [
        hasList ? 'list certificates' : 'get certificate (list route not present)',
        readViaRoute,
        readViaSdk,
        loopback ? 2 : 1.1,
        hasList ? readViaFetch : undefined,
      ],
      ['get certificate', getViaRoute, getViaSdk, loopback ? 2 : 1.1, getViaFetch],
      // The import is a multipart upload, as the browser sends it (over node:http, as the SDK side sends its JSON).
      ['import PFX', importViaRoute, importViaSdk, loopback ? 1.2 : null, importViaFetch],
    ]) {
      // Interleaved, so that a change of the machine's load during the row affects every side alike.
      const r = [];
      const d = [];
      const f = [];
      for (let i = 0; i < runs; i++) {
        r.push(...(await timed(1, () => route(i))));
        d.push(...(await timed(1, () => direct(i))));
        if (viaFetch) f.push(...(await timed(1, () => viaFetch(i))));
      }
      rows.push({
        name,
        latency,
        target,
        routeP50: median(r),
        routeP95: percentile(r, 95),
        sdkP50: median(d),
        sdkP95: percentile(d, 95),
        fetchP50: f.length ? median(f) : undefined,
      });
    }
  };
  await measure('none (loopback)', true);
  // Azure is not on loopback: the same comparison with 40 ms added to every Key Vault request by the sandbox's
  // fault switch (a typical in-region round trip), which is where the fixed cost of our route shows in proportion.
  await sandboxFaults(endpoints, 'POST', { area: 'vault', delayMs: 40 });
  try {
    await measure('+40 ms per Key Vault request', false);
  } finally {
    await sandboxFaults(endpoints, 'DELETE');
  }
  const markdown =
    [
      `| operation (${runs} sequential calls, interleaved) | sandbox latency | route p50 | route p95 | direct SDK p50 | direct SDK p95 | ratio p50 | target | route p50 with fetch as the client (ratio) |`,
      '|---|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.latency} | ${ms(r.routeP50)} ms | ${ms(r.routeP95)} ms | ${ms(r.sdkP50)} ms | ${ms(r.sdkP95)} ms | ${(r.routeP50 / r.sdkP50).toFixed(2)}× | ${r.target ? `≤ ${r.target}× ${r.routeP50 / r.sdkP50 <= r.target ? '(met)' : '(missed)'}` : '—'} | ${r.fetchP50 === undefined ? '—' : `${ms(r.fetchP50)} ms (${(r.fetchP50 / r.sdkP50).toFixed(2)}×)`} |`,
      ),
    ].join('\n') + LOOPBACK_NOTE;
  return { rows, markdown };
}

function rssKiB(pid) {
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return NaN;
  }
}

export function serverPid(port) {
  try {
    const out = execFileSync(
      'sh',
      ['-c', `ss -ltnp 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`],
      { encoding: 'utf8' },
    ).trim();
    return Number(out) || undefined;
  } catch {
    return undefined;
  }
}

/** The bench's heap probe (bench/heap-probe.mjs) preloaded into the app server: start options for `startApp`. */
export function heapProbe(file) {
  return {
    BENCH_HEAP_FILE: file,
    NODE_OPTIONS: `--import ${pathToFileURL(path.join(ROOT, 'bench', 'heap-probe.mjs')).href}`,
  };
}

/** The server's memory right after two full collections (the heap probe's answer to SIGUSR2), in bytes. */
export async function afterFullGc(pid, file) {
  if (!pid || !file || !existsSync(file)) return undefined;
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      /* not written yet */
    }
  }
  return undefined;
}

const RBAC_VAULT = `/api/subscriptions/${SUB}/resource-groups/rg-cses-prod/vaults/kv-contoso-rbac`;

/**
 * `users` virtual users for `seconds`, each signed in as its own generated sandbox persona (sandbox/src/load-seed.ts),
 * with the app's per-user rate limit on as in production (120 requests a minute): each user asks for the next page of
 * the wizard's reads — subscriptions, vaults, the vault, its certificates, one certificate — one request every
 * `paceMs` (a person clicking is much slower; the pace keeps each user under the rate limit, so any 429 is an error).
 * Memory is read from the server process after a warm-up at full load, every 10 s, and at the end.
 */
export async function benchLoad({ base, port, users = 200, seconds = 60, paceMs = 1000, heapFile }) {
  const tokens = await Promise.all(Array.from({ length: users }, (_, i) => signIn(base, loadPersonaName(i))));
  const paths = [
    '/api/subscriptions',
    `/api/subscriptions/${SUB}/vaults`,
    RBAC_VAULT,
    `${RBAC_VAULT}/certificates`,
    `${RBAC_VAULT}/certificates/web-ssl`,
  ];
  const pid = serverPid(port);
  const run = async (until, record) =>
    Promise.all(
      tokens.map(async (token, u) => {
        // Spread the users' first requests over one pace, so they do not arrive in lockstep.
        await new Promise((r) => setTimeout(r, (u * paceMs) / users));
        for (let i = u; Date.now() < until; i++) {
          const started = performance.now();
          const p = paths[i % paths.length];
          try {
            const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
            await res.arrayBuffer();
            record?.(res.status, performance.now() - started);
          } catch {
            record?.('network', performance.now() - started);
          }
          const wait = paceMs - (performance.now() - started);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      }),
    );
  // Warm-up at full load (every user's token exchange, JIT, caches and the heap settle).
  await run(Date.now() + Math.min(20_000, seconds * 333));
  const gcStart = await afterFullGc(pid, heapFile);
  let ok = 0;
  let errors = 0;
  const statuses = new Map();
  const latencies = [];
  const samples = [];
  // RSS every 2 s. Left alone, the heap grows and is collected in a sawtooth of ±20% at this load, so two plain
  // readings (after the warm-up, after the run) say more about where the collector was than about growth. The heap
  // probe's full collection at the end of the warm-up settles the heap; growth is then the median RSS of the run's
  // last third against that of its first third, and the live heap after a full collection is shown beside (RSS read
  // right after a collection is not: the pages it frees go back to the system only later).
  const sampler = setInterval(() => pid && samples.push(rssKiB(pid) / 1024), 2_000);
  await run(Date.now() + seconds * 1000, (status, ms) => {
    latencies.push(ms);
    if (status === 200) ok++;
    else {
      errors++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  clearInterval(sampler);
  const gcEnd = await afterFullGc(pid, heapFile);
  const third = Math.floor(samples.length / 3);
  const rssStart = third ? median(samples.slice(0, third)) : NaN;
  const rssEnd = third ? median(samples.slice(-third)) : NaN;
  const mib = (bytes) => `${Math.round(bytes / 1048576)} MiB`;
  const change = (a, b) => ((b - a) / a) * 100;
  const growth = change(rssStart, rssEnd);
  const every10s = samples.filter((_, i) => i % 5 === 4);
  const markdown = [
    '| measure | value |',
    '|---|---|',
    `| virtual users × duration | ${users} × ${seconds} s, each its own generated sandbox persona (per-user rate limit on: 120 a minute), one request every ${paceMs} ms in turn: subscriptions, vaults, vault, certificates, certificate |`,
    `| requests | ${ok + errors} (${((ok + errors) / seconds).toFixed(0)} req/s) |`,
    `| errors (target 0) | ${errors}${statuses.size ? ` (${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')})` : ''} |`,
    `| latency p50 / p95 (target p95 ≤ 250 ms) | ${ms(median(latencies))} ms / ${ms(percentile(latencies, 95))} ms |`,
    `| server RSS after the warm-up${gcStart ? ' and a full GC' : ''}, median of the run's first third → of its last third (target growth < 10%) | ${Math.round(rssStart)} MiB → ${Math.round(rssEnd)} MiB (${Number.isFinite(growth) ? `${growth.toFixed(1)}%` : 'n/a'}) |`,
    ...(gcStart && gcEnd
      ? [
          `| live JS heap right after a full GC: after the warm-up → after the run | ${mib(gcStart.heapUsed)} → ${mib(gcEnd.heapUsed)} (${change(gcStart.heapUsed, gcEnd.heapUsed).toFixed(1)}%) |`,
        ]
      : []),
    `| server RSS during the run: lowest / highest of ${samples.length} readings (every 2 s) | ${samples.length ? `${Math.round(Math.min(...samples))} MiB / ${Math.round(Math.max(...samples))} MiB` : 'n/a'} |`,
    `| server RSS every 10 s during the run | ${every10s.map((m) => `${Math.round(m)} MiB`).join(' → ') || 'n/a'} |`,
  ].join('\n');
  return { ok, errors, growth, p50: median(latencies), p95: percentile(latencies, 95), markdown };
}

/**
 * Unauthenticated oversized bodies (issue 17): `count` concurrent uploads of `mib` MiB to the import route, half with
 * a Content-Length and half streamed without one, while the server's RSS is sampled every 100 ms. They must be
 * refused (413 / 411) from their headers, before anything is buffered: the peak stays near the baseline.
 */
export async function benchLargeBodies({ base, port, count = 40, mib = 12 }) {
  const pid = serverPid(port);
  const url = `${base}${VAULT_PATH}/certificates/bench-large`;
  const size = mib * 1024 * 1024;
  const payload = new Uint8Array(size).fill(0x41);
  // Warm. Once more if the first fails: the section before may have blocked this process (the cache bench's
  // execFileSync) while the server closed the idle kept-alive connection that fetch now picks.
  await fetch(`${base}/api/config`)
    .catch(() => fetch(`${base}/api/config`))
    .then((r) => r.arrayBuffer());
  const before = pid ? rssKiB(pid) : NaN;
  let peak = before;
  const sampler = setInterval(() => {
    if (pid) peak = Math.max(peak, rssKiB(pid));
  }, 100);
  const statuses = new Map();
  const count1 = (key) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const streamed = i % 2 === 1;
      let sent = 0;
      const body = streamed
        ? new ReadableStream({
            pull(controller) {
              const chunk = payload.subarray(sent, sent + 256 * 1024);
              sent += chunk.byteLength;
              if (chunk.byteLength) controller.enqueue(chunk);
              else controller.close();
            },
          })
        : payload;
      try {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body,
          ...(streamed && { duplex: 'half' }),
        });
        await r.arrayBuffer();
        count1(String(r.status));
      } catch {
        count1('connection closed by the server before the body was sent');
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 1000));
  const after = pid ? rssKiB(pid) : NaN;
  const mb = (k) => (Number.isFinite(k) ? `${Math.round(k / 1024)} MiB` : 'n/a');
  const answers = [...statuses].map(([k, n]) => `${n} × ${k}`).join(', ');
  return {
    before,
    peak,
    after,
    markdown: [
      `${count} concurrent unauthenticated uploads of ${mib} MiB to the import route (half with Content-Length, half streamed without), server RSS sampled every 100 ms.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| answers | ${answers} |`,
      `| wall time | ${seconds.toFixed(2)} s |`,
      `| server RSS before → peak → 1 s after | ${mb(before)} → ${mb(peak)} → ${mb(after)} |`,
    ].join('\n'),
  };
}

/** The generated personas' names (the same rule as sandbox/src/load-seed.ts, which bench/ must not import). */
export const loadPersonaName = (i) => `load-${String(i + 1).padStart(3, '0')}@contoso.sandbox`;

/** The load seed, generated by the sandbox's own script. */
export function loadSeedFile(personas) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cses-load-seed-')), 'seed.json');
  execFileSync(bin('tsx'), ['sandbox/src/load-seed.ts', '--out', file, '--personas', String(personas)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return file;
}
