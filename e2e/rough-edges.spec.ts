import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { axeViolations, consoleErrors, isOwnStatus } from './support/axe';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { writeServiceFiles } from './support/service-files';
import { Wizard } from './support/wizard';

/**
 * Issue 11, items 6–8: names that match what a control shows, headings in order, a real 404 page and an icon, and the
 * layout points (the vault search's placeholder, chrome before sign-in, long lines in the diff).
 */
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
const SHOTS = path.resolve('test-results', 'rough-edges');

async function shot(page: Page, info: TestInfo, name: string, fullPage = true) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  await info.attach(name, { path: file, contentType: 'image/png' });
}

/** The levels of the headings on the page, in document order (hidden ones left out). */
const headingLevels = (page: Page) =>
  page
    .locator('h1, h2, h3, h4, h5, h6')
    .filter({ visible: true })
    .evaluateAll((els) => els.map((e) => Number(e.tagName.slice(1))));

/** Headings start at h1 and never skip a level going down (h1 → h3 with no h2 between is a skip). */
async function expectHeadingOrder(page: Page, where: string) {
  const levels = await headingLevels(page);
  expect(levels[0], `${where}: first heading`).toBe(1);
  const skips = levels.flatMap((l, i) => (i > 0 && l > levels[i - 1]! + 1 ? [`h${levels[i - 1]} → h${l}`] : []));
  expect(skips, `${where}: headings ${levels.map((l) => `h${l}`).join(' ')}`).toEqual([]);
}

/** Every visible button whose name is set apart from its content: the name contains the text it shows. */
async function expectLabelsInNames(page: Page, where: string) {
  const mismatches = await page
    .locator('button[aria-label]')
    .filter({ visible: true })
    .evaluateAll((els) =>
      els
        .map((e) => ({
          name: (e.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim(),
          text: (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
        }))
        .filter(({ name, text }) => text && !name.toLowerCase().includes(text.toLowerCase()))
        .map(({ name, text }) => `"${text}" is named "${name}"`),
    );
  expect(mismatches, `${where}: buttons whose name does not contain their text`).toEqual([]);
}

test('item 6: "Pin this version" and the Copy buttons are named by what they show; the headings do not skip', async ({
  page,
}, info) => {
  const wizard = new Wizard(page);
  await wizard.toCertificateStep('Ada Admin', 'Contoso Production', 'kv-contoso-rbac');
  const pfx = makePfx('names.contoso.example', 'names-Passw0rd!');
  const name = `names-${Date.now().toString(36)}`;
  await wizard.field('Certificate name in Key Vault').fill(name);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await expect(page.getByTestId('inspection-verdict')).toHaveText(/Ready to import/);
  // The inspection is a section of the step: an h2 under the step's h1, its findings h3 under it.
  await expect(page.getByRole('heading', { level: 2, name: /Inspection \(in your browser/ })).toBeVisible();
  await expectHeadingOrder(page, 'certificate step, inspected');
  await shot(page, info, 'item6-01-inspection-h2');
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  const first = await sandboxCertificateClient('kv-contoso-rbac').getCertificate(name);

  for (const step of ['preflight', 'service-configuration', 'secret-identifier'] as const) {
    await wizard.next(step);
    await expectHeadingOrder(page, step);
    await expectLabelsInNames(page, step);
  }

  // A Copy button keeps its name while it confirms; the confirmation is shown beside it and announced.
  const copy = page.getByRole('button', { name: 'Copy certificateUrl (Secret Identifier)' });
  await copy.click();
  await expect(page.getByRole('status').filter({ hasText: 'certificateUrl (Secret Identifier) copied' })).toHaveText(
    /Copied ✓/,
  );
  await expect(copy).toBeVisible();
  await expect(copy).toHaveText('Copy');
  await expectLabelsInNames(page, 'secret identifier, just copied');
  expect(await wizard.clipboard()).toBe(first.secretId);
  await shot(page, info, 'item6-02-copied');

  // The command bar's "Copy link to this step" too.
  const link = page.getByRole('toolbar', { name: 'Commands' }).getByRole('button', { name: 'Copy link to this step' });
  await link.click();
  await expect(page.getByRole('status').filter({ hasText: 'Link to this step copied' })).toHaveText(/Link copied ✓/);
  await expect(link).toBeVisible();
  expect(await wizard.clipboard()).toBe(page.url());
  await shot(page, info, 'item6-03-link-copied');

  // A second version, added independently: it offers "Pin this version", named by that text and then the version.
  const renewed = await sandboxCertificateClient('kv-contoso-rbac').importCertificate(
    name,
    readFileSync(makePfx('names.contoso.example', 'renewed-Passw0rd!').file),
    { password: 'renewed-Passw0rd!' },
  );
  await wizard.next('versions');
  await expect(page.getByTestId('version-row')).toHaveCount(2);
  const pin = page.getByRole('button', { name: `Pin this version ${renewed.properties.version}`, exact: true });
  await expect(pin).toHaveText(/^Pin this version /);
  await expect(pin.locator('.sr-only')).toHaveText(` ${renewed.properties.version}`);
  await expectHeadingOrder(page, 'versions');
  await shot(page, info, 'item6-04-pin');
  await pin.click();
  await expect(
    page
      .locator(`[data-testid="version-row"][data-version="${renewed.properties.version}"]`)
      .getByTestId('pinned-badge'),
  ).toBeVisible();
});

test('item 7: a branded 404 with the header and ways back, under the same CSP, with no console error; an icon ships', async ({
  page,
}, info) => {
  const errors = consoleErrors(page);
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  for (const [url, name] of [
    ['/no-such-page', 'item7-01-404'],
    ['/wizard/no-such-step', 'item7-02-404-step'],
  ] as const) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(404);
    const csp = response!.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `${url}: a per-request nonce`).toBeTruthy();
    // Every script the server sent carries it: the page hydrates instead of being blocked.
    const scripts = [...(await response!.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
    await expect(page.getByRole('banner').getByRole('link', { name: 'CSES Certificate Wizard' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page).toHaveTitle(/Page not found/);
    expect(await axeViolations(page), `axe on ${url}`).toEqual([]);
    await shot(page, info, name);
    await page.getByRole('main').getByRole('link', { name: 'Go to the certificate wizard' }).click();
    await expect(page).toHaveURL(/\/wizard\/vault$/);
    await expect(page.getByRole('button', { name: 'Sign in as Ada Admin' })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), url).toEqual([]);
  }
  // The cloud-services way back from the 404 works too.
  await page.goto('/no-such-page');
  await page.getByRole('main').getByRole('link', { name: 'Go to cloud services' }).click();
  await expect(page).toHaveURL(/\/cloud-services$/);

  // The icon: declared by every page, served with the pages' security headers; /favicon.ico answers too.
  await page.goto('/wizard/vault');
  const icons = await page
    .locator('link[rel~="icon"]')
    .evaluateAll((els) => els.map((e) => (e as HTMLLinkElement).href));
  expect(icons.length).toBeGreaterThan(0);
  for (const href of [...icons, new URL('/favicon.ico', page.url()).href]) {
    const r = await page.request.get(href);
    expect(r.status(), href).toBe(200);
    expect(r.headers()['content-type'], href).toMatch(/^image\//);
    expect(r.headers()['x-content-type-options'], href).toBe('nosniff');
    expect(r.headers()['cross-origin-resource-policy'], href).toBe('same-origin');
  }
  // Only each 404's own status, which the browser logs for any document answered 404.
  expect(errors.filter((e) => !isOwnStatus(e, 404))).toEqual([]);
});

/**
 * The search box shows its whole placeholder: with that text as its value, the box does not scroll (Chromium's input
 * scrollWidth is its text's width; the value also makes room for the clear button, so this is the stricter case).
 */
async function placeholderOverflow(page: Page) {
  return page.getByLabel('Search vaults').evaluate((el) => {
    const input = el as HTMLInputElement;
    input.value = input.placeholder;
    const overflow = input.scrollWidth - input.clientWidth;
    input.value = '';
    return { placeholder: input.placeholder, overflow };
  });
}

for (const width of [1280, 390]) {
  test(`item 8: at ${width} px the vault search shows its whole placeholder`, async ({ page }, info) => {
    await page.setViewportSize({ width, height: 900 });
    const wizard = new Wizard(page);
    await wizard.open('vault');
    await wizard.signInAs('Ada Admin');
    await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeVisible();
    const fit = await placeholderOverflow(page);
    expect(fit.placeholder).toBe('Name or resource group');
    expect(fit.overflow, 'pixels of the placeholder cut off').toBeLessThanOrEqual(0);
    await expect(page.getByLabel('Search vaults')).toHaveValue('');
    await page.getByLabel('Search vaults').scrollIntoViewIfNeeded();
    await shot(page, info, `item8-01-search-${width}`, false);
  });
}

test('item 8: before sign-in the wizard shows no step count, no "Copy link" and no "Start over"', async ({
  page,
}, info) => {
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await expect(page.getByRole('button', { name: 'Sign in as Ada Admin' })).toBeVisible();
  await expect(page.getByText(/Step \d+ of \d+/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Copy link/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Start over/ })).toHaveCount(0);
  await expect(page.getByRole('toolbar', { name: 'Commands' })).toHaveCount(0);
  await shot(page, info, 'item8-02-signed-out');
  await wizard.signInAs('Ada Admin');
  await expect(page.getByText('Step 1 of 7')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy link to this step' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start over' })).toBeVisible();
  await shot(page, info, 'item8-03-signed-in');
});

for (const width of [1280, 390]) {
  test(`item 8: at ${width} px long lines in the diff wrap inside it, each line number level with its line`, async ({
    page,
  }, info) => {
    await page.setViewportSize({ width, height: 900 });
    const wizard = new Wizard(page);
    await wizard.toCertificateStep('Ada Admin', 'Contoso Production', 'kv-contoso-rbac');
    const pfx = makePfx('diff.contoso.example', 'diff-Passw0rd!');
    await wizard.field('Certificate name in Key Vault').fill(`diff-${width}-${Date.now().toString(36)}`);
    await page.getByLabel('PFX file').setInputFiles(pfx.file);
    await page.getByLabel('PFX password').fill(pfx.password);
    await page.getByRole('button', { name: 'Import into Key Vault' }).click();
    await expect(page.getByTestId('import-success')).toBeVisible();
    await wizard.next('service-configuration');
    // The certificate already in the file has a long name: its line is context next to the added one.
    const longName = 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption';
    const files = writeServiceFiles({ name: longName, thumbprint: 'A'.repeat(40) });
    await page.getByLabel('Service configuration (.cscfg)').setInputFiles(files.cscfg);
    const diff = page.getByTestId('diff-cscfg');
    const longLine = `<Certificate name="${longName}" thumbprint="${'A'.repeat(40)}" thumbprintAlgorithm="sha1" />`;
    await expect(diff).toContainText(longLine);
    const region = diff.getByRole('region');
    const layout = await region.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return {
        overflow: el.scrollWidth - el.clientWidth,
        rows: [...el.querySelectorAll('tbody tr')]
          .filter((tr) => tr.children.length === 4)
          .map((tr) => {
            const [oldNo, newNo, , text] = [...tr.children] as HTMLElement[];
            const firstLine = (cell: HTMLElement) => {
              const range = document.createRange();
              range.selectNodeContents(cell);
              return range.getClientRects()[0]?.top ?? cell.getBoundingClientRect().top;
            };
            const numbered = (oldNo!.textContent ? oldNo : newNo)!;
            return {
              text: text!.textContent ?? '',
              right: text!.getBoundingClientRect().right - box.right,
              tops: Math.abs(firstLine(numbered) - firstLine(text!)),
              lines: Math.round(text!.getBoundingClientRect().height / parseFloat(getComputedStyle(text!).lineHeight)),
            };
          }),
      };
    });
    expect(layout.overflow, 'the diff does not scroll sideways: nothing is cut off').toBeLessThanOrEqual(0);
    const long = layout.rows.find((r) => r.text.includes(longName))!;
    expect(long.lines, 'the long line wraps').toBeGreaterThan(1);
    for (const r of layout.rows) {
      expect(r.right, `"${r.text.trim()}" ends inside the diff`).toBeLessThanOrEqual(1);
      expect(r.tops, `"${r.text.trim()}": its line number is level with its first row`).toBeLessThanOrEqual(1);
    }
    await diff.scrollIntoViewIfNeeded();
    await shot(page, info, `item8-04-diff-${width}`, false);
  });
}
