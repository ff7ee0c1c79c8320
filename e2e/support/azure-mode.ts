import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { endpoints } from './sandbox';
import { waitFor } from './wait';

/**
 * Azure mode without Entra ID: a second app instance configured exactly as for a real tenant (AZURE_CLIENT_ID,
 * AZURE_TENANT_ID, secret, authority host, ARM endpoint, Key Vault suffix), pointed at the sandbox's identity
 * provider over HTTPS. The browser runs the same MSAL code real users run: loginRedirect → the sandbox's authorize
 * endpoint (persona picker) → back with a code redeemed cross-origin with PKCE → acquireTokenSilent → our API →
 * on-behalf-of → ARM and Key Vault. The sandbox CA is trusted by this browser only, by its public-key hash.
 */
export interface AzureMode {
  baseURL: string;
  browser: Browser;
  stop: () => Promise<void>;
}

export async function startAzureMode(port: number): Promise<AzureMode> {
  const e = endpoints() as ReturnType<typeof endpoints> & {
    port: number;
    identity: { authorityHost: string };
    arm: { endpoint: string };
    keyVault: { dnsSuffix: string };
  };
  const root = process.cwd();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'silent',
    AZURE_CLIENT_ID: e.app.clientId,
    AZURE_TENANT_ID: e.identity.tenantId,
    AZURE_CLIENT_SECRET: e.app.clientSecret,
    AZURE_SPA_CLIENT_ID: e.identity.publicClientId,
    AZURE_API_SCOPE: e.app.apiScope,
    AZURE_AUTHORITY_HOST: e.identity.authorityHost,
    AZURE_ARM_ENDPOINT: e.arm.endpoint,
    AZURE_KEYVAULT_DNS_SUFFIX: e.keyVault.dnsSuffix,
    AZURE_KEYVAULT_PORT: String(e.port),
    // The app server trusts the sandbox CA as it would trust a corporate proxy's: explicitly, never by switching checks off.
    NODE_EXTRA_CA_CERTS: e.caFile,
  };
  delete env.SANDBOX_STATE_DIR;
  const server: ChildProcess = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(port)], {
    cwd: root,
    stdio: 'ignore',
    env,
  });
  const spki = new X509Certificate(readFileSync(e.caFile)).publicKey.export({ type: 'spki', format: 'der' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-quic',
      `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
    ],
  });
  await waitFor(`http://127.0.0.1:${port}/api/config`, 60_000);
  return {
    baseURL: `http://localhost:${port}`,
    browser,
    stop: async () => {
      await browser.close();
      if (server.pid) server.kill('SIGTERM');
    },
  };
}
