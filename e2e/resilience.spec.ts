import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_SANDBOX_PORT, E2E_STATE_DIR } from '../playwright.config';
import { commandLine, faults, holdPort, parentPid, sandboxPid, waitForSandboxRestart } from './support/faults';
import { makePfx } from './support/pfx';
import { sandboxCertificateClient } from './support/sandbox';
import { Wizard } from './support/wizard';

// Resilience against the sandbox's fault switches: the SDK retries where its policy says so; otherwise the app
// shows a clear error with a retry, and every input stays.
test.describe.configure({ mode: 'serial' });
test.afterEach(async () => {
  await faults.clear();
});

async function toCertificateStep(page: Page) {
  const wizard = new Wizard(page);
  await wizard.toCertificateStep();
  return wizard;
}

async function fillImport(page: Page, name: string, file: string, password: string) {
  await page.getByLabel('Certificate name in Key Vault').filter({ visible: true }).fill(name);
  await page.getByLabel('PFX file').setInputFiles(file);
  await page.getByLabel('PFX password').fill(password);
}

async function expectInputsKept(page: Page, name: string, password: string) {
  await expect(page.getByLabel('Certificate name in Key Vault').filter({ visible: true })).toHaveValue(name);
  await expect(page.getByLabel('PFX password')).toHaveValue(password);
  expect(await page.getByLabel('PFX file').evaluate((el: HTMLInputElement) => el.files?.length)).toBe(1);
}

test('429 with Retry-After on the vault PATCH is retried by the SDK and succeeds', async ({ page }) => {
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Staging', 'kv-contoso-east');
  await wizard.next('access');
  await faults.add({ area: 'arm', method: 'PATCH', status: 429, retryAfter: 1, count: 1 });
  await page.getByRole('button', { name: 'Enable Azure Virtual Machines for deployment' }).click();
  await expect(page.getByTestId('deployment-enabled')).toBeVisible();
  const { rules } = await faults.list();
  expect(rules.every((r) => (r.hits ?? 0) >= 1 || r.count === 0)).toBe(true);
});

test('503 on import beyond the SDK retries: clear error, inputs kept, retry succeeds', async ({ page }) => {
  test.setTimeout(90_000);
  const pfx = makePfx('retry.contoso.example', 'r3try-Passw0rd');
  await toCertificateStep(page);
  await fillImport(page, 'resilience-503', pfx.file, pfx.password);
  await faults.add({ area: 'vault', method: 'POST', path: '/import$', status: 503, count: 20 });
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('error-callout')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('error-action')).toContainText(/retry/i);
  await expectInputsKept(page, 'resilience-503', pfx.password);
  await faults.clear();
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
});

test('a dropped connection and added latency on the vault list are survived', async ({ page }) => {
  await faults.add({ area: 'arm', method: 'GET', path: '/providers/Microsoft.KeyVault/vaults$', drop: true, count: 1 });
  await faults.add({
    area: 'arm',
    method: 'GET',
    path: '/providers/Microsoft.KeyVault/vaults$',
    delayMs: 1500,
    count: 1,
    skip: 0,
  });
  const wizard = new Wizard(page);
  await wizard.open('vault');
  await wizard.signInAs('Ada Admin');
  await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeVisible({ timeout: 30_000 });
});

test('kill -9 of the sandbox during an import: committed state intact, the app recovers without a reload', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const before = makePfx('committed.contoso.example', 'c0mmitted');
  const during = makePfx('inflight.contoso.example', 'inf1ight');
  await toCertificateStep(page);
  await fillImport(page, 'resilience-committed', before.file, before.password);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  // A marker on the window proves the page is never reloaded during the recovery.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  await page.getByRole('button', { name: 'Import another certificate' }).click();
  await fillImport(page, 'resilience-inflight', during.file, during.password);
  // Hold the import in the sandbox long enough to kill it mid-request.
  await faults.add({ area: 'vault', method: 'POST', path: '/import$', delayMs: 3000, count: 1 });
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await page.waitForTimeout(1000);
  const killed = sandboxPid();
  process.kill(killed, 'SIGKILL');

  // `npm start` supervises the sandbox and starts it again on the same state. The SDK's retry of the dropped request
  // may already land on the new process; otherwise the app says what happened and keeps every input for a retry.
  await waitForSandboxRestart(killed);
  const outcome = page.getByTestId('import-success').or(page.getByTestId('error-callout'));
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  if (await page.getByTestId('error-callout').isVisible()) {
    await expectInputsKept(page, 'resilience-inflight', during.password);
    await page.getByRole('button', { name: 'Import into Key Vault' }).click();
    await expect(page.getByTestId('import-success')).toBeVisible({ timeout: 30_000 });
  }
  await expect(page.getByTestId('thumbprint')).toHaveText(during.thumbprint);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(page).toHaveURL(/\/wizard\/certificate\?.*cert=resilience-inflight/);

  // Nothing half-written: the state file parses, the earlier import is intact and the in-flight one exists once.
  expect(() => JSON.parse(readFileSync(path.resolve(E2E_STATE_DIR, 'state.json'), 'utf8'))).not.toThrow();
  const client = sandboxCertificateClient('kv-contoso-prod');
  const committed = await client.getCertificate('resilience-committed');
  expect(committed.properties.x509ThumbprintString?.toUpperCase()).toBe(before.thumbprint);
  const versions = [];
  for await (const v of client.listPropertiesOfCertificateVersions('resilience-inflight')) versions.push(v);
  expect(versions).toHaveLength(1);
  expect(versions[0]!.x509ThumbprintString?.toUpperCase()).toBe(during.thumbprint);
});

test('npm start supervises the sandbox server itself and retries its restart while the port is held', async ({
  request,
}) => {
  test.setTimeout(60_000);
  // The wrapper kill: a process between the supervisor and the server (the `tsx` command) dies and leaves the server
  // orphaned on its port. Then that server dies too, and for 3 s something else holds the port.
  const server = sandboxPid();
  const parent = parentPid(server);
  if (!commandLine(parent).includes('scripts/start.mjs')) process.kill(parent, 'SIGKILL');
  process.kill(server, 'SIGKILL');
  await holdPort(E2E_SANDBOX_PORT, 3000);
  // Restarts fail with EADDRINUSE while the port is held; the supervisor keeps retrying, so sign-in comes back.
  const signIn = async () =>
    (await request.post('/api/sandbox/sign-in', { data: { username: 'admin@contoso.sandbox' } })).status();
  await expect.poll(signIn, { timeout: 45_000, intervals: [500] }).toBe(200);
  // What the supervisor watches is the process that listens.
  expect(commandLine(parentPid(sandboxPid()))).toContain('scripts/start.mjs');
});
