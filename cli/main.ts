/**
 * cses-cert — the certificate toolkit on the command line, for deployment pipelines.
 * Entry: bin/cses-cert.mjs registers tsx and calls `run()`; tests may call `main(argv, io)` directly.
 */
import { ServiceConfigError } from '../lib/service-config';
import { SnippetError } from '../lib/snippets';
import { CliError, EXIT_OK, EXIT_USAGE, errorLine } from './errors';
import { INSPECT_USAGE, inspectCommand } from './inspect';
import type { CliIO } from './io';
import {
  CSCFG_ADD_USAGE,
  CSCFG_CHECK_USAGE,
  CSCFG_HELP,
  CSDEF_ADD_USAGE,
  CSDEF_HELP,
  cscfgAddCommand,
  cscfgCheckCommand,
  csdefAddCommand,
  listCommand,
  LIST_USAGE,
  removeLeftoversCommand,
  REMOVE_LEFTOVERS_USAGE,
} from './service-config';
import { SERVICES_CHECK_USAGE, SERVICES_HELP } from './services-help';
import { MIGRATE_USAGE } from './migrate-help';
import { SNIPPET_USAGE, snippetCommand } from './snippet';
import { PFX_FROM_PEM_USAGE, PFX_HELP, pfxFromPemCommand } from './pfx';

export const VERSION = '0.1.0';

export const MAIN_HELP = `cses-cert ${VERSION} — Key Vault certificates for Azure Cloud Services (extended support)

Usage:
  ${INSPECT_USAGE}
  ${PFX_FROM_PEM_USAGE}
  ${CSCFG_ADD_USAGE}
  ${CSDEF_ADD_USAGE}
  ${CSCFG_CHECK_USAGE}
  ${LIST_USAGE}
  ${REMOVE_LEFTOVERS_USAGE}
  ${SNIPPET_USAGE}
  ${SERVICES_CHECK_USAGE}
  ${MIGRATE_USAGE}

Run "cses-cert COMMAND --help" for details. Errors are one line on stderr: "cses-cert: error [code]: what. What to do."
Exit status: 0 success, 1 usage or input error, 2 check failed (PFX not importable, thumbprint missing, a service certificate expiring, …).
Error codes: docs/error-codes.md.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

function isHelp(a: string | undefined): boolean {
  return a === '--help' || a === '-h' || a === 'help';
}

function sub(group: string, help: string, commands: Record<string, Command>): Command {
  return async (argv, io) => {
    const [name, ...rest] = argv;
    if (name === undefined || isHelp(name)) {
      if (name === undefined) {
        throw new CliError(
          'missing-argument',
          `"cses-cert ${group}" needs a subcommand.`,
          `Use: ${Object.keys(commands)
            .map((c) => `cses-cert ${group} ${c}`)
            .join(' | ')}.`,
        );
      }
      io.stdout(help);
      return EXIT_OK;
    }
    const cmd = commands[name];
    if (!cmd) {
      throw new CliError(
        'unknown-command',
        `Unknown command "cses-cert ${group} ${name}".`,
        `Use: ${Object.keys(commands)
          .map((c) => `cses-cert ${group} ${c}`)
          .join(' | ')}.`,
      );
    }
    return cmd(rest, io);
  };
}

const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
  pfx: sub('pfx', PFX_HELP, { 'from-pem': pfxFromPemCommand }),
  cscfg: sub('cscfg', CSCFG_HELP, {
    add: cscfgAddCommand,
    check: cscfgCheckCommand,
    list: listCommand('cscfg'),
    'remove-leftovers': removeLeftoversCommand('cscfg'),
  }),
  csdef: sub('csdef', CSDEF_HELP, {
    add: csdefAddCommand,
    list: listCommand('csdef'),
    'remove-leftovers': removeLeftoversCommand('csdef'),
  }),
  snippet: snippetCommand,
  // The Azure SDKs load only for this command.
  services: sub('services', SERVICES_HELP, {
    check: async (argv, io) => (await import('./services')).servicesCheckCommand(argv, io),
  }),
  migrate: async (argv, io) => (await import('./migrate')).migrateCommand(argv, io),
};

/** Run the CLI; returns the exit code. Never throws: every failure becomes one line on stderr. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr(errorLine('missing-argument', 'No command given.', 'Run "cses-cert --help".'));
      return EXIT_USAGE;
    }
    if (isHelp(name)) {
      io.stdout(MAIN_HELP);
      return EXIT_OK;
    }
    if (name === '--version' || name === '-V') {
      io.stdout(`${VERSION}\n`);
      return EXIT_OK;
    }
    const cmd = COMMANDS[name];
    if (!cmd) {
      io.stderr(
        errorLine(
          'unknown-command',
          `Unknown command "${name}".`,
          `Use one of: ${Object.keys(COMMANDS).join(', ')}; "cses-cert --help" lists them.`,
        ),
      );
      return EXIT_USAGE;
    }
    return await cmd(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(errorLine(e.code, e.message, e.action));
      return e.exitCode;
    }
    if (e instanceof ServiceConfigError || e instanceof SnippetError) {
      io.stderr(errorLine(e.code, e.message, e.action));
      return EXIT_USAGE;
    }
    io.stderr(
      errorLine(
        'internal-error',
        `Unexpected failure: ${e instanceof Error ? e.message : String(e)}`,
        'Report this (command line and input files, without secrets) to the maintainers.',
      ),
    );
    return EXIT_USAGE;
  }
}

/** Process wrapper used by bin/cses-cert.mjs. */
export async function run(): Promise<number> {
  // A reader that goes away (`cses-cert … | head -1`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(
      errorLine('internal-error', `Cannot write to stdout (${e.code ?? e.message})`, 'Check where the output goes.'),
    );
    process.exit(1);
  });
  const io: CliIO = {
    stdout: (s) => {
      process.stdout.write(s);
    },
    stderr: (s) => {
      process.stderr.write(s);
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    cwd: process.cwd(),
  };
  return main(process.argv.slice(2), io);
}
