import { defineConfig } from '@playwright/test';

// e2e runs only against the sandbox. Each Playwright worker has its own app and sandbox (own ports, own state
// directory, reset at start), so tests on different workers never share state (decision 053). The runner starts one
// pair per worker; a worker finds its pair from TEST_PARALLEL_INDEX, which Playwright sets in the worker's process
// (0 in the runner, where only the webServer list is read). E2E_WORKERS=1 runs the suite on one pair, in file order.
export const E2E_WORKERS = Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
const APP_BASE = Number(process.env.E2E_APP_PORT ?? 3100);
const SANDBOX_BASE = Number(process.env.E2E_SANDBOX_PORT ?? 8643);
// A worker's pair is this many ports above the previous worker's; specs use a few ports above their app port
// (a second replica, a balancer, Azure-mode instances: +7 to +10).
const PORT_STRIDE = 20;

interface Pair {
  appPort: number;
  sandboxPort: number;
  stateDir: string;
}
const pairOf = (index: number): Pair => ({
  appPort: APP_BASE + index * PORT_STRIDE,
  sandboxPort: SANDBOX_BASE + index * PORT_STRIDE,
  stateDir: index === 0 ? '.sandbox-e2e' : `.sandbox-e2e-${index}`,
});
const own = pairOf(Number(process.env.TEST_PARALLEL_INDEX ?? 0));
export const E2E_APP_PORT = own.appPort;
export const E2E_SANDBOX_PORT = own.sandboxPort;
export const E2E_STATE_DIR = own.stateDir;

const webServer = ({ appPort, sandboxPort, stateDir }: Pair) => ({
  // The server's own output (JSON log lines, sandbox lines, errors) goes to a file the secrets-hygiene test searches
  // (one per app port, so runs on other ports never mix); look there when the server does not start.
  command: `mkdir -p test-results && exec node scripts/start.mjs --no-build --reset --port ${appPort} --sandbox-port ${sandboxPort} --state-dir ${stateDir} >test-results/e2e-server-${appPort}.log 2>&1`,
  url: `http://localhost:${appPort}/api/config`,
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  // Self-signed creates stay pending for 2.5 s, as Key Vault's do for a while, so the wizard's polling is exercised;
  // soft delete and recovery take a short while (their pollers are exercised, the walk stays fast).
  env: {
    LOG_LEVEL: 'info',
    RATE_LIMIT_REQUESTS: '600',
    SANDBOX_CREATE_DELAY_MS: '2500',
    SANDBOX_DELETE_DELAY_MS: '300',
    SANDBOX_RECOVER_DELAY_MS: '300',
  },
});

export default defineConfig({
  testDir: './e2e',
  // Files are shared out to the workers as they free up; the tests of one file run in order on one worker.
  fullyParallel: false,
  workers: E2E_WORKERS,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://localhost:${E2E_APP_PORT}`,
    // Traces cost about a tenth of the suite's CPU: E2E_TRACE=1 keeps one for every failed test (decision 053). Every
    // failure leaves its screenshot, the page's ARIA snapshot (error-context.md) and the server's log anyway.
    trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
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
  webServer: Array.from({ length: E2E_WORKERS }, (_, index) => webServer(pairOf(index))),
});
