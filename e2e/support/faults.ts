import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { E2E_SANDBOX_PORT, E2E_STATE_DIR } from '../../playwright.config';

/** The sandbox's fault switches (`/_sandbox/faults`), driven from e2e tests. */
export interface FaultRule {
  area?: string;
  method?: string;
  path?: string;
  status?: number;
  retryAfter?: number | null;
  delayMs?: number;
  drop?: boolean;
  count?: number;
  skip?: number;
}

function caAgent(): Agent {
  const endpoints = JSON.parse(readFileSync(path.resolve(E2E_STATE_DIR, 'endpoints.json'), 'utf8')) as {
    caFile: string;
  };
  return new Agent({ ca: readFileSync(endpoints.caFile) });
}

function control(method: string, body?: unknown): Promise<{ rules: Array<FaultRule & { hits?: number }> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `https://localhost:${E2E_SANDBOX_PORT}/_sandbox/faults`,
      { method, agent: caAgent(), headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode && res.statusCode < 300
            ? resolve(JSON.parse(text))
            : reject(new Error(`faults ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

export const faults = {
  add: (rule: FaultRule) => control('POST', rule),
  list: () => control('GET'),
  clear: () => control('DELETE'),
};

/** The pid of the process listening on the sandbox port. */
export function sandboxPid(): number {
  const out = execFileSync(
    'sh',
    ['-c', `ss -ltnpH 'sport = :${E2E_SANDBOX_PORT}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`],
    { encoding: 'utf8' },
  ).trim();
  const pid = Number(out);
  if (!pid) throw new Error('no sandbox is listening');
  return pid;
}

/** Waits until `npm start`'s supervisor has the sandbox listening again, as a new process, after it was killed. */
export async function waitForSandboxRestart(killedPid: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const pid = sandboxPid();
      if (pid !== killedPid) {
        await faults.list();
        return pid;
      }
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('the sandbox was not restarted');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A process's parent pid and command line, from /proc (Linux, as CI). */
export function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
export function commandLine(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
}

/** Listens on 127.0.0.1:`port` for `ms`, as an orphaned server would; resolves once the port is held. */
export async function holdPort(port: number, ms: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    // Connections are refused at once (reset), so nothing hangs on a server that never answers.
    const server = createServer((socket) => socket.destroy());
    const held = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (held) {
      setTimeout(() => server.close(), ms);
      return;
    }
    if (attempt > 20) throw new Error(`port ${port} could not be held`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
