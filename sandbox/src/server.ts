import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Arm } from './arm.js';
import { writeFileAtomic } from './fsutil.js';
import { HttpError, azError, makeCtx, sendJson, type Ctx } from './http.js';
import { Identity, aadError } from './identity.js';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  ARM_AUDIENCE,
  PUBLIC_CLIENT_ID,
  TENANT_ID,
  VAULT_AUDIENCE,
  VAULT_DNS_SUFFIX,
} from './ids.js';
import { KeyVault } from './keyvault.js';
import { log } from './log.js';
import { ensureSigningKey, ensureTls } from './pki.js';
import { Store, vaultId } from './state.js';
import { TokenService } from './tokens.js';

export interface Endpoints {
  sandbox: true;
  port: number;
  caFile: string;
  identity: {
    authorityHost: string;
    tenantId: string;
    authority: string;
    issuer: string;
    jwksUri: string;
    publicClientId: string;
  };
  app: { clientId: string; clientSecret: string; apiScope: string };
  arm: { endpoint: string; audience: string };
  keyVault: { dnsSuffix: string; audience: string };
  subscriptions: { subscriptionId: string; displayName: string }[];
  vaults: { name: string; id: string; vaultUri: string }[];
  personas: { username: string; password: string; displayName: string; objectId: string; description: string }[];
}

export interface SandboxOptions {
  port?: number;
  stateDir: string;
  /** bind address; default 127.0.0.1 */
  host?: string;
}

export interface RunningSandbox {
  port: number;
  endpoints: Endpoints;
  stateDir: string;
  store: Store;
  close(): Promise<void>;
}

export function buildEndpoints(port: number, caFile: string, store: Store): Endpoints {
  const host = `https://localhost:${port}`;
  return {
    sandbox: true,
    port,
    caFile,
    identity: {
      authorityHost: host,
      tenantId: TENANT_ID,
      authority: `${host}/${TENANT_ID}`,
      issuer: `${host}/${TENANT_ID}/v2.0`,
      jwksUri: `${host}/${TENANT_ID}/discovery/v2.0/keys`,
      publicClientId: PUBLIC_CLIENT_ID,
    },
    app: { clientId: APP_CLIENT_ID, clientSecret: APP_CLIENT_SECRET, apiScope: `api://${APP_CLIENT_ID}/user_impersonation` },
    arm: { endpoint: host, audience: ARM_AUDIENCE },
    keyVault: { dnsSuffix: VAULT_DNS_SUFFIX, audience: VAULT_AUDIENCE },
    subscriptions: store.state.subscriptions.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName })),
    vaults: store.state.vaults.map((v) => ({ name: v.name, id: vaultId(v), vaultUri: `https://${v.name}.${VAULT_DNS_SUFFIX}:${port}/` })),
    personas: store.state.personas.map((p) => ({
      username: p.username,
      password: p.password,
      displayName: p.displayName,
      objectId: p.objectId,
      description: p.description,
    })),
  };
}

function isLocalHost(h: string): boolean {
  return h === 'localhost' || h === '127.0.0.1' || h === '::1';
}

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const stateDir = resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const tls = ensureTls(stateDir);
  const signingKey = ensureSigningKey(stateDir);
  const store = new Store(stateDir);
  let port = opts.port ?? 8443;
  const authorityHost = () => `https://localhost:${port}`;
  const tokens = new TokenService({ issuer: `${authorityHost()}/${TENANT_ID}/v2.0`, tenantId: TENANT_ID, signingKey });
  const identity = new Identity({ store, tokens, authorityHost });
  let endpoints: Endpoints | undefined;
  const writeEndpoints = () => {
    endpoints = buildEndpoints(port, tls.caFile, store);
    writeFileAtomic(join(stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`, 0o644);
  };
  const arm = new Arm({
    store,
    tokens,
    vaultUri: (name) => `https://${name}.${VAULT_DNS_SUFFIX}:${port}/`,
    onVaultsChanged: () => writeEndpoints(),
  });
  const kv = new KeyVault({ store, tokens, authority: () => `${authorityHost()}/${TENANT_ID}` });

  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const ctx = makeCtx(req, res, port);
    void handle(ctx).catch((e: unknown) => onError(ctx, e));
  });

  async function handle(ctx: Ctx): Promise<void> {
    const vault = kv.vaultForHost(ctx.hostname);
    if (vault !== undefined) {
      await kv.handle(ctx, vault);
      return;
    }
    if (!isLocalHost(ctx.hostname)) {
      throw azError(421, 'MisdirectedRequest', `The sandbox does not serve host '${ctx.hostname}'.`);
    }
    if (await identity.handle(ctx)) return;
    if (await arm.handle(ctx)) return;
    if (ctx.method === 'GET' && (ctx.pathname === '/' || ctx.pathname === '/endpoints.json')) {
      sendJson(ctx, 200, endpoints);
      return;
    }
    throw azError(501, 'NotImplemented', `The sandbox does not emulate ${ctx.method} ${ctx.pathname}.`);
  }

  function onError(ctx: Ctx, e: unknown): void {
    if (e instanceof HttpError) {
      sendJson(ctx, e.status, e.body, e.headers);
      return;
    }
    log('internal error on', ctx.method, ctx.pathname, (e as Error)?.stack ?? String(e));
    sendJson(ctx, 500, { error: { code: 'InternalServerError', message: 'The sandbox hit an internal error; see its stderr.' } });
  }
  void aadError;

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {
    // a client that does not trust the CA; nothing to do
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, opts.host ?? '127.0.0.1', () => {
      server.off('error', rej);
      res();
    });
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  // The issuer embeds the real port; rebuild the token service config now that it is known.
  (tokens.cfg as { issuer: string }).issuer = `${authorityHost()}/${TENANT_ID}/v2.0`;
  writeEndpoints();

  return {
    port,
    get endpoints() {
      return endpoints!;
    },
    stateDir,
    store,
    close: () =>
      new Promise<void>((res) => {
        server.close(() => res());
        for (const s of sockets) s.destroy();
      }),
  };
}
