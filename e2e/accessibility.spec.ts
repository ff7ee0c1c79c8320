import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { tabTo } from './support/keyboard';
import { Wizard } from './support/wizard';

/** A certificate in kv-contoso-rbac (put there by an administrator, independently of the app), picked in the wizard. */
async function pickExisting(page: Page, wizard: Wizard) {
  const pfx = makePfx('a11y.contoso.example', 'a11y-Passw0rd');
  const name = `a11y-${Date.now().toString(36)}`;
  await sandboxCertificateClient('kv-contoso-rbac').importCertificate(name, readFileSync(pfx.file), {
    password: pfx.password,
  });
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  return wizard;
}

test('the flow works by keyboard alone: sign in, pick a vault, move through steps and tabs', async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await tabTo(page, /Sign in as Ada Admin/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeVisible();
  await tabTo(page, /kv-contoso-prod/);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'kv-contoso-rbac' })).toBeChecked();
  await tabTo(page, /Next: Access configuration/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('access');
  await tabTo(page, /Next: Certificate/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('certificate');
  await tabTo(page, /Import a PFX/);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Import PEM / CRT + key' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Generate self-signed' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Generate self-signed' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Use a certificate in the vault' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await tabTo(page, /Back/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('access');

  // The account menu: opens on Enter with focus on its item, closes on Escape with focus back on its button.
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, /Ada Admin/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: /Sign out/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Ada Admin/ })).toBeFocused();
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('axe passes in dark mode on every step', async ({ page }, info) => {
    const wizard = new Wizard(page, info, 'dark');
    await wizard.open('vault');
    await wizard.signInAs('Ada Admin');
    await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
    await wizard.checkStep('vault');
    await wizard.next('access');
    await wizard.checkStep('access');
    await wizard.next('certificate');
    await wizard.checkStep('certificate');
    await pickExisting(page, wizard);
    for (const step of ['preflight', 'service-configuration', 'secret-identifier', 'versions'] as const) {
      await wizard.next(step);
      await wizard.checkStep(step);
    }
  });
});

test.describe('200% zoom', () => {
  // 200% zoom of a 1280×800 window: the layout gets half the CSS pixels.
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  test('every step reflows without horizontal scrolling of the page', async ({ page }, info) => {
    const wizard = new Wizard(page, info, 'zoom200');
    await wizard.open('vault');
    await wizard.signInAs('Ada Admin');
    await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
    const noPageScroll = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    await noPageScroll();
    await wizard.checkStep('vault');
    await wizard.next('access');
    await noPageScroll();
    await wizard.next('certificate');
    await noPageScroll();
    await wizard.checkStep('certificate');
    await pickExisting(page, wizard);
    for (const step of ['preflight', 'service-configuration', 'secret-identifier', 'versions'] as const) {
      await wizard.next(step);
      await noPageScroll();
    }
    await wizard.checkStep('versions');
  });
});
