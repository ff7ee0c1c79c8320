import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLIENT_ID, startTestIssuer, TENANT, type TestIssuer } from '@/lib/auth/testing/issuer';
import { z } from 'zod';
import { routeMeta } from '@/lib/api/handler';
import { apiPathOf, HTTP_METHODS } from '@/lib/api/openapi';
import { inspectPfx } from '@/lib/certs';
import {
  checkCscfgThumbprints,
  checkServiceConsistency,
  findCsesLeftovers,
  readServiceFile,
  ServiceConfigError,
  setCscfgCertificate,
} from '@/lib/service-config';

/**
 * Seeded, bounded fuzzing (FUZZ_SEED to replay, FUZZ_SCALE to run longer): mutated PFX files, names, .cscfg files
 * and JSON bodies against the route handlers (called directly) and the toolkit libraries. Invariants: nothing
 * throws out of a handler, no HTTP 500, every error body has code + message + action; the libraries either return or
 * throw their own typed error with code + message + action, and every finding has an action.
 *
 * Azure is a stub that fails every call with a random Azure-shaped error (exercising the error mapping); the vault
 * URL check still runs for real.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0xc5e5);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);

const azure = vi.hoisted(() => {
  let next = 0;
  const statuses = [400, 401, 403, 404, 409, 429, 500, 503, undefined];
  const codes = [
    'Forbidden',
    'AuthorizationFailed',
    'ForbiddenByRbac',
    'ForbiddenByPolicy',
    'ForbiddenByConnection',
    'ObjectIsDeletedButRecoverable',
    'Throttled',
    'ECONNRESET',
    '<x>',
    '',
  ];
  const failure = () => {
    const i = next++;
    const status = statuses[i % statuses.length];
    const code = codes[i % codes.length];
    return Object.assign(new Error(`stub Azure failure ${i}`), {
      statusCode: status,
      code,
      details: { error: { code, message: 'raw', innererror: i % 3 ? { code } : undefined } },
      response: { headers: { get: (n: string) => (n === 'retry-after' && i % 2 ? String(i % 120) : undefined) } },
    });
  };
  // A thenable + async iterable that fails lazily (no unhandled rejections), reachable through any property chain.
  const failing = () => {
    const error = failure();
    return {
      then: (_ok: unknown, fail: (e: unknown) => void) => fail(error),
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
      byPage: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) }),
    };
  };
  const client = (): unknown =>
    new Proxy(function stub() {}, {
      get: (_t, prop) => (prop === 'then' ? undefined : client()),
      apply: () => failing(),
    });
  return { client };
});
vi.mock('@/lib/azure/credentials', () => ({
  oboCredential: () => ({ getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) }),
  userScope: (credential: object) => credential,
}));
vi.mock('@/lib/azure/clients', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  const { checkVaultUrl } = await import('@/lib/azure/vault-url');
  // Every client factory (including ones added later) returns the failing stub; the vault URL check stays real.
  const stubbed = Object.fromEntries(
    Object.entries(real).map(([name, value]) => [
      name,
      typeof value === 'function' && /Client$/.test(name) ? () => azure.client() : value,
    ]),
  );
  return {
    ...stubbed,
    certificateClient: (
      _c: unknown,
      config: { keyVaultDnsSuffix: string; sandbox?: { port: number }; keyVaultPort?: number },
      uri: string,
    ) => {
      checkVaultUrl(uri, config.keyVaultDnsSuffix, config.sandbox?.port ?? config.keyVaultPort);
      return azure.client();
    },
  };
});

// ---------- seeded randomness ----------
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
const rnd = prng(SEED);

const NASTY = [
  '',
  ' ',
  '\u0000',
  '../',
  '..%2f',
  '%00',
  '\\',
  '/',
  '?',
  '#',
  '@',
  ':',
  '<script>',
  '"\'',
  '\u202e',
  '\ud800',
  '😀',
  'A'.repeat(300),
  'kv--x',
  '-',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0x41',
  '1e309',
  '\r\n',
  '${x}',
  '{{x}}',
  '%s%n',
];
const NAMES = ['kv-contoso-prod', 'web', 'rg-cses-prod', 'a', 'Web-01', 'x'.repeat(24), 'x'.repeat(127)];

function mutateString(s: string): string {
  switch (rnd.int(6)) {
    case 0:
      return rnd.pick(NASTY);
    case 1:
      return s + rnd.pick(NASTY);
    case 2:
      return s.slice(0, rnd.int(s.length + 1)) + rnd.pick(NASTY) + s.slice(rnd.int(s.length + 1));
    case 3:
      return Array.from({ length: rnd.int(40) }, () => String.fromCharCode(rnd.int(0x3000))).join('');
    case 4:
      return s.toUpperCase() + String(rnd.int(1000));
    default:
      return s.split('').reverse().join('');
  }
}

function mutateBytes(src: Uint8Array, others: Uint8Array[]): Uint8Array {
  let b = new Uint8Array(src);
  const rounds = 1 + rnd.int(4);
  for (let r = 0; r < rounds; r++) {
    switch (rnd.int(8)) {
      case 0: // bit flips
        for (let i = 0; i < 1 + rnd.int(8); i++) if (b.length) b[rnd.int(b.length)]! ^= 1 << rnd.int(8);
        break;
      case 1: // interesting bytes (DER lengths, tags)
        if (b.length)
          b[rnd.int(b.length)] = rnd.pick([0x00, 0x30, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff, 0x7f, 0x02, 0x04, 0x06]);
        break;
      case 2: // truncate
        b = b.slice(0, rnd.int(b.length + 1));
        break;
      case 3: // append junk
        b = new Uint8Array([...b, ...Array.from({ length: rnd.int(64) }, () => rnd.int(256))]);
        break;
      case 4: {
        // splice with another file
        const o = rnd.pick(others);
        const at = rnd.int(b.length + 1);
        b = new Uint8Array([...b.slice(0, at), ...o.slice(rnd.int(o.length + 1))]);
        break;
      }
      case 5: {
        // duplicate a chunk
        const at = rnd.int(b.length + 1);
        const len = rnd.int(200);
        b = new Uint8Array([...b.slice(0, at), ...b.slice(at, at + len), ...b.slice(at)]);
        break;
      }
      case 6: // pure random
        b = new Uint8Array(Array.from({ length: rnd.int(2048) }, () => rnd.int(256)));
        break;
      default: // long-form length bytes: 0x84 followed by a huge length
        if (b.length > 8) {
          const at = 1 + rnd.int(b.length - 6);
          b.set([0x84, 0x7f, 0xff, 0xff, 0xff], at);
        }
    }
  }
  return b;
}

function mutateXml(src: string): string {
  switch (rnd.int(9)) {
    case 0:
      return src.slice(0, rnd.int(src.length));
    case 1: {
      const at = rnd.int(src.length);
      return (
        src.slice(0, at) +
        rnd.pick([
          '<',
          '>',
          '&',
          '"',
          ']]>',
          '<!--',
          '<![CDATA[',
          '</Role>',
          '<Certificates>',
          '<Certificate name="x" thumbprint="zz"/>',
          '\u0000',
          '&amp;',
          '&#0;',
          '&unknown;',
        ]) +
        src.slice(at)
      );
    }
    case 2:
      return `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${src.replace(/<\?xml[^>]*\?>/, '').replace('name="', 'name="&c;')}`;
    case 3:
      return src.replace(
        /thumbprint="[^"]*"/,
        `thumbprint="${mutateString('0123456789ABCDEF0123456789ABCDEF01234567')}"`,
      );
    case 4:
      return src.replace(/name="[^"]*"/g, () => `name="${mutateString('WebRole1').replace(/"/g, '')}"`);
    case 5:
      return src.replace(/xmlns="[^"]*"/, rnd.pick(['', 'xmlns="urn:other"', 'xmlns:x="y"']));
    case 6:
      return '\ufeff' + src.replace(/\n/g, '\r\n');
    case 7:
      return src.repeat(1 + rnd.int(3));
    default:
      return Array.from({ length: rnd.int(500) }, () => String.fromCharCode(rnd.int(128))).join('');
  }
}

function randomJson(depth = 0): unknown {
  switch (rnd.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rnd.next() < 0.5;
    case 2:
      return rnd.pick([0, -1, 1e308, 2 ** 53 + 1, 0.1, -0]);
    case 3:
      return mutateString(rnd.pick(NAMES));
    case 4:
      return rnd.pick(['true', 'false', '1', 'yes']);
    case 5:
      return rnd.pick(NASTY);
    case 6:
      return Array.from({ length: rnd.int(4) }, () => randomJson(depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < rnd.int(4); i++)
        o[rnd.pick(['enabledForDeployment', 'username', '__proto__', 'constructor', 'a', mutateString('k')])] =
          randomJson(depth + 1);
      return o;
    }
  }
}

// ---------- corpus ----------
const root = path.resolve(__dirname, '../..');
const VECTORS = path.join(root, 'lib/certs/__vectors__');
/** The toolkit's vectors (with their passwords when expected.json is there), plus one PFX made here with OpenSSL. */
function loadPfxCorpus(): Array<{ bytes: Uint8Array; password: string | null }> {
  const out: Array<{ bytes: Uint8Array; password: string | null }> = [];
  let passwords = new Map<string, string | null>();
  try {
    const expected = JSON.parse(readFileSync(path.join(VECTORS, 'expected.json'), 'utf8')) as {
      vectors: Array<{ file: string; password?: string | null }>;
    };
    passwords = new Map(expected.vectors.map((v) => [v.file, v.password ?? null]));
  } catch {
    // vectors being regenerated: use the files alone
  }
  try {
    for (const file of readdirSync(VECTORS)) {
      if (!/\.(pfx|p12)$/.test(file) || /iter-600k|excessive/.test(file)) continue;
      out.push({
        bytes: new Uint8Array(readFileSync(path.join(VECTORS, file))),
        password: passwords.get(file) ?? 'Vector-Pa55',
      });
    }
  } catch {
    // no vectors at all
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-pfx-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${dir}/k.pem`,
      '-out',
      `${dir}/c.pem`,
      '-days',
      '30',
      '-subj',
      '/CN=fuzz.example',
    ],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-inkey',
      `${dir}/k.pem`,
      '-in',
      `${dir}/c.pem`,
      '-out',
      `${dir}/f.pfx`,
      '-passout',
      'pass:Fuzz-Pa55',
    ],
    { stdio: 'ignore' },
  );
  out.push({ bytes: new Uint8Array(readFileSync(`${dir}/f.pfx`)), password: 'Fuzz-Pa55' });
  rmSync(dir, { recursive: true, force: true });
  return out;
}
const pfxCorpus = loadPfxCorpus();
const FIXTURES = process.env.REAL_WORLD_FIXTURES ?? '/work/shared/fixtures/real-world';
const MINIMAL_CSCFG = `<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="svc" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration" osFamily="6" osVersion="*">
  <Role name="WebRole1">
    <Instances count="2" />
    <Certificates>
      <Certificate name="web" thumbprint="0123456789ABCDEF0123456789ABCDEF01234567" thumbprintAlgorithm="sha1" />
    </Certificates>
  </Role>
</ServiceConfiguration>`;
const MINIMAL_CSDEF = `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="svc" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WebRole1"><Certificates><Certificate name="web" storeLocation="LocalMachine" storeName="My" /></Certificates></WebRole>
</ServiceDefinition>`;
let cscfgCorpus: string[] = [MINIMAL_CSCFG];
let csdefCorpus: string[] = [MINIMAL_CSDEF];
try {
  const files = readdirSync(FIXTURES);
  cscfgCorpus = [
    ...cscfgCorpus,
    ...files.filter((f) => f.endsWith('.cscfg')).map((f) => readFileSync(path.join(FIXTURES, f), 'utf8')),
  ];
  csdefCorpus = [
    ...csdefCorpus,
    ...files.filter((f) => f.endsWith('.csdef')).map((f) => readFileSync(path.join(FIXTURES, f), 'utf8')),
  ];
} catch {
  // fixtures are optional; the minimal files are always there
}

// ---------- routes ----------
const routes = {
  signIn: await import('@/app/api/sandbox/sign-in/route'),
  vaults: await import('@/app/api/subscriptions/[subscriptionId]/vaults/route'),
  vault:
    await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/route'),
  certificate:
    await import('@/app/api/subscriptions/[subscriptionId]/resource-groups/[resourceGroup]/vaults/[vaultName]/certificates/[certificateName]/route'),
};

let issuer: TestIssuer;
let token: string;
const stats = { inputs: 0, responses: new Map<number, number>(), slowestMs: 0, slowest: '' };

beforeAll(async () => {
  issuer = await startTestIssuer();
  token = await issuer.mint();
  vi.stubEnv('AZURE_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  vi.stubEnv('AZURE_CLIENT_SECRET', 'test-secret');
  vi.stubEnv('AZURE_AUTHORITY_HOST', issuer.authorityHost);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await issuer.close();
  console.log(
    `fuzz seed=${SEED} inputs=${stats.inputs} statuses=${JSON.stringify(Object.fromEntries(stats.responses))} slowest=${stats.slowestMs}ms (${stats.slowest})`,
  );
});

type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function send(handler: Handler, request: Request, params: Record<string, string>, label: string): Promise<void> {
  stats.inputs++;
  const started = Date.now();
  let response: Response;
  try {
    response = await handler(request, { params: Promise.resolve(params) });
  } catch (error) {
    throw new Error(`seed ${SEED}: ${label} threw out of the handler: ${String(error)}`);
  }
  if (Date.now() - started > stats.slowestMs)
    Object.assign(stats, { slowestMs: Date.now() - started, slowest: label.slice(0, 160) });
  stats.responses.set(response.status, (stats.responses.get(response.status) ?? 0) + 1);
  const text = await response.text();
  expect(response.status, `seed ${SEED}: ${label} → ${text.slice(0, 300)}`).not.toBe(500);
  if (response.status >= 400) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; action?: unknown } };
    expect(typeof body.error?.code, `${label}: ${text}`).toBe('string');
    expect(body.error?.message, `${label}: ${text}`).toBeTruthy();
    expect(body.error?.action, `${label}: ${text}`).toBeTruthy();
    expect(text).not.toMatch(/stub Azure failure|raw"|at \w+ \(|node_modules/);
  }
}

function validParams() {
  return {
    subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333',
    resourceGroup: 'rg-cses-prod',
    vaultName: 'kv-contoso-prod',
    certificateName: 'web',
  };
}
function fuzzParams(): Record<string, string> {
  const p: Record<string, string> = validParams();
  const keys = Object.keys(p);
  for (let i = 0; i < 1 + rnd.int(2); i++) {
    const k = rnd.pick(keys);
    p[k] = mutateString(p[k]!);
  }
  return p;
}
const auth = () => ({ authorization: `Bearer ${token}` });

describe(`fuzz (seed ${SEED})`, () => {
  it('PFX files: inspectPfx never throws and every finding has code, message and action', async () => {
    for (let i = 0; i < 300 * SCALE; i++) {
      const seed = rnd.pick(pfxCorpus);
      const bytes = mutateBytes(
        seed.bytes,
        pfxCorpus.map((c) => c.bytes),
      );
      const password = rnd.next() < 0.8 ? seed.password : rnd.next() < 0.5 ? null : mutateString(seed.password ?? '');
      stats.inputs++;
      const result = await inspectPfx(bytes, password);
      for (const f of result.findings) {
        expect(f.code).toBeTruthy();
        expect(f.message).toBeTruthy();
        expect(f.action, `finding ${f.code}`).toBeTruthy();
      }
    }
  });

  it('.cscfg/.csdef files: the service-config library returns or throws ServiceConfigError with code, message and action', () => {
    const typed = (fn: () => unknown, label: string) => {
      stats.inputs++;
      try {
        fn();
      } catch (error) {
        if (!(error instanceof ServiceConfigError)) throw new Error(`seed ${SEED}: ${label} threw ${String(error)}`);
        expect(error.code).toBeTruthy();
        expect(error.message).toBeTruthy();
        expect(error.action).toBeTruthy();
      }
    };
    for (let i = 0; i < 250 * SCALE; i++) {
      const cscfg = mutateXml(rnd.pick(cscfgCorpus));
      const csdef = rnd.next() < 0.5 ? rnd.pick(csdefCorpus) : mutateXml(rnd.pick(csdefCorpus));
      typed(() => readServiceFile(cscfg), 'readServiceFile');
      typed(
        () =>
          setCscfgCertificate(cscfg, {
            role: rnd.next() < 0.7 ? 'WebRole1' : mutateString('WebRole1'),
            name: rnd.next() < 0.7 ? 'web' : mutateString('web'),
            thumbprint: rnd.next() < 0.7 ? 'AB'.repeat(20) : mutateString('AB'.repeat(20)),
          }),
        'setCscfgCertificate',
      );
      typed(
        () => checkCscfgThumbprints(cscfg, [{ name: 'web', thumbprint: 'AB'.repeat(20) } as never]),
        'checkCscfgThumbprints',
      );
      typed(() => checkServiceConsistency(cscfg, csdef), 'checkServiceConsistency');
      typed(() => findCsesLeftovers(cscfg), 'findCsesLeftovers');
    }
  });

  it('names and query strings: every route answers with a typed error or success, never 500', async () => {
    for (let i = 0; i < 150 * SCALE; i++) {
      const params = fuzzParams();
      const version = mutateString('0123456789abcdef0123456789abcdef').replace(/[\ud800-\udfff]/g, '\ufffd');
      const query =
        rnd.next() < 0.5
          ? `?version=${encodeURIComponent(version)}`
          : rnd.next() < 0.3
            ? rnd.pick(['?version=%E0%A4%A', '?version=%', '?version&version=1', '?__proto__=x'])
            : '';
      await send(
        routes.vaults.GET as Handler,
        new Request('http://localhost/api/x', { headers: auth() }),
        params,
        `GET vaults ${JSON.stringify(params)}`,
      );
      await send(
        routes.vault.GET as Handler,
        new Request('http://localhost/api/x', { headers: auth() }),
        params,
        `GET vault ${JSON.stringify(params)}`,
      );
      await send(
        routes.certificate.GET as Handler,
        new Request(`http://localhost/api/x${query}`, { headers: auth() }),
        params,
        `GET certificate ${JSON.stringify(params)}${query}`,
      );
    }
  });

  it('JSON bodies: PATCH vault and sandbox sign-in, never 500', async () => {
    for (let i = 0; i < 200 * SCALE; i++) {
      const body = rnd.next() < 0.15 ? mutateString('{"enabledForDeployment":true}') : JSON.stringify(randomJson());
      const type =
        rnd.next() < 0.85
          ? 'application/json'
          : rnd.pick(['text/plain', 'application/json; charset=utf-16', '', 'multipart/form-data']);
      const headers = { ...auth(), 'content-type': type };
      const params = rnd.next() < 0.8 ? validParams() : fuzzParams();
      await send(
        routes.vault.PATCH as Handler,
        new Request('http://localhost/api/x', { method: 'PATCH', headers, body }),
        params,
        `PATCH vault ${body.slice(0, 200)}`,
      );
      await send(
        routes.signIn.POST as Handler,
        new Request('http://localhost/api/sandbox/sign-in', {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        }),
        {},
        `POST sign-in ${body.slice(0, 200)}`,
      );
    }
  });

  it('PFX uploads: the import route answers every mutated file and form with a typed error, never 500', async () => {
    for (let i = 0; i < 150 * SCALE; i++) {
      const seed = rnd.pick(pfxCorpus);
      const form = new FormData();
      const shape = rnd.int(10);
      if (shape !== 0)
        form.set(
          'file',
          new File(
            [
              mutateBytes(
                seed.bytes,
                pfxCorpus.map((c) => c.bytes),
              ) as BlobPart,
            ],
            rnd.pick(['web.pfx', mutateString('web.pfx')]),
          ),
        );
      if (shape === 1) form.set('file', mutateString('not a file'));
      if (rnd.next() < 0.8)
        form.set('password', rnd.next() < 0.6 ? (seed.password ?? '') : mutateString(seed.password ?? 'x'));
      if (shape === 2) form.set('extra', 'x');
      const params = rnd.next() < 0.8 ? validParams() : fuzzParams();
      await send(
        routes.certificate.POST as Handler,
        new Request('http://localhost/api/x', { method: 'POST', headers: auth(), body: form }),
        params,
        `POST import shape=${shape}`,
      );
    }
  });

  it('every route file (including ones added later): fuzzed params, queries and bodies, never 500', async () => {
    const modules = import.meta.glob<Record<string, unknown>>(['/app/api/**/route.ts', '!/app/api/openapi.json/**']);
    const base: Record<string, string> = { ...validParams() };
    let routesSeen = 0;
    for (const [file, load] of Object.entries(modules)) {
      const mod = await load();
      for (const method of HTTP_METHODS) {
        const meta = routeMeta(mod[method]);
        if (!meta) continue;
        routesSeen++;
        const names = meta.schemas.params
          ? Object.keys(
              (z.toJSONSchema(meta.schemas.params, { unrepresentable: 'any' }) as { properties?: object }).properties ??
                {},
            )
          : [];
        for (let i = 0; i < 25 * SCALE; i++) {
          const params = Object.fromEntries(
            names.map((n) => [n, rnd.next() < 0.6 ? (base[n] ?? 'x') : mutateString(base[n] ?? 'x')]),
          );
          const query =
            rnd.next() < 0.3
              ? `?${encodeURIComponent(mutateString('version').replace(/[\ud800-\udfff]/g, ''))}=${encodeURIComponent(mutateString('1').replace(/[\ud800-\udfff]/g, ''))}`
              : '';
          const init: RequestInit = { method, headers: { ...auth() } };
          if (method !== 'GET' && method !== 'DELETE') {
            if (meta.schemas.form) {
              const form = new FormData();
              form.set(
                'file',
                new File(
                  [
                    mutateBytes(
                      rnd.pick(pfxCorpus).bytes,
                      pfxCorpus.map((c) => c.bytes),
                    ) as BlobPart,
                  ],
                  'x.pfx',
                ),
              );
              if (rnd.next() < 0.5) form.set('password', mutateString('x'));
              init.body = form;
            } else {
              init.body = JSON.stringify(randomJson());
              (init.headers as Record<string, string>)['content-type'] = 'application/json';
            }
          }
          await send(
            mod[method] as Handler,
            new Request(`http://localhost${apiPathOf(file)}${query}`, init),
            params,
            `${method} ${apiPathOf(file)} ${JSON.stringify(params)}`,
          );
        }
      }
    }
    expect(routesSeen).toBeGreaterThanOrEqual(9);
  });

  it('ran at least 1000 mutated inputs', () => {
    expect(stats.inputs).toBeGreaterThanOrEqual(1000);
  });
});
