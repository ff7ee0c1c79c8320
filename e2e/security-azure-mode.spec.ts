import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { decodeJwt } from 'jose';
import { E2E_APP_PORT } from '../playwright.config';
import { makePfx } from './support/pfx';
import { endpoints } from './support/sandbox';
import { Wizard } from './support/wizard';
import { waitFor } from './support/wait';

/**
 * Azure mode without Entra ID: a second app instance configured exactly as for a real tenant (AZURE_CLIENT_ID,
 * AZURE_TENANT_ID, secret, authority host, ARM endpoint, Key Vault suffix), pointed at the sandbox's identity
 * provider over HTTPS. The browser runs the same MSAL code real users run: loginRedirect → the sandbox's authorize
 * endpoint (persona picker) → back with a code redeemed cross-origin with PKCE → acquireTokenSilent → our API →
 * on-behalf-of → ARM and Key Vault. The sandbox CA is trusted by this test's browser only, by its public-key hash.
 */
const AZURE_PORT = E2E_APP_PORT + 9;
let server: ChildProcess | undefined;
let browser: Browser | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const e = endpoints() as ReturnType<typeof endpoints> & {
    port: number;
    identity: { authorityHost: string };
    arm: { endpoint: string };
    keyVault: { dnsSuffix: string };
  };
  const root = process.cwd();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'silent',
    AZURE_CLIENT_ID: e.app.clientId,
    AZURE_TENANT_ID: e.identity.tenantId,
    AZURE_CLIENT_SECRET: e.app.clientSecret,
    AZURE_SPA_CLIENT_ID: e.identity.publicClientId,
    AZURE_API_SCOPE: e.app.apiScope,
    AZURE_AUTHORITY_HOST: e.identity.authorityHost,
    AZURE_ARM_ENDPOINT: e.arm.endpoint,
    AZURE_KEYVAULT_DNS_SUFFIX: e.keyVault.dnsSuffix,
    AZURE_KEYVAULT_PORT: String(e.port),
    // The app server trusts the sandbox CA as it would trust a corporate proxy's: explicitly, never by switching checks off.
    NODE_EXTRA_CA_CERTS: e.caFile,
  };
  delete env.SANDBOX_STATE_DIR;
  server = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(AZURE_PORT)], {
    cwd: root,
    stdio: 'ignore',
    env,
  });
  const spki = new X509Certificate(readFileSync(e.caFile)).publicKey.export({ type: 'spki', format: 'der' });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-quic',
      `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
    ],
  });
  await waitFor(`http://127.0.0.1:${AZURE_PORT}/api/config`, 60_000);
});

test.afterAll(async () => {
  await browser?.close();
  if (server?.pid) server.kill('SIGTERM');
});

test('Azure mode against the sandbox identity provider: MSAL redirect sign-in, OBO, import', async () => {
  const e = endpoints();
  const context = await browser!.newContext({ baseURL: `http://localhost:${AZURE_PORT}` });
  const page = await context.newPage();
  const apiTokens: string[] = [];
  page.on('request', (r) => {
    const auth = r.headers().authorization;
    if (r.url().includes('/api/') && auth?.startsWith('Bearer ')) apiTokens.push(auth.slice(7));
  });

  const config = (await (await page.request.get('/api/config')).json()) as {
    mode: string;
    clientId: string;
    authority: string;
  };
  expect(config).toMatchObject({
    mode: 'azure',
    clientId: e.identity.publicClientId,
    authority: `${(e.identity as { authorityHost: string }).authorityHost}/${e.identity.tenantId}`,
  });

  const wizard = new Wizard(page);
  await wizard.open('vault');
  await expect(page.getByTestId('sandbox-badge')).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  // The sandbox's authorize endpoint (Entra-shaped) shows its persona picker.
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?/);
  await page.getByRole('button', { name: /Ada Admin/ }).click();
  // Back in the wizard, signed in by MSAL.
  await expect(page.getByRole('button', { name: /Ada Admin/ })).toBeVisible();
  await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
  await wizard.next('access');
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText('Enabled');
  await wizard.next('certificate');

  const pfx = makePfx('azure-mode.contoso.example', 'azure-mode-Passw0rd!');
  await page
    .getByLabel('Certificate name in Key Vault')
    .filter({ visible: true })
    .fill(`azure-mode-${Date.now().toString(36)}`);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);

  // The API was called with MSAL's token: for our API, from the SPA client, for the persona picked.
  expect(apiTokens.length).toBeGreaterThan(0);
  expect(decodeJwt(apiTokens[0]!)).toMatchObject({
    aud: e.app.clientId,
    azp: e.identity.publicClientId,
    scp: 'user_impersonation',
    preferred_username: 'admin@contoso.sandbox',
  });
  await context.close();
});
