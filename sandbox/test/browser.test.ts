import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { decodeJwt, startTestSandbox, type TestSandbox } from './helpers';

// The real @azure/msal-browser (UMD bundle) in Debian's Chromium, signing in through the sandbox's authorize
// endpoint (persona picker) with auth code + PKCE, then redeeming the code cross-origin (CORS) at the token endpoint.
// Chromium trusts the sandbox explicitly by the CA's public-key hash (--ignore-certificate-errors-spki-list), which
// only accepts chains containing that key; verification stays on for everything else.
const CHROMIUM = process.env.SANDBOX_CHROMIUM ?? '/usr/bin/chromium';
const MSAL = join(__dirname, '..', '..', 'node_modules', '@azure', 'msal-browser', 'lib', 'msal-browser.min.js');

describe.skipIf(!existsSync(CHROMIUM))('msal-browser in Chromium against the sandbox identity provider', () => {
  let sb: TestSandbox;
  let app: Server;
  let appOrigin: string;
  let browser: Browser;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const e = sb.endpoints;
    const config = {
      auth: {
        clientId: e.identity.publicClientId,
        authority: e.identity.authority,
        knownAuthorities: [`localhost:${sb.port}`],
      },
      cache: { cacheLocation: 'sessionStorage' },
    };
    const html = `<!doctype html><html><head><meta charset="utf-8"><script src="/msal.js"></script></head><body><pre id="out">starting</pre><script>
      (async () => {
        const out = document.getElementById('out');
        try {
          const cfg = ${JSON.stringify(config)};
          cfg.auth.redirectUri = location.origin + '/';
          const pca = new msal.PublicClientApplication(cfg);
          await pca.initialize();
          const r = await pca.handleRedirectPromise();
          if (!r) { await pca.loginRedirect({ scopes: [${JSON.stringify(e.app.apiScope)}] }); return; }
          const silent = await pca.acquireTokenSilent({ scopes: [${JSON.stringify(e.app.apiScope)}], account: r.account });
          window.__result = { accessToken: r.accessToken, username: r.account.username, homeAccountId: r.account.homeAccountId, idTokenClaims: r.idTokenClaims, silentFromCache: silent.fromCache };
          out.textContent = 'done';
        } catch (err) {
          window.__result = { error: String(err && (err.errorCode || err.message) || err) };
          out.textContent = 'error';
        }
      })();
    </script></body></html>`;
    app = createServer((req, res) => {
      if (req.url === '/msal.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(MSAL));
      } else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
      }
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
    const caSpki = new X509Certificate(readFileSync(e.caFile)).publicKey.export({ type: 'spki', format: 'der' });
    const spkiHash = createHash('sha256').update(caSpki).digest('base64');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [`--ignore-certificate-errors-spki-list=${spkiHash}`, '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => app?.close(r));
    await sb?.close();
  });

  it('loginRedirect → persona picker → redirect back → tokens from the sandbox', async () => {
    const page = await browser.newPage();
    await page.goto(`${appOrigin}/`);
    await page.waitForURL((u) => u.host === `localhost:${sb.port}` && u.pathname.endsWith('/oauth2/v2.0/authorize'), {
      timeout: 15_000,
    });
    await expect(page.title()).resolves.toContain('Pick a sandbox persona');
    await page.getByRole('button', { name: /Cole Certs/ }).click();
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, {
      timeout: 15_000,
    });
    const result = await page.evaluate(() => (window as unknown as { __result: Record<string, any> }).__result);
    expect(result.error).toBeUndefined();
    expect(result.username).toBe('certs@contoso.sandbox');
    expect(result.homeAccountId).toBe(`6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002.${sb.endpoints.identity.tenantId}`);
    expect(decodeJwt(result.accessToken)).toMatchObject({
      aud: sb.endpoints.app.clientId,
      scp: 'user_impersonation',
      azp: sb.endpoints.identity.publicClientId,
    });
    expect(result.idTokenClaims.name).toBe('Cole Certs');
    expect(result.silentFromCache).toBe(true);
  }, 45_000);
});
