import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { watchConsole } from './support/console';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { Wizard } from './support/wizard';

// Issue 11, item 5: a thumbprint that matches a vault certificate once cleaned up is a near miss to fix (amber, with
// what was removed, counted, and the clean value to copy), not "✕ Malformed"; real malformed values stay red. And
// thumbprints can be checked by pasting them, without a .cscfg.

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const NS = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration';
const cscfg = (certs: Array<[string, string]>) =>
  Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="ContosoWeb" xmlns="${NS}" osFamily="7" osVersion="*" schemaVersion="2015-04.2.6">
  <Role name="WebRole1">
    <Instances count="2" />
    <Certificates>
${certs.map(([n, t]) => `      <Certificate name="${n}" thumbprint="${t}" thumbprintAlgorithm="sha1" />`).join('\n')}
    </Certificates>
  </Role>
</ServiceConfiguration>
`,
    'utf8',
  );

async function toServiceConfiguration(page: Page, wizard: Wizard, name: string) {
  await wizard.toCertificateStep();
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await wizard.next('service-configuration');
}

async function expectRow(row: Locator, verdict: string, badge: 'pass' | 'warn' | 'fail') {
  await expect(row.getByTestId('thumbprint-verdict')).toHaveText(verdict);
  await expect(
    row.locator('[data-status]').filter({ has: row.page().getByTestId('thumbprint-verdict') }),
  ).toHaveAttribute('data-status', badge);
}

test('pasted thumbprints are checked without a .cscfg; the uploaded .cscfg shows a near miss amber with its clean value', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const pfx = makePfx('near.contoso.example', 'n3ar-Passw0rd');
  const name = `near-${Date.now().toString(36)}`;
  await sandboxCertificateClient('kv-contoso-prod').importCertificate(name, readFileSync(pfx.file), {
    password: pfx.password,
  });
  const T = pfx.thumbprint;
  const wizard = new Wizard(page, info, 'thumbprint-check');
  await toServiceConfiguration(page, wizard, name);

  // Without a file: paste the value four ways.
  await expect(page.getByTestId('thumbprint-table')).toHaveCount(0);
  const pasted = [
    T,
    T.toLowerCase().match(/../g)!.join(':'),
    `\uFEFF${T.slice(0, 20)} ${T.slice(20)}`,
    'not-a-thumbprint',
  ].join('\n');
  await page.getByLabel(/Thumbprints to check against kv-contoso-prod/).fill(pasted);
  const rows = page.getByTestId('pasted-thumbprint-table').getByTestId('thumbprint-row');
  await expect(rows).toHaveCount(4);
  await expectRow(rows.nth(0), 'Found', 'pass');
  await expect(rows.nth(0)).toContainText(`found in the vault as "${name}"`);
  await expectRow(rows.nth(1), 'Matches after cleanup', 'warn');
  await expect(rows.nth(1).getByTestId('cleanup-summary')).toContainText(
    'after removing 19 colons and changing it to upper case — use the clean value.',
  );
  await expectRow(rows.nth(2), 'Matches after cleanup', 'warn');
  await expect(rows.nth(2).getByTestId('cleanup-summary')).toContainText(`Matches ${name} (version`);
  await expect(rows.nth(2).getByTestId('cleanup-summary')).toContainText(
    'after removing 1 invisible character and 1 space — use the clean value.',
  );
  await expect(rows.nth(2).getByTestId('clean-thumbprint')).toHaveText(T);
  await expectRow(rows.nth(3), 'Malformed', 'fail');
  await wizard.checkStep('service-configuration', 'pasted-thumbprints');

  // The uploaded .cscfg: U+200E and three spaces around a right thumbprint is amber, a broken one stays red.
  const near = `\u200E${T.slice(0, 10)} ${T.slice(10, 20)} ${T.slice(20, 30)} ${T.slice(30)}`;
  await page.getByLabel('Service configuration (.cscfg)').setInputFiles({
    name: 'ServiceConfiguration.Cloud.cscfg',
    mimeType: 'text/xml',
    buffer: cscfg([
      ['SSL', near],
      ['Broken', `${T.slice(0, 30)}XYZ`],
    ]),
  });
  const table = page.getByTestId('thumbprint-table');
  const ssl = table.getByTestId('thumbprint-row').filter({ hasText: 'SSL' });
  await expect(ssl).toHaveAttribute('data-verdict', 'matches-after-cleanup');
  await expectRow(ssl, 'Matches after cleanup', 'warn');
  await expect(ssl.getByTestId('cleanup-summary')).toContainText(`Matches ${name} (version`);
  await expect(ssl.getByTestId('cleanup-summary')).toContainText(
    'after removing 1 invisible character and 3 spaces — fix it in the file.',
  );
  await expect(ssl.getByTestId('marked-thumbprint').locator('mark')).toHaveCount(4);
  await expect(ssl.getByTestId('marked-thumbprint')).toContainText('⟨U+200E⟩');
  await expect(ssl.getByTestId('clean-thumbprint')).toHaveText(T);
  await ssl.getByRole('button', { name: 'Copy Clean thumbprint for SSL' }).click();
  expect(await wizard.clipboard()).toBe(T);

  const broken = table.getByTestId('thumbprint-row').filter({ hasText: 'Broken' });
  await expect(broken).toHaveAttribute('data-verdict', 'malformed');
  await expectRow(broken, 'Malformed', 'fail');
  await expect(broken.getByTestId('clean-thumbprint')).toHaveCount(0);
  await wizard.checkStep('service-configuration', 'cscfg-near-miss');
  expect(errors()).toEqual([]);
});
