import { describe, expect, it } from 'vitest';
import { authorityOrigin, contentSecurityPolicy, newNonce, securityHeaders } from './security-headers';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('security headers', () => {
  const page = { api: false, nonce: 'bm9uY2U=', dev: false, https: false };

  it('page CSP: nonce + strict-dynamic scripts, no unsafe-eval or unsafe-inline scripts, frame-ancestors none', () => {
    const d = directives(contentSecurityPolicy(page));
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect(d.get('style-src')).toEqual(["'self'", "'nonce-bm9uY2U='"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.has('upgrade-insecure-requests')).toBe(false);
    expect(contentSecurityPolicy(page)).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('allows eval and the HMR websocket only in next dev', () => {
    const d = directives(contentSecurityPolicy({ ...page, dev: true }));
    expect(d.get('script-src')).toContain("'unsafe-eval'");
    expect(d.get('connect-src')).toContain('ws:');
  });

  it('Azure mode allows the authority for MSAL fetches and the silent-renewal iframe, nothing else', () => {
    const d = directives(contentSecurityPolicy({ ...page, authorityOrigin: 'https://login.microsoftonline.com' }));
    expect(d.get('connect-src')).toEqual(["'self'", 'https://login.microsoftonline.com']);
    expect(d.get('frame-src')).toEqual(["'self'", 'https://login.microsoftonline.com']);
    expect(authorityOrigin({})).toBeUndefined();
    expect(authorityOrigin({ AZURE_CLIENT_ID: 'x' })).toBe('https://login.microsoftonline.com');
    expect(authorityOrigin({ AZURE_CLIENT_ID: 'x', AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' })).toBe(
      'https://login.microsoftonline.us',
    );
    expect(authorityOrigin({ AZURE_CLIENT_ID: 'x', AZURE_AUTHORITY_HOST: 'not a url' })).toBeUndefined();
  });

  it('API responses get a deny-all policy', () => {
    expect(contentSecurityPolicy({ api: true, dev: false, https: false })).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('sets Referrer-Policy, Permissions-Policy, nosniff, X-Frame-Options; HSTS and upgrade-insecure-requests only over HTTPS', () => {
    const http = securityHeaders(page);
    expect(http['Referrer-Policy']).toBe('no-referrer');
    expect(http['X-Content-Type-Options']).toBe('nosniff');
    expect(http['X-Frame-Options']).toBe('DENY');
    expect(http['Permissions-Policy']).toMatch(/camera=\(\)/);
    expect(http['Permissions-Policy']).toMatch(/clipboard-write=\(self\)/);
    expect(http['Strict-Transport-Security']).toBeUndefined();
    expect(http['Cross-Origin-Opener-Policy']).toBeUndefined();
    const https = securityHeaders({ ...page, https: true });
    expect(https['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(directives(https['Content-Security-Policy']!).has('upgrade-insecure-requests')).toBe(true);
  });

  it('nonces are 128-bit base64 and fresh', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});
