import { expect, test } from '@playwright/test';
import { watchConsole } from './support/console';
import { makePfx } from './support/pfx';
import { Wizard } from './support/wizard';

// Issue 11, item 1: an error goes as soon as the input it was about changes, and nothing typed is lost with it.

test('the PFX import: "password is wrong, nothing was sent" goes when the password, the name or the file changes', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const pfx = makePfx('stale.contoso.example', 'st4le-Passw0rd');
  const other = makePfx('other.contoso.example', '0ther-Passw0rd');
  const name = `stale-${Date.now().toString(36)}`;
  const wizard = new Wizard(page, info, 'input-errors');
  await wizard.toCertificateStep();
  await wizard.field('Certificate name in Key Vault').fill(name);
  await expect(page.getByText(`✓ ${name} is free in kv-contoso-prod.`)).toBeVisible();

  const error = page.getByTestId('error-callout');
  const password = page.getByLabel('PFX password');
  // Import pressed straight after typing, before the inspection has run: the browser's check refuses at submit.
  let attempt = 0;
  const wrongPasswordImport = async () => {
    await password.fill(`not-the-password-${++attempt}`);
    await password.press('Enter');
    await expect(error).toContainText(/password/i);
    await expect(page.getByTestId('error-action')).toContainText('Nothing was sent to Key Vault.');
  };

  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await wrongPasswordImport();
  // Everything typed and chosen is kept with the error.
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue(name);
  await expect(password).toHaveValue('not-the-password-1');
  await expect(page.getByTestId('chosen-file')).toContainText('web.pfx');
  await wizard.checkStep('certificate', 'wrong-password-error');

  // The right password: the error is gone at once, the inspection says ready, Import is offered again.
  await password.fill(pfx.password);
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await expect(page.getByRole('button', { name: 'Import into Key Vault' })).toBeEnabled();
  await wizard.checkStep('certificate', 'password-fixed');

  // The same for the name and for the file.
  await wrongPasswordImport();
  await wizard.field('Certificate name in Key Vault').fill(`${name}-b`);
  await expect(error).toHaveCount(0);
  await expect(page.getByText(`✓ ${name}-b is free in kv-contoso-prod.`)).toBeVisible();
  await wrongPasswordImport();
  await page.getByLabel('PFX file').setInputFiles(other.file);
  await expect(error).toHaveCount(0);
  expect(errors()).toEqual([]);
});

test('creating a vault: the refusal for a resource group goes when another group is chosen; the name stays', async ({
  page,
}, info) => {
  // The refused create is a 403 the browser logs as a failed resource load; nothing else may show.
  const errors = watchConsole(page, [/Failed to load resource: the server responded with a status of 403/]);
  const wizard = new Wizard(page, info, 'input-errors-vault');
  await wizard.open('vault');
  await wizard.signInAs('Rita Reader');
  await page.getByLabel('Subscription').selectOption({ label: 'Contoso Production' });
  await page.getByRole('button', { name: 'Create key vault' }).click();
  const vaultName = `kv-stale-${Date.now().toString(36).slice(-6)}`;
  await page.getByLabel('Key vault name').fill(vaultName);
  await expect(page.getByText(`✓ ${vaultName} is available.`)).toBeVisible();
  await page.getByLabel('Resource group', { exact: true }).selectOption('rg-cses-prod');
  await page.getByRole('button', { name: 'Create key vault', exact: true }).last().click();
  const error = page.getByTestId('error-callout');
  await expect(error).toContainText("You may not create a key vault in the resource group 'rg-cses-prod'");

  await page.getByLabel('Resource group', { exact: true }).selectOption({ label: 'Create new…' });
  await expect(error).toHaveCount(0);
  await expect(page.getByLabel('Key vault name')).toHaveValue(vaultName);
  await wizard.checkStep('vault', 'create-group-changed');

  // And for the region: the refusal comes back for the same group, and goes when the region changes.
  await page.getByLabel('Resource group', { exact: true }).selectOption('rg-cses-prod');
  await page.getByRole('button', { name: 'Create key vault', exact: true }).last().click();
  await expect(error).toContainText("You may not create a key vault in the resource group 'rg-cses-prod'");
  await page.getByLabel('Region', { exact: true }).last().selectOption('eastus');
  await expect(error).toHaveCount(0);
  expect(errors()).toEqual([]);
});
