import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Unit tests live next to the code they test (lib/**/x.test.ts, cli/**/x.test.ts; tools/lint/rules.test.ts proves the
// lint and boundary rules bite).
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: [
      'lib/**/*.test.ts',
      'cli/**/*.test.ts',
      'components/**/*.test.ts',
      'scripts/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 30_000,
  },
});
