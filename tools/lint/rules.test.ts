// The house's rules bite: dependency-cruiser, ESLint and Prettier each refuse a deliberate violation (decision 023).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

interface CruiseViolation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('dependency-cruiser', () => {
  it('reports every boundary breach in tools/lint/fixtures', () => {
    const result = spawnSync(
      process.execPath,
      [
        path.join(here, 'depcruise.mjs'),
        '--config',
        path.join(here, 'dependency-cruiser.cjs'),
        '--output-type',
        'json',
        '.',
      ],
      { cwd: path.join(here, 'fixtures'), encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    const { summary } = JSON.parse(result.stdout) as { summary: { violations: CruiseViolation[] } };
    const found = summary.violations.map((v) => `${v.rule.name}: ${v.from}`).sort();
    expect(found).toEqual([
      'components-not-azure: components/leaky.ts',
      'isomorphic-libs-no-azure-no-react: lib/certs/uses-react.ts',
      'no-circular: lib/wizard/ping.ts',
      'nothing-imports-the-sandbox: lib/wizard/uses-sandbox.ts',
      'sandbox-self-contained: sandbox/src/reaches-out.ts',
    ]);
  });
});

describe('ESLint', () => {
  const eslint = new ESLint({ cwd: root });
  const lint = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(root, filePath) })).flatMap((r) =>
      r.messages.map((m) => m.ruleId),
    );

  it('refuses a hook called conditionally in a component', async () => {
    const code = `'use client';
import { useState } from 'react';
export function Broken({ on }: { on: boolean }) {
  if (on) useState(0);
  return null;
}
`;
    expect(await lint('components/ui/broken.tsx', code)).toContain('react-hooks/rules-of-hooks');
  });

  it('refuses an explicit any in app code and passes the same file typed', async () => {
    expect(await lint('lib/wizard/broken.ts', 'export const f = (x: any) => x;\n')).toContain(
      '@typescript-eslint/no-explicit-any',
    );
    expect(await lint('lib/wizard/fine.ts', 'export const f = (x: unknown) => x;\n')).toEqual([]);
  });

  it('refuses an image without alt text', async () => {
    const code = `export function Logo() {
  return <img src="/logo.png" />;
}
`;
    expect(await lint('components/ui/logo.tsx', code)).toContain('jsx-a11y/alt-text');
  });
});

describe('Prettier', () => {
  it('flags an unformatted file and accepts it formatted', async () => {
    const options = { ...(await prettier.resolveConfig(path.join(root, 'lib/x.ts'))), filepath: 'lib/x.ts' };
    const messy = 'export const  x = {a:1,\nb:"two"}\n';
    expect(await prettier.check(messy, options)).toBe(false);
    expect(await prettier.check(await prettier.format(messy, options), options)).toBe(true);
  });
});
