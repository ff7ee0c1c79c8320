import { expect, test } from '@playwright/test';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { Wizard } from './support/wizard';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('happy path: sign in, enable deployment, import a PFX, copy the .cscfg line and certificateUrl', async ({ page }) => {
  const pfx = makePfx('www.contoso.example', 'e2e-Passw0rd!');
  const certName = `web-${Date.now().toString(36)}`;
  const wizard = new Wizard(page);

  await wizard.open('vault');
  await expect(page.getByTestId('sandbox-badge')).toHaveText('Sandbox');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');

  await expect(page.getByTestId('permission-model')).toHaveText('Vault access policy');
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText('Disabled');
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText('Enabled');
  await wizard.next('certificate');

  await page.getByLabel('Certificate name in Key Vault').fill(certName);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
  await wizard.next('service-configuration');

  const held = await sandboxCertificateClient('kv-contoso-prod').getCertificate(certName);
  const heldThumbprint = held.properties.x509ThumbprintString!.toUpperCase();
  expect(heldThumbprint).toBe(pfx.thumbprint);
  const expectedLine = `<Certificate name="${certName}" thumbprint="${heldThumbprint}" thumbprintAlgorithm="sha1" />`;
  await expect(page.getByTestId('cscfg-line')).toHaveText(expectedLine);
  await page.getByRole('button', { name: 'Copy .cscfg certificate' }).click();
  await expect(page.getByRole('button', { name: 'Copy .cscfg certificate' })).toHaveText('Copied ✓');
  expect(await wizard.clipboard()).toBe(expectedLine);
  await wizard.next('secret-identifier');

  expect(held.secretId).toMatch(new RegExp(`^https://kv-contoso-prod\\.vault\\.localhost:\\d+/secrets/${certName}/[0-9a-f]{32}$`));
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await page.getByRole('button', { name: 'Copy certificateUrl (Secret Identifier)' }).click();
  expect(await wizard.clipboard()).toBe(held.secretId);
});

test('a wrong PFX password gives a clear message and keeps the file, name and vault', async ({ page }) => {
  const pfx = makePfx('wrong.contoso.example', 'right-password');
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');
  await wizard.next('certificate');

  await page.getByLabel('Certificate name in Key Vault').fill('wrong-password-test');
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill('not-the-password');
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();

  const alert = page.getByTestId('error-callout');
  await expect(alert).toContainText(/password/i);
  await expect(page.getByTestId('error-action')).not.toBeEmpty();
  await expect(page.getByLabel('Certificate name in Key Vault')).toHaveValue('wrong-password-test');
  expect(await page.getByLabel('PFX file').evaluate((el: HTMLInputElement) => el.files?.[0]?.name)).toBe('web.pfx');
  await expect(page.getByLabel('PFX password')).toHaveValue('not-the-password');
  await expect(page).toHaveURL(/vault=kv-contoso-prod/);
});
