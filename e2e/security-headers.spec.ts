import { expect, test, type Page } from '@playwright/test';
import { connect } from 'node:net';
import { E2E_APP_PORT } from '../playwright.config';
import { Wizard } from './support/wizard';

/** Security headers (proxy.ts): CSP with a fresh nonce on every page, no unsafe-eval, and a wizard that still runs. */

function cspOf(headers: Record<string, string>): Map<string, string[]> {
  const csp = headers['content-security-policy'] ?? '';
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(msg.text()))
      violations.push(msg.text());
  });
  return violations;
}

test('pages: CSP with a per-request nonce on every script, frame-ancestors none, no unsafe-eval; the other headers', async ({
  request,
}) => {
  const first = await request.get('/wizard/vault');
  const second = await request.get('/wizard/vault');
  expect(first.status()).toBe(200);
  const headers = first.headers();
  const csp = cspOf(headers);
  const nonce = csp
    .get('script-src')
    ?.find((v) => v.startsWith("'nonce-"))
    ?.slice(7, -1);
  expect(nonce).toBeTruthy();
  expect(cspOf(second.headers()).get('script-src')).not.toContain(`'nonce-${nonce}'`);
  expect(headers['content-security-policy']).not.toContain('unsafe-eval');
  expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['permissions-policy']).toContain('camera=()');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['strict-transport-security']).toBeUndefined(); // plain http in tests

  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
});

test('HSTS is sent when the request came over HTTPS (X-Forwarded-Proto from the load balancer)', async ({
  request,
}) => {
  const response = await request.get('/wizard/vault', { headers: { 'x-forwarded-proto': 'https' } });
  expect(response.headers()['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(response.headers()['content-security-policy']).toContain('upgrade-insecure-requests');
});

test('API responses carry a deny-all CSP and nosniff', async ({ request }) => {
  const response = await request.get('/api/config');
  expect(response.headers()['content-security-policy']).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});

test('the MSAL redirect bridge is rendered per request with a nonce, never cached, without COOP', async ({ page }) => {
  const violations = collectCspViolations(page);
  const response = await page.goto('/redirect');
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['cache-control']).toContain('no-store');
  expect(headers['cross-origin-opener-policy']).toBeUndefined();
  const nonce = cspOf(headers)
    .get('script-src')
    ?.find((v) => v.startsWith("'nonce-"))
    ?.slice(7, -1);
  // Every script in the server's markup carries the nonce (scripts those load later are trusted by 'strict-dynamic').
  const scripts = [...(await response!.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
});

test('the wizard runs under the CSP without a single violation, and cannot be framed', async ({ page }) => {
  const violations = collectCspViolations(page);
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');
  await expect(page.getByTestId('permission-model')).toBeVisible();
  expect(violations).toEqual([]);

  // A page that frames the wizard gets nothing (frame-ancestors 'none' + X-Frame-Options: DENY).
  await page.setContent(`<iframe id="f" src="${new URL('/wizard/vault', page.url()).href}"></iframe>`);
  const frame = page.frame({ url: /\/wizard\/vault/ });
  const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  expect(framedText).not.toContain('Sign in');
});

test('the API document is served by the production build and lists the routes', async ({ request }) => {
  const response = await request.get('/api/openapi.json');
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/api/config', '/api/subscriptions', '/api/openapi.json', '/api/sandbox/sign-in']),
  );
  expect(doc.paths['/api/subscriptions']?.get).toBeTruthy();
});

/** One request written byte for byte on a socket (HTTP clients normalise dot segments and escapes away). */
function rawRequest(head: string): Promise<{ status: number; contentType: string; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(E2E_APP_PORT, '127.0.0.1');
    let text = '';
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [headText = '', ...rest] = text.split('\r\n\r\n');
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headText)?.[1]?.trim() ?? '';
      resolve({
        status: Number(headText.split(' ')[1]),
        contentType: header('content-type'),
        csp: header('content-security-policy'),
        body: rest.join('\r\n\r\n'),
      });
    });
    socket.end(`${head}\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

test('malformed escapes, dot segments, server actions and oversized bodies get our JSON errors before Next routes', async () => {
  const cases: Array<[string, number, string]> = [
    ['GET /api/subscriptions/%C0%AE/vaults HTTP/1.1', 400, 'bad_request'],
    ['GET /wizard/%u002e HTTP/1.1', 400, 'bad_request'],
    ['GET /wizard/vault%ff HTTP/1.1', 400, 'bad_request'],
    ['GET /api/../config HTTP/1.1', 400, 'bad_request'],
    ['POST /api/config HTTP/1.1\r\nNext-Action: 0123abcd\r\nContent-Length: 0', 400, 'bad_request'],
    [
      'POST /api/sandbox/sign-in HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 12582912',
      413,
      'payload_too_large',
    ],
  ];
  for (const [head, status, code] of cases) {
    const r = await rawRequest(head);
    expect([head, r.status, r.contentType]).toEqual([head, status, 'application/json']);
    expect(r.csp).toContain("default-src 'none'");
    expect((JSON.parse(r.body) as { error: { code: string; action: string } }).error).toMatchObject({ code });
  }
});
