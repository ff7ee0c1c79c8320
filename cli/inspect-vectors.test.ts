/**
 * `cses-cert inspect --json` over every lib/certs vector, in-process (cli/run.test-support.ts): the exit code, the
 * error codes, the thumbprint and the one error line each vector must give. cli.test.ts spawns the real command for
 * what only a process shows (exit statuses, stdin, byte-exact stdout); here the same `main` runs 37 times without
 * 37 Node processes (decision 053).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expectOneErrorLine, runCli } from './run.test-support';

const VECTORS = resolve(__dirname, '..', 'lib', 'certs', '__vectors__');
const EXPECTED = join(VECTORS, 'expected.json');

interface Vector {
  file: string;
  password?: string | null;
  errors: string[];
  thumbprint?: string;
  nowDaysBeforeNotAfter?: number;
  slow?: boolean;
}

const usable = (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { vectors: Vector[] }).vectors.filter(
  // Vectors that need a fake clock cannot be run through the command line; lib/certs tests the slow ones.
  (v) => v.nowDaysBeforeNotAfter === undefined && !v.slow && existsSync(join(VECTORS, v.file)),
);
// Every vector with errors (each error code through the CLI) and a sample of importable ones.
const vectors = [
  ...usable.filter((v) => v.errors.length > 0),
  ...usable.filter((v) => v.errors.length === 0).slice(0, 8),
];

describe('inspect × every lib/certs vector', () => {
  it('covers every error code the vectors have', () => {
    expect(vectors.length).toBeGreaterThan(15);
  });

  it.each(vectors.map((v) => [v.file, v] as const))('%s', async (_, v) => {
    const args = ['inspect', join(VECTORS, v.file), '--json'];
    const withPassword = v.password !== null && v.password !== undefined;
    const r = await runCli(withPassword ? [...args, '--password-stdin'] : args, process.cwd(), v.password ?? '');
    const what = `${v.file} (${JSON.stringify(v.password)}): ${r.err}`;
    expect(r.code, what).toBe(v.errors.length === 0 ? 0 : 2);
    const j = JSON.parse(r.out) as { importable: boolean; thumbprint: string | null; errors: Array<{ code: string }> };
    expect(j.importable, what).toBe(v.errors.length === 0);
    expect(j.errors.map((e) => e.code).sort(), what).toEqual([...v.errors].sort());
    if (v.thumbprint) expect(j.thumbprint, what).toBe(v.thumbprint);
    if (v.errors.length) expectOneErrorLine(r.err, j.errors[0]?.code ?? 'x');
    else expect(r.err, what).toBe('');
  });
});
