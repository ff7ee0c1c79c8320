import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient, sandboxVaultClient, SUBSCRIPTIONS } from './support/sandbox';
import { writeServiceFiles } from './support/service-files';
import { Wizard } from './support/wizard';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Flip one hex character: a near-miss thumbprint, as a typo in a .cscfg would be. */
function typo(thumbprint: string): string {
  const c = thumbprint[7] === 'A' ? 'B' : 'A';
  return `${thumbprint.slice(0, 7)}${c}${thumbprint.slice(8)}`;
}

test('Ada walks every step: enable deployment, inspect and import, preflight, patch service files, copy outputs, rotate', async ({
  page,
}, info) => {
  const pfx = makePfx('www.contoso.example', 'e2e-Passw0rd!');
  const renewal = makePfx('www.contoso.example', 'renewal-Passw0rd!');
  const certName = `web-${Date.now().toString(36)}`;
  const wizard = new Wizard(page, info, 'ada');
  const kv = sandboxCertificateClient('kv-contoso-east');
  // Precondition, set with an independent client: the deployment flag is off (other specs may have turned it on).
  await sandboxVaultClient(SUBSCRIPTIONS.staging).vaults.update('rg-cses-staging', 'kv-contoso-east', {
    properties: { enabledForDeployment: false },
  });

  // Every step runs under the app's CSP: the inspection worker, downloads and copies included.
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__cspViolations.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      ),
    );
  });

  // 1 Vault
  await wizard.open('vault');
  await expect(page.getByTestId('sandbox-badge')).toHaveText('Sandbox');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Staging', 'kv-contoso-east');
  await wizard.checkStep('vault');
  await wizard.next('access');

  // 2 Access configuration
  await expect(page.getByTestId('permission-model')).toHaveText('Vault access policy');
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText(/Disabled/);
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText(/Enabled/);
  await wizard.checkStep('access');
  await wizard.next('certificate');

  // 3 Certificate: a wrong password is caught in the browser, before anything is sent; inputs are kept.
  await wizard.field('Certificate name in Key Vault').fill(certName);
  await expect(page.getByText(`✓ ${certName} is free in kv-contoso-east.`)).toBeVisible();
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill('not-the-password');
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Cannot be imported/);
  await expect(page.getByTestId('finding-error').first()).toContainText(/password/i);
  await expect(page.getByRole('button', { name: 'Import into Key Vault' })).toBeDisabled();
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue(certName);
  await wizard.checkStep('certificate', 'wrong-password');

  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await expect(page.getByTestId('inspect-thumbprint')).toHaveText(pfx.thumbprint);
  await expect(page.getByTestId('chain-tree')).toBeVisible();
  await expect(page.getByTestId('validity-timeline')).toContainText('Today');
  await wizard.checkStep('certificate', 'inspected');
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
  const held = await kv.getCertificate(certName);
  expect(held.properties.x509ThumbprintString!.toUpperCase()).toBe(pfx.thumbprint);
  await wizard.next('preflight');

  // 4 Preflight: same subscription and region as the vault → all green; another region → red with its fix.
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready for Cloud Services (extended support).');
  for (const id of [
    'subscription',
    'region',
    'deployment-flag',
    'exportable',
    'content-type',
    'validity',
    'key-size',
    'signature',
  ]) {
    await expect(page.getByTestId(`check-${id}`)).toHaveAttribute('data-status', 'pass');
  }
  await page.getByLabel('Cloud service region').selectOption('westeurope');
  await expect(page.getByTestId('check-region')).toHaveAttribute('data-status', 'fail');
  await expect(page.getByTestId('check-region')).toContainText('Create a vault in westeurope');
  await wizard.checkStep('preflight', 'region-mismatch');
  await page.getByLabel('Cloud service region').selectOption('eastus');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready for Cloud Services (extended support).');
  await wizard.next('service-configuration');

  // 5 Service configuration: snippets, patched files with a diff, thumbprints checked against the vault.
  const heldThumbprint = held.properties.x509ThumbprintString!.toUpperCase();
  await page.getByLabel('Role names').fill('WebRole1');
  await page.getByLabel('Role names').blur();
  const cscfgLine = `<Certificate name="${certName}" thumbprint="${heldThumbprint}" thumbprintAlgorithm="sha1" />`;
  await expect(page.getByTestId('cscfg-snippet')).toContainText(cscfgLine);
  await page.getByRole('button', { name: 'Copy .cscfg certificate' }).click();
  await expect(page.getByTestId('cscfg-snippet-copy-status')).toHaveText(/Copied ✓/);
  expect(await wizard.clipboard()).toContain(cscfgLine);

  const files = writeServiceFiles({ name: 'SSL', thumbprint: typo(heldThumbprint) });
  await page.getByLabel('Service configuration (.cscfg)').setInputFiles(files.cscfg);
  await page.getByLabel('Service definition (.csdef)').setInputFiles(files.csdef);
  await expect(page.getByTestId('diff-cscfg')).toContainText('1 line(s) added');
  await expect(page.getByTestId('diff-cscfg')).toContainText(cscfgLine);
  await expect(page.getByTestId('diff-csdef')).toContainText(
    `<Certificate name="${certName}" storeLocation="LocalMachine" storeName="My" />`,
  );
  const row = page.getByTestId('thumbprint-row');
  await expect(row).toHaveAttribute('data-status', 'missing');
  await expect(row.getByTestId('char-diff').locator('mark')).toHaveCount(1);
  await expect(row).toContainText(/position 8/i);
  await expect(row).toContainText(`Closest in vault: ${certName}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-cscfg').click()]);
  const patched = readFileSync((await download.path())!, 'utf8');
  expect(patched).toContain(cscfgLine);
  expect(patched).toContain(`thumbprint="${typo(heldThumbprint)}"`);
  await wizard.checkStep('service-configuration');
  // A field saves on blur; clicking Next straight after typing (the click is what blurs it) carries the new value.
  await page.getByLabel('Certificate name in the service files').fill('SSLCert');
  await page.getByRole('button', { name: 'Next: Secret identifier' }).click();
  await wizard.expectStep('secret-identifier');
  await expect(page).toHaveURL(/[?&]cname=SSLCert(&|$)/);
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('Certificate name in the service files')).toHaveValue('SSLCert');
  await page.getByLabel('Certificate name in the service files').fill('');
  await page.getByRole('button', { name: 'Next: Secret identifier' }).click();
  await wizard.expectStep('secret-identifier');
  await expect(page).not.toHaveURL(/cname=/);

  // 6 Secret identifier: copied values are what the vault holds.
  expect(held.secretId).toMatch(
    new RegExp(`^https://kv-contoso-east\\.vault\\.localhost:\\d+/secrets/${certName}/[0-9a-f]{32}$`),
  );
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await page.getByRole('button', { name: 'Copy certificateUrl (Secret Identifier)' }).click();
  await expect(page.getByTestId('certificate-url-copy-status')).toHaveText(/Copied ✓/);
  expect(await wizard.clipboard()).toBe(held.secretId);
  await expect(page.getByTestId('vault-id')).toHaveText(
    /\/resourceGroups\/rg-cses-staging\/providers\/Microsoft\.KeyVault\/vaults\/kv-contoso-east$/,
  );
  await expect(page.getByTestId('snippet-arm')).toContainText(held.secretId!);
  const [arm] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-arm').click()]);
  expect(readFileSync((await arm.path())!, 'utf8')).toContain(held.secretId!);
  await page.getByRole('tab', { name: 'PowerShell' }).click();
  await expect(page.getByTestId('snippet-powershell')).toContainText(held.secretId!);
  await wizard.checkStep('secret-identifier');

  // Resume after a reload: the URL carries the state.
  await page.reload();
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await wizard.next('versions');

  // 7 Versions and rotation: import a new version; every output follows it.
  await expect(page.getByTestId('version-row')).toHaveCount(1);
  await expect(page.getByTestId('pinned-badge')).toBeVisible();
  await wizard.checkStep('versions');
  await page.getByRole('button', { name: 'Import a new version' }).click();
  await wizard.expectStep('certificate');
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue(certName);
  await expect(page.getByTestId('name-exists').filter({ visible: true })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Add a new version/ })).toBeChecked();
  await page.getByLabel('PFX file').setInputFiles(renewal.file);
  await page.getByLabel('PFX password').fill(renewal.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await page.getByRole('button', { name: `Import as a new version of ${certName}` }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(renewal.thumbprint);
  const renewed = await kv.getCertificate(certName);
  expect(renewed.properties.version).not.toBe(held.properties.version);

  await page.getByRole('link', { name: /Secret identifier/ }).click();
  await wizard.expectStep('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(renewed.secretId!);
  await expect(page.getByTestId('secret-thumbprint')).toHaveText(renewal.thumbprint);
  await page.getByRole('link', { name: /Versions and rotation/ }).click();
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(
    page
      .locator(`[data-testid="version-row"][data-version="${renewed.properties.version}"]`)
      .getByTestId('pinned-badge'),
  ).toBeVisible();
  await wizard.checkStep('versions', 'rotated');

  // Back and forward move between steps with the state intact.
  await page.goBack();
  await wizard.expectStep('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(renewed.secretId!);
  await page.goForward();
  await wizard.expectStep('versions');

  // Pinning the older version moves every output back to it, and says a newer one exists.
  await page.getByRole('button', { name: `Pin this version ${held.properties.version}` }).click();
  await expect(page.getByTestId('newer-version')).toBeVisible();
  await page.getByRole('button', { name: 'See the pinned outputs' }).click();
  await wizard.expectStep('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await expect(page.getByTestId('secret-thumbprint')).toHaveText(pfx.thumbprint);
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
});
