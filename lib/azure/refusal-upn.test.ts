import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '@/lib/testing/sandbox-process';
import { sandboxToken } from '@/lib/testing/sign-in.test-support';

// A refusal's advice is a command the signed-in user can run or forward: it names their UPN, never a placeholder,
// whichever lib/azure module the refused call went through (the mapper requires the UPN of every call site).

const STAGING = '5c2e8f90-3a7b-4d1c-b2e4-444455556666';
let sb: SandboxProcess;

const { GET: listCloudServices } = await import('@/app/api/subscriptions/[subscriptionId]/cloud-services/route');
const { GET: listVaults } = await import('@/app/api/subscriptions/[subscriptionId]/vaults/route');

beforeAll(async () => {
  sb = await startSandboxProcess();
  vi.stubEnv('SANDBOX_STATE_DIR', sb.stateDir);
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('RATE_LIMIT_REQUESTS', '0');
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await sb?.stop();
});

describe('the advice after a refusal names the signed-in user', () => {
  it.each([
    ['cloud services', listCloudServices, `/api/subscriptions/${STAGING}/cloud-services`],
    ['vaults', listVaults, `/api/subscriptions/${STAGING}/vaults`],
  ])('%s of a subscription Cole has no role on', async (_, route, url) => {
    const response = await route(
      new Request(`http://localhost${url}`, {
        headers: { authorization: `Bearer ${await sandboxToken('certs@contoso.sandbox')}` },
      }),
      { params: Promise.resolve({ subscriptionId: STAGING }) },
    );
    const body = (await response.json()) as {
      error: { code: string; action: string; advice?: { az?: string; powershell?: string } };
    };
    expect(response.status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    const advice = `${body.error.action} ${body.error.advice?.az ?? ''} ${body.error.advice?.powershell ?? ''}`;
    expect(advice).toContain('certs@contoso.sandbox');
    expect(advice).not.toContain('<your-upn>');
    expect(advice).toContain(`--scope /subscriptions/${STAGING}`);
    expect(advice).not.toContain('<subscription id>');
  });
});
