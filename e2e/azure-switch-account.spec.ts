import { expect, test } from '@playwright/test';
import { decodeJwt } from 'jose';
import { E2E_APP_PORT } from '../playwright.config';
import { startAzureMode, type AzureMode } from './support/azure-mode';
import { consoleErrors } from './support/axe';
import { sandboxVaultClient, SUBSCRIPTIONS } from './support/sandbox';
import { Wizard } from './support/wizard';

// Azure mode's "Switch account" (issue 11, item 9), against the sandbox's identity provider with MSAL's real
// redirect flow: the header, the tokens on our API calls and what the API answers are the new user's.
let azure: AzureMode | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  azure = await startAzureMode(E2E_APP_PORT + 10);
});

test.afterAll(async () => {
  await azure?.stop();
});

test('Switch account: signed in as Ada, switch to Cole; the header, the API tokens and the answers are Cole’s', async () => {
  // Cole may not turn the deployment flag on for kv-contoso-prod, Ada may: the access step tells them apart.
  await sandboxVaultClient(SUBSCRIPTIONS.production).vaults.update('rg-cses-prod', 'kv-contoso-prod', {
    properties: { enabledForDeployment: false },
  });
  const context = await azure!.browser.newContext({ baseURL: azure!.baseURL });
  const page = await context.newPage();
  const errors = consoleErrors(page);
  const calls: Array<{ url: string; user: unknown }> = [];
  page.on('request', (r) => {
    const auth = r.headers().authorization;
    if (r.url().includes('/api/') && auth?.startsWith('Bearer '))
      calls.push({ url: r.url(), user: decodeJwt(auth.slice(7)).preferred_username });
  });

  const wizard = new Wizard(page, test.info(), 'azure-switch');
  await wizard.open('vault');
  await page.getByRole('button', { name: 'Sign in with Microsoft' }).click();
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?/);
  await page.getByRole('button', { name: /Ada Admin/ }).click();
  const header = page.getByRole('banner');
  await expect(header.getByRole('button', { name: /Ada Admin/ })).toBeVisible();
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText(/Disabled/);
  await expect(page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' })).toBeEnabled();
  await expect(page.getByTestId('precheck-flag')).toHaveCount(0);
  expect(calls.length).toBeGreaterThan(0);
  expect(new Set(calls.map((c) => c.user))).toEqual(new Set(['admin@contoso.sandbox']));
  const before = calls.length;

  // The account menu's "Switch account": Microsoft's account picker (the sandbox's persona picker) → Cole.
  await header.getByRole('button', { name: /Ada Admin/ }).click();
  await page.getByRole('menuitem', { name: 'Switch account' }).click();
  await expect(page).toHaveURL(/\/oauth2\/v2\.0\/authorize\?.*prompt=select_account/);
  await page.getByRole('button', { name: /Cole Certs/ }).click();

  // Back on the same step, with the same vault, as Cole.
  await wizard.expectStep('access');
  await expect(header.getByRole('button', { name: /Cole Certs/ })).toBeVisible();
  await expect(header.getByText('certs@contoso.sandbox')).toBeVisible();
  await expect(header.getByText(/Ada Admin|admin@contoso\.sandbox/)).toHaveCount(0);
  await expect(page.getByTestId('precheck-flag')).toContainText(
    "You can't turn this on: ask for the 'Key Vault Contributor' role on the vault.",
  );
  await expect(page.getByTestId('precheck-flag-command-az')).toContainText('--assignee certs@contoso.sandbox');
  await wizard.checkStep('access', 'switched-to-cole');
  const after = calls.slice(before);
  expect(after.length).toBeGreaterThan(0);
  expect(new Set(after.map((c) => c.user)), after.map((c) => c.url).join('\n')).toEqual(
    new Set(['certs@contoso.sandbox']),
  );
  // The menu names Cole too, and offers the switch again.
  await header.getByRole('button', { name: /Cole Certs/ }).click();
  await expect(page.getByRole('menuitem', { name: 'Switch account' })).toBeVisible();
  // No error on the app's pages (the sandbox's persona picker is the identity provider's page, not ours).
  expect(errors.filter((e) => e.startsWith(azure!.baseURL))).toEqual([]);
  await context.close();
});
