import 'server-only';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Server configuration. With no Azure settings the app runs in sandbox mode against `sandbox/`, reading the
 * endpoints the sandbox wrote to `{SANDBOX_STATE_DIR}/endpoints.json`. Setting AZURE_CLIENT_ID switches to Azure mode.
 */
export interface ServerConfig {
  mode: 'sandbox' | 'azure';
  tenantId: string;
  /** Our app registration: the SPA signs in with it and the API token's audience is it. */
  clientId: string;
  clientSecret: string;
  authorityHost: string;
  issuer: string;
  jwksUri: string;
  /** Scope the browser asks for to call our API. */
  apiScope: string;
  armEndpoint: string;
  armAudience: string;
  keyVaultAudience: string;
  /** Vault hosts must end with `.${keyVaultDnsSuffix}` (a port is allowed in sandbox mode only). */
  keyVaultDnsSuffix: string;
  /** Sandbox only: the public client and personas used to sign in. */
  sandbox?: {
    publicClientId: string;
    tokenEndpoint: string;
    caFile: string;
    port: number;
    personas: Array<{ username: string; password: string; displayName: string; description: string }>;
  };
}

const endpointsSchema = z.object({
  port: z.number().int(),
  caFile: z.string(),
  identity: z.object({
    authorityHost: z.string().url(),
    tenantId: z.string(),
    issuer: z.string().url(),
    jwksUri: z.string().url(),
    publicClientId: z.string(),
  }),
  app: z.object({ clientId: z.string(), clientSecret: z.string(), apiScope: z.string() }),
  arm: z.object({ endpoint: z.string().url(), audience: z.string().url() }),
  keyVault: z.object({ dnsSuffix: z.string(), audience: z.string().url() }),
  personas: z.array(
    z.object({ username: z.string(), password: z.string(), displayName: z.string(), description: z.string().default('') }),
  ),
});

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly action: string,
  ) {
    super(message);
  }
}

export function sandboxStateDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SANDBOX_STATE_DIR ?? '.sandbox');
}

let cached: { key: string; config: ServerConfig } | undefined;

export function getServerConfig(): ServerConfig {
  if (process.env.AZURE_CLIENT_ID) return azureConfig();
  const file = path.join(sandboxStateDir(), 'endpoints.json');
  let key: string;
  try {
    key = `${file}:${statSync(file).mtimeMs}`;
  } catch {
    throw new ConfigError(
      'The sandbox is not running: no endpoints file was found.',
      'Start the app with `npm start` (it starts the sandbox), or run `npm run sandbox` in another terminal.',
    );
  }
  if (cached?.key === key) return cached.config;
  const parsed = endpointsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new ConfigError('The sandbox endpoints file is not in the expected shape.', 'Run `npm run sandbox:reset`, then `npm start`.');
  }
  const e = parsed.data;
  const config: ServerConfig = {
    mode: 'sandbox',
    tenantId: e.identity.tenantId,
    clientId: e.app.clientId,
    clientSecret: e.app.clientSecret,
    authorityHost: e.identity.authorityHost,
    issuer: e.identity.issuer,
    jwksUri: e.identity.jwksUri,
    apiScope: e.app.apiScope,
    armEndpoint: e.arm.endpoint,
    armAudience: e.arm.audience,
    keyVaultAudience: e.keyVault.audience,
    keyVaultDnsSuffix: e.keyVault.dnsSuffix,
    sandbox: {
      publicClientId: e.identity.publicClientId,
      tokenEndpoint: `${e.identity.authorityHost}/${e.identity.tenantId}/oauth2/v2.0/token`,
      caFile: e.caFile,
      port: e.port,
      personas: e.personas,
    },
  };
  cached = { key, config };
  return config;
}

function azureConfig(): ServerConfig {
  const env = process.env;
  const tenantId = env.AZURE_TENANT_ID;
  const clientId = env.AZURE_CLIENT_ID ?? '';
  if (!tenantId) throw new ConfigError('AZURE_TENANT_ID is not set.', 'Set AZURE_TENANT_ID to your Entra tenant id (see .env.example).');
  const authorityHost = (env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  return {
    mode: 'azure',
    tenantId,
    clientId,
    clientSecret: env.AZURE_CLIENT_SECRET ?? '',
    authorityHost,
    issuer: `${authorityHost}/${tenantId}/v2.0`,
    jwksUri: `${authorityHost}/${tenantId}/discovery/v2.0/keys`,
    apiScope: env.AZURE_API_SCOPE ?? `api://${clientId}/user_impersonation`,
    armEndpoint: (env.AZURE_ARM_ENDPOINT ?? 'https://management.azure.com').replace(/\/+$/, ''),
    armAudience: env.AZURE_ARM_AUDIENCE ?? 'https://management.azure.com',
    keyVaultAudience: env.AZURE_KEYVAULT_AUDIENCE ?? 'https://vault.azure.net',
    keyVaultDnsSuffix: env.AZURE_KEYVAULT_DNS_SUFFIX ?? 'vault.azure.net',
  };
}
