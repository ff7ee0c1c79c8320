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
  /**
   * Tenants whose users may sign in (token `tid` allow-list). Absent or empty: only `tenantId`. With more than one,
   * the on-behalf-of exchange runs in the user's own tenant (`tid`).
   */
  allowedTenantIds?: string[];
  /** Host of v1 token issuers (`{host}/{tid}/`), Azure mode only; default `https://sts.windows.net`. */
  v1IssuerHost?: string;
  /** How the server proves itself in the on-behalf-of exchange; absent means the client secret. */
  oboAuth?: OboAuth;
  /** Per-user request budget of the API, per app instance (decision 011). */
  rateLimit?: { requests: number; windowSeconds: number };
  /**
   * A separate SPA registration the browser signs in with (its token's audience is still `clientId`, our API).
   * Absent: the one registration is both SPA and API.
   */
  spaClientId?: string;
  /** A Key Vault port other than 443 (Azure mode pointed at a local emulator only). */
  keyVaultPort?: number;
  /** Sandbox only: the public client and personas used to sign in. */
  sandbox?: {
    publicClientId: string;
    tokenEndpoint: string;
    caFile: string;
    port: number;
    personas: Array<{ username: string; password: string; displayName: string; description: string }>;
  };
}

/** The confidential-client credential used for on-behalf-of, chosen by configuration (see .env.example). */
export type OboAuth =
  | { kind: 'secret' }
  /** A PEM file holding the certificate and its private key (registered on the app). */
  | { kind: 'certificate'; certificatePath: string; sendCertificateChain: boolean }
  /**
   * No secret at all: a managed identity's token for `api://AzureADTokenExchange` is the client assertion (the app
   * registration trusts the managed identity through a federated identity credential).
   */
  | { kind: 'managed-identity'; managedIdentityClientId?: string; audience: string };

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
    z.object({
      username: z.string(),
      password: z.string(),
      displayName: z.string(),
      description: z.string().default(''),
    }),
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
    throw new ConfigError(
      'The sandbox endpoints file is not in the expected shape.',
      'Run `npm run sandbox:reset`, then `npm start`.',
    );
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
    rateLimit: rateLimit(process.env),
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Request budget per user and instance; RATE_LIMIT_REQUESTS=0 turns it off. */
function rateLimit(env: NodeJS.ProcessEnv): ServerConfig['rateLimit'] {
  if (env.RATE_LIMIT_REQUESTS === '0') return undefined;
  return {
    requests: positiveInt(env.RATE_LIMIT_REQUESTS, 120),
    windowSeconds: positiveInt(env.RATE_LIMIT_WINDOW_SECONDS, 60),
  };
}

function oboAuth(env: NodeJS.ProcessEnv): OboAuth {
  const kind =
    env.AZURE_OBO_CREDENTIAL ??
    (env.AZURE_CLIENT_CERTIFICATE_PATH ? 'certificate' : env.AZURE_CLIENT_SECRET ? 'secret' : '');
  if (kind === 'secret') {
    if (!env.AZURE_CLIENT_SECRET)
      throw new ConfigError(
        'AZURE_CLIENT_SECRET is not set.',
        'Set AZURE_CLIENT_SECRET, or choose another AZURE_OBO_CREDENTIAL (see .env.example).',
      );
    return { kind };
  }
  if (kind === 'certificate') {
    if (!env.AZURE_CLIENT_CERTIFICATE_PATH) {
      throw new ConfigError(
        'AZURE_CLIENT_CERTIFICATE_PATH is not set.',
        'Point it at a PEM file with the certificate and its private key (see .env.example).',
      );
    }
    return {
      kind,
      certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
      sendCertificateChain: env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN === 'true',
    };
  }
  if (kind === 'managed-identity') {
    return {
      kind,
      ...(env.AZURE_MANAGED_IDENTITY_CLIENT_ID && { managedIdentityClientId: env.AZURE_MANAGED_IDENTITY_CLIENT_ID }),
      audience: env.AZURE_FEDERATED_TOKEN_AUDIENCE ?? 'api://AzureADTokenExchange',
    };
  }
  throw new ConfigError(
    'No credential for the on-behalf-of exchange is configured.',
    'Set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_OBO_CREDENTIAL=managed-identity (see .env.example).',
  );
}

function azureConfig(): ServerConfig {
  const env = process.env;
  const tenantId = env.AZURE_TENANT_ID;
  const clientId = env.AZURE_CLIENT_ID ?? '';
  if (!tenantId || !GUID.test(tenantId)) {
    throw new ConfigError(
      'AZURE_TENANT_ID is not set to a tenant id.',
      'Set AZURE_TENANT_ID to your Entra tenant id, a GUID (see .env.example).',
    );
  }
  if (!GUID.test(clientId))
    throw new ConfigError(
      'AZURE_CLIENT_ID is not a GUID.',
      "Set AZURE_CLIENT_ID to the app registration's Application (client) ID.",
    );
  const allowedTenantIds = list(env.AZURE_ALLOWED_TENANT_IDS);
  const badTenant = allowedTenantIds.find((t) => !GUID.test(t));
  if (badTenant !== undefined)
    throw new ConfigError(
      'AZURE_ALLOWED_TENANT_IDS must list tenant ids (GUIDs).',
      'Fix AZURE_ALLOWED_TENANT_IDS (comma separated GUIDs).',
    );
  const authorityHost = (env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  return {
    mode: 'azure',
    tenantId,
    clientId,
    clientSecret: env.AZURE_CLIENT_SECRET ?? '',
    oboAuth: oboAuth(env),
    allowedTenantIds: allowedTenantIds.length ? [...new Set([tenantId, ...allowedTenantIds])] : [tenantId],
    ...(env.AZURE_V1_ISSUER_HOST && { v1IssuerHost: env.AZURE_V1_ISSUER_HOST }),
    ...(env.AZURE_SPA_CLIENT_ID && { spaClientId: env.AZURE_SPA_CLIENT_ID }),
    ...(env.AZURE_KEYVAULT_PORT && { keyVaultPort: positiveInt(env.AZURE_KEYVAULT_PORT, 443) }),
    rateLimit: rateLimit(env),
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
