/**
 * Security headers for every response, set by the request proxy (`proxy.ts`). Pages get a Content-Security-Policy
 * with a fresh nonce per request (Next.js reads it from the request's CSP header and stamps it on its own scripts);
 * API responses get a policy that allows nothing, since they are JSON. No `unsafe-eval` outside `next dev`.
 */
export interface SecurityHeaderOptions {
  /** base64 nonce for this request (pages only). */
  nonce?: string;
  /** `next dev`: React needs eval for its debugging aids, and HMR needs a websocket. */
  dev: boolean;
  /** The request reached us over HTTPS (directly or per X-Forwarded-Proto): add HSTS and upgrade-insecure-requests. */
  https: boolean;
  /** Azure mode: the Entra authority origin MSAL talks to (token endpoint fetch, silent-renewal iframe). */
  authorityOrigin?: string;
  /** API route (JSON): a deny-all policy instead of the page policy. */
  api: boolean;
}

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  if (o.api) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  const authority = o.authorityOrigin ? ` ${o.authorityOrigin}` : '';
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a nonce'd script are trusted; host allow-lists are ignored by CSP3 browsers.
    `script-src 'self'${o.nonce ? ` 'nonce-${o.nonce}'` : ''} 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self'${o.nonce ? ` 'nonce-${o.nonce}'` : ''}`,
    // React sets a few computed widths (progress bar) as style attributes; attributes cannot run code.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${authority}${o.dev ? ' ws: wss:' : ''}`,
    // PFX inspection may run in a worker (bundled, same origin, or a blob URL made by the bundler).
    "worker-src 'self' blob:",
    // MSAL's silent renewal loads the authority in a hidden iframe that lands on our /redirect bridge page.
    `frame-src 'self'${authority}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "manifest-src 'self'",
  ];
  if (o.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(o),
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy':
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=(), midi=(), display-capture=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=(), clipboard-read=(self), clipboard-write=(self)',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // No Cross-Origin-Opener-Policy: MSAL's redirect bridge must not send one, and popups would lose their opener.
  };
  if (o.https) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}

/** 128 random bits, base64 (a CSP nonce). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The authority origin the browser signs in against (Azure mode only). */
export function authorityOrigin(env: Record<string, string | undefined>): string | undefined {
  if (!env.AZURE_CLIENT_ID) return undefined;
  try {
    return new URL(env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').origin;
  } catch {
    return undefined;
  }
}
