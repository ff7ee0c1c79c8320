import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { E2E_STATE_DIR } from '../../playwright.config';

/**
 * Reads what the sandbox holds, independently of the app: its own token calls (password grant, then on-behalf-of)
 * and the real Key Vault SDK. Used to check that what the wizard shows and copies is what the vault has.
 */
interface Endpoints {
  port: number;
  caFile: string;
  arm: { endpoint: string };
  identity: { authorityHost: string; tenantId: string; publicClientId: string };
  app: { clientId: string; clientSecret: string; apiScope: string };
  vaults: Array<{ name: string; vaultUri: string; id: string }>;
  personas: Array<{ username: string; password: string }>;
}

export function endpoints(): Endpoints {
  return JSON.parse(readFileSync(path.resolve(E2E_STATE_DIR, 'endpoints.json'), 'utf8')) as Endpoints;
}

export function agentFor(e: Endpoints): Agent {
  return new Agent({
    ca: readFileSync(e.caFile),
    lookup: ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) =>
      options.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
  });
}

function token(e: Endpoints, form: Record<string, string>): Promise<{ access_token: string; expires_in: number }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${e.identity.authorityHost}/${e.identity.tenantId}/oauth2/v2.0/token`,
      { method: 'POST', agent: agentFor(e), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`token ${res.statusCode}: ${text.slice(0, 200)}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export class PersonaVaultCredential implements TokenCredential {
  constructor(
    private readonly e: Endpoints,
    private readonly username: string,
  ) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const persona = this.e.personas.find((p) => p.username === this.username)!;
    const user = await token(this.e, {
      grant_type: 'password',
      client_id: this.e.identity.publicClientId,
      username: persona.username,
      password: persona.password,
      scope: this.e.app.apiScope,
    });
    const obo = await token(this.e, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: this.e.app.clientId,
      client_secret: this.e.app.clientSecret,
      assertion: user.access_token,
      scope: Array.isArray(scopes) ? scopes.join(' ') : scopes,
    });
    return { token: obo.access_token, expiresOnTimestamp: Date.now() + obo.expires_in * 1000 };
  }
}

export const SUBSCRIPTIONS = {
  production: '0b1f6471-1bf0-4dda-aec3-111122223333',
  staging: '5c2e8f90-3a7b-4d1c-b2e4-444455556666',
} as const;

export function sandboxCertificateClient(vaultName: string, username = 'admin@contoso.sandbox'): CertificateClient {
  const e = endpoints();
  // Vaults created during the run are not in endpoints.json; their URI follows the sandbox's naming (decision 003).
  const vaultUri =
    e.vaults.find((v) => v.name === vaultName)?.vaultUri ?? `https://${vaultName}.vault.localhost:${e.port}/`;
  return new CertificateClient(vaultUri, new PersonaVaultCredential(e, username), {
    disableChallengeResourceVerification: true,
    agent: agentFor(e),
  });
}

/** ARM (Microsoft.KeyVault) as a persona sees it, independently of the app. */
export function sandboxVaultClient(
  subscriptionId: string,
  username = 'admin@contoso.sandbox',
): KeyVaultManagementClient {
  const e = endpoints();
  return new KeyVaultManagementClient(new PersonaVaultCredential(e, username), subscriptionId, {
    endpoint: e.arm.endpoint,
    credentials: { scopes: ['https://management.azure.com/.default'] },
    agent: agentFor(e),
  } as never);
}
