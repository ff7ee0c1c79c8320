import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './log.js';
import { startSandbox } from './server.js';
import { resetState } from './state.js';

interface Args {
  port: number;
  stateDir: string;
  reset: boolean;
  serve: boolean;
  seed?: string;
}

/** The command line, read with node:util parseArgs (decision 025): an unknown option or a missing value is fatal. */
function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stderr.write(
      'usage: tsx sandbox/src/main.ts [--port N] [--state-dir DIR] [--seed FILE] [--reset [--serve]]\n',
    );
    process.exit(0);
  }
  const port = Number(values.port ?? (process.env.SANDBOX_PORT || 8443));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  return {
    port,
    stateDir: values['state-dir'] ?? process.env.SANDBOX_STATE_DIR ?? '.sandbox',
    reset: values.reset,
    serve: values.serve,
    ...(values.seed !== undefined && { seed: values.seed }),
  };
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const stateDir = resolve(args.stateDir);
  if (args.reset) {
    resetState(stateDir, args.seed && resolve(args.seed));
    log('state reset to the seed in', stateDir);
    if (!args.serve) return;
  }
  const sb = await startSandbox({ port: args.port, stateDir, ...(args.seed ? { seedFile: resolve(args.seed) } : {}) });
  process.stdout.write(`${JSON.stringify(sb.endpoints)}\n`);
  log(`listening on https://localhost:${sb.port} (state: ${stateDir})`);
  const stop = (sig: string) => {
    log(`${sig}: shutting down`);
    void sb.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  log('fatal:', (e as Error)?.message ?? String(e));
  process.exit(1);
});
