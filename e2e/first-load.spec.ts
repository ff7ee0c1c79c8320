import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makePfx } from './support/pfx';
import { Wizard } from './support/wizard';

/** node-forge is large: it may load only for the certificate step's inspection worker, never in first-load JS. */
function holdsForge(url: string): boolean {
  const file = path.resolve('.next/static/chunks', url.split('/').pop() ?? '');
  try {
    return readFileSync(file, 'utf8').includes('forge ByteBuffer');
  } catch {
    return false;
  }
}

test('node-forge is not in first-load JS; it loads only once a PFX is inspected', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (r) => r.url().includes('/_next/static/') && scripts.push(r.url()));
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
  await wizard.next('certificate');
  await expect(page.getByRole('tab', { name: 'Import a PFX' })).toBeVisible();
  expect(scripts.filter(holdsForge), 'chunks with node-forge before any file is chosen').toEqual([]);

  const pfx = makePfx('firstload.contoso.example', 'f1rst-load');
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspect-thumbprint')).toHaveText(pfx.thumbprint);
});
