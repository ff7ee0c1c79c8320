import { expect, test, type Page } from '@playwright/test';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { openFileChooserByKeyboard, tabTo as tabToWithin } from './support/keyboard';
import { Wizard } from './support/wizard';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

// The certificate and service configuration steps have many controls: allow more Tab presses than the default.
const tabTo = (page: Page, name: RegExp) => tabToWithin(page, name, 120);

test('the whole flow by keyboard alone: sign in, enable the flag, import a PFX, through every step to rotation', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pfx = makePfx('keyboard.contoso.example', 'k3yboard-Only');
  const name = `keyboard-${Date.now().toString(36)}`;
  const wizard = new Wizard(page);

  await wizard.open('vault');
  await tabTo(page, /Sign in as Ada Admin/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeVisible();
  await tabTo(page, /kv-contoso-prod/);
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeChecked();
  await tabTo(page, /Next: Access configuration/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('access');

  if (!(await page.getByTestId('deployment-enabled').isVisible())) {
    await tabTo(page, /Enable Azure Virtual Machines for deployment/);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  }
  await tabTo(page, /Next: Certificate/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('certificate');

  await tabTo(page, /Certificate name in Key Vault/);
  await page.keyboard.type(name);
  const chooser = await openFileChooserByKeyboard(page, /PFX file/);
  await chooser.setFiles(pfx.file);
  await tabTo(page, /PFX password/);
  await page.keyboard.type(pfx.password);
  await expect(page.getByTestId('inspect-thumbprint')).toHaveText(pfx.thumbprint);
  await tabTo(page, /Import into Key Vault/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('import-success')).toBeVisible();

  for (const step of ['preflight', 'service-configuration', 'secret-identifier'] as const) {
    await tabTo(page, /^Next: /);
    await page.keyboard.press('Enter');
    await wizard.expectStep(step);
  }
  const held = await sandboxCertificateClient('kv-contoso-prod').getCertificate(name);
  await tabTo(page, /Copy certificateUrl/);
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(held.secretId);

  await tabTo(page, /^Next: Versions and rotation/);
  await page.keyboard.press('Enter');
  await wizard.expectStep('versions');
});
