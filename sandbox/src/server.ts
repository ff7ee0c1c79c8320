import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Arm } from './arm/index.js';
import { SEED_KEYS } from './compute/seed.js';
import { writeFileAtomic } from './fsutil.js';
import { BodyTooLarge, MAX_BODY, makeCtx, sendJson, type Ctx } from './http.js';
import { HttpError, azError, notImplemented } from './errors.js';
import { handleControl, type ControlDeps } from './control.js';
import { wellEncoded } from './router.js';
import { Identity } from './identity/index.js';
import {
  APP_CLIENT_ID,
  APP_CLIENT_SECRET,
  ARM_AUDIENCE,
  PUBLIC_CLIENT_ID,
  TENANT_ID,
  VAULT_AUDIENCE,
  VAULT_DNS_SUFFIX,
} from './ids.js';
import { KeyVault } from './keyvault/index.js';
import { Faults, faultBody } from './faults.js';
import { log } from './log.js';
import { ensureSigningKey, ensureTls, missingKeyCount, prefillRsaPool } from './pki.js';
import { ensureAppCertificate } from './appcert.js';
import { Store } from './state.js';
import { vaultId } from './model.js';
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
  app: { clientId: string; clientSecret: string; apiScope: string; certificateFile?: string };
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
  /** seed used when the state dir has no state yet, and by reset (default sandbox/seed.json or SANDBOX_SEED) */
  seedFile?: string;
}

export interface RunningSandbox {
  port: number;
  endpoints: Endpoints;
  stateDir: string;
  store: Store;
  close(): Promise<void>;
}

export function buildEndpoints(port: number, caFile: string, store: Store, appCertificateFile?: string): Endpoints {
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
    app: {
      clientId: APP_CLIENT_ID,
      clientSecret: APP_CLIENT_SECRET,
      apiScope: `api://${APP_CLIENT_ID}/user_impersonation`,
      ...(appCertificateFile ? { certificateFile: appCertificateFile } : {}),
    },
    arm: { endpoint: host, audience: ARM_AUDIENCE },
    keyVault: { dnsSuffix: VAULT_DNS_SUFFIX, audience: VAULT_AUDIENCE },
    subscriptions: store.state.subscriptions.map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName,
    })),
    vaults: store.state.vaults.map((v) => ({
      name: v.name,
      id: vaultId(v),
      vaultUri: `https://${v.name.toLowerCase()}.${VAULT_DNS_SUFFIX}:${port}/`,
    })),
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
  // Leftovers of writes interrupted by a crash (the targets themselves are always whole).
  for (const f of readdirSync(stateDir)) if (/^\..*\.tmp$/.test(f)) rmSync(join(stateDir, f), { force: true });
  // A first start also issues the seed's certificates (src/compute/seed.ts): make their keys in the same parallel batch.
  const seedKeysKnown = existsSync(join(stateDir, 'state.json')) || existsSync(join(stateDir, 'seed-keys.pem'));
  const missing = missingKeyCount(stateDir) + (seedKeysKnown ? 0 : SEED_KEYS);
  if (missing > 0) await prefillRsaPool(missing);
  const tls = ensureTls(stateDir);
  const signingKey = ensureSigningKey(stateDir);
  const store = new Store(stateDir, opts.seedFile);
  const appCertificate = ensureAppCertificate(stateDir, APP_CLIENT_ID);
  let port = opts.port ?? 8443;
  const authorityHost = () => `https://localhost:${port}`;
  const tokens = new TokenService({ issuer: `${authorityHost()}/${TENANT_ID}/v2.0`, tenantId: TENANT_ID, signingKey });
  const identity = new Identity({ store, tokens, authorityHost, appCertificate });
  let endpoints: Endpoints | undefined;
  const writeEndpoints = () => {
    endpoints = buildEndpoints(port, tls.caFile, store, appCertificate.file);
    writeFileAtomic(join(stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`, 0o644);
  };
  const faults = new Faults(stateDir);
  const arm = new Arm({
    store,
    tokens,
    faults,
    vaultUri: (name) => `https://${name.toLowerCase()}.${VAULT_DNS_SUFFIX}:${port}/`,
    onVaultsChanged: () => writeEndpoints(),
  });
  const kv = new KeyVault({ store, tokens, authority: () => `${authorityHost()}/${TENANT_ID}` });

  const sockets = new Set<Socket>();
  const logRequests = process.env.SANDBOX_LOG_REQUESTS === '1';
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const ctx = makeCtx(req, res, port);
    if (logRequests) {
      // Method, host and path only: never the query (codes, hints) or bodies (passwords, PFX, tokens).
      const t0 = Date.now();
      res.on('finish', () =>
        log(`${ctx.method} ${ctx.hostname} ${ctx.pathname} → ${res.statusCode} ${Date.now() - t0}ms`),
      );
    }
    void handle(ctx).catch((e: unknown) => onError(ctx, e));
  };
  const makeServer = (): Server => {
    const srv = createServer({ key: tls.keyPem, cert: tls.certPem }, onRequest);
    srv.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    srv.on('tlsClientError', () => {
      // a client that does not trust the CA; nothing to do
    });
    return srv;
  };
  const server = makeServer();
  const controlDeps: ControlDeps = {
    store,
    faults,
    resetEndpoints: () => {
      writeEndpoints();
      return endpoints;
    },
  };

  function areaOf(ctx: Ctx, vaultName: string | undefined): string {
    if (vaultName !== undefined) return 'vault';
    if (/^\/(subscriptions|providers)(\/|$)/i.test(ctx.pathname)) return 'arm';
    if (ctx.pathname.startsWith('/_sandbox/')) return 'control';
    return 'identity';
  }

  async function handle(ctx: Ctx): Promise<void> {
    const vault = kv.vaultForHost(ctx.hostname);
    const area = areaOf(ctx, vault === undefined ? undefined : (vault?.name ?? ctx.hostname));
    if (area !== 'control') {
      const f = faults.take(area, vault?.name.toLowerCase(), ctx.method, ctx.pathname);
      const wait = f.kind === 'delay' ? f.ms : f.kind === 'none' ? 0 : f.delayMs;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (f.kind === 'drop') {
        ctx.req.socket.destroy();
        return;
      }
      if (f.kind === 'dropAfter') {
        // Handled as usual (state is stored), but the answer is lost: the connection closes before a byte is sent.
        const res = ctx.res;
        res.writeHead = (() => res) as typeof res.writeHead;
        res.end = (() => {
          ctx.req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
      if (f.kind === 'status') {
        ctx.req.resume();
        sendJson(ctx, f.status, faultBody(area, f.status), f.headers);
        return;
      }
    }
    if (vault !== undefined) {
      if (!wellEncoded(ctx.pathname)) {
        throw azError(400, 'BadParameter', `The request URI '${ctx.pathname}' contains an invalid percent-encoding.`);
      }
      await kv.handle(ctx, vault);
      return;
    }
    if (!isLocalHost(ctx.hostname)) {
      throw azError(421, 'MisdirectedRequest', `The sandbox does not serve host '${ctx.hostname}'.`);
    }
    if (!wellEncoded(ctx.pathname)) {
      throw azError(400, 'InvalidUri', `The request URI '${ctx.pathname}' contains an invalid percent-encoding.`);
    }
    if (area === 'control') return handleControl(controlDeps, ctx);
    if (Arm.owns(ctx.pathname)) return arm.handle(ctx);
    if (Identity.owns(ctx.pathname)) return identity.handle(ctx);
    if (ctx.method === 'GET' && (ctx.pathname === '/' || ctx.pathname === '/endpoints.json')) {
      sendJson(ctx, 200, endpoints);
      return;
    }
    throw notImplemented(ctx.method, ctx.pathname);
  }

  function onError(ctx: Ctx, e: unknown): void {
    if (e instanceof BodyTooLarge) {
      ctx.req.resume();
      sendJson(
        ctx,
        413,
        {
          error: {
            code: 'RequestEntityTooLarge',
            message: `The request body is larger than the sandbox accepts (${MAX_BODY} bytes).`,
          },
        },
        { connection: 'close' },
      );
      return;
    }
    if (e instanceof HttpError) {
      sendJson(ctx, e.status, e.body, e.headers);
      return;
    }
    log('internal error on', ctx.method, ctx.pathname, (e as Error)?.stack ?? String(e));
    sendJson(ctx, 500, {
      error: { code: 'InternalServerError', message: 'The sandbox hit an internal error; see its stderr.' },
    });
  }

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, opts.host ?? '127.0.0.1', () => {
      server.off('error', rej);
      res();
    });
  });
  const addr = server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  // Browsers and curl may try ::1 first for "localhost": also listen on the IPv6 loopback, same port, if available.
  const servers: Server[] = [server];
  if (!opts.host) {
    const v6 = makeServer();
    await new Promise<void>((res) => {
      v6.once('error', () => res());
      v6.listen(port, '::1', () => {
        servers.push(v6);
        res();
      });
    });
  }
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
    close: async () => {
      faults.flush();
      const closing = servers.map((srv) => new Promise<void>((res) => srv.close(() => res())));
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
    },
  };
}
