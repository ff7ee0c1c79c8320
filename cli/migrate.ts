/**
 * `cses-cert migrate`: the Migrate tab of the service page for pipelines (issue 15). The same reads
 * (lib/azure/cloud-service-migration.ts), the same planner and renderers (lib/cloud-services, lib/snippets), so the
 * CLI prints exactly what the page shows. Signs in as `cses-cert services check` does.
 */
import { migrationSource } from '@/lib/azure/cloud-service-migration';
import {
  migrationReportHtml,
  migrationReportMarkdown,
  planMigration,
  type MigrationOptions,
  type MigrationPlan,
} from '@/lib/cloud-services';
import { MIGRATION_FORMATS, MIGRATION_TARGETS, type MigrationFormat, type MigrationTarget } from '@/lib/snippets';
import { flag, parseCliArgs, requireStr, requireSubscription, str } from './args';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, errorLine } from './errors';
import { readText, type CliIO } from './io';
import { MIGRATE_HELP, MIGRATE_USAGE } from './migrate-help';
import { asCliError, commandSignIn } from './services';

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(
    'invalid-option-value',
    `--${option} ${value} is not one of ${allowed.join(', ')}.`,
    `Use --${option} ${allowed.join('|')}.`,
  );
}

/** The mapping itself, as --json prints it (the plan without the rendered outputs and the snippet model). */
export function migrationJson(plan: MigrationPlan): string {
  const { outputs: _o, model: _m, ...mapping } = plan;
  void _o;
  void _m;
  return `${JSON.stringify(mapping, null, 2)}\n`;
}

export async function migrateCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      subscription: { type: 'string' },
      'resource-group': { type: 'string' },
      name: { type: 'string' },
      csdef: { type: 'string' },
      target: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      'polling-interval': { type: 'string' },
      'client-certificate': { type: 'string' },
      'client-by': { type: 'string' },
      user: { type: 'string' },
      azure: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    MIGRATE_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(MIGRATE_HELP);
    return EXIT_OK;
  }
  const subscription = requireSubscription(p, MIGRATE_USAGE);
  const resourceGroup = requireStr(p, 'resource-group', MIGRATE_USAGE);
  const name = requireStr(p, 'name', MIGRATE_USAGE);
  const target = oneOf<MigrationTarget>(requireStr(p, 'target', MIGRATE_USAGE), MIGRATION_TARGETS, 'target')!;
  const report = oneOf(str(p, 'report'), ['markdown', 'html'] as const, 'report');
  const json = flag(p, 'json');
  const format = oneOf<MigrationFormat>(
    json ? (str(p, 'format') ?? 'arm') : requireStr(p, 'format', MIGRATE_USAGE),
    MIGRATION_FORMATS,
    'format',
  )!;
  if (json && report)
    throw new CliError('invalid-option-value', '--json and --report print different things.', 'Give one of them.');
  const polling = str(p, 'polling-interval');
  if (polling !== undefined && (!/^\d{1,6}$/.test(polling) || Number(polling) < 60))
    throw new CliError(
      'invalid-option-value',
      `--polling-interval ${polling} is not a number of seconds.`,
      'Give whole seconds, at least 60 (default 3600).',
    );
  const clientArg = str(p, 'client-certificate');
  const clientBy = oneOf(str(p, 'client-by'), ['thumbprint', 'common-name'] as const, 'client-by');
  if ((clientArg || clientBy) && target !== 'sf-managed')
    throw new CliError(
      'invalid-option-value',
      '--client-certificate is for --target sf-managed.',
      'Drop it, or use --target sf-managed.',
    );
  if (clientBy && !clientArg)
    throw new CliError(
      'missing-argument',
      '--client-by needs --client-certificate ROLE/NAME.',
      'Name the certificate, e.g. --client-certificate WebRole1/ApiClientCertificate.',
    );
  const [clientRole, ...clientName] = (clientArg ?? '').split('/');
  if (clientArg && (!clientRole || clientName.length === 0))
    throw new CliError(
      'invalid-option-value',
      `--client-certificate ${clientArg} is not ROLE/NAME.`,
      'Give the role and the .cscfg certificate name, e.g. WebRole1/ApiClientCertificate.',
    );
  const signIn = commandSignIn(p);
  const csdefFile = str(p, 'csdef');
  const csdef = csdefFile ? await readText(csdefFile, io) : null;

  const plan = await asCliError(async () => {
    const ctx = await signIn();
    const source = await migrationSource(ctx, { subscriptionId: subscription, resourceGroup, cloudServiceName: name });
    const options: MigrationOptions = {
      target,
      csdef,
      ...(polling !== undefined && { pollingIntervalInS: Number(polling) }),
      clientCertificate: clientArg
        ? {
            role: clientRole!,
            name: clientName.join('/'),
            by: clientBy === 'common-name' ? 'commonName' : 'thumbprint',
          }
        : null,
    };
    return planMigration(source, options);
  });
  if (clientArg && !plan.model.clientCertificate)
    throw new CliError(
      'invalid-option-value',
      `${name} has no certificate ${clientArg} that can be carried.`,
      `Use one of: ${plan.certificates
        .filter((c) => c.included)
        .map((c) => `${c.role}/${c.name}`)
        .join(', ')}.`,
    );
  for (const b of plan.blockers) {
    const what = b.certificate ? `${b.role}/${b.certificate}: ` : '';
    io.stderr(
      `cses-cert: ${b.severity === 'blocker' ? 'blocker' : b.severity === 'drop' ? 'dropped' : 'warning'} [${b.id}]: ${what}${b.message.replace(/\s*\n\s*/g, ' ')} Fix: ${b.fix}\n`,
    );
  }
  if (json) {
    io.stdout(migrationJson(plan));
  } else if (report) {
    io.stdout(report === 'markdown' ? migrationReportMarkdown(plan, format) : migrationReportHtml(plan, format));
  } else if (plan.outputs) {
    io.stdout(plan.outputs[format]);
  }
  if (!plan.outputs) {
    const e = plan.outputError!;
    io.stderr(errorLine('nothing-to-migrate', e.message, e.action));
    return EXIT_CHECK_FAILED;
  }
  return EXIT_OK;
}
