import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from './src/pki.js';

// The real @azure/identity / msal-node clients open their own HTTPS connections; the only supported way to make
// them trust the sandbox CA without touching their options is NODE_EXTRA_CA_CERTS, which Node reads at process
// start. So the CA is created HERE (in the main vitest process, before any worker exists) under
// .sandbox-test/ca, and NODE_EXTRA_CA_CERTS is exported so every forked worker inherits it. Each test then starts
// its own sandbox in a temp state dir seeded with this CA (see test/helpers.ts).
const root = fileURLToPath(new URL('..', import.meta.url));
const caDir = join(root, '.sandbox-test', 'ca');
if (!existsSync(join(caDir, 'ca.pem')) || !existsSync(join(caDir, 'ca-key.pem'))) {
  // Build it aside and move it into place in one rename, so two runs starting at once cannot mix halves.
  mkdirSync(join(root, '.sandbox-test'), { recursive: true });
  const tmp = mkdtempSync(join(root, '.sandbox-test', 'ca-'));
  ensureTls(tmp);
  const complete = () => existsSync(join(caDir, 'ca.pem')) && existsSync(join(caDir, 'ca-key.pem'));
  try {
    renameSync(tmp, caDir);
  } catch {
    if (complete())
      rmSync(tmp, { recursive: true, force: true }); // another run won the race: use its CA
    else {
      rmSync(caDir, { recursive: true, force: true }); // an incomplete leftover
      renameSync(tmp, caDir);
    }
  }
}
const caFile = join(caDir, 'ca.pem');
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
    // The files of a worker share its module cache (the Azure SDKs load once per worker, not once per file: 68 → 22 s
    // of imports). Safe here: every file starts servers of its own on state of its own, and no file mocks a module
    // (decision 053).
    isolate: false,
    // Generous: the dev box is shared and often saturated; a normal run takes well under a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Key Vault's background work (self-signed issuance, soft delete, recovery) takes seconds by default; tests keep
    // it real but short. A test that needs another duration sets the variable itself (the sandbox reads it per use).
    env: {
      NODE_EXTRA_CA_CERTS: caFile,
      SANDBOX_TEST_CA_DIR: caDir,
      SANDBOX_CREATE_DELAY_MS: '1000', // the shortest the sandbox allows
      SANDBOX_DELETE_DELAY_MS: '200',
      SANDBOX_RECOVER_DELAY_MS: '200',
      SANDBOX_PURGE_DELAY_MS: '200',
    },
  },
});
