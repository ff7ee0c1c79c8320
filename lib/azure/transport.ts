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

/** Azure mode pointed at a loopback emulator (`*.localhost` vaults): only name resolution changes; TLS trust is the process's. */
let loopbackAgent: Agent | undefined;

export function httpAgent(config: ServerConfig): Agent | undefined {
  if (config.mode !== 'sandbox' || !config.sandbox) {
    if (!/(^|\.)localhost$/.test(config.keyVaultDnsSuffix)) return undefined;
    loopbackAgent ??= new Agent({ keepAlive: true, lookup: localhostLookup as never });
    return loopbackAgent;
  }
  const { caFile } = config.sandbox;
  if (sandboxAgent?.caFile !== caFile) {
    sandboxAgent = {
      caFile,
      agent: new Agent({ keepAlive: true, ca: readFileSync(caFile), lookup: localhostLookup as never }),
    };
  }
  return sandboxAgent.agent;
}
