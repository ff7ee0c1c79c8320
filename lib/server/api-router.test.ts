import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import path from 'node:path';
import { API_ROUTE_MODULES } from '@/app/api/route-table';
import { apiPathOf } from '@/lib/api/openapi';
import { CLIENT_ID, startTestIssuer, TENANT, type TestIssuer } from '@/lib/auth/testing/issuer';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { AppError } from '@/lib/errors';
import { apiRoutes, FOUND_PATHS, loadApiRouter, routePattern, routeRequest, type ApiRouter } from './api-router';
import { installRequestGuard } from './request-guard';

// The API served outside Next's router (decision 049): the table must hold exactly the routes of app/api, and a
// request must get from it what Next's router gave it, with the app's error shape where Next answered HTML.

const root = path.resolve(__dirname, '../..');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `METHOD /api/path/{param}` for every method exported by every app/api/**\/route.ts, read from the source. */
function routesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(name)) {
        const src = readFileSync(p, 'utf8');
        const file = `/${path.relative(root, p).replace(/\\/g, '/')}`;
        for (const m of METHODS)
          if (new RegExp(`export\\s+(const|async function|function)\\s+${m}\\b`).test(src))
            out.push(`${m} ${apiPathOf(file)}`);
      }
    }
  };
  walk(path.join(root, 'app/api'));
  return out.sort();
}

let api: ApiRouter;
let server: Server;
let port = 0;
let uninstall: () => void;
let issuer: TestIssuer;
const reached: string[] = [];

beforeAll(async () => {
  // Azure mode against a local test issuer: configured, and no Azure call is ever made by these requests.
  issuer = await startTestIssuer();
  vi.stubEnv('AZURE_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  vi.stubEnv('AZURE_CLIENT_SECRET', 'test-secret');
  vi.stubEnv('AZURE_AUTHORITY_HOST', issuer.authorityHost);
  vi.stubEnv('LOG_LEVEL', 'silent');
  api = await loadApiRouter(API_ROUTE_MODULES);
  uninstall = installRequestGuard({ api });
  // The server's own handler stands in for Next.js: API requests must never reach it, pages must.
  server = createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`);
    res.writeHead(200, { connection: 'close' }).end('next');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
}, 60_000);
afterAll(async () => {
  uninstall();
  await new Promise((resolve) => server.close(resolve));
  await issuer.close();
  vi.unstubAllEnvs();
});

function call(method: string, target: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

function expectApiError(r: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['content-security-policy']).toContain("default-src 'none'");
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  const error = (JSON.parse(r.body) as { error: { code: string; message: string; action: string } }).error;
  expect(error).toMatchObject({ code });
  expect(error.message && error.action).toBeTruthy();
  return error;
}

describe('the API route table', () => {
  it('holds every method of every app/api/**/route.ts and nothing else, at the paths of the API document', () => {
    const table = api.routes
      .flatMap((r) => [...r.handlers.keys()].map((m) => `${m} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`))
      .sort();
    const disk = routesOnDisk();
    expect(disk.length).toBeGreaterThan(20);
    expect(table).toEqual(disk);
    for (const r of api.routes) expect(r.pattern.replace(/:(\w+)/g, '{$1}')).toBe(apiPathOf(r.file));
  });

  it('maps files to patterns as Next does, and refuses what it cannot route the same way', () => {
    expect(routePattern('/app/api/subscriptions/[subscriptionId]/vaults/route.ts')).toBe(
      '/api/subscriptions/:subscriptionId/vaults',
    );
    expect(routePattern('/app/api/(group)/openapi.json/route.ts')).toBe('/api/openapi.json');
    expect(() => routePattern('/app/api/x/[...rest]/route.ts')).toThrow(/catch-all/);
    expect(() => routePattern('/app/api/x/[[...rest]]/route.ts')).toThrow(/catch-all/);
    expect(() => apiRoutes({ '/app/api/x/a:b/route.ts': {} })).toThrow(/cannot be routed/);
  });
});

describe('requests served from the table, in front of Next', () => {
  it('answers a route through its wrapper, with the API security headers, and never reaches Next', async () => {
    const r = await call('GET', '/api/openapi.json?x=1');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['x-request-id']).toBeTruthy();
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect((JSON.parse(r.body) as { openapi: string }).openapi).toBe('3.1.0');
    // A signed-in route: the wrapper validates the token (this one is not a JWT) before anything else.
    expectApiError(await call('GET', '/api/subscriptions', { authorization: 'Bearer x' }), 401, 'reauth_required');
    expect(reached).toEqual([]);
  });

  it('answers an unknown path 404 and a method the route does not export 405 with Allow, in the app shape', async () => {
    expect(expectApiError(await call('GET', '/api/no-such-route'), 404, 'not_found')).toMatchObject({
      reason: 'NoSuchRoute',
    });
    expectApiError(await call('GET', '/API/openapi.json'), 404, 'not_found');
    const wrong = await call('DELETE', '/api/openapi.json');
    expectApiError(wrong, 405, 'method_not_allowed');
    expect(wrong.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(reached).toEqual([]);
  });

  it('answers HEAD with GET without its body, OPTIONS with Allow, and a trailing slash with a redirect', async () => {
    const head = await call('HEAD', '/api/openapi.json');
    expect([head.status, head.body]).toEqual([200, '']);
    const options = await call('OPTIONS', '/api/sandbox/sign-in');
    expect([options.status, options.headers.allow]).toEqual([204, 'POST, OPTIONS']);
    const slash = await call('GET', '/api/openapi.json/?a=b');
    expect([slash.status, slash.headers.location]).toEqual([308, '/api/openapi.json?a=b']);
    expect(reached).toEqual([]);
  });

  it("keeps the route's own body limit, checked by the wrapper before anything else", async () => {
    const body = JSON.stringify({ username: 'x'.repeat(70 * 1024) });
    const r = await call('POST', '/api/sandbox/sign-in', {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    expectApiError(r, 413, 'payload_too_large');
  });

  it('passes the request body and decoded path parameters to the route', async () => {
    // A JSON body the schema refuses: the wrapper read it, the answer names the field.
    const body = JSON.stringify({ username: 'x' });
    const r = await call(
      'POST',
      '/api/sandbox/sign-in',
      { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
    );
    expect(expectApiError(r, 422, 'validation_failed')).toMatchObject({ fields: { username: expect.any(String) } });
    const found = api.find('/api/subscriptions/a%20b/vaults');
    expect(found?.params).toEqual({ subscriptionId: 'a b' });
    expect(found?.route.file).toBe('/app/api/subscriptions/[subscriptionId]/vaults/route.ts');
  });

  it('remembers lookups by path: the same answer again, frozen params, at most FOUND_PATHS of them', async () => {
    const fresh = await loadApiRouter(API_ROUTE_MODULES);
    const first = fresh.find('/api/subscriptions/s%2F1/vaults');
    expect(first?.params).toEqual({ subscriptionId: 's/1' });
    expect(Object.isFrozen(first?.params)).toBe(true);
    expect(fresh.find('/api/subscriptions/s%2F1/vaults')).toBe(first);
    expect(fresh.find('/api/nothing-here')).toBeUndefined();
    expect(fresh.find('/api/nothing-here')).toBeUndefined();
    for (let i = 0; i < FOUND_PATHS + 10; i++) fresh.find(`/api/subscriptions/s${i}/vaults`);
    const size = (fresh as unknown as { found: Map<string, unknown> }).found.size;
    expect(size).toBe(FOUND_PATHS);
    // The oldest were dropped; a lookup of one of them is made again, with the same answer.
    expect(fresh.find('/api/subscriptions/s%2F1/vaults')).toEqual(first);
    expect(fresh.find('/api/subscriptions/s%2F1/vaults')).not.toBe(first);
  });

  it('leaves pages to Next', async () => {
    reached.length = 0;
    const page = await call('GET', '/wizard/vault');
    expect([page.status, page.body]).toEqual([200, 'next']);
    expect(reached).toEqual(['GET /wizard/vault']);
  });
});

describe('the Node request as the wrapper reads it (no Web Request, decision 058)', () => {
  const nodeRequest = (method: string, rawHeaders: string[], chunks: string[] = []) =>
    Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
      method,
      url: '/api/x?y=1',
      rawHeaders,
    }) as unknown as IncomingMessage;

  it('reads a header as Headers.get does: any case, repeated fields joined with ", "', () => {
    const raw = ['Authorization', 'Bearer a', 'Host', 'h', 'authorization', 'Bearer b', 'X-Request-Id', 'r1'];
    const req = routeRequest(nodeRequest('GET', raw));
    const web = new Headers(
      Array.from({ length: raw.length / 2 }, (_, i): [string, string] => [raw[2 * i]!, raw[2 * i + 1]!]),
    );
    for (const name of ['authorization', 'host', 'x-request-id', 'content-type'])
      expect(req.header(name)).toBe(web.get(name));
    expect(req.header('authorization')).toBe('Bearer a, Bearer b');
    expect([req.method, req.target]).toEqual(['GET', '/api/x?y=1']);
  });

  it('reads the body whole up to the limit, and refuses one byte more with payload_too_large', async () => {
    const body = ['{"a":', '"b"}'];
    expect(new TextDecoder().decode(await routeRequest(nodeRequest('POST', [], body)).bytes(9))).toBe('{"a":"b"}');
    const refused = await routeRequest(nodeRequest('POST', [], body))
      .bytes(8)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('payload_too_large');
    expect((await routeRequest(nodeRequest('GET', [], ['ignored'])).bytes(100)).byteLength).toBe(0);
  });
});
