import 'server-only';
import { readFileSync } from 'node:fs';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'node:https';
import type { ServerConfig } from '@/lib/config';

/**
 * In sandbox mode every vault lives at `{name}.vault.localhost:{port}`. Node does not resolve `*.localhost`, so
 * the agent maps those names to the loopback address (RFC 6761) and trusts the sandbox's CA explicitly. In Azure
 * mode no agent is used: the SDKs' defaults apply.
 */
let sandboxAgent: { caFile: string; agent: Agent } | undefined;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function localhostLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as never);
}

/**
 * Idle kept-alive sockets are closed by the client before the server closes them: Node's agent honours a server's
 * `Keep-Alive: timeout=N` hint (it drops the socket a second before N) only when the agent has a `timeout` of its
 * own. Without it a request can go out on a socket the server is closing that instant and fail with ECONNRESET (the
 * sandbox, like Node servers, closes after 5 s idle). The timeout also closes a socket idle this long without a hint;
 * an answer in flight is not cut by it (nothing listens to the request's timeout event; the SDKs time out themselves).
 */
const IDLE_SOCKET_MS = 60_000;

/** Azure mode pointed at a loopback emulator (`*.localhost` vaults): only name resolution changes; TLS trust is the process's. */
let loopbackAgent: Agent | undefined;

export function httpAgent(config: ServerConfig): Agent | undefined {
  if (config.mode !== 'sandbox' || !config.sandbox) {
    if (!/(^|\.)localhost$/.test(config.keyVaultDnsSuffix)) return undefined;
    loopbackAgent ??= new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, lookup: localhostLookup as never });
    return loopbackAgent;
  }
  const { caFile } = config.sandbox;
  if (sandboxAgent?.caFile !== caFile) {
    sandboxAgent = {
      caFile,
      agent: new Agent({
        keepAlive: true,
        timeout: IDLE_SOCKET_MS,
        ca: readFileSync(caFile),
        lookup: localhostLookup as never,
      }),
    };
  }
  return sandboxAgent.agent;
}
