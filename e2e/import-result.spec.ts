import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { watchConsole } from './support/console';
import { faults } from './support/faults';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { Wizard } from './support/wizard';

// Issue 11, item 4: after a success the step shows what it did and what comes next, instead of an emptied form under
// a greyed button; "Import another" is a deliberate start over. Nothing typed is lost on an error.

const result = (page: Page) => page.getByTestId('certificate-result');

test('an import shows its result (name, version, thumbprint, what the next steps use), then "Import another" starts over', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const pfx = makePfx('result.contoso.example', 'r3sult-Passw0rd');
  const name = `result-${Date.now().toString(36)}`;
  const wizard = new Wizard(page, info, 'import-result');
  await wizard.toCertificateStep();
  await wizard.field('Certificate name in Key Vault').fill(name);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();

  const held = await (async () => {
    await expect(result(page)).toBeVisible();
    return sandboxCertificateClient('kv-contoso-prod').getCertificate(name);
  })();
  await expect(page.getByTestId('import-success')).toHaveText(`✓ Imported ${name} into kv-contoso-prod.`);
  await expect(page.getByTestId('import-success')).toBeFocused();
  await expect(page.getByTestId('result-name')).toHaveText(name);
  await expect(page.getByTestId('version')).toHaveText(held.properties.version!);
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
  await expect(page.getByTestId('result-secret-id')).toHaveText(held.secretId!);
  await expect(page.getByTestId('result-next-uses')).toContainText('The next steps use this version');
  // The form is gone: no emptied fields, no greyed Import button under the result.
  await expect(page.getByLabel('PFX file')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Import into Key Vault/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Continue to Preflight for CSES' })).toBeVisible();
  await wizard.checkStep('certificate', 'import-result');

  await page.getByRole('button', { name: 'Import another certificate' }).click();
  await expect(result(page)).toHaveCount(0);
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue('');
  await expect(page.getByLabel('PFX password')).toHaveValue('');
  await expect(page.getByTestId('chosen-file')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import into Key Vault' })).toBeDisabled();
  // The wizard still holds the imported version until another replaces it.
  await expect(page).toHaveURL(new RegExp(`cert=${name}&version=${held.properties.version}`));
  await wizard.checkStep('certificate', 'import-another');
  expect(errors()).toEqual([]);
});

test('generate shows its result and continues to the next step with that version', async ({ page }, info) => {
  const errors = watchConsole(page);
  const name = `gen-result-${Date.now().toString(36)}`;
  const wizard = new Wizard(page, info, 'generate-result');
  await wizard.toCertificateStep();
  await page.getByRole('tab', { name: 'Generate self-signed' }).click();
  await wizard.field('Certificate name in Key Vault').fill(name);
  await expect(page.getByText(`✓ ${name} is free in kv-contoso-prod.`)).toBeVisible();
  await page.getByRole('button', { name: 'Create self-signed certificate' }).click();
  await expect(page.getByTestId('import-success')).toHaveText(`✓ Created ${name} in kv-contoso-prod.`, {
    timeout: 30_000,
  });
  const held = await sandboxCertificateClient('kv-contoso-prod').getCertificate(name);
  await expect(page.getByTestId('thumbprint')).toHaveText(held.properties.x509ThumbprintString!.toUpperCase());
  await expect(page.getByRole('button', { name: 'Create self-signed certificate' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create another certificate' })).toBeVisible();
  await wizard.checkStep('certificate', 'generate-result');
  await page.getByRole('button', { name: 'Continue to Preflight for CSES' }).click();
  await wizard.expectStep('preflight');
  await expect(page).toHaveURL(new RegExp(`cert=${name}&version=${held.properties.version}`));
  expect(errors()).toEqual([]);
});

test('a new version from Versions: the result says so, offers no "add a new version" again, and leads back', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const first = makePfx('rotate.contoso.example', 'f1rst-Passw0rd');
  const renewal = makePfx('rotate.contoso.example', 'r3newal-Passw0rd');
  const name = `rotate-${Date.now().toString(36)}`;
  // Precondition, put there by an administrator with an independent client.
  await sandboxCertificateClient('kv-contoso-prod').importCertificate(name, readFileSync(first.file), {
    password: first.password,
  });
  const wizard = new Wizard(page, info, 'new-version-result');
  await wizard.toCertificateStep();
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toHaveText(`✓ Using ${name} from kv-contoso-prod.`);
  await expect(page.getByRole('button', { name: 'Choose another certificate' })).toBeVisible();
  await wizard.next('versions');
  await page.getByRole('button', { name: 'Import a new version' }).click();
  await wizard.expectStep('certificate');
  await expect(page.getByRole('radio', { name: /Add a new version/ })).toBeChecked();
  await page.getByLabel('PFX file').setInputFiles(renewal.file);
  await page.getByLabel('PFX password').fill(renewal.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await page.getByRole('button', { name: `Import as a new version of ${name}` }).click();

  await expect(page.getByTestId('import-success')).toHaveText(`✓ Imported ${name} as a new version.`);
  const renewed = await sandboxCertificateClient('kv-contoso-prod').getCertificate(name);
  await expect(page.getByTestId('version')).toHaveText(renewed.properties.version!);
  await expect(page.getByTestId('thumbprint')).toHaveText(renewal.thumbprint);
  await expect(page.getByRole('radio', { name: /Add a new version/ })).toHaveCount(0);
  await expect(page.getByTestId('name-exists')).toHaveCount(0);
  await expect(page.getByTestId('new-version-intent')).toHaveCount(0);
  await wizard.checkStep('certificate', 'new-version-result');
  await page.getByRole('button', { name: 'Back to Versions and rotation' }).click();
  await wizard.expectStep('versions');
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(
    page
      .locator(`[data-testid="version-row"][data-version="${renewed.properties.version}"]`)
      .getByTestId('pinned-badge'),
  ).toBeVisible();
  expect(errors()).toEqual([]);
});

test('a failed import keeps the name, the file and the password, and shows no result', async ({ page }, info) => {
  // The refused request is logged by the browser as a failed resource load; nothing else may show.
  const errors = watchConsole(page, [/Failed to load resource: the server responded with a status of 4\d\d/]);
  const pfx = makePfx('kept.contoso.example', 'k3pt-Passw0rd');
  const name = `kept-${Date.now().toString(36)}`;
  const wizard = new Wizard(page, info, 'import-error-kept');
  await wizard.toCertificateStep();
  await wizard.field('Certificate name in Key Vault').fill(name);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await faults.add({ area: 'vault', method: 'POST', path: '/import$', status: 400, count: 1 });
  try {
    await page.getByRole('button', { name: 'Import into Key Vault' }).click();
    await expect(page.getByTestId('error-callout')).toBeVisible();
  } finally {
    await faults.clear();
  }
  await expect(result(page)).toHaveCount(0);
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue(name);
  await expect(page.getByLabel('PFX password')).toHaveValue(pfx.password);
  await expect(page.getByTestId('chosen-file')).toContainText('web.pfx');
  await wizard.checkStep('certificate', 'import-error-kept');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('import-success')).toHaveText(`✓ Imported ${name} into kv-contoso-prod.`);
  expect(errors()).toEqual([]);
});
