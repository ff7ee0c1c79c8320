/**
 * Test support: cses-cert run in-process with its output captured, and the sandbox as a separate process
 * (lib/testing/sandbox-process.ts) found by the CLI through SANDBOX_STATE_DIR, as it finds `.sandbox` in use.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '@/lib/testing/sandbox-process';
import type { CliIO } from './io';
import { main } from './main';

export async function runCli(
  argv: string[],
  cwd = process.cwd(),
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (s) => void out.push(typeof s === 'string' ? s : new TextDecoder().decode(s)),
    stderr: (s) => void err.push(s),
    readStdin: async () => new TextEncoder().encode(stdin),
    cwd,
  };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

/** Starts a sandbox for the file's tests and points SANDBOX_STATE_DIR at it; stops it and restores the variable after. */
export function useSandboxForCli(): { readonly sandbox: SandboxProcess } {
  const previous = process.env.SANDBOX_STATE_DIR;
  let sandbox: SandboxProcess | undefined;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    process.env.SANDBOX_STATE_DIR = sandbox.stateDir;
  }, 90_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.SANDBOX_STATE_DIR;
    else process.env.SANDBOX_STATE_DIR = previous;
    await sandbox?.stop();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox is not started yet (use it inside a test)');
      return sandbox;
    },
  };
}

/** stderr must be exactly one line `cses-cert: error [code]: …` — never a stack trace. */
export function expectOneErrorLine(stderr: string, code: string): void {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^cses-cert: error \\[${code}\\]: `));
  expect(stderr).not.toMatch(/\n\s+at /);
}
