import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Test helper: the sandbox as a separate process (`node --import tsx sandbox/src/main.ts`, as `npm start` runs it),
 * on a random port and its own state directory, for tests that drive the real route handlers and Azure SDKs
 * against it. Nothing of the sandbox is imported (it stays an independent oracle).
 */
export interface SandboxProcess {
  stateDir: string;
  port: number;
  endpoints: { caFile: string; arm: { endpoint: string }; identity: { authorityHost: string } };
  faults: {
    add(rule: Record<string, unknown>): Promise<void>;
    clear(): Promise<void>;
    list(): Promise<Array<Record<string, unknown>>>;
  };
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

export async function startSandboxProcess(): Promise<SandboxProcess> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'cses-lib-sandbox-'));
  // The CA vitest.config.ts made and every test worker trusts (NODE_EXTRA_CA_CERTS).
  const caDir = process.env.SANDBOX_TEST_CA_DIR;
  if (!caDir) throw new Error('SANDBOX_TEST_CA_DIR is not set: run with vitest.config.ts');
  for (const f of ['ca.pem', 'ca-key.pem']) copyFileSync(path.join(caDir, f), path.join(stateDir, f));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'sandbox/src/main.ts', '--port', '0', '--state-dir', stateDir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const endpoints = await new Promise<SandboxProcess['endpoints']>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as SandboxProcess['endpoints']));
    child.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code}: ${stderr}`)));
  });
  const port = Number(new URL(endpoints.arm.endpoint).port);
  const agent = new Agent({ ca: readFileSync(endpoints.caFile) });
  const control = (method: string, body?: unknown) =>
    new Promise<{ rules: Array<Record<string, unknown>> }>((resolve, reject) => {
      const req = request(
        `https://localhost:${port}/_sandbox/faults`,
        { method, agent, headers: body ? { 'content-type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            (res.statusCode ?? 500) < 300
              ? resolve(JSON.parse(text || '{"rules":[]}') as { rules: Array<Record<string, unknown>> })
              : reject(new Error(`faults ${res.statusCode}: ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  return {
    stateDir,
    port,
    endpoints,
    faults: {
      add: async (rule) => void (await control('POST', rule)),
      clear: async () => void (await control('DELETE')),
      list: async () => (await control('GET')).rules,
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      agent.destroy();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
