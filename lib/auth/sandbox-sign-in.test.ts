import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getServerConfig } from '@/lib/config';
import { httpAgent } from '@/lib/azure/transport';
import { startSandboxProcess, type SandboxProcess } from '@/lib/testing/sandbox-process';
import { signInPersona } from './sandbox-sign-in';

// The persona sign-in against the sandbox as a process, on the app's kept-alive agent: a socket that is closed
// under a request (as when the server closes an idle connection the moment the request goes out) costs one retry,
// not a "sandbox did not answer".

let sb: SandboxProcess;
const TOKEN_PATH = 'oauth2/v2.0/token$';

beforeAll(async () => {
  sb = await startSandboxProcess();
  vi.stubEnv('SANDBOX_STATE_DIR', sb.stateDir);
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await sb?.stop();
});
beforeEach(() => sb.faults.clear());

describe('persona sign-in on a kept-alive connection', () => {
  it('a reused socket closed under the token request: sent once more on a new one, and signed in', async () => {
    const config = getServerConfig();
    await signInPersona(config, 'admin@contoso.sandbox'); // leaves a kept-alive socket in the agent
    await sb.faults.add({ area: 'identity', method: 'POST', path: TOKEN_PATH, drop: true, count: 1 });
    const session = await signInPersona(config, 'reader@contoso.sandbox');
    expect(session.account.username).toBe('reader@contoso.sandbox');
    expect((await sb.faults.list())[0]).toMatchObject({ hits: 1 });
  });

  it('sent at most twice: a sandbox that drops every attempt is reported as not answering', async () => {
    const config = getServerConfig();
    await signInPersona(config, 'admin@contoso.sandbox');
    await sb.faults.add({ area: 'identity', method: 'POST', path: TOKEN_PATH, drop: true, count: 5 });
    await expect(signInPersona(config, 'reader@contoso.sandbox')).rejects.toMatchObject({
      code: 'sandbox_unavailable',
    });
    expect((await sb.faults.list())[0]).toMatchObject({ hits: 2 });
  });

  it("idle sockets follow the sandbox's Keep-Alive hint: the client drops them a second before the server would", async () => {
    const config = getServerConfig();
    await signInPersona(config, 'admin@contoso.sandbox');
    const free = Object.values(httpAgent(config)!.freeSockets).flat();
    expect(free.length).toBeGreaterThan(0);
    // Node's server announces `Keep-Alive: timeout=5`; without an agent timeout the hint would be ignored (0).
    for (const socket of free) expect(socket?.timeout).toBe(4000);
  });
});
