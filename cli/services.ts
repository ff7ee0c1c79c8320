/**
 * `cses-cert services check`: every certificate of every running cloud service of a subscription (or resource group,
 * or one service), for pipelines. Exit 2 when one expires within the window, is mismatched or cannot be read.
 *
 * Azure mode (`--azure`, or AZURE_CLIENT_ID / AZURE_TENANT_ID set): `DefaultAzureCredential`. Otherwise the sandbox,
 * found as the app finds it (`SANDBOX_STATE_DIR`, default `.sandbox`), signed in as a persona (`--user`, default Ada).
 */
import { collectFacts } from '@/lib/azure/cloud-service-facts';
import { listCloudServices, toLiveService } from '@/lib/azure/cloud-services';
import { cliCredential, oboCredential } from '@/lib/azure/credentials';
import type { AzureContext } from '@/lib/azure/types';
import { signInPersona } from '@/lib/auth/sandbox-sign-in';
import { compareByExpiry, serviceReport, type CertificateRow, type ServiceReport } from '@/lib/cloud-services';
import { ConfigError, getServerConfig, type ServerConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { flag, parseCliArgs, requireSubscription, str, type ParsedArgs } from './args';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, errorLine } from './errors';
import type { CliIO } from './io';
import { SERVICES_CHECK_USAGE, SERVICES_HELP } from './services-help';

/** Statuses that fail the check; the others are reported as warnings. */
const FAILING = new Set<CertificateRow['status']>(['expiring', 'expired', 'missing', 'disabled', 'unverified']);

export function azureContext(): AzureContext {
  const env = process.env;
  const config = {
    mode: 'azure',
    tenantId: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    clientSecret: '',
    authorityHost: env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
    issuer: '',
    jwksUri: '',
    apiScope: '',
    armEndpoint: (env.AZURE_ARM_ENDPOINT ?? 'https://management.azure.com').replace(/\/+$/, ''),
    armAudience: env.AZURE_ARM_AUDIENCE ?? 'https://management.azure.com',
    keyVaultAudience: env.AZURE_KEYVAULT_AUDIENCE ?? 'https://vault.azure.net',
    keyVaultDnsSuffix: env.AZURE_KEYVAULT_DNS_SUFFIX ?? 'vault.azure.net',
  } satisfies ServerConfig;
  const credential = cliCredential();
  return { credential, config };
}

function persona(config: ServerConfig, user: string): string {
  const all = config.sandbox?.personas ?? [];
  const u = user.toLowerCase();
  const hit =
    all.find((p) => p.username.toLowerCase() === u) ??
    all.find((p) => p.displayName.toLowerCase() === u || p.displayName.split(' ')[0]!.toLowerCase() === u) ??
    all.find((p) => p.username.split('@')[0]!.toLowerCase() === u);
  if (!hit) {
    throw new CliError(
      'invalid-option-value',
      `There is no sandbox persona "${user}".`,
      `Use one of: ${all.map((p) => `${p.displayName.split(' ')[0]} (${p.username})`).join(', ')}.`,
    );
  }
  return hit.username;
}

export async function sandboxContext(user: string): Promise<AzureContext> {
  const config = getServerConfig();
  const session = await signInPersona(config, persona(config, user));
  // The token came straight from the sandbox's token endpoint over TLS pinned to its CA: its claims are read, not
  // re-validated (the app validates every token it receives; this process received none).
  const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    oid?: string;
    tid?: string;
  };
  const principal = {
    oid: claims.oid ?? session.account.oid,
    tid: claims.tid ?? config.tenantId,
    name: session.account.name,
    username: session.account.username,
    expiresAt: session.expiresOn,
    assertion: session.accessToken,
  };
  return { credential: oboCredential(principal, config), config };
}

interface CheckedRow {
  service: string;
  resourceGroup: string;
  role: string;
  certificate: string;
  thumbprint: string;
  vault: string | null;
  secret: string | null;
  version: string | null;
  expiresOn: string | null;
  daysLeft: number | null;
  status: CertificateRow['status'];
  failing: boolean;
  message: string;
  fix: string;
}

function rowsOf(r: ServiceReport): CheckedRow[] {
  const base = { service: r.service.name, resourceGroup: r.service.resourceGroup };
  const rows = r.rows.map((x) => ({
    ...base,
    role: x.role,
    certificate: x.name,
    thumbprint: x.normalizedThumbprint,
    vault: x.entry?.vaultName ?? null,
    secret: x.entry?.secretName ?? null,
    version: x.entry?.version ?? null,
    expiresOn: x.expiresOn,
    daysLeft: x.daysLeft,
    status: x.status,
    failing: FAILING.has(x.status),
    message: x.message,
    fix: x.fix,
  }));
  if (r.configurationError) {
    rows.push({
      ...base,
      role: '-',
      certificate: '-',
      thumbprint: '-',
      vault: null,
      secret: null,
      version: null,
      expiresOn: null,
      daysLeft: null,
      status: 'unverified',
      failing: true,
      message: r.configurationError.message,
      fix: r.configurationError.action,
    });
  }
  return rows;
}

function table(rows: CheckedRow[]): string {
  const head = ['SERVICE', 'ROLE', 'CERTIFICATE', 'THUMBPRINT', 'VAULT/SECRET/VERSION', 'EXPIRES', 'DAYS', 'STATUS'];
  const body = rows.map((r) => [
    r.service,
    r.role,
    r.certificate,
    r.thumbprint,
    r.vault ? `${r.vault}/${r.secret}/${r.version}` : '-',
    r.expiresOn?.slice(0, 10) ?? '-',
    r.daysLeft === null ? '-' : String(r.daysLeft),
    `${r.failing ? 'FAIL' : r.status === 'ok' ? 'ok' : 'warn'} ${r.status}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

/**
 * How a cloud-services command signs in, checked before any work: Azure with DefaultAzureCredential when --azure or
 * an AZURE_* setting is given, else the sandbox as the persona of --user (Ada by default).
 */
export function commandSignIn(p: ParsedArgs): () => Promise<AzureContext> {
  const azure = flag(p, 'azure') || Boolean(process.env.AZURE_CLIENT_ID || process.env.AZURE_TENANT_ID);
  if (azure && str(p, 'user'))
    throw new CliError(
      'invalid-option-value',
      '--user is for the sandbox only.',
      'Drop --user, or unset the AZURE_* settings to use the sandbox.',
    );
  return async () => {
    // lib/ logs JSON lines to stdout for the server; the CLI's stdout is its report.
    process.env.LOG_LEVEL = 'silent';
    return azure ? azureContext() : sandboxContext(str(p, 'user') ?? 'Ada');
  };
}

/** Azure's refusals and a sandbox that is not running as the CLI's errors (code, message, action). */
export async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AppError) throw new CliError(e.reason ? `azure-${e.code}` : e.code, e.message, e.action);
    if (e instanceof ConfigError) throw new CliError('sandbox-not-running', e.message, e.action);
    throw e;
  }
}

export async function servicesCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      subscription: { type: 'string' },
      'resource-group': { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
      user: { type: 'string' },
      azure: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    SERVICES_CHECK_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(SERVICES_HELP);
    return EXIT_OK;
  }
  const subscription = requireSubscription(p, SERVICES_CHECK_USAGE);
  const days = str(p, 'days') === undefined ? 30 : Number(str(p, 'days'));
  if (!Number.isInteger(days) || days < 0 || days > 3650)
    throw new CliError(
      'invalid-option-value',
      `--days ${str(p, 'days')} is not a number of days.`,
      'Give a whole number such as 30.',
    );
  const signIn = commandSignIn(p);

  const reports = await asCliError(async () => {
    const ctx = await signIn();
    const name = str(p, 'name');
    const services = (await listCloudServices(ctx, subscription, str(p, 'resource-group')))
      .map(toLiveService)
      .filter((s) => !name || s.name.toLowerCase() === name.toLowerCase());
    if (name && services.length === 0) {
      throw new CliError(
        'service-not-found',
        `No cloud service "${name}" in ${str(p, 'resource-group') ? `resource group ${str(p, 'resource-group')}` : `subscription ${subscription}`}.`,
        'Check the name (and --resource-group), or leave --name out to check every service.',
      );
    }
    const facts = await collectFacts(ctx, services);
    return services.map((s) => serviceReport(s, facts, { windowDays: days })).sort(compareByExpiry);
  });
  const rows = reports.flatMap(rowsOf);
  const failing = rows.filter((r) => r.failing);
  const failedServices = [...new Set(failing.map((r) => r.service))];
  if (flag(p, 'json')) {
    io.stdout(
      `${JSON.stringify(
        {
          ok: failing.length === 0,
          subscriptionId: subscription,
          windowDays: days,
          services: reports.map((r) => ({
            name: r.service.name,
            resourceGroup: r.service.resourceGroup,
            location: r.service.location,
            health: r.health,
            failing: failedServices.includes(r.service.name),
          })),
          certificates: rows,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(table(rows));
    io.stdout(
      `\n${reports.length} service${reports.length === 1 ? '' : 's'}, ${rows.length} certificate${rows.length === 1 ? '' : 's'}: ${
        failing.length === 0
          ? `all fine for the next ${days} days.`
          : `${failing.length} failing in ${failedServices.join(', ')}.`
      }\n`,
    );
    for (const f of failing) io.stdout(`  ${f.service} ${f.role}/${f.certificate}: ${f.message} Fix: ${f.fix}\n`);
  }
  if (failing.length) {
    const first = failing[0]!;
    io.stderr(
      errorLine(
        'check-failed',
        `${failing.length} certificate(s) failing in ${failedServices.join(', ')} (first: ${first.service} ${first.role}/${first.certificate}: ${first.status})`,
        first.fix,
      ),
    );
    return EXIT_CHECK_FAILED;
  }
  return EXIT_OK;
}
