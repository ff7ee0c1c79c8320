import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from './src/pki.js';

// The real @azure/identity / msal-node clients open their own HTTPS connections; the only supported way to make
// them trust the sandbox CA without touching their options is NODE_EXTRA_CA_CERTS, which Node reads at process
// start. So the CA is created HERE (in the main vitest process, before any worker exists) under
// .sandbox-test/ca, and NODE_EXTRA_CA_CERTS is exported so every forked worker inherits it. Each test then starts
// its own sandbox in a temp state dir seeded with this CA (see test/helpers.ts).
const root = fileURLToPath(new URL('..', import.meta.url));
const caDir = join(root, '.sandbox-test', 'ca');
mkdirSync(caDir, { recursive: true });
const { caFile } = ensureTls(caDir);
process.env.NODE_EXTRA_CA_CERTS = caFile;
process.env.SANDBOX_TEST_CA_DIR = caDir;

export default defineConfig({
  test: {
    root,
    include: ['sandbox/test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Most of the time is spent waiting on the sandbox, openssl and child processes, not on the CPU.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { NODE_EXTRA_CA_CERTS: caFile, SANDBOX_TEST_CA_DIR: caDir },
  },
});
