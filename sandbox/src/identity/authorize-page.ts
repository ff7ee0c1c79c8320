import { randomBytes } from 'node:crypto';
import { type Ctx, parseForm, readBody, sendText } from '../http.js';
import { APP_CLIENT_ID, PUBLIC_CLIENT_ID, TENANT_NAME } from '../ids.js';
import type { Persona } from '../model.js';
import { findPersona, type IdentityEnv } from './env.js';
import { clientInfo } from './grants.js';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
    );
  } catch {
    return false;
  }
}

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Sandbox sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.4rem}
.badge{display:inline-block;background:#ffb900;color:#000;border-radius:4px;padding:.1rem .5rem;font-size:.8rem;font-weight:600}
ul.personas{list-style:none;padding:0}ul.personas li{margin:.5rem 0}
ul.personas button{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #8a8886;border-radius:6px;background:#fff;cursor:pointer;display:grid;gap:.15rem;font:inherit}
ul.personas button:hover,ul.personas button:focus{border-color:#0078d4;outline:2px solid #0078d4}small{color:#605e5c}</style></head>
<body><p><span class="badge">Sandbox</span></p><h1>${esc(title)}</h1>${body}</body></html>`;
}

export function authorizeError(ctx: Ctx, status: number, code: number, text: string): boolean {
  sendText(
    ctx,
    status,
    'text/html; charset=utf-8',
    page('Sign-in error', `<p><strong>AADSTS${code}</strong>: ${esc(text)}</p>`),
  );
  return true;
}

export function validateAuthorize(q: URLSearchParams): {
  error?: { code: number; text: string };
  clientId: string;
  redirectUri: string;
} {
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  if (clientId !== PUBLIC_CLIENT_ID && clientId !== APP_CLIENT_ID) {
    return {
      clientId,
      redirectUri,
      error: {
        code: 700016,
        text: `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'.`,
      },
    };
  }
  if (!isLoopbackRedirect(redirectUri)) {
    return {
      clientId,
      redirectUri,
      error: {
        code: 50011,
        text: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. The sandbox accepts http(s)://localhost, 127.0.0.1 and [::1] redirect URIs on any port.`,
      },
    };
  }
  return { clientId, redirectUri };
}

export function redirectWith(ctx: Ctx, redirectUri: string, mode: string, params: Record<string, string>): void {
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    sendText(
      ctx,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${esc(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
    );
    return;
  }
  const url = new URL(redirectUri);
  let location: string;
  if (mode === 'fragment') {
    url.hash = '';
    location = `${url.toString()}#${new URLSearchParams(params).toString()}`;
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    location = url.toString();
  }
  ctx.res.writeHead(302, { location, 'content-length': '0', 'cache-control': 'no-store' });
  ctx.res.end();
}

export function authorizePage(d: IdentityEnv, ctx: Ctx, tenantSeg: string, q: URLSearchParams): boolean {
  const v = validateAuthorize(q);
  if (v.error) return authorizeError(ctx, 400, v.error.code, v.error.text);
  const mode = q.get('response_mode') ?? 'query';
  if (q.get('response_type') !== 'code') {
    redirectWith(ctx, v.redirectUri, mode, {
      error: 'unsupported_response_type',
      error_description: "AADSTS700054: response_type must be 'code' (authorization code flow with PKCE).",
      state: q.get('state') ?? '',
    });
    return true;
  }
  const method = q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : '');
  if (method && method !== 'S256' && method !== 'plain') {
    redirectWith(ctx, v.redirectUri, mode, {
      error: 'invalid_request',
      error_description: 'AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method.',
      state: q.get('state') ?? '',
    });
    return true;
  }
  const hint = (q.get('login_hint') ?? '').toLowerCase();
  const prompt = q.get('prompt') ?? '';
  if (prompt === 'none') {
    const persona = hint ? findPersona(d, hint) : undefined;
    if (!persona) {
      redirectWith(ctx, v.redirectUri, mode, {
        error: 'login_required',
        error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
        state: q.get('state') ?? '',
      });
      return true;
    }
    issueCode(d, ctx, q, persona, v.redirectUri, mode);
    return true;
  }
  const hidden = [...q.entries()]
    .map(([k, val]) => `<input type="hidden" name="${esc(k)}" value="${esc(val)}">`)
    .join('');
  const buttons = d.store.state.personas
    .map(
      (p) =>
        `<li><button type="submit" name="username" value="${esc(p.username)}"${p.username.toLowerCase() === hint ? ' autofocus' : ''}><strong>${esc(p.displayName)}</strong><span>${esc(p.username)}</span><small>${esc(p.description)}</small></button></li>`,
    )
    .join('');
  const body = `<p>This is the <strong>local sandbox</strong> identity provider (tenant ${TENANT_NAME}). Choose who to sign in as — no password needed here.</p>
<form method="post" action="${esc(`/${tenantSeg}/oauth2/v2.0/authorize`)}">${hidden}<ul class="personas">${buttons}</ul></form>`;
  sendText(ctx, 200, 'text/html; charset=utf-8', page('Pick a sandbox persona', body), {
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
  });
  return true;
}

export async function authorizeSubmit(d: IdentityEnv, ctx: Ctx, _tenantSeg: string): Promise<boolean> {
  const form = parseForm(await readBody(ctx.req));
  const v = validateAuthorize(form);
  if (v.error) return authorizeError(ctx, 400, v.error.code, v.error.text);
  const persona = findPersona(d, form.get('username') ?? '');
  if (!persona) return authorizeError(ctx, 400, 50034, 'The user account does not exist in the directory.');
  issueCode(d, ctx, form, persona, v.redirectUri, form.get('response_mode') ?? 'query');
  return true;
}

export function issueCode(
  d: IdentityEnv,
  ctx: Ctx,
  q: URLSearchParams,
  persona: Persona,
  redirectUri: string,
  mode: string,
): void {
  const code = `sbx.${randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  for (const [k, c] of d.codes) if (c.expires < now) d.codes.delete(k);
  d.codes.set(code, {
    clientId: q.get('client_id') ?? '',
    redirectUri,
    scope: q.get('scope') ?? '',
    codeChallenge: q.get('code_challenge') ?? undefined,
    codeChallengeMethod: q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined),
    nonce: q.get('nonce') ?? undefined,
    oid: persona.objectId,
    expires: now + 10 * 60 * 1000,
  });
  const params: Record<string, string> = { code, client_info: clientInfo(persona.objectId) };
  const state = q.get('state');
  if (state) params.state = state;
  redirectWith(ctx, redirectUri, mode, params);
}

/** GET /{tenant}/oauth2/v2.0/logout: back to a loopback `post_logout_redirect_uri`, or a signed-out page. */
export function logout(ctx: Ctx): void {
  const target = ctx.query.get('post_logout_redirect_uri');
  if (target && isLoopbackRedirect(target)) {
    ctx.res.writeHead(302, { location: target, 'content-length': '0' });
    ctx.res.end();
    return;
  }
  sendText(
    ctx,
    200,
    'text/html; charset=utf-8',
    page('Signed out', '<p>You have signed out of the sandbox identity provider.</p>'),
  );
}
