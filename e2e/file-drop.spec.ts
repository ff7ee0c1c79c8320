import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { formatFileSize } from '../lib/wizard/file-choice';
import { watchConsole } from './support/console';
import { openFileChooserByKeyboard } from './support/keyboard';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient, SUBSCRIPTIONS } from './support/sandbox';
import { writeServiceFiles } from './support/service-files';
import { STEP_SHOTS_DIR, Wizard } from './support/wizard';

// Issue 11, item 8 (file inputs): every file input is the one FileDrop — labelled, keyboard operable, drop or click,
// the chosen file's name and size, and a clear error for a wrong type.

/** A file dropped on `zone` as a browser would deliver it (a DataTransfer made in the page). */
async function drop(zone: Locator, files: Array<{ name: string; bytes: Buffer }>) {
  const dataTransfer = await zone.page().evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })),
  );
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

/** axe (WCAG 2.x A/AA) reports nothing on a page outside the wizard's steps; then a full-page screenshot. */
async function checkPage(page: Page, info: TestInfo, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
  mkdirSync(STEP_SHOTS_DIR, { recursive: true });
  const file = path.join(STEP_SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

/**
 * Every file input on the page sits in a FileDrop, drawn as its button (the native control is visually hidden).
 * Inputs of views kept mounted but hidden (inactive tabs) count too.
 */
async function expectOnlyFileDrops(page: Page, count: number) {
  const inputs = page.locator('input[type="file"]');
  await expect(inputs).toHaveCount(count);
  const bare = await inputs.evaluateAll((els) =>
    els
      .filter((el) => !el.closest('[data-testid^="drop-zone"]') || el.getBoundingClientRect().width > 1)
      .map((el) => el.id),
  );
  expect(bare).toEqual([]);
}

test('the PFX and PEM inputs: keyboard, drop, name and size, remove, wrong type said and cleared by the next choice', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const pfx = makePfx('drop.contoso.example', 'dr0p-Passw0rd');
  const size = formatFileSize(statSync(pfx.file).size);
  const wizard = new Wizard(page, info, 'file-drop');
  await wizard.toCertificateStep();
  await expectOnlyFileDrops(page, 1);

  // Keyboard: Tab reaches the input by its label, Space opens the picker.
  const chooser = await openFileChooserByKeyboard(page, /PFX file/);
  await chooser.setFiles(pfx.file);
  const zone = page.getByTestId('drop-zone');
  await expect(zone.getByTestId('chosen-file')).toHaveText(`Chosen: web.pfx (${size})`);
  await expect(zone.getByText('Choose another file…')).toBeVisible();
  await wizard.checkStep('certificate', 'pfx-chosen');

  await zone.getByRole('button', { name: 'Remove web.pfx' }).click();
  await expect(zone.getByTestId('chosen-file')).toHaveCount(0);
  expect(await page.getByLabel('PFX file').evaluate((el: HTMLInputElement) => el.files?.length)).toBe(0);

  // Drop: the file is taken and inspected like a chosen one.
  await drop(zone, [{ name: 'web.pfx', bytes: readFileSync(pfx.file) }]);
  await expect(zone.getByTestId('chosen-file')).toHaveText(`Chosen: web.pfx (${size})`);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);

  // A wrong type is refused at the input, the file chosen before stays; the next choice clears the error.
  await drop(zone, [{ name: 'notes.txt', bytes: Buffer.from('not a certificate') }]);
  await expect(zone.getByTestId('file-error')).toHaveText(
    'notes.txt is not a .pfx or .p12 file. Choose a .pfx or .p12 file.',
  );
  await expect(page.getByLabel('PFX file')).toHaveAttribute('aria-invalid', 'true');
  await expect(zone.getByTestId('chosen-file')).toHaveText(`Chosen: web.pfx (${size})`);
  await wizard.checkStep('certificate', 'pfx-wrong-type');
  await drop(zone, [
    { name: 'a.pfx', bytes: readFileSync(pfx.file) },
    { name: 'b.pfx', bytes: readFileSync(pfx.file) },
  ]);
  await expect(zone.getByTestId('file-error')).toHaveText('Drop one file here, not 2.');
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await expect(zone.getByTestId('file-error')).toHaveCount(0);

  // The PEM tab: the certificate files (several) and the key, the same control.
  await page.getByRole('tab', { name: 'Import PEM / CRT + key' }).click();
  await expectOnlyFileDrops(page, 3);
  const le = (f: string) => path.resolve('lib/certs/__vectors__/pem', f);
  await page.getByLabel('Certificate files').setInputFiles([le('le/cert.pem'), le('le/chain.pem')]);
  const certs = page.getByTestId('drop-zone-pem-certificates');
  await expect(certs.getByTestId('chosen-file')).toHaveCount(2);
  await expect(certs.getByTestId('chosen-file').first()).toContainText('cert.pem');
  await page
    .getByLabel('Private key file')
    .setInputFiles({ name: 'key.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
  await expect(page.getByTestId('drop-zone-pem-key').getByTestId('file-error')).toHaveText(
    'key.txt is not a .pem, .key, .der or .p8 file. Choose a .pem, .key, .der or .p8 file.',
  );
  await wizard.checkStep('certificate', 'pem-files');
  await page.getByLabel('Private key file').setInputFiles(le('le/privkey.pem'));
  await expect(page.getByTestId('drop-zone-pem-key').getByTestId('file-error')).toHaveCount(0);
  await expect(page.getByTestId('pem-key-match')).toContainText('belongs to the leaf certificate');
  expect(errors()).toEqual([]);
});

test('the service files and the cloud-service page: FileDrops, a wrong type said at the input and cleared', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const pfx = makePfx('files.contoso.example', 'f1les-Passw0rd');
  const name = `files-${Date.now().toString(36)}`;
  await sandboxCertificateClient('kv-contoso-prod').importCertificate(name, readFileSync(pfx.file), {
    password: pfx.password,
  });
  const wizard = new Wizard(page, info, 'file-drop-service');
  await wizard.toCertificateStep();
  await page.getByRole('tab', { name: 'Use a certificate in the vault' }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByRole('button', { name: 'Use this certificate' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await wizard.next('service-configuration');
  await expectOnlyFileDrops(page, 2);

  const zone = page.getByTestId('drop-zone-cscfg');
  await page.getByLabel('Service configuration (.cscfg)').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello'),
  });
  await expect(zone.getByTestId('file-error')).toHaveText(
    'notes.txt is not a .cscfg or .xml file. Choose a .cscfg or .xml file.',
  );
  await wizard.checkStep('service-configuration', 'cscfg-wrong-type');
  const files = writeServiceFiles({ name: 'SSL', thumbprint: 'A'.repeat(40) });
  await page.getByLabel('Service configuration (.cscfg)').setInputFiles(files.cscfg);
  await expect(zone.getByTestId('file-error')).toHaveCount(0);
  await expect(zone.getByTestId('chosen-file')).toHaveText(
    `Chosen: ServiceConfiguration.Cloud.cscfg (${formatFileSize(statSync(files.cscfg).size)})`,
  );
  await expect(page.getByTestId('thumbprint-table')).toBeVisible();
  await drop(page.getByTestId('drop-zone-csdef'), [
    { name: 'ServiceDefinition.csdef', bytes: readFileSync(files.csdef) },
  ]);
  await expect(page.getByTestId('diff-csdef')).toBeVisible();
  await wizard.checkStep('service-configuration', 'service-files-chosen');

  // The cloud-service page: the roll-back record and the package's .csdef, then the Migrate tab's two files.
  await page.goto(`/cloud-services/${SUBSCRIPTIONS.production}/rg-cses-prod/cs-contoso-legacy`);
  await expect(page.getByTestId('remote-access-leftovers')).toBeVisible();
  await expectOnlyFileDrops(page, 2);
  const rollback = page.getByTestId('drop-zone-rollback');
  await page.getByLabel('Load a roll-back record').setInputFiles({
    name: 'record.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{}'),
  });
  await expect(rollback.getByTestId('file-error')).toContainText(
    'record.json is not a roll-back record of this cloud service.',
  );
  await expect(rollback.getByTestId('chosen-file')).toContainText('record.json');
  await checkPage(page, info, 'file-drop-cloud-service-rollback-refused');
  await rollback.getByRole('button', { name: 'Remove record.json' }).click();
  await expect(rollback.getByTestId('file-error')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Migrate' }).click();
  await expect(page.getByTestId('migration-row').first()).toBeVisible();
  await expectOnlyFileDrops(page, 4); // the Migrate tab's two, and the Certificates tab's two, kept mounted
  await page.getByLabel('Service definition (.csdef)', { exact: true }).setInputFiles(files.csdef);
  await expect(page.getByTestId('drop-zone-migrate-csdef').getByTestId('chosen-file')).toContainText(
    'ServiceDefinition.csdef',
  );
  await checkPage(page, info, 'file-drop-cloud-service-migrate');
  expect(errors()).toEqual([]);
});
