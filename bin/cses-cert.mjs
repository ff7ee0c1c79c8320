#!/usr/bin/env node
// cses-cert: runs cli/main.ts through tsx (a runtime dependency), so the TypeScript sources are the program.
import { fileURLToPath } from 'node:url';

function fail(message) {
  process.stderr.write(
    `cses-cert: error [internal-error]: ${String(message).replace(/\s+/g, ' ').trim()}. Run "npm install" in the cses-cert-wizard checkout and try again.\n`,
  );
  process.exitCode = 1;
}

try {
  const { register: registerHooks } = await import('node:module');
  registerHooks(new URL('../cli/server-only-hook.mjs', import.meta.url));
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  const { run } = await import('../cli/main.ts');
  const code = await run();
  // Let stdout drain before exiting (large outputs through pipes).
  process.exitCode = code;
} catch (e) {
  fail(e instanceof Error ? e.message : e);
}
