import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { installRequestGuard, MAX_API_BODY_BYTES } from './request-guard';

// The guard in front of a real Node HTTP server. The server's own handler stands in for Next.js: whatever reaches it
// was let through. Requests are written on a raw socket, so paths go out byte for byte (no client normalises them).

let server: Server;
let port = 0;
const reached: string[] = [];
let uninstall: () => void;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'silent';
  uninstall = installRequestGuard();
  server = createServer((req, res) => {
    reached.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(200, { connection: 'close' }).end('next'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  uninstall();
  await new Promise((resolve) => server.close(resolve));
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends a request head (and optionally some body bytes) and reads the answer until the server closes. */
function raw(method: string, target: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' && text ? undefined : reject(e)));
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const out: Record<string, string> = {};
      for (const l of lines) out[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      resolve({ status: Number(statusLine.split(' ')[1]), headers: out, body: rest.join('\r\n\r\n') });
    });
    const lines = Object.entries({ host: 'localhost', connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
  });
}

function expectJsonRefusal(r: RawResponse, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['content-security-policy']).toContain("default-src 'none'");
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['x-frame-options']).toBe('DENY');
  expect(r.headers['referrer-policy']).toBe('no-referrer');
  const body = JSON.parse(r.body) as { error: { code: string; message: string; action: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeTruthy();
  expect(body.error.action).toBeTruthy();
  return body.error;
}

async function apiDocument() {
  const { GET } = await import('@/app/api/openapi.json/route');
  const response = await GET(new Request('http://localhost/api/openapi.json'), { params: Promise.resolve({}) });
  return (await response.json()) as { paths: Record<string, Record<string, unknown>> };
}

const MALFORMED = ['%C0%AE', '%u002e', '%ff', '%', '%zz', 'a%C3'];

describe('API security headers without the request proxy', () => {
  it('every /api request it lets through leaves with the deny-all CSP and the rest; pages are left to the proxy', async () => {
    for (const target of ['/api/config', '/api/no-such-route', '/api?x=1']) {
      const r = await raw('GET', target);
      expect(r.status, target).toBe(200);
      expect(r.headers['content-security-policy'], target).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
    const behindTls = await raw('GET', '/api/config', { 'x-forwarded-proto': 'https' });
    expect(behindTls.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const page = await raw('GET', '/wizard/vault');
    expect(page.headers['content-security-policy']).toBeUndefined();
    reached.length = 0; // these were let through on purpose; the tests below count what reaches the server
  });
});

describe('request guard', () => {
  it('answers 400 JSON with security headers for a malformed escape in any segment of every API route', async () => {
    const doc = await apiDocument();
    const templates = Object.entries(doc.paths);
    expect(templates.length).toBeGreaterThan(15);
    let checked = 0;
    for (const [template, operations] of templates) {
      const methods = Object.keys(operations).map((m) => m.toUpperCase());
      const segments = template.split('/').filter(Boolean);
      // Each segment in turn (fixed words and {params} alike) is replaced by each malformed escape.
      for (let i = 0; i < segments.length; i++) {
        for (const bad of MALFORMED) {
          const path = `/${segments.map((s, j) => (j === i ? bad : s.startsWith('{') ? 'x1' : s)).join('/')}`;
          for (const method of methods) {
            const error = expectJsonRefusal(await raw(method, path), 400, 'bad_request');
            expect(error).toMatchObject({ reason: 'MalformedPercentEncoding' });
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(reached).toEqual([]);
  });

  it('does the same for pages, and for dot segments and server actions under /api', async () => {
    for (const path of ['/wizard/%C0%AE', '/wizard/vault%u002e', '/wizard/%ff?x=1', '/%E0%80%AF'])
      expectJsonRefusal(await raw('GET', path), 400, 'bad_request');
    for (const path of ['/api/subscriptions/../config', '/api/%2e%2e/config', '/wizard/./vault', '/api/x/%2E'])
      expect(expectJsonRefusal(await raw('GET', path), 400, 'bad_request')).toMatchObject({ reason: 'DotSegment' });
    const action = await raw('POST', '/api/config', { 'next-action': 'abc', 'content-length': '2' }, '[]');
    expect(expectJsonRefusal(action, 400, 'bad_request')).toMatchObject({ reason: 'ServerActionUnavailable' });
    expect(reached).toEqual([]);
  });

  it('refuses concurrent large bodies from their Content-Length without reading them, and bodies of unknown size', async () => {
    const big = String(12 * 1024 * 1024);
    const chunk = 'x'.repeat(64 * 1024);
    const path = '/api/subscriptions/s/resource-groups/rg/vaults/kv/certificates/web';
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        raw('POST', path, { 'content-length': big, 'content-type': 'multipart/form-data; boundary=b' }, chunk),
      ),
    );
    for (const a of answers) expectJsonRefusal(a, 413, 'payload_too_large');
    const chunked = await raw('POST', path, { 'transfer-encoding': 'chunked' }, '4\r\nabcd\r\n0\r\n\r\n');
    expectJsonRefusal(chunked, 411, 'length_required');
    expect(reached).toEqual([]);
  });

  it('lets well-formed requests through untouched', async () => {
    const ok = [
      await raw('GET', '/api/config'),
      await raw('GET', '/wizard/certificate?vault=%2Fsubscriptions%2Fx&cert=a%20b'),
      await raw('GET', '/api/subscriptions/s/vaults/name-availability?name=%C3%A9'),
      await raw('POST', '/api/sandbox/sign-in', { 'content-length': '2', 'content-type': 'application/json' }, '{}'),
      await raw('POST', '/api/x', { 'content-length': String(MAX_API_BODY_BYTES) }, 'y'.repeat(MAX_API_BODY_BYTES)),
    ];
    expect(ok.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(reached).toHaveLength(5);
  });
});
