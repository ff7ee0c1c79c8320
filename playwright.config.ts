import { defineConfig } from '@playwright/test';

// e2e runs only against the sandbox: its own ports and state directory, reset at start.
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const E2E_SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 8643);
export const E2E_STATE_DIR = '.sandbox-e2e';

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://localhost:${E2E_APP_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The server's own output (JSON log lines, sandbox lines, errors) goes to a file the secrets-hygiene test searches
    // (one per app port, so runs on other ports never mix); look there when the server does not start.
    command: `mkdir -p test-results && exec node scripts/start.mjs --no-build --reset --port ${E2E_APP_PORT} --sandbox-port ${E2E_SANDBOX_PORT} --state-dir ${E2E_STATE_DIR} >test-results/e2e-server-${E2E_APP_PORT}.log 2>&1`,
    url: `http://localhost:${E2E_APP_PORT}/api/config`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // Self-signed creates stay pending for 2.5 s, as Key Vault's do for a while, so the wizard's polling is exercised;
    // soft delete and recovery take a short while (their pollers are exercised, the walk stays fast).
    env: {
      LOG_LEVEL: 'info',
      RATE_LIMIT_REQUESTS: '600',
      SANDBOX_CREATE_DELAY_MS: '2500',
      SANDBOX_DELETE_DELAY_MS: '300',
      SANDBOX_RECOVER_DELAY_MS: '300',
    },
  },
});
