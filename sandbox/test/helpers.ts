import { Agent, request as httpsRequest, type AgentOptions } from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ComputeManagementClient } from '@azure/arm-compute';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { RestError } from '@azure/core-rest-pipeline';
import { OnBehalfOfCredential } from '@azure/identity';
import { startSandbox, type Endpoints, type RunningSandbox } from '../src/server';

export const PASSWORD = 'Sandbox-Passw0rd!';

/** RFC 6761: every *.localhost name is loopback. Node's resolver does not know that, so the agent maps it. */
export function localhostLookup(
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

export function sandboxAgent(caFile: string, extra: AgentOptions = {}): Agent {
  return new Agent({ ca: readFileSync(caFile), lookup: localhostLookup as never, keepAlive: true, ...extra });
}

export interface TestSandbox extends RunningSandbox {
  agent: Agent;
  tmp: string;
}

/** Starts a sandbox on a random port in a fresh temp state dir that reuses the CA vitest.config.ts made. */
export async function startTestSandbox(opts: { seedFile?: string } = {}): Promise<TestSandbox> {
  const caDir = process.env.SANDBOX_TEST_CA_DIR;
  if (!caDir) throw new Error('SANDBOX_TEST_CA_DIR not set: run with --config sandbox/vitest.config.ts');
  const tmp = mkdtempSync(join(tmpdir(), 'sbx-test-'));
  const stateDir = join(tmp, 'state');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(stateDir, { recursive: true });
  copyFileSync(join(caDir, 'ca.pem'), join(stateDir, 'ca.pem'));
  copyFileSync(join(caDir, 'ca-key.pem'), join(stateDir, 'ca-key.pem'));
  const sb = await startSandbox({ port: 0, stateDir, ...opts });
  const agent = sandboxAgent(sb.endpoints.caFile);
  return {
    ...sb,
    agent,
    tmp,
    close: async () => {
      agent.destroy();
      await sb.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

export function raw(
  agent: Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** Password grant with the public client → token for our API (what the app receives from the browser). */
export async function apiToken(
  sb: TestSandbox,
  username = 'admin@contoso.sandbox',
  password = PASSWORD,
): Promise<string> {
  const e = sb.endpoints;
  const res = await raw(sb.agent, `${e.identity.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: e.identity.publicClientId,
      username,
      password,
      scope: `${e.app.apiScope} openid profile offline_access`,
      client_info: '1',
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`password grant failed: ${res.status} ${res.text}`);
  return res.json().access_token as string;
}

export function oboCredential(e: Endpoints, userAssertionToken: string): OnBehalfOfCredential {
  // `disableInstanceDiscovery` is honoured at runtime (identity passes the options through to its MSAL client and
  // turns the authority host into a known authority) but identity 4.13's OBO constructor typings omit it, so the
  // options go through a variable (no excess-property check on a non-literal).
  const options = {
    tenantId: e.identity.tenantId,
    clientId: e.app.clientId,
    clientSecret: e.app.clientSecret,
    userAssertionToken,
    authorityHost: e.identity.authorityHost,
    disableInstanceDiscovery: true,
  };
  return new OnBehalfOfCredential(options);
}

/** @azure/arm-compute 23.3.0 (the last with cloud services) for a persona, through OBO like the app. */
export async function computeClient(
  sb: TestSandbox,
  username = 'admin@contoso.sandbox',
  subscriptionId = '0b1f6471-1bf0-4dda-aec3-111122223333',
): Promise<ComputeManagementClient> {
  return new ComputeManagementClient(oboCredential(sb.endpoints, await apiToken(sb, username)), subscriptionId, {
    endpoint: sb.endpoints.arm.endpoint,
    credentialScopes: ['https://management.azure.com/.default'],
    agent: sb.agent,
  } as never);
}

/** The Key Vault client options every test uses against the sandbox's vault hosts (its CA, no challenge host check). */
const keyVaultOptions = (sb: TestSandbox) => ({ disableChallengeResourceVerification: true, agent: sb.agent }) as never;
const vaultUrl = (sb: TestSandbox, vault: string) => `https://${vault}.vault.localhost:${sb.port}/`;

/** @azure/keyvault-certificates for one of the sandbox's vaults, as a persona through OBO like the app. */
export async function certificateClient(
  sb: TestSandbox,
  vault = 'kv-contoso-prod',
  username = 'admin@contoso.sandbox',
): Promise<CertificateClient> {
  const cred = oboCredential(sb.endpoints, await apiToken(sb, username));
  return new CertificateClient(vaultUrl(sb, vault), cred, keyVaultOptions(sb));
}

/** @azure/keyvault-secrets for one of the sandbox's vaults, as a persona through OBO like the app. */
export async function secretClient(
  sb: TestSandbox,
  vault = 'kv-contoso-prod',
  username = 'admin@contoso.sandbox',
): Promise<SecretClient> {
  const cred = oboCredential(sb.endpoints, await apiToken(sb, username));
  return new SecretClient(vaultUrl(sb, vault), cred, keyVaultOptions(sb));
}

/** The RestError a promise rejects with (fails the test if it resolves or throws something else). */
export async function restError(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a RestError');
}

export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

export interface OpensslPfx {
  dir: string;
  pfx: Buffer;
  certPem: string;
  keyPem: string;
  /** `openssl x509 -noout -fingerprint -sha1`, normalised to 40 uppercase hex */
  thumbprint: string;
}

/** Makes a self-signed cert and a PKCS#12 with OpenSSL 3 defaults (PBES2/AES-256-CBC, SHA-256 MAC). */
export function opensslPfx(
  opts: { cn?: string; password?: string; days?: number; extraArgs?: string[]; keyAlg?: string[]; san?: string } = {},
): OpensslPfx {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-pfx-'));
  const key = join(dir, 'key.pem');
  const crt = join(dir, 'cert.pem');
  const pfx = join(dir, 'cert.pfx');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...(opts.keyAlg ?? ['-newkey', 'rsa:2048']),
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      String(opts.days ?? 365),
      '-subj',
      `/CN=${opts.cn ?? 'www.contoso.sandbox'}/O=Contoso`,
      '-addext',
      `subjectAltName=${opts.san ?? `DNS:${opts.cn ?? 'www.contoso.sandbox'}`}`,
    ],
    { stdio: 'pipe' },
  );
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      crt,
      '-out',
      pfx,
      '-passout',
      `pass:${opts.password ?? 'Pfx-Passw0rd'}`,
      ...(opts.extraArgs ?? []),
    ],
    { stdio: 'pipe' },
  );
  const fp = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', crt], { encoding: 'utf8' });
  const thumbprint = fp.split('=')[1]!.replace(/[:\s]/g, '').toUpperCase();
  return {
    dir,
    pfx: readFileSync(pfx),
    certPem: readFileSync(crt, 'utf8'),
    keyPem: readFileSync(key, 'utf8'),
    thumbprint,
  };
}

export { writeFileSync };
