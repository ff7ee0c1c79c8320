import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_APP_PORT, E2E_STATE_DIR } from '../playwright.config';
import { makePfx } from './support/pfx';
import { endpoints } from './support/sandbox';
import { Wizard } from './support/wizard';
import { waitFor } from './support/wait';

/**
 * Several replicas behind a load balancer: a second app instance (same build, same settings) on another port, and a
 * round-robin balancer in front of both that alternates every request — pages, scripts and API calls. One wizard
 * session runs through it to a completed import: the server keeps no session state (the browser holds its token;
 * OBO caches and rate-limit counters are per instance by design).
 */
const SECOND_PORT = E2E_APP_PORT + 7;
const BALANCER_PORT = E2E_APP_PORT + 8;
const backends = [E2E_APP_PORT, SECOND_PORT];
const apiHits = new Map<number, number>();

let second: ChildProcess | undefined;
let balancer: Server | undefined;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const root = process.cwd(); // Playwright runs from the repository root
  second = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(SECOND_PORT)], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      SANDBOX_STATE_DIR: path.resolve(root, E2E_STATE_DIR),
      NODE_EXTRA_CA_CERTS: endpoints().caFile,
      LOG_LEVEL: 'silent',
    },
  });
  let exited: number | null | undefined;
  second.once('exit', (code) => (exited = code));
  let turn = 0;
  balancer = createServer((req, res) => {
    const port = backends[turn++ % backends.length]!;
    if (req.url?.startsWith('/api/')) apiHits.set(port, (apiHits.get(port) ?? 0) + 1);
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'x-forwarded-proto': 'http' },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => balancer!.listen(BALANCER_PORT, '127.0.0.1', resolve));
  await waitFor(`http://127.0.0.1:${SECOND_PORT}/api/config`, 60_000).catch((error: unknown) => {
    throw new Error(
      `the second instance did not start${exited !== undefined ? ` (exit code ${exited}; is port ${SECOND_PORT} free?)` : ''}: ${String(error)}`,
    );
  });
});

test.afterAll(async () => {
  if (second?.pid) second.kill('SIGTERM');
  await new Promise<void>((resolve) => (balancer ? balancer.close(() => resolve()) : resolve()));
});

test('two instances behind a round-robin balancer serve one wizard session to a completed import', async ({ page }) => {
  const pfx = makePfx('replicas.contoso.example', 'replicas-Passw0rd!');
  const certName = `replicas-${Date.now().toString(36)}`;
  await page.goto(`http://localhost:${BALANCER_PORT}/wizard/vault`);
  const wizard = new Wizard(page);
  await wizard.signInAs('Ada Admin');
  await wizard.chooseVault('Contoso Production', 'kv-contoso-rbac');
  await wizard.next('access');
  await expect(page.getByTestId('flag-enabledForDeployment')).toHaveText('Enabled');
  await wizard.next('certificate');
  await page.getByLabel('Certificate name in Key Vault').filter({ visible: true }).fill(certName);
  await page.getByLabel('PFX file').setInputFiles(pfx.file);
  await page.getByLabel('PFX password').fill(pfx.password);
  await page.getByRole('button', { name: 'Import into Key Vault' }).click();
  await expect(page.getByTestId('import-success')).toBeVisible();
  await expect(page.getByTestId('thumbprint')).toHaveText(pfx.thumbprint);
  // The next step reads the session back from the other instance as well (step order is the UI's business).
  await page.reload();
  await expect(page.getByRole('button', { name: /Ada Admin/ })).toBeVisible();

  // Both instances answered API calls of this one session.
  for (const port of backends)
    expect(apiHits.get(port) ?? 0, `API requests served by :${port}`).toBeGreaterThanOrEqual(2);
});
