import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_APP_PORT, E2E_STATE_DIR } from '../playwright.config';
import { makePfx } from './support/pfx';
import { Wizard } from './support/wizard';

/**
 * Secrets hygiene: an import with a marker password and a marker PFX, then a search of everything that could keep
 * them — the server's log (webServer output), the sandbox's state directory, the browser's storage and cookies,
 * and every URL the browser requested. The PFX is searched as base64, base64url and hex slices (how bytes leak).
 */
const SERVER_LOG = `test-results/e2e-server-${E2E_APP_PORT}.log`;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function byteMarkers(bytes: Buffer): string[] {
  const out: string[] = [];
  // Several slices from the middle of the file, aligned to base64's 3-byte groups so any base64 of the file shows them.
  for (const at of [0.25, 0.5, 0.75]) {
    const start = Math.floor((bytes.length * at) / 3) * 3;
    const slice = bytes.subarray(start, start + 24);
    out.push(
      slice.toString('base64'),
      slice.toString('base64url'),
      slice.toString('hex'),
      slice.toString('hex').toUpperCase(),
    );
  }
  return out;
}

test('an import leaves the marker password and PFX bytes in no log, state, storage or URL', async ({
  page,
  context,
}) => {
  const marker = `Hyg1ene-${Date.now().toString(36)}-Pw!`;
  const wrongMarker = `Wr0ng-${Date.now().toString(36)}-Pw!`;
  const pfx = makePfx('hygiene.contoso.example', marker);
  const pfxBytes = readFileSync(pfx.file);
  const markers = [
    marker,
    encodeURIComponent(marker),
    wrongMarker,
    encodeURIComponent(wrongMarker),
    ...byteMarkers(pfxBytes),
  ];
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  const certName = `hygiene-${Date.now().toString(36)}`;

  const wizard = new Wizard(page);
  await wizard.toCertificateStep();
  await page.getByLabel('Certificate name in Key Vault').filter({ visible: true }).fill(certName);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  // A failure first (wrong password), then the import.
  await page.getByLabel('PFX password').fill(wrongMarker);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('error-callout')).toBeVisible();
  await page.getByLabel('PFX password').fill(marker);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
  // And a reload: whatever the app persisted is read back (the chosen vault is restored, so the vault list loaded).
  await page.goto('/wizard/vault');
  await expect(page.getByRole('radio', { name: 'kv-contoso-prod' })).toBeChecked();

  // Browser storage and cookies.
  const storage = await page.evaluate(() => {
    const dump = (s: Storage) =>
      Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k)]));
    return JSON.stringify({ session: dump(sessionStorage), local: dump(localStorage) });
  });
  const idb = await page.evaluate(async () =>
    indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name ?? '') : [],
  );
  const cookies = JSON.stringify(await context.cookies());

  // The server writes its log asynchronously: wait until this import's audit line is there, then read everything.
  const auditLines = () =>
    readFileSync(SERVER_LOG, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"certificate.imported"') && l.includes(certName));
  await expect.poll(() => auditLines().length, { message: `the audit line for ${certName} in ${SERVER_LOG}` }).toBe(1);
  const serverLog = readFileSync(SERVER_LOG, 'utf8');
  const stateFiles = files(path.resolve(E2E_STATE_DIR));
  const places: Array<[string, string]> = [
    ['server log', serverLog],
    ['browser storage', storage],
    ['indexedDB names', JSON.stringify(idb)],
    ['cookies', cookies],
    ['URLs', urls.join('\n')],
    ...stateFiles.map((f): [string, string] => [
      `sandbox state ${path.relative(process.cwd(), f)}`,
      readFileSync(f).toString('latin1'),
    ]),
  ];
  const hits = places.flatMap(([where, text]) =>
    markers.filter((m) => text.includes(m)).map((m) => `${where}: ${m.slice(0, 12)}…`),
  );
  expect(hits).toEqual([]);

  // The checks looked at real content: the log has this import's audit line (ids and thumbprint only), the state
  // holds the certificate, the browser made the import request.
  expect(stateFiles.length).toBeGreaterThan(0);
  expect(urls.some((u) => u.includes(`/certificates/${certName}`))).toBe(true);
  const audit = auditLines();
  expect(audit).toHaveLength(1);
  const line = JSON.parse(audit[0]!) as Record<string, unknown>;
  expect(line).toMatchObject({
    level: 'info',
    msg: 'audit',
    event: 'certificate.imported',
    certificate: certName,
    thumbprint: pfx.thumbprint,
    upn: 'admin@contoso.sandbox',
  });
  expect(line.requestId).toBeTruthy();
  expect(line.oid).toBeTruthy();
  expect(JSON.stringify(line)).not.toMatch(/eyJ[\w-]{10,}\./); // no JWT
  expect(serverLog).not.toMatch(/Bearer eyJ|"accessToken"|eyJ0eXAiOiJKV1Qi|eyJhbGciOi/);
});
