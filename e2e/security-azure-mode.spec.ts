import { expect, test } from '@playwright/test';
import { decodeJwt } from 'jose';
import { E2E_APP_PORT } from '../playwright.config';
import { startAzureMode, type AzureMode } from './support/azure-mode';
import { makePfx } from './support/pfx';
import { endpoints } from './support/sandbox';
import { Wizard } from './support/wizard';

// Azure mode against the sandbox's identity provider (e2e/support/azure-mode.ts): MSAL's real redirect flow.
let azure: AzureMode | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  azure = await startAzureMode(E2E_APP_PORT + 9);
});

test.afterAll(async () => {
  await azure?.stop();
});

test('Azure mode against the sandbox identity provider: MSAL redirect sign-in, OBO, import', async () => {
  const e = endpoints();
  const context = await azure!.browser.newContext({ baseURL: azure!.baseURL });
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
