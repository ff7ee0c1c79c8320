// The route's fixed cost, per phase (decision 057): with SERVER_TIMING=1 every API response carries a Server-Timing
// header in which the route wrapper reports its phases (config, token validation, rate limit, params and body parsing,
// credential, the lib call, serialisation, the log line, and the route's own total) and the lib call reports the token
// acquisition and SDK client construction inside it. What the client measures beyond the route's total is the
// loopback hop plus whatever routes the request to the handler and writes its answer: in production the request
// guard's API table (decision 049), with API_ROUTER=next Next.js's router (HTTP parsing, routing, the App Router).
import { readFileSync } from 'node:fs';
import { makeBenchPfx } from './pfx.mjs';
import { median, ms } from './support.mjs';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT_PATH = `/api/subscriptions/${SUB}/resource-groups/rg-cses-prod/vaults/kv-contoso-prod`;
const PHASES = [
  ['next', 'the HTTP hop and the routing to the handler (client time − route total)'],
  ['config', 'configuration'],
  ['auth', 'token validation'],
  ['ratelimit', 'rate limit'],
  ['params', 'params and query parsing (zod)'],
  ['body', 'body reading and parsing'],
  ['credential', 'credential lookup'],
  ['token', 'token acquisition (inside the lib call)'],
  ['client', 'SDK client construction (inside the lib call)'],
  ['azure', 'the Azure call itself (lib call − token − client)'],
  ['serialise', 'serialisation (Response.json)'],
  ['log', 'the request log line'],
  ['route', 'route total (wrapper entry to response)'],
  ['total', 'client-measured total'],
];

function parseServerTiming(header) {
  const out = {};
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

async function signIn(base) {
  const res = await fetch(`${base}/api/sandbox/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin@contoso.sandbox' }),
  });
  if (!res.ok) throw new Error(`sign-in ${res.status}`);
  return (await res.json()).accessToken;
}

export async function benchPhases({ base, runs = 100, served = "the request guard's API table (decision 049)" }) {
  const token = await signIn(base);
  const auth = { authorization: `Bearer ${token}` };
  const pfx = makeBenchPfx('phases.contoso.example');
  const bytes = readFileSync(pfx.file);
  const ops = [
    ['GET /api/config (no sign-in, no Azure call)', () => fetch(`${base}/api/config`)],
    ['list certificates', () => fetch(`${base}${VAULT_PATH}/certificates`, { headers: auth })],
    ['get certificate', () => fetch(`${base}${VAULT_PATH}/certificates/phases-0`, { headers: auth })],
    [
      'import PFX',
      (i) => {
        const form = new FormData();
        form.set('file', new Blob([bytes]), 'phases.pfx');
        form.set('password', pfx.password);
        return fetch(`${base}${VAULT_PATH}/certificates/phases-${i % 3}`, {
          method: 'POST',
          headers: auth,
          body: form,
        });
      },
    ],
  ];
  // The certificate the get reads, and a warm-up of every path (token exchange, connections, JIT).
  for (const [, op] of ops) for (let i = 0; i < 5; i++) await (await op(i)).arrayBuffer();
  const columns = [];
  for (const [name, op] of ops) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await op(i);
      await res.arrayBuffer();
      const total = performance.now() - t;
      if (!res.ok) throw new Error(`${name}: ${res.status}`);
      const p = parseServerTiming(res.headers.get('server-timing'));
      if (p.route === undefined) throw new Error('no Server-Timing header: is SERVER_TIMING=1 set for the app?');
      p.azure = (p.handler ?? 0) - (p.token ?? 0) - (p.client ?? 0);
      p.total = total;
      p.next = total - p.route;
      samples.push(p);
    }
    columns.push({
      name,
      medians: Object.fromEntries(PHASES.map(([k]) => [k, median(samples.map((s) => s[k] ?? 0))])),
    });
  }
  const fmt = (v) => (v < 0.1 ? v.toFixed(3) : v < 1 ? v.toFixed(2) : ms(v));
  const markdown = [
    `Medians of ${runs} sequential requests per operation (loopback, Ada signed in, after a warm-up; the API served by ${served}), from each response's \`Server-Timing\` header (\`SERVER_TIMING=1\`), in ms:`,
    '',
    `| phase | ${columns.map((c) => c.name).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...PHASES.map(([k, label]) => `| ${label} | ${columns.map((c) => fmt(c.medians[k])).join(' | ')} |`),
  ].join('\n');
  return { columns, markdown };
}
