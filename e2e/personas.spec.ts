import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { faults } from './support/faults';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient, sandboxVaultClient, SUBSCRIPTIONS } from './support/sandbox';
import { Wizard } from './support/wizard';

// Each persona walks every step it can, and meets the refusals its rights imply, with the role or access-policy
// permission to ask for and the command an administrator can run.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const PROD_VAULT_ID =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod';

async function deploymentFlagOff(vault: 'kv-contoso-prod') {
  await sandboxVaultClient(SUBSCRIPTIONS.production).vaults.update('rg-cses-prod', vault, {
    properties: { enabledForDeployment: false },
  });
}

test('Cole (Certificates Officer on the RBAC vault only): refused the deployment flag, then walks every step on kv-contoso-rbac', async ({
  page,
}, info) => {
  await deploymentFlagOff('kv-contoso-prod');
  const wizard = new Wizard(page, info, 'cole');
  await wizard.open('vault');
  await wizard.signInAs('Cole Certs');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');

  // Known before the click (ARM's permissions API): he may not write the vault; the button still lets him try.
  await expect(page.getByTestId('precheck-flag')).toContainText(
    "You can't turn this on: ask for the 'Key Vault Contributor' role on the vault.",
  );
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('error-callout')).toContainText('You may not change the settings');
  // After the refusal the button says what happened, and the notice gives way to the refusal's advice.
  await expect(page.getByRole('button', { name: "Refused: you may not change this vault's settings" })).toBeDisabled();
  await expect(page.getByTestId('precheck-flag')).toHaveCount(0);
  // One piece of advice with one command (the signed-in user's UPN), shown once, with one copy button of its own name.
  await expect(page.getByTestId('error-action')).toContainText("'Key Vault Contributor' role");
  const az = `az role assignment create --role "Key Vault Contributor" --assignee certs@contoso.sandbox --scope ${PROD_VAULT_ID}`;
  await expect(page.getByTestId('refusal-az')).toHaveText(az);
  await expect(page.getByText(/az keyvault update/)).toHaveCount(0);
  const copy = page.getByRole('button', {
    name: 'Copy Azure CLI command to assign Key Vault Contributor on the vault',
  });
  await expect(copy).toHaveCount(1);
  await copy.click();
  expect(await wizard.clipboard()).toBe(az);
  await page.getByTestId('refusal-advice').getByRole('tab', { name: 'PowerShell' }).click();
  await expect(page.getByTestId('refusal-powershell')).toHaveText(
    `New-AzRoleAssignment -SignInName certs@contoso.sandbox -RoleDefinitionName "Key Vault Contributor" -Scope "${PROD_VAULT_ID}"`,
  );
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText(/Disabled/);
  await wizard.checkStep('access', 'refused');

  // Cole has no access policy on this vault: the certificate name check already says what to ask for.
  await wizard.next('certificate');
  const colePolicy =
    'az keyvault set-policy --name kv-contoso-prod --upn certs@contoso.sandbox --certificate-permissions get list import create recover --secret-permissions get';
  await expect(page.getByTestId('precheck-certificates-command-az')).toHaveText(colePolicy);
  await wizard.field('Certificate name in Key Vault').fill('cole-on-prod');
  await expect(page.getByTestId('error-callout').filter({ visible: true })).toContainText('do not give you');
  // The refused name check names the same command, so the page shows it once (the notice above the form).
  await expect(page.getByText(colePolicy, { exact: true }).filter({ visible: true })).toHaveCount(1);
  await expect(page.getByTestId('refusal-advice').filter({ visible: true })).toHaveCount(0);
  await wizard.checkStep('certificate', 'refused');

  // On the RBAC vault Cole may work with certificates.
  await page
    .getByRole('navigation', { name: 'Wizard steps' })
    .getByRole('link', { name: 'Vault', exact: true })
    .click();
  await wizard.expectStep('vault');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
  await wizard.checkStep('vault');
  await wizard.next('access');
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  await page.getByText(/Rights on certificates this wizard needs/).click();
  await expect(page.getByTestId('cert-rights-ask')).toContainText('Key Vault Certificates Officer');
  await wizard.checkStep('access');
  await wizard.next('certificate');

  const pfx = makePfx('cole.contoso.example', 'c0le-Passw0rd');
  const name = `cole-${Date.now().toString(36)}`;
  await wizard.field('Certificate name in Key Vault').fill(name);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  // Progress while the upload finishes and Key Vault imports (slowed down by the sandbox's fault switch).
  await faults.add({ area: 'vault', method: 'POST', path: '/import$', delayMs: 1500, count: 1 });
  try {
    await page.getByRole('button', { name: 'Import into Key Vault' }).click();
    await expect(page.getByTestId('import-progress')).toContainText('Key Vault is importing the certificate');
    await expect(page.getByTestId('import-success')).toBeVisible();
  } finally {
    await faults.clear();
  }
  await wizard.checkStep('certificate');
  const held = await sandboxCertificateClient('kv-contoso-rbac', 'certs@contoso.sandbox').getCertificate(name);

  await wizard.next('preflight');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready for Cloud Services (extended support).');
  await wizard.checkStep('preflight');
  await wizard.next('service-configuration');
  await expect(page.getByTestId('cscfg-snippet')).toContainText(
    `thumbprint="${held.properties.x509ThumbprintString!.toUpperCase()}"`,
  );
  await wizard.checkStep('service-configuration');
  await wizard.next('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await page.getByRole('tab', { name: 'Bicep' }).click();
  await expect(page.getByTestId('snippet-bicep')).toContainText(held.secretId!);
  await wizard.checkStep('secret-identifier');
  await wizard.next('versions');
  await expect(page.getByTestId('version-row')).toHaveCount(1);
  await wizard.checkStep('versions');
});

test('Rita (Reader, get/list only): refused the flag and the import with what to ask for; uses an existing certificate; preflight is red', async ({
  page,
}, info) => {
  await deploymentFlagOff('kv-contoso-prod');
  // An administrator put a certificate in the vault earlier (independent SDK client).
  const existing = makePfx('legacy.contoso.example', 'l3gacy');
  const existingName = `legacy-${Date.now().toString(36)}`;
  const held = await sandboxCertificateClient('kv-contoso-prod').importCertificate(
    existingName,
    readFileSync(existing.file),
    { password: existing.password },
  );

  const wizard = new Wizard(page, info, 'rita');
  await wizard.open('vault');
  await wizard.signInAs('Rita Reader');
  await page.getByLabel('Subscription').selectOption({ label: 'Contoso Production' });

  // Creating a vault is refused with the role to ask for; what she typed stays.
  await page.getByRole('button', { name: 'Create key vault' }).click();
  const vaultName = `kv-rita-${Date.now().toString(36).slice(-6)}`;
  await page.getByLabel('Key vault name').fill(vaultName);
  await expect(page.getByText(`✓ ${vaultName} is available.`)).toBeVisible();
  await page.getByLabel('Resource group', { exact: true }).selectOption('rg-cses-prod');
  await page.getByRole('button', { name: 'Create key vault', exact: true }).last().click();
  await expect(page.getByTestId('error-callout')).toContainText(
    "You may not create a key vault in the resource group 'rg-cses-prod'",
  );
  await expect(page.getByTestId('error-action')).toContainText('Key Vault Contributor');
  await expect(page.getByLabel('Key vault name')).toHaveValue(vaultName);
  await wizard.checkStep('vault', 'create-refused');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.checkStep('vault');
  await wizard.next('access');
  const ritaRole = `az role assignment create --role "Key Vault Contributor" --assignee reader@contoso.sandbox --scope ${PROD_VAULT_ID}`;
  await expect(page.getByTestId('precheck-flag')).toContainText("You can't turn this on");
  await expect(page.getByTestId('precheck-flag-command-az')).toHaveText(ritaRole);
  await wizard.checkStep('access', 'precheck');
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('refusal-az')).toHaveText(
    `az role assignment create --role "Key Vault Contributor" --assignee reader@contoso.sandbox --scope ${PROD_VAULT_ID}`,
  );
  await wizard.checkStep('access', 'refused');
  await wizard.next('certificate');

  // Known before anything is chosen: her access policy has no Import. The form still lets her try.
  const ritaPolicy =
    'az keyvault set-policy --name kv-contoso-prod --upn reader@contoso.sandbox --certificate-permissions get list import create recover --secret-permissions get';
  await expect(page.getByTestId('precheck-certificates')).toContainText(
    "You can't add certificates to kv-contoso-prod: ask for an access policy with Import and Create.",
  );
  await expect(page.getByTestId('precheck-certificates-command-az')).toHaveText(ritaPolicy);
  await page.getByTestId('precheck-certificates').getByRole('tab', { name: 'PowerShell' }).click();
  await expect(page.getByTestId('precheck-certificates-command-powershell')).toContainText(
    '-UserPrincipalName reader@contoso.sandbox -PermissionsToCertificates get,list,import,create,recover',
  );

  // Import: inspected fine in the browser, refused by the vault's access policy; the app names the permission.
  const pfx = makePfx('rita.contoso.example', 'r1ta-Passw0rd');
  await wizard.field('Certificate name in Key Vault').fill('rita-import');
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('error-callout')).toContainText("do not give you the certificate permission 'import'");
  // The refusal's advice is the notice's (one table): the same sentence, and its command is on the page once.
  const refusal = page.getByTestId('error-callout').filter({ visible: true });
  await expect(refusal.getByTestId('error-action')).toHaveText(
    "Ask for an access policy on 'kv-contoso-prod' with the certificate permissions Get, List, Import, Create and Recover and the secret permission Get (vault access policy model). The command for an administrator is above.",
  );
  await expect(
    page.getByText(/az keyvault set-policy|Set-AzKeyVaultAccessPolicy/).filter({ visible: true }),
  ).toHaveCount(1);
  await expect(page.getByText('<your-upn>')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refused: you may not import into kv-contoso-prod' })).toBeDisabled();
  await expect(wizard.field('Certificate name in Key Vault')).toHaveValue('rita-import');
  await expect(page.getByLabel('PFX password')).toHaveValue(pfx.password);
  await wizard.checkStep('certificate', 'refused');

  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name: existingName }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toContainText(`Using ${existingName}`);
  await wizard.checkStep('certificate', 'existing');
  await wizard.next('preflight');
  await expect(page.getByTestId('check-deployment-flag')).toHaveAttribute('data-status', 'fail');
  await expect(
    page.getByTestId('check-deployment-flag').getByRole('link', { name: 'Go to Access configuration' }),
  ).toBeVisible();
  await expect(page.getByTestId('preflight-verdict')).toContainText('would make the deployment fail');
  await wizard.checkStep('preflight', 'red');
  await wizard.next('service-configuration');
  await wizard.checkStep('service-configuration');
  await wizard.next('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toHaveText(held.secretId!);
  await page.getByRole('button', { name: 'Copy certificateUrl (Secret Identifier)' }).click();
  expect(await wizard.clipboard()).toBe(held.secretId);
  await wizard.checkStep('secret-identifier');
  await wizard.next('versions');
  await expect(page.getByTestId('pinned-badge')).toBeVisible();
  await wizard.checkStep('versions');
});
