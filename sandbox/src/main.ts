import { resolve } from 'node:path';
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

function parseArgs(argv: string[]): Args {
  const envPort = process.env.SANDBOX_PORT;
  const args: Args = {
    port: envPort ? Number(envPort) : 8443,
    stateDir: process.env.SANDBOX_STATE_DIR ?? '.sandbox',
    reset: false,
    serve: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        args.port = Number(value());
        break;
      case '--state-dir':
        args.stateDir = value();
        break;
      case '--seed':
        args.seed = value();
        break;
      case '--reset':
        args.reset = true;
        break;
      case '--serve':
        args.serve = true;
        break;
      case '--help':
      case '-h':
        process.stderr.write(
          'usage: tsx sandbox/src/main.ts [--port N] [--state-dir DIR] [--seed FILE] [--reset [--serve]]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error(`invalid port ${args.port}`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
