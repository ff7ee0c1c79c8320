import { NextResponse, type NextRequest } from 'next/server';
import { authorityOrigin, newNonce, securityHeaders } from '@/lib/api/security-headers';

/**
 * Next 16 request proxy (formerly middleware): security headers on every page response, and a per-request CSP nonce.
 * Next.js reads the nonce from the request's Content-Security-Policy header while rendering (pages are dynamically
 * rendered for that reason). API requests do not pass through it: the request guard (lib/server/request-guard.ts)
 * sets their headers before Next.js sees them, at a fraction of the proxy's cost per request (decision 057).
 */
export function proxy(request: NextRequest) {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const headers = securityHeaders({
    api: false, // the matcher leaves /api/ out
    nonce: newNonce(),
    dev: process.env.NODE_ENV === 'development',
    https: (forwarded ?? request.nextUrl.protocol.replace(':', '')) === 'https',
    authorityOrigin: authorityOrigin(process.env),
  });
  const csp = headers['Content-Security-Policy'] ?? '';
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  // MSAL asks that its redirect bridge is never cached.
  if (request.nextUrl.pathname === '/redirect') response.headers.set('Cache-Control', 'no-store');
  return response;
}

// The icons (/favicon.ico, /icon.svg) pass through too, so they carry the same security headers as the pages.
export const config = {
  matcher: [{ source: '/((?!api/|_next/static|_next/image).*)' }],
};
