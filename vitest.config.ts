import { defineConfig } from 'vitest/config';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests that drive the route handlers against the sandbox as a process (lib/testing/sandbox-process.ts) need the
// sandbox's CA trusted by Node's own fetch (jose fetches the JWKS with it), which only NODE_EXTRA_CA_CERTS does, and
// Node reads it at process start. So a CA is made here, in the main process before any worker exists (openssl,
// once, kept under .sandbox-test/lib-ca), every worker inherits NODE_EXTRA_CA_CERTS, and each sandbox started by
// those tests is seeded with this CA (the sandbox reuses a CA it finds in its state directory).
const root = fileURLToPath(new URL('.', import.meta.url));
const caDir = join(root, '.sandbox-test', 'lib-ca');
if (!existsSync(join(caDir, 'ca.pem')) || !existsSync(join(caDir, 'ca-key.pem'))) {
  mkdirSync(join(root, '.sandbox-test'), { recursive: true });
  const tmp = mkdtempSync(join(root, '.sandbox-test', 'lib-ca-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(tmp, 'ca-key.pem'),
      '-out',
      join(tmp, 'ca.pem'),
      '-days',
      '3650',
      '-subj',
      '/CN=cses-cert-wizard unit-test sandbox CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { stdio: 'ignore' },
  );
  try {
    renameSync(tmp, caDir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run made it first
  }
}
process.env.NODE_EXTRA_CA_CERTS = join(caDir, 'ca.pem');
process.env.SANDBOX_TEST_CA_DIR = caDir;

// Unit tests live next to the code they test (lib/**/x.test.ts, cli/**/x.test.ts; tools/lint/rules.test.ts proves the
// lint and boundary rules bite).
export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    include: [
      'lib/**/*.test.ts',
      'cli/**/*.test.ts',
      'components/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    environment: 'node',
    // Much of this suite waits on child processes (the CLI, sandboxes, openssl) rather than the CPU, so files run
    // three at a time even on 2 cores (Vitest's default there, cores − 1, would run them one by one; decision 053).
    maxWorkers: 3,
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 30_000,
    env: { NODE_EXTRA_CA_CERTS: join(caDir, 'ca.pem'), SANDBOX_TEST_CA_DIR: caDir },
  },
});
