import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { faults } from './support/faults';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient, sandboxVaultClient, SUBSCRIPTIONS } from './support/sandbox';
import { Wizard } from './support/wizard';

test('Ada creates a vault in the flow, generates a self-signed certificate, recovers a deleted name and picks an existing one', async ({
  page,
}, info) => {
  const suffix = Date.now().toString(36).slice(-6);
  const vaultName = `kv-e2e-${suffix}`;
  const wizard = new Wizard(page, info, 'ada-create');
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await page.getByLabel('Subscription').selectOption({ label: 'Contoso Production' });
  await page.getByRole('button', { name: 'Create key vault' }).click();
  await page.getByLabel('Key vault name').fill('kv-contoso-prod');
  await expect(page.getByTestId('create-vault-panel')).toContainText('choose another');
  await page.getByLabel('Key vault name').fill(vaultName);
  await expect(page.getByText(`✓ ${vaultName} is available.`)).toBeVisible();
  await page.getByLabel('Resource group', { exact: true }).selectOption({ label: 'Create new…' });
  await page.getByLabel('New resource group name').fill(`rg-e2e-${suffix}`);
  await page.getByLabel('Region', { exact: true }).last().selectOption('westeurope');
  await wizard.checkStep('vault', 'create-form');
  await page.getByRole('button', { name: 'Create key vault', exact: true }).last().click();
  await expect(page.getByTestId('vault-created')).toBeVisible();
  await expect(page.getByRole('radio', { name: vaultName })).toBeChecked();
  const created = await sandboxVaultClient(SUBSCRIPTIONS.production).vaults.get(`rg-e2e-${suffix}`, vaultName);
  expect(created.properties.enabledForDeployment).toBe(true);
  expect(created.location).toBe('westeurope');
  await wizard.checkStep('vault', 'created');
  await wizard.next('access');
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  await wizard.next('certificate');

  // Generate a self-signed certificate while Key Vault works.
  await page.getByRole('tab', { name: 'Generate self-signed' }).click();
  const genName = `gen-${suffix}`;
  await wizard.field('Certificate name in Key Vault').fill(genName);
  await expect(page.getByText(`✓ ${genName} is free in ${vaultName}.`)).toBeVisible();
  await page.getByLabel('DNS names').fill('gen.contoso.example, www.gen.contoso.example');
  await page.getByLabel('Key size').selectOption('3072');
  await wizard.checkStep('certificate', 'generate-form');
  // Key Vault takes its time: progress shows while the operation is pending.
  await faults.add({ area: 'vault', method: 'GET', path: '/pending$', delayMs: 1200, count: 2 });
  try {
    await page.getByRole('button', { name: 'Create self-signed certificate' }).click();
    await expect(page.getByTestId('create-progress')).toContainText('Key Vault is creating the certificate');
    await expect(page.getByTestId('import-success')).toContainText(`Created ${genName}`);
  } finally {
    await faults.clear();
  }
  const kv = sandboxCertificateClient(vaultName);
  const gen = await kv.getCertificate(genName);
  expect(gen.policy?.exportable).toBe(true);
  expect(gen.policy?.contentType).toBe('application/x-pkcs12');
  expect(gen.policy?.keySize).toBe(3072);
  await expect(page.getByTestId('thumbprint')).toHaveText(gen.properties.x509ThumbprintString!.toUpperCase());
  await wizard.checkStep('certificate', 'generated');
  await page.getByRole('button', { name: 'Create another certificate' }).click();

  // A Let's Encrypt-style pair (fullchain.pem + privkey.pem, made by OpenSSL): a key of another certificate is named
  // as such first; then the right key gives a PFX built in the browser, imported like any PFX.
  const le = (f: string) => path.resolve('lib/certs/__vectors__/pem', f);
  const leafSha1 = execFileSync('openssl', ['x509', '-in', le('le/cert.pem'), '-noout', '-fingerprint', '-sha1'])
    .toString()
    .replace(/^.*=/s, '')
    .replace(/:/g, '')
    .trim();
  await page.getByRole('tab', { name: 'Import PEM / CRT + key' }).click();
  const pemName = `le-${suffix}`;
  await wizard.field('Certificate name in Key Vault').fill(pemName);
  await expect(page.getByText(`✓ ${pemName} is free in ${vaultName}.`)).toBeVisible();
  await page.getByLabel('Certificate files').setInputFiles(le('le/fullchain.pem'));
  await page.getByLabel('Private key file').setInputFiles(le('other-key.pem'));
  await expect(page.locator('[data-testid="finding-error"][data-code="key-mismatch"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Build the PFX and import into Key Vault' })).toBeDisabled();
  await page.getByLabel('Private key file').setInputFiles(le('le/privkey.pem'));
  await expect(page.getByTestId('pem-key-match')).toContainText('belongs to the leaf certificate');
  await expect(page.getByTestId('inspection-verdict').filter({ visible: true })).toHaveText(/Ready to import/);
  await expect(page.getByTestId('inspect-thumbprint').filter({ visible: true })).toHaveText(leafSha1);
  await wizard.checkStep('certificate', 'pem-inspected');
  await page.getByRole('button', { name: 'Build the PFX and import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toContainText(`Imported ${pemName}`);
  await expect(page.getByTestId('thumbprint')).toHaveText(leafSha1);
  expect((await kv.getCertificate(pemName)).properties.x509ThumbprintString!.toUpperCase()).toBe(leafSha1);
  await page.getByRole('button', { name: 'Import another certificate' }).click();

  // A deleted but recoverable name offers recovery, then "add a new version".
  const old = makePfx('old.contoso.example', '0ld-Passw0rd');
  const oldName = `old-${suffix}`;
  await kv.importCertificate(oldName, readFileSync(old.file), { password: old.password });
  await (await kv.beginDeleteCertificate(oldName, { intervalInMs: 200 })).pollUntilDone();
  await page.getByRole('tab', { name: 'Import a PFX' }).click();
  await wizard.field('Certificate name in Key Vault').fill(oldName);
  await expect(page.getByTestId('name-deleted')).toBeVisible();
  await wizard.checkStep('certificate', 'deleted-name');
  await page.getByRole('button', { name: `Recover ${oldName}` }).click();
  await expect(page.getByTestId('name-exists').filter({ visible: true })).toBeVisible();
  expect((await kv.getCertificate(oldName)).properties.x509ThumbprintString!.toUpperCase()).toBe(old.thumbprint);

  // Pick an existing certificate.
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await expect(page.getByRole('radio', { name: genName })).toBeVisible();
  await page.getByRole('radio', { name: oldName }).check();
  await wizard.checkStep('certificate', 'existing');
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toContainText(`Using ${oldName}`);
  await expect(page.getByTestId('thumbprint')).toHaveText(old.thumbprint);

  // The cloud service runs in East US: copy the certificate into a vault created there in the flow; outputs follow.
  await wizard.next('preflight');
  await page.getByLabel('Cloud service region').selectOption('eastus');
  await expect(page.getByTestId('check-region')).toHaveAttribute('data-status', 'fail');
  const copyPanel = page.getByTestId('copy-to-vault');
  await copyPanel.getByRole('button', { name: 'Create a vault in East US' }).click();
  const eastName = `kv-e2e-${suffix}-us`;
  await copyPanel.getByLabel('Key vault name').fill(eastName);
  await expect(copyPanel.getByText(`✓ ${eastName} is available.`)).toBeVisible();
  await copyPanel.getByLabel('Resource group', { exact: true }).selectOption({ label: `rg-e2e-${suffix}` });
  await expect(copyPanel.getByLabel('Region', { exact: true })).toHaveValue('eastus');
  await copyPanel.getByRole('button', { name: 'Create key vault', exact: true }).click();
  await expect(copyPanel.getByRole('radio', { name: new RegExp(eastName) })).toBeChecked();
  await wizard.checkStep('preflight', 'copy-to-vault');
  await copyPanel.getByRole('button', { name: `Copy ${oldName} into ${eastName}` }).click();
  await expect(page.getByTestId('copy-success')).toContainText(`into ${eastName}`);
  await expect(page.getByTestId('check-region')).toHaveAttribute('data-status', 'pass');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready for Cloud Services (extended support).');
  const copy = await sandboxCertificateClient(eastName).getCertificate(oldName);
  expect(copy.properties.x509ThumbprintString!.toUpperCase()).toBe(old.thumbprint);
  await wizard.next('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(copy.secretId!);
  await expect(page.getByTestId('secret-thumbprint')).toHaveText(old.thumbprint);
  await expect(page.getByTestId('snippet-arm')).toContainText(copy.secretId!);
});

test('deep links: a full link restores every step; a link without its state says which step provides it', async ({
  page,
}) => {
  const pfx = makePfx('deeplink.contoso.example', 'd33p-link');
  const name = `deep-${Date.now().toString(36)}`;
  const held = await sandboxCertificateClient('kv-contoso-rbac').importCertificate(name, readFileSync(pfx.file), {
    password: pfx.password,
  });
  const wizard = new Wizard(page);
  await page.goto('/wizard/preflight');
  await wizard.signInAs('Ada Admin');
  await expect(page.getByTestId('needs-state')).toContainText('Choose a key vault first.');
  await page.getByRole('link', { name: 'Go to Vault' }).click();
  await wizard.expectStep('vault');

  const q = new URLSearchParams({
    sub: SUBSCRIPTIONS.production,
    rg: 'rg-cses-prod',
    vault: 'kv-contoso-rbac',
    cert: name,
    version: held.properties.version!,
  });
  await page.goto(`/wizard/secret-identifier?${q}`);
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  // A fresh tab on a bare step URL resumes from session storage.
  await page.goto('/wizard/service-configuration');
  await expect(page.getByTestId('cscfg-snippet')).toContainText(pfx.thumbprint);
});
