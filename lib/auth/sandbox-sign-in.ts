import 'server-only';
import { request } from 'node:https';
import { AppError } from '@/lib/errors';
import type { ServerConfig } from '@/lib/config';
import { httpAgent } from '@/lib/azure/transport';

export interface SandboxSession {
  accessToken: string;
  /** ms since epoch */
  expiresOn: number;
  account: { username: string; name: string; oid: string };
}

export interface PersonaInfo {
  username: string;
  displayName: string;
  description: string;
}

export function listPersonas(config: ServerConfig): PersonaInfo[] {
  return (config.sandbox?.personas ?? []).map(({ username, displayName, description }) => ({
    username,
    displayName,
    description,
  }));
}

/**
 * The token request, sent once more if a kept-alive socket turned out to be closed under it (ECONNRESET on a reused
 * socket, Node's documented case for a retry): asking for a token again is harmless.
 */
function post(
  url: string,
  form: URLSearchParams,
  config: ServerConfig,
  retried = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: httpAgent(config), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(post(url, form, config, true));
      else reject(error);
    });
    req.end(form.toString());
  });
}

function decodeClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Sandbox mode only: signs a persona in with the password grant against the sandbox's identity provider and returns
 * a token for our API — the same kind of token MSAL returns in Azure mode, so every other route is identical in both
 * modes (decision 002). Persona passwords are sandbox fixtures, published in endpoints.json and the README.
 */
export async function signInPersona(config: ServerConfig, username: string): Promise<SandboxSession> {
  const sandbox = config.sandbox;
  if (config.mode !== 'sandbox' || !sandbox) {
    throw new AppError({
      code: 'not_found',
      message: 'Persona sign-in exists only in sandbox mode.',
      action: 'Sign in with your Microsoft Entra account.',
    });
  }
  const persona = sandbox.personas.find((p) => p.username.toLowerCase() === username.toLowerCase());
  if (!persona) {
    throw new AppError({
      code: 'validation_failed',
      message: `There is no sandbox persona '${username}'.`,
      action: 'Pick one of the listed personas.',
      fields: { username: 'unknown persona' },
    });
  }
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: sandbox.publicClientId,
    username: persona.username,
    password: persona.password,
    scope: `${config.apiScope} openid profile offline_access`,
  });
  let res: { status: number; body: string };
  try {
    res = await post(sandbox.tokenEndpoint, form, config);
  } catch {
    throw new AppError({
      code: 'sandbox_unavailable',
      message: 'The sandbox did not answer.',
      action: 'Start it with `npm start` (or `npm run sandbox`), then sign in again.',
    });
  }
  const body = JSON.parse(res.body || '{}') as { access_token?: string; expires_in?: number };
  if (res.status !== 200 || !body.access_token) {
    throw new AppError({
      code: 'reauth_required',
      message: 'The sandbox refused the persona sign-in.',
      action: 'Reset the sandbox with `npm run sandbox:reset` and try again.',
    });
  }
  const claims = decodeClaims(body.access_token);
  return {
    accessToken: body.access_token,
    expiresOn: Date.now() + (body.expires_in ?? 3600) * 1000,
    account: { username: persona.username, name: persona.displayName, oid: String(claims.oid ?? '') },
  };
}
