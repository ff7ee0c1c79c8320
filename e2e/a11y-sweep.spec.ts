import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { axeViolations, consoleErrors, isOwnStatus } from './support/axe';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient, sandboxVaultClient, SUBSCRIPTIONS } from './support/sandbox';
import { writeServiceFiles } from './support/service-files';
import { Wizard } from './support/wizard';

/**
 * The sweep: every page and state a user meets — signed out, the 404s, each wizard step and tab, each refusal Rita
 * and Cole get, the cloud-services pages — checked with every axe rule of any impact (best practices and label-in-name
 * included), and the console holds no error on any of them. Each state is photographed as a test artifact.
 */
const SHOTS = path.resolve('test-results', 'a11y-sweep');

class Sweep {
  private shot = 0;
  readonly errors: string[];
  constructor(
    private readonly page: Page,
    private readonly info: TestInfo,
    private readonly who: string,
  ) {
    this.errors = consoleErrors(page);
  }

  /** axe on the page as it is now (soft: the walk goes on and every page's violations are reported), then a PNG. */
  async check(state: string) {
    // Wait for any loading text to give way, so axe sees the settled page.
    await expect(this.page.getByText(/^(Loading|Checking)\b.*…$/)).toHaveCount(0);
    expect.soft(await axeViolations(this.page), `axe on ${this.who}: ${state}`).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${this.who}-${String(++this.shot).padStart(2, '0')}-${state}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    await this.info.attach(`${this.who}: ${state}`, { path: file, contentType: 'image/png' });
  }

  /**
   * Nothing on the console but the refusals the walk provokes on purpose: the browser logs each 403 our API answers
   * (shown on the page as advice); `refused` names those requests. A 404 page's own status is the other line the
   * browser always logs. Any other error fails the walk.
   */
  expectQuietConsole(refused: RegExp[] = []) {
    const unexpected = this.errors.filter(
      (e) =>
        !isOwnStatus(e, 404) &&
        !(/status of 403 \(Forbidden\) \(http:\/\/localhost:\d+\/api\//.test(e) && refused.some((r) => r.test(e))),
    );
    expect(unexpected, `console errors on ${this.who}'s walk`).toEqual([]);
  }
}

const servicePath = (name: string) => `/cloud-services/${SUBSCRIPTIONS.production}/rg-cses-prod/${name}`;

async function deploymentFlagOff() {
  await sandboxVaultClient(SUBSCRIPTIONS.production).vaults.update('rg-cses-prod', 'kv-contoso-prod', {
    properties: { enabledForDeployment: false },
  });
}

test('signed out, and the pages that do not exist', async ({ page }, info) => {
  const sweep = new Sweep(page, info, 'signed-out');
  await page.goto('/wizard/vault');
  await expect(page.getByRole('button', { name: 'Sign in as Ada Admin' })).toBeVisible();
  await sweep.check('wizard');
  await page.goto('/cloud-services');
  await expect(page.getByRole('button', { name: 'Sign in as Ada Admin' })).toBeVisible();
  await sweep.check('cloud-services');
  for (const [url, state] of [
    ['/no-such-page', '404'],
    ['/wizard/no-such-step', '404-step'],
  ] as const) {
    expect((await page.goto(url))?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await sweep.check(state);
  }
  sweep.expectQuietConsole();
});

test('Ada: every step, tab and state of the wizard', async ({ page }, info) => {
  test.setTimeout(180_000);
  const sweep = new Sweep(page, info, 'ada');
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
  await sweep.check('vault');
  await page.getByRole('button', { name: 'Create key vault' }).click();
  await page.getByLabel('Key vault name').fill(`kv-sweep-${Date.now().toString(36).slice(-6)}`);
  await expect(page.getByText(/is available\./)).toBeVisible();
  await sweep.check('vault-create');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await wizard.next('access');
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  await sweep.check('access');

  await wizard.next('certificate');
  await sweep.check('certificate-pfx');
  const pfx = makePfx('sweep.contoso.example', 'sweep-Passw0rd!');
  const name = `sweep-${Date.now().toString(36)}`;
  await wizard.field('Certificate name in Key Vault').fill(name);
  await expect(page.getByText(`✓ ${name} is free in kv-contoso-rbac.`)).toBeVisible();
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill('not-the-password');
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Cannot be imported/);
  await sweep.check('certificate-wrong-password');
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await sweep.check('certificate-inspected');
  for (const tab of ['Import PEM / CRT + key', 'Generate self-signed', 'Use a certificate in the vault']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    await sweep.check(`certificate-${tab.split(' ')[0]!.toLowerCase()}`);
  }
  await page.getByRole('tab', { name: 'Import a PFX' }).click();
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await sweep.check('certificate-imported');

  await wizard.next('preflight');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready for Cloud Services (extended support).');
  await sweep.check('preflight');

  await wizard.next('service-configuration');
  await page.getByLabel('Role names').fill('WebRole1');
  await page.getByLabel('Role names').blur();
  const files = writeServiceFiles({ name: 'SSL', thumbprint: pfx.thumbprint });
  await page.getByLabel('Service configuration (.cscfg)').setInputFiles(files.cscfg);
  await page.getByLabel('Service definition (.csdef)').setInputFiles(files.csdef);
  await expect(page.getByTestId('diff-cscfg')).toContainText('1 line(s) added');
  await expect(page.getByTestId('thumbprint-row')).toHaveCount(1);
  await sweep.check('service-configuration');

  await wizard.next('secret-identifier');
  await expect(page.getByTestId('certificate-url')).toBeVisible();
  await sweep.check('secret-identifier');

  // A second version, added independently, so the versions table offers "Pin this version".
  await sandboxCertificateClient('kv-contoso-rbac').importCertificate(
    name,
    readFileSync(makePfx('sweep.contoso.example', 'renewed-Passw0rd!').file),
    { password: 'renewed-Passw0rd!' },
  );
  await wizard.next('versions');
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  await expect(page.getByTestId('newer-version')).toBeVisible();
  await sweep.check('versions');
  sweep.expectQuietConsole();
});

test('Rita (Reader): every refusal, on the vault, access configuration and certificate steps', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await deploymentFlagOff();
  const existing = makePfx('legacy.contoso.example', 'l3gacy');
  const existingName = `sweep-legacy-${Date.now().toString(36)}`;
  await sandboxCertificateClient('kv-contoso-prod').importCertificate(existingName, readFileSync(existing.file), {
    password: existing.password,
  });
  const sweep = new Sweep(page, info, 'rita');
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Rita Reader');
  await page.getByLabel('Subscription').selectOption({ label: 'Contoso Production' });
  await page.getByRole('button', { name: 'Create key vault' }).click();
  const vaultName = `kv-rita-${Date.now().toString(36).slice(-6)}`;
  await page.getByLabel('Key vault name').fill(vaultName);
  await expect(page.getByText(`✓ ${vaultName} is available.`)).toBeVisible();
  await page.getByLabel('Resource group', { exact: true }).selectOption('rg-cses-prod');
  await page.getByRole('button', { name: 'Create key vault', exact: true }).last().click();
  await expect(page.getByTestId('error-callout')).toContainText('You may not create a key vault');
  await sweep.check('vault-create-refused');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');
  await expect(page.getByTestId('precheck-flag')).toContainText("You can't turn this on");
  await sweep.check('access-precheck');
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('refusal-az')).toBeVisible();
  await sweep.check('access-refused');

  await wizard.next('certificate');
  await expect(page.getByTestId('precheck-certificates')).toContainText("You can't add certificates");
  await sweep.check('certificate-precheck');
  const pfx = makePfx('rita.contoso.example', 'r1ta-Passw0rd');
  await wizard.field('Certificate name in Key Vault').fill('rita-sweep');
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('error-callout').filter({ visible: true })).toContainText(
    "do not give you the certificate permission 'import'",
  );
  await sweep.check('import-refused');

  // Her preflight is red (the deployment flag is off), with the way to fix it.
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name: existingName }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await wizard.next('preflight');
  await expect(page.getByTestId('check-deployment-flag')).toHaveAttribute('data-status', 'fail');
  await sweep.check('preflight-red');
  sweep.expectQuietConsole([
    /\/api\/subscriptions\/[^/]+\/vaults\)$/, // create the vault
    /\/vaults\/kv-contoso-prod\)$/, // turn the deployment flag on
    /\/vaults\/kv-contoso-prod\/certificates\/rita-sweep\)$/, // import
  ]);
});

test('Cole (Certificates Officer on the RBAC vault only): refused on kv-contoso-prod', async ({ page }, info) => {
  await deploymentFlagOff();
  const sweep = new Sweep(page, info, 'cole');
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Cole Certs');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-prod');
  await wizard.next('access');
  await expect(page.getByTestId('precheck-flag')).toContainText("You can't turn this on");
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('error-callout')).toContainText('You may not change the settings');
  await sweep.check('access-refused');
  await wizard.next('certificate');
  await wizard.field('Certificate name in Key Vault').fill('cole-sweep');
  await expect(page.getByTestId('error-callout').filter({ visible: true })).toContainText('do not give you');
  await sweep.check('certificate-refused');
  sweep.expectQuietConsole([
    /\/vaults\/kv-contoso-prod\)$/, // turn the deployment flag on
    /\/vaults\/kv-contoso-prod\/certificates\/cole-sweep\/availability\)$/, // the name check
  ]);
});

test('the cloud-services pages: the list, each kind of service, rotation, a plan, migration, read-only and export', async ({
  browser,
}, info) => {
  test.setTimeout(240_000);
  for (const persona of ['Ada', 'Rita', 'Cole'] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sweep = new Sweep(page, info, `cloud-${persona.toLowerCase()}`);
    await page.goto('/cloud-services');
    await page.getByRole('button', { name: new RegExp(`^Sign in as ${persona}`) }).click();
    await expect(page.getByTestId('service-row')).toHaveCount(5);
    await sweep.check('list');
    if (persona === 'Ada') {
      for (const name of ['cs-contoso-web', 'cs-contoso-legacy', 'cs-contoso-api']) {
        await page.goto(servicePath(name));
        await expect(page.getByTestId('certificate-row').first()).toBeVisible();
        await sweep.check(name);
      }
      await page.goto(servicePath('cs-contoso-shop'));
      await page.getByRole('button', { name: 'Rotate SslCertificate in WebRole1' }).click();
      await page.getByRole('tab', { name: 'Renewed PFX' }).click();
      await sweep.check('shop-rotate-pfx');
      await page.getByRole('tab', { name: 'Migrate' }).click();
      await expect(page.getByTestId('migration-row').first()).toBeVisible();
      await sweep.check('shop-migrate');
    }
    // The broken service and its repair: a plan to apply (Ada), or to export (the Readers).
    await page.goto(servicePath('cs-contoso-billing'));
    await expect(page.getByTestId('service-health')).toHaveText('Broken');
    await sweep.check('billing-broken');
    await page.getByRole('button', { name: 'Repair SslCertificate in WebRole1' }).click();
    await page.getByRole('button', { name: 'Plan with this version' }).click();
    await expect(page.getByTestId(persona === 'Ada' ? 'apply' : 'export-only')).toBeVisible();
    await sweep.check(persona === 'Ada' ? 'billing-plan' : 'billing-export-only');
    sweep.expectQuietConsole();
    await context.close();
  }
});
