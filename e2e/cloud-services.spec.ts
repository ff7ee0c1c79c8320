import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { axeViolations } from './support/axe';
import { certificateUrls, countPuts, readService } from './support/cloud-services';
import { faults } from './support/faults';
import { makePfx } from './support/pfx';
import { SUBSCRIPTIONS } from './support/sandbox';

/**
 * The "Cloud services" blade against the sandbox's seeded running services (cs-contoso-web healthy, -shop expiring,
 * -billing broken, -legacy migrated from classic). What changed is read back from the sandbox over ARM directly.
 * The tests run in order on one sandbox: the rotation is rolled back before the later ones look at cs-contoso-shop.
 */
const SHOTS = path.resolve('test-results', 'cloud-services');
const servicePath = (name: string) => `/cloud-services/${SUBSCRIPTIONS.production}/rg-cses-prod/${name}`;

async function signIn(page: Page, url: string, persona: 'Ada' | 'Cole' | 'Rita') {
  await page.goto(url);
  await page.getByRole('button', { name: new RegExp(`^Sign in as ${persona}`) }).click();
}

async function check(page: Page, info: TestInfo, name: string) {
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

const row = (page: Page, role: string, certificate: string) =>
  page.locator(`[data-testid="certificate-row"][data-role="${role}"][data-certificate="${certificate}"]`);

const CSDEF_WEB = `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="cs-contoso-web" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WebRole1"><Certificates>
    <Certificate name="SslCertificate" storeLocation="LocalMachine" storeName="My" />
    <Certificate name="ApiClientCertificate" storeLocation="LocalMachine" storeName="TrustedPeople" />
  </Certificates></WebRole>
  <WorkerRole name="WorkerRole1"><Certificates>
    <Certificate name="ApiClientCertificate" storeLocation="LocalMachine" storeName="My" />
  </Certificates></WorkerRole>
</ServiceDefinition>
`;

/** The blockers each seeded service has for every target (besides "no .csdef"). */
const MIGRATION_BLOCKERS: Record<string, string[]> = {
  'cs-contoso-legacy': [
    'blocker secret-only WebRole1/SslCertificate',
    'drop remote-access WebRole1/Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
  ],
  'cs-contoso-shop': ['blocker expires-in-window WebRole1/SslCertificate'],
  'cs-contoso-billing': ['warning no-version WebRole1/SslCertificate'],
  'cs-contoso-api': [],
  'cs-contoso-web': [],
};
/** Blockers only some targets have: the scale-set targets install from the vault through the deployment flag. */
const TARGET_BLOCKERS: Record<string, Record<string, string[]>> = {
  'cs-contoso-api': {
    'VM Scale Sets (Flexible)': ['blocker deployment-flag '],
    'Service Fabric managed cluster': ['blocker deployment-flag '],
  },
};
const TARGET_MARKS = {
  'VM Scale Sets (Flexible)': '"certificateStore": "My"',
  'Key Vault VM extension (Windows)': '"observedCertificates"',
  'Service Fabric managed cluster': '"vmSecrets"',
  'App Service': '"keyVaultSecretName"',
} as const;

test('the Migrate tab: every seeded service and target, the expected blockers, the report downloads and renders', async ({
  page,
}, info) => {
  const puts = await countPuts();
  let first = true;
  for (const [name, expected] of Object.entries(MIGRATION_BLOCKERS)) {
    if (first) await signIn(page, servicePath(name), 'Ada');
    else await page.goto(servicePath(name));
    first = false;
    await page.getByRole('tab', { name: 'Migrate' }).click();
    await expect(page.getByTestId('migration-row').first()).toBeVisible();
    for (const [label, mark] of Object.entries(TARGET_MARKS)) {
      await page.getByRole('radio', { name: label }).check();
      await expect(page.getByTestId('migration-output')).toContainText(mark);
      const blockers = page.getByTestId('migration-blocker');
      const got = await blockers.evaluateAll((els) =>
        els
          .filter((e) => e.getAttribute('data-blocker') !== 'csdef-missing')
          .map(
            (e) =>
              `${e.getAttribute('data-severity')} ${e.getAttribute('data-blocker')} ${e.getAttribute('data-certificate')}`,
          ),
      );
      expect(got, `${name} → ${label}`).toEqual([...expected, ...(TARGET_BLOCKERS[name]?.[label] ?? [])]);
      // The ARM output is a template that parses, with every carried certificate in it.
      const arm = JSON.parse((await page.getByTestId('migration-output').innerText()).trim());
      expect(arm.$schema).toContain('deploymentTemplate.json');
    }
    if (name === 'cs-contoso-legacy') {
      await expect(page.locator('[data-testid="migration-row"][data-included="false"]')).toHaveAttribute(
        'data-certificate',
        'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
      );
      await expect(page.getByTestId('migration-verdict')).toHaveText('1 blocker before the move');
      await check(page, info, 'ada-migrate-01-legacy-app-service');
    }
  }

  // cs-contoso-web with its .csdef: the stores follow it; the Key Vault extension with its identity and grant.
  await page.getByLabel('Service definition (.csdef)').setInputFiles({
    name: 'ServiceDefinition.csdef',
    mimeType: 'text/xml',
    buffer: Buffer.from(CSDEF_WEB),
  });
  await expect(
    page
      .locator('[data-testid="migration-row"][data-role="WebRole1"][data-certificate="ApiClientCertificate"]')
      .getByTestId('migration-store'),
  ).toHaveText('LocalMachine/TrustedPeople');
  // A look at the Certificates tab and back keeps the upload (and does not read the migration source again).
  let reads = 0;
  page.on('request', (r) => void (r.url().endsWith('/migration') && reads++));
  await page.getByRole('tab', { name: 'Certificates' }).click();
  await expect(page.getByRole('heading', { name: 'Certificates by role' })).toBeVisible();
  await expect(page.getByTestId('migrate-panel')).toBeHidden();
  await page.getByRole('tab', { name: 'Migrate' }).click();
  await expect(
    page
      .locator('[data-testid="migration-row"][data-role="WebRole1"][data-certificate="ApiClientCertificate"]')
      .getByTestId('migration-store'),
  ).toHaveText('LocalMachine/TrustedPeople');
  expect(reads).toBe(0);
  await page.getByRole('radio', { name: 'Key Vault VM extension (Windows)' }).check();
  await expect(page.getByTestId('migration-blocker')).toHaveCount(0);
  await expect(page.getByTestId('migration-verdict')).toHaveText('No blockers');
  await expect(page.getByTestId('migration-grant')).toHaveText(
    /id-cs-contoso-web-kv on kv-contoso-rbac: role Key Vault Secrets User/,
  );
  for (const [tab, mark] of [
    ['Bicep', "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31'"],
    ['Azure CLI', 'az vmss extension set'],
    ['PowerShell', 'New-AzUserAssignedIdentity'],
    ['ARM template', '"certificateStoreName": "TrustedPeople"'],
  ] as const) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByTestId('migration-output')).toContainText(mark);
  }
  const output = page.waitForEvent('download');
  await page.getByTestId('migration-download-output').click();
  const template = JSON.parse(readFileSync(await (await output).path(), 'utf8'));
  expect(JSON.stringify(template)).not.toMatch(/\/secrets\/[\w-]+\/[0-9a-f]{32}/); // versionless for the extension
  await check(page, info, 'ada-migrate-02-web-kv-extension');

  const md = page.waitForEvent('download');
  await page.getByTestId('migration-report-markdown').click();
  const mdFile = await md;
  expect(mdFile.suggestedFilename()).toBe('cs-contoso-web-migration-kv-extension.md');
  const markdown = readFileSync(await mdFile.path(), 'utf8');
  expect(markdown).toMatch(/^# Migration of cs-contoso-web to Key Vault VM extension \(Windows\)/);
  expect(markdown.match(/^\| (WebRole1|WorkerRole1) \|/gm)).toHaveLength(3);
  const html = page.waitForEvent('download');
  await page.getByTestId('migration-report-html').click();
  const report = readFileSync(await (await html).path(), 'utf8');
  const printable = await page.context().newPage();
  await printable.setContent(report);
  await expect(printable.getByRole('heading', { level: 1 })).toHaveText(
    'Migration of cs-contoso-web to Key Vault VM extension (Windows)',
  );
  await expect(printable.locator('tbody tr')).toHaveCount(3);
  await expect(printable.locator('#verdict')).toHaveText('Verdict: no blockers');
  await check(printable, info, 'ada-migrate-03-report');
  await printable.emulateMedia({ media: 'print' });
  await printable.close();
  expect(await puts()).toBe(0);
});

test('Ada sees the five seeded services with their health, soonest expiry first', async ({ page }, info) => {
  await signIn(page, '/cloud-services', 'Ada');
  const rows = page.getByTestId('service-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toHaveAttribute('data-service', 'cs-contoso-shop');
  const health = async (name: string) => page.locator(`[data-testid="service-row"][data-service="${name}"]`);
  await expect(await health('cs-contoso-web')).toHaveAttribute('data-health', 'healthy');
  await expect(await health('cs-contoso-shop')).toHaveAttribute('data-health', 'expiring');
  await expect((await health('cs-contoso-shop')).getByTestId('health-label')).toHaveText(
    /^Expires in (19|20|21) days$/,
  );
  await expect(await health('cs-contoso-billing')).toHaveAttribute('data-health', 'broken');
  await expect(await health('cs-contoso-legacy')).toHaveAttribute('data-health', 'attention');
  await expect(await health('cs-contoso-api')).toHaveAttribute('data-health', 'attention');
  await expect(page.getByTestId('health-summary')).toHaveText(
    /5 services: 1 healthy, 1 expiring within 30 days, 1 broken, 2 needing attention\./,
  );
  await check(page, info, 'ada-01-list');

  await page.getByRole('link', { name: 'cs-contoso-legacy' }).click();
  await expect(page.getByTestId('remote-access-leftovers')).toContainText('RemoteAccess');
  const ssl = row(page, 'WebRole1', 'SslCertificate');
  await expect(ssl).toHaveAttribute('data-status', 'not-certificate');
  await expect(ssl.getByTestId('row-message')).toContainText('is a plain PKCS#12 secret, not a Key Vault certificate');
  const rdp = row(page, 'WebRole1', 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption');
  await expect(rdp).toHaveAttribute('data-status', 'not-certificate');
  await expect(rdp).toContainText('Remove the RemoteAccess plugin and this certificate');
  await expect(page.getByTestId('service-health')).toHaveText('Needs attention');
  await check(page, info, 'ada-02-legacy');

  // The RemoteAccess cleanup, offered on the page: the downloaded .cscfg is the live one minus the plugin's elements.
  const live = (await readService('cs-contoso-legacy')).properties.configuration;
  await page.getByRole('button', { name: 'Remove the RemoteAccess leftovers' }).click();
  await expect(page.getByTestId('leftovers-diff-cscfg')).toContainText('0 line(s) added');
  await expect(page.getByTestId('rdp-extension')).toContainText('RDP extension');
  const download = page.waitForEvent('download');
  await page.getByTestId('leftovers-download-cscfg').click();
  const cleaned = readFileSync(await (await download).path(), 'utf8');
  expect(onlyRemoved(live, cleaned, /RemoteAccess|RemoteForwarder/)).toEqual({ ok: true, removed: 6 });
  await check(page, info, 'ada-02b-legacy-cleanup');

  // The migration's plain PKCS#12 secrets: listed with what they hold, converted on the server, then one plan that
  // points both osProfile entries at the certificates; applied, the service is healthy.
  const conversion = page.getByTestId('secret-conversion');
  await expect(conversion.getByTestId('unbacked-secret')).toHaveCount(2);
  await expect(conversion).toContainText('CN=legacy.contoso.sandbox');
  await check(page, info, 'ada-02c-legacy-secrets');
  for (let i = 1; i <= 2; i++) {
    await conversion
      .getByRole('button', { name: /^Convert .* to a certificate$/ })
      .first()
      .click();
    await expect(conversion.getByTestId('converted')).toHaveCount(i);
  }
  await page.getByTestId('plan-repoint').click();
  await expect(page.getByTestId('plan')).toContainText('point 2 osProfile.secrets entries');
  await expect(page.getByTestId('plan-cscfg-diff')).toContainText('0 line(s) added, 0 removed');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready to apply');
  await check(page, info, 'ada-02d-legacy-repoint-plan');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-success')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('service-health')).toHaveText('Healthy');
  const after = await readService('cs-contoso-legacy');
  expect(after.properties.configuration).toBe(live);
  expect(certificateUrls(after)).toHaveLength(2);
  for (const url of certificateUrls(after))
    expect(url).toMatch(/\/secrets\/(legacy-contoso-sandbox|Windows-Azure-Tools)\//);
  await check(page, info, 'ada-02e-legacy-healthy');

  // cs-contoso-api's certificate is in a vault of another subscription and region: copied into kv-contoso-rbac
  // (West Europe, Production) on Ada's behalf, then osProfile.secrets points at the copy; the .cscfg stays the same.
  const apiBefore = await readService('cs-contoso-api');
  await page.getByRole('link', { name: 'Cloud services' }).first().click();
  await page.getByRole('link', { name: 'cs-contoso-api' }).click();
  await expect(row(page, 'WebRole1', 'SslCertificate')).toHaveAttribute('data-status', 'vault-blocked');
  const copyPanel = page.getByTestId('service-copy');
  await copyPanel.getByRole('radio', { name: /^kv-contoso-rbac/ }).check();
  await copyPanel.getByRole('button', { name: 'Copy api-ssl into kv-contoso-rbac' }).click();
  await expect(copyPanel.getByTestId('service-copied')).toContainText('kv-contoso-rbac');
  await page.getByTestId('plan-copies').click();
  await expect(page.getByTestId('plan-cscfg-diff')).toContainText('0 line(s) added, 0 removed');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready to apply');
  await check(page, info, 'ada-02f-api-copy-plan');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-success')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('service-health')).toHaveText('Healthy');
  const apiAfter = await readService('cs-contoso-api');
  expect(apiAfter.properties.configuration).toBe(apiBefore.properties.configuration);
  expect(apiAfter.properties.osProfile.secrets.map((g) => g.sourceVault.id.split('/').pop())).toEqual([
    'kv-contoso-rbac',
  ]);
  expect(certificateUrls(apiAfter)[0]).toMatch(/^https:\/\/kv-contoso-rbac\.vault\.localhost:\d+\/secrets\/api-ssl\//);
});

/** `after` is `before` with some whole lines removed, each matching `pattern`, and nothing else changed. */
function onlyRemoved(before: string, after: string, pattern: RegExp): { ok: boolean; removed: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let j = 0;
  let removed = 0;
  for (const line of a) {
    if (j < b.length && b[j] === line) j++;
    else if (pattern.test(line)) removed++;
    else return { ok: false, removed };
  }
  return { ok: j === b.length, removed };
}

test('the broken service shows the missing-thumbprint diagnosis and its repair before anything is sent', async ({
  page,
}, info) => {
  const puts = await countPuts();
  await signIn(page, servicePath('cs-contoso-billing'), 'Ada');
  const r = row(page, 'WebRole1', 'SslCertificate');
  await expect(r).toHaveAttribute('data-status', 'missing');
  const thumbprint = (await r.getByTestId('row-thumbprint').innerText()).trim();
  await expect(r.getByTestId('row-message')).toContainText(
    `The thumbprints specified in the CSCFG do not have corresponding certificates in osProfile.secrets. Add the missing certificates in osProfile.secrets. Missing thumbprints: WebRole1|${thumbprint}.`,
  );
  await expect(page.getByTestId('service-health')).toHaveText('Broken');
  await check(page, info, 'ada-03-billing-broken');
  await page.getByRole('button', { name: 'Repair SslCertificate in WebRole1' }).click();
  await page.getByRole('button', { name: 'Plan with this version' }).click();
  await expect(page.getByTestId('plan')).toContainText('point osProfile.secrets at version');
  await expect(page.getByTestId('plan-cscfg-diff')).toContainText('0 line(s) added, 0 removed');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready to apply');
  await check(page, info, 'ada-04-billing-repair-plan');
  expect(await puts()).toBe(0);
});

test('Ada rotates the expiring certificate with a renewed PFX; the RP pins it; Roll back restores it', async ({
  page,
}, info) => {
  const before = await readService('cs-contoso-shop');
  const oldUrl = certificateUrls(before).find((u) => u.includes('/secrets/shop-ssl/'))!;
  const pfx = makePfx('shop.contoso.sandbox', 'Renew-2026!');
  await signIn(page, servicePath('cs-contoso-shop'), 'Ada');
  const r = row(page, 'WebRole1', 'SslCertificate');
  await expect(r).toHaveAttribute('data-status', 'expiring');
  const oldThumbprint = (await r.getByTestId('row-thumbprint').innerText()).trim();
  await page.getByRole('button', { name: 'Rotate SslCertificate in WebRole1' }).click();
  await page.getByRole('tab', { name: 'Renewed PFX' }).click();
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspect-thumbprint')).toHaveText(pfx.thumbprint);
  await check(page, info, 'ada-05-shop-renewed-pfx');
  await page.getByRole('button', { name: 'Import as a new version of shop-ssl' }).click();
  const plan = page.getByTestId('plan');
  await expect(plan).toContainText(`Thumbprint ${oldThumbprint} → ${pfx.thumbprint} in WebRole1/SslCertificate.`);
  await expect(page.getByTestId('plan-cscfg-diff')).toContainText('1 line(s) added, 1 removed');
  await expect(page.getByTestId('plan-secrets-diff')).toContainText('1 line(s) added, 1 removed');
  await expect(page.getByTestId('preflight-verdict')).toHaveText('Ready to apply');
  await check(page, info, 'ada-06-shop-plan');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-progress')).toBeVisible();
  await expect(page.getByTestId('apply-success')).toBeVisible({ timeout: 30_000 });
  await expect(r).toHaveAttribute('data-status', 'ok');
  await check(page, info, 'ada-07-shop-applied');

  // What the RP holds now, read over ARM directly: the new version pinned, the .cscfg changed only in that thumbprint.
  const after = await readService('cs-contoso-shop');
  const version = (await r.getByTestId('row-version').innerText()).trim();
  const newUrl = oldUrl.replace(/\/[0-9a-f]{32}$/, `/${version}`);
  expect(certificateUrls(after)).toEqual(certificateUrls(before).map((u) => (u === oldUrl ? newUrl : u)));
  expect(after.properties.configuration).toBe(before.properties.configuration.replace(oldThumbprint, pfx.thumbprint));
  expect(after.properties.configuration).not.toBe(before.properties.configuration);

  await page.getByRole('button', { name: 'Roll back this change…' }).click();
  await expect(plan).toContainText('roll back the last change');
  await check(page, info, 'ada-08-shop-rollback-plan');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-success')).toContainText('Rolled back', { timeout: 30_000 });
  const restored = await readService('cs-contoso-shop');
  expect(restored.properties.configuration).toBe(before.properties.configuration);
  expect(restored.properties.osProfile).toEqual(before.properties.osProfile);
  // The renewed version stays in the vault: the service page now offers it as a newer version.
  await expect(r).toHaveAttribute('data-status', 'expiring');
  await check(page, info, 'ada-09-shop-rolled-back');
});

test('Cole (Reader) gets Export, with the same change, and no PUT is made', async ({ page }, info) => {
  const puts = await countPuts();
  await signIn(page, servicePath('cs-contoso-shop'), 'Cole');
  await expect(page.getByTestId('read-only')).toBeVisible();
  await page.getByRole('button', { name: 'Rotate SslCertificate in WebRole1' }).click();
  await page.getByRole('tab', { name: 'Version in the vault' }).click();
  await page.getByRole('button', { name: 'Plan with this version' }).click();
  await expect(page.getByTestId('export-only')).toBeVisible();
  await expect(page.getByTestId('apply')).toHaveCount(0);
  await check(page, info, 'cole-01-shop-export');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-update-powershell').click();
  const ps = readFileSync(await (await download).path(), 'utf8');
  expect(ps).toContain("-CloudServiceName 'cs-contoso-shop'");
  expect(ps).toContain('$cs | Update-AzCloudService');
  const rest = page.waitForEvent('download');
  await page.getByTestId('export-update-az-rest').click();
  expect(readFileSync(await (await rest).path(), 'utf8')).toContain('az rest --method put');
  expect(await puts()).toBe(0);
});

test('Rita (Reader) sees every service and page, read-only', async ({ page }, info) => {
  await signIn(page, '/cloud-services', 'Rita');
  await expect(page.getByTestId('service-row')).toHaveCount(5);
  await page.getByRole('link', { name: 'cs-contoso-web' }).click();
  await expect(page.getByTestId('certificate-row')).toHaveCount(3);
  await expect(page.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('vault-gate')).toHaveCount(1);
  await check(page, info, 'rita-01-web');
});

test('a forced RP failure shows the RP message and its fix, and keeps the plan and the chosen version', async ({
  page,
}, info) => {
  const before = await readService('cs-contoso-web');
  await faults.add({ area: 'cloudServices', method: 'PUT', fail: true, count: 1 } as never);
  try {
    const pfx = makePfx('api-client.contoso.sandbox', 'Client-2026!');
    await signIn(page, servicePath('cs-contoso-web'), 'Ada');
    await page.getByRole('button', { name: 'Rotate ApiClientCertificate in WebRole1' }).click();
    await page.getByRole('tab', { name: 'Renewed PFX' }).click();
    await page.getByLabel('PFX file').setInputFiles(pfx.file);
    await page.getByLabel('PFX password').fill(pfx.password);
    await page.getByRole('button', { name: 'Import as a new version of api-client' }).click();
    await expect(page.getByTestId('plan')).toContainText(
      'WebRole1/ApiClientCertificate, WorkerRole1/ApiClientCertificate',
    );
    await page.getByTestId('apply').click();
    const error = page.getByTestId('error-callout');
    await expect(error).toContainText('Azure refused the update: Allocation failed.', { timeout: 30_000 });
    await expect(page.getByTestId('error-action')).toContainText('Your plan and choices are kept.');
    await expect(page.getByTestId('plan')).toBeVisible();
    await expect(page.getByTestId('apply')).toBeEnabled();
    await check(page, info, 'ada-10-web-rp-failure');
    const after = await readService('cs-contoso-web');
    expect(after.properties.configuration).toBe(before.properties.configuration);
    expect(after.properties.osProfile).toEqual(before.properties.osProfile);
  } finally {
    await faults.clear();
  }
});
