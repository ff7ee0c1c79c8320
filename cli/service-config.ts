/** `cses-cert cscfg add|check` and `cses-cert csdef add`. */
import {
  checkCscfgThumbprints,
  checkServiceConsistency,
  findCsesLeftovers,
  readServiceFile,
  removeCsesLeftovers,
  setCscfgCertificate,
  setCsdefCertificate,
  vaultCertificatesFromThumbprints,
  type CertificateCheck,
  type PatchResult,
  type ServiceIssue,
} from '../lib/service-config';
import { flag, list, onePositional, parseCliArgs, requireStr, str } from './args';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, errorLine } from './errors';
import { readText, writeTextAtomic, type CliIO } from './io';

export const CSCFG_ADD_USAGE = 'cses-cert cscfg add --role ROLE --name NAME --thumbprint THUMBPRINT FILE [--in-place]';
export const CSDEF_ADD_USAGE =
  'cses-cert csdef add --role ROLE --name NAME [--store-location LocalMachine|CurrentUser] [--store-name My] [--permission-level limitedOrElevated|elevated] FILE [--in-place]';
export const CSCFG_CHECK_USAGE = 'cses-cert cscfg check FILE --thumbprints T1,T2,… [--csdef FILE] [--json]';

export const LIST_USAGE = 'cses-cert (cscfg|csdef) list FILE [--json]';

export const LIST_HELP = `Usage: ${LIST_USAGE}

List the roles of a .cscfg or .csdef and the certificates of each role (.cscfg: thumbprint; .csdef: store).

Options:
  --json       Print { kind, serviceName, roles: [{ name, type, certificates: [...] }] }.
  -h, --help   Show this help.

Exit status: 0 listed, 1 usage, file or XML error.
`;

export function listCommand(kind: 'cscfg' | 'csdef'): (argv: string[], io: CliIO) => Promise<number> {
  return async (argv, io) => {
    const p = parseCliArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, LIST_USAGE);
    if (flag(p, 'help')) {
      io.stdout(LIST_HELP);
      return EXIT_OK;
    }
    const file = onePositional(p, `FILE (the .${kind})`, LIST_USAGE);
    const info = readServiceFile(await readText(file, io), kind);
    if (flag(p, 'json')) {
      const roles = info.roles.map((r) => ({
        name: r.name,
        type: r.type,
        certificates: r.certificates.map(({ role: _role, ...c }) => c),
      }));
      io.stdout(JSON.stringify({ kind: info.kind, serviceName: info.serviceName, roles }, null, 2) + '\n');
      return EXIT_OK;
    }
    const out: string[] = [`${kind} ${info.serviceName ?? '(no name)'}: ${info.roles.length} role(s)`];
    for (const r of info.roles) {
      out.push(`${r.type} ${r.name}${r.certificates.length ? '' : '  (no certificates)'}`);
      for (const c of r.certificates) {
        out.push(
          kind === 'cscfg'
            ? `  ${c.name}  ${c.thumbprint || '(no thumbprint)'}`
            : `  ${c.name}  ${c.storeLocation ?? '?'}/${c.storeName ?? '?'}${c.permissionLevel ? `  ${c.permissionLevel}` : ''}`,
        );
      }
    }
    io.stdout(out.join('\n') + '\n');
    return EXIT_OK;
  };
}

export const REMOVE_LEFTOVERS_USAGE = 'cses-cert (cscfg|csdef) remove-leftovers FILE [--in-place]';

export const CSCFG_HELP = `Usage:
  ${CSCFG_ADD_USAGE}
  ${CSCFG_CHECK_USAGE}
  cses-cert cscfg list FILE [--json]
  cses-cert cscfg remove-leftovers FILE [--in-place]

Run "cses-cert cscfg add --help", "cses-cert cscfg check --help" or "cses-cert cscfg remove-leftovers --help".
`;

export const CSDEF_HELP = `Usage:
  ${CSDEF_ADD_USAGE}
  cses-cert csdef list FILE [--json]
  cses-cert csdef remove-leftovers FILE [--in-place]

Run "cses-cert csdef add --help" or "cses-cert csdef remove-leftovers --help" for details.
`;

export const REMOVE_LEFTOVERS_HELP = `Usage: ${REMOVE_LEFTOVERS_USAGE}

Remove what Cloud Services (extended support) rejects: <Import moduleName="RemoteAccess|RemoteForwarder"/> (.csdef),
the Microsoft.WindowsAzure.Plugins.RemoteAccess.* / RemoteForwarder.* settings, and the
Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption certificate (both files). Only those lines change.
Use the RDP extension for remote desktop instead. A changed .csdef means rebuilding the .cspkg.

Options:
  --in-place   Rewrite FILE instead of printing the cleaned file on stdout.
  -h, --help   Show this help.

Exit status: 0 done (also when there was nothing to remove), 1 usage, file or XML error.
`;

export function removeLeftoversCommand(kind: 'cscfg' | 'csdef'): (argv: string[], io: CliIO) => Promise<number> {
  return async (argv, io) => {
    const p = parseCliArgs(
      argv,
      { 'in-place': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      REMOVE_LEFTOVERS_USAGE,
    );
    if (flag(p, 'help')) {
      io.stdout(REMOVE_LEFTOVERS_HELP);
      return EXIT_OK;
    }
    const file = onePositional(p, `FILE (the .${kind})`, REMOVE_LEFTOVERS_USAGE);
    checkInPlace(file, flag(p, 'in-place'));
    const text = await readText(file, io);
    const res = removeCsesLeftovers(text);
    if (res.kind !== kind) {
      throw new CliError(
        'invalid-option-value',
        `${file} is a .${res.kind}, not a .${kind}.`,
        `Run "cses-cert ${res.kind} remove-leftovers ${file}".`,
      );
    }
    if (flag(p, 'in-place')) {
      if (res.removed.length) await writeTextAtomic(file, res.text);
      io.stdout(
        `${kind}: removed ${res.removed.length} item(s) Cloud Services (extended support) rejects from ${file}\n`,
      );
      for (const r of res.removed) io.stdout(`  line ${r.line}: [${r.code}] ${r.message}\n`);
    } else {
      io.stdout(new TextEncoder().encode(res.text));
    }
    return EXIT_OK;
  };
}

export const CSCFG_ADD_HELP = `Usage: ${CSCFG_ADD_USAGE}

Add (or replace) <Certificate name="NAME" thumbprint="THUMBPRINT" thumbprintAlgorithm="sha1" /> in one role of a
service configuration (.cscfg). A missing <Certificates> is created after <ConfigurationSettings> (or after
<Instances>). Everything else in the file stays byte-for-byte (BOM, line endings, comments, indentation).
The thumbprint is cleaned up first (spaces, ":" or "-", invisible characters such as U+200E removed; uppercased).

Options:
  --role ROLE              Role name, exactly as in <Role name="…">.
  --name NAME              Certificate name; must match the <Certificate name> in the .csdef.
  --thumbprint THUMBPRINT  SHA-1 thumbprint (40 hex characters).
  --in-place               Rewrite FILE instead of printing the patched file on stdout.
  -h, --help               Show this help.
FILE may be "-" to read stdin (then the result goes to stdout).

Exit status: 0 done (also when nothing had to change), 1 usage, file or XML error.
`;

export const CSDEF_ADD_HELP = `Usage: ${CSDEF_ADD_USAGE}

Add (or replace) <Certificate name="NAME" storeLocation="…" storeName="…" /> in one WebRole/WorkerRole of a
service definition (.csdef). A missing <Certificates> is created after <ConfigurationSettings>, else after
<Endpoints> (then <Imports>, <Sites>, <LocalResources>, <Startup>, <Runtime>), else before the role's first element.
Everything else stays byte-for-byte. Remember: a changed .csdef means rebuilding the .cspkg.

Options:
  --role ROLE                 Role name, exactly as in <WebRole name="…"> / <WorkerRole name="…">.
  --name NAME                 Certificate name; must match the <Certificate name> in the .cscfg.
  --store-location LOCATION   LocalMachine (default) or CurrentUser.
  --store-name STORE          My (default), Root, CA, Trust, Disallowed, TrustedPeople, TrustedPublisher, AuthRoot,
                              AddressBook, or a custom store name.
  --permission-level LEVEL    limitedOrElevated (schema default) or elevated.
  --in-place                  Rewrite FILE instead of printing the patched file on stdout.
  -h, --help                  Show this help.
FILE may be "-" to read stdin (then the result goes to stdout).

Exit status: 0 done, 1 usage, file or XML error.
`;

export const CSCFG_CHECK_HELP = `Usage: ${CSCFG_CHECK_USAGE}

Check every <Certificate> of a .cscfg against the thumbprints you expect (for example the thumbprints of the
certificate versions referenced in osProfile.secrets). Per certificate: found, missing (with the closest thumbprint
and a per-character diff when it looks like a typo) or malformed (empty, wrong length, separators or invisible
characters in the file). Also reports what Cloud Services (extended support) rejects: the RemoteAccess /
RemoteForwarder plugin settings and the PasswordEncryption certificate. With --csdef, also checks that both files
name the same roles and the same certificates per role.

Options:
  --thumbprints LIST   Comma-separated SHA-1 thumbprints (repeatable). Spaces/colons inside a thumbprint are fine.
  --csdef FILE         Also check the .cscfg against this .csdef.
  --json               Print the full result as JSON.
  -h, --help           Show this help.

Exit status: 0 all certificates found and nothing rejected, 2 anything missing/malformed/rejected, 1 usage error.
`;

function checkInPlace(file: string, inPlace: boolean): void {
  if (inPlace && file === '-') {
    throw new CliError(
      'invalid-option-value',
      '--in-place cannot be used with stdin (-).',
      'Give a file path, or drop --in-place to print the result.',
    );
  }
}

async function emitPatch(io: CliIO, file: string, inPlace: boolean, kind: string, res: PatchResult): Promise<number> {
  if (inPlace) {
    if (res.action !== 'unchanged') await writeTextAtomic(file, res.text);
    const verb = res.action === 'unchanged' ? 'already up to date:' : res.action === 'added' ? 'added' : 'replaced';
    io.stdout(`${kind}: ${verb} certificate "${res.name}" in role "${res.role}" of ${file}\n`);
  } else {
    io.stdout(new TextEncoder().encode(res.text));
  }
  return EXIT_OK;
}

export async function cscfgAddCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      role: { type: 'string' },
      name: { type: 'string' },
      thumbprint: { type: 'string' },
      'in-place': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    CSCFG_ADD_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(CSCFG_ADD_HELP);
    return EXIT_OK;
  }
  const role = requireStr(p, 'role', CSCFG_ADD_USAGE);
  const name = requireStr(p, 'name', CSCFG_ADD_USAGE);
  const thumbprint = requireStr(p, 'thumbprint', CSCFG_ADD_USAGE);
  const file = onePositional(p, 'FILE (the .cscfg)', CSCFG_ADD_USAGE);
  checkInPlace(file, flag(p, 'in-place'));
  const text = await readText(file, io);
  const res = setCscfgCertificate(text, { role, name, thumbprint });
  return emitPatch(io, file, flag(p, 'in-place'), 'cscfg', res);
}

export async function csdefAddCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      role: { type: 'string' },
      name: { type: 'string' },
      'store-location': { type: 'string' },
      'store-name': { type: 'string' },
      'permission-level': { type: 'string' },
      'in-place': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    CSDEF_ADD_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(CSDEF_ADD_HELP);
    return EXIT_OK;
  }
  const role = requireStr(p, 'role', CSDEF_ADD_USAGE);
  const name = requireStr(p, 'name', CSDEF_ADD_USAGE);
  const file = onePositional(p, 'FILE (the .csdef)', CSDEF_ADD_USAGE);
  checkInPlace(file, flag(p, 'in-place'));
  const storeLocation = str(p, 'store-location');
  const storeName = str(p, 'store-name');
  const permissionLevel = str(p, 'permission-level');
  const text = await readText(file, io);
  const res = setCsdefCertificate(text, {
    role,
    name,
    ...(storeLocation !== undefined ? { storeLocation } : {}),
    ...(storeName !== undefined ? { storeName } : {}),
    ...(permissionLevel !== undefined ? { permissionLevel } : {}),
  });
  return emitPatch(io, file, flag(p, 'in-place'), 'csdef', res);
}

const STATUS_LABEL: Record<CertificateCheck['status'], string> = {
  found: 'FOUND',
  'found-in-another-version': 'OTHER-VERSION',
  missing: 'MISSING',
  malformed: 'MALFORMED',
};

export async function cscfgCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      thumbprints: { type: 'string', multiple: true },
      csdef: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    CSCFG_CHECK_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(CSCFG_CHECK_HELP);
    return EXIT_OK;
  }
  const file = onePositional(p, 'FILE (the .cscfg)', CSCFG_CHECK_USAGE);
  const raw = list(p, 'thumbprints');
  if (raw.length === 0) {
    throw new CliError('missing-argument', '--thumbprints is required.', `Usage: ${CSCFG_CHECK_USAGE}`);
  }
  const thumbprints = raw
    .flatMap((v) => v.split(/[,;\n]/))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (thumbprints.length === 0) {
    throw new CliError(
      'invalid-option-value',
      '--thumbprints is empty.',
      'Give one or more thumbprints separated by commas.',
    );
  }
  const text = await readText(file, io);
  const check = checkCscfgThumbprints(text, vaultCertificatesFromThumbprints(thumbprints));
  const leftovers: ServiceIssue[] = findCsesLeftovers(text);
  const csdefFile = str(p, 'csdef');
  let consistency: ServiceIssue[] = [];
  if (csdefFile !== undefined) {
    const csdefText = await readText(csdefFile, io);
    consistency = checkServiceConsistency(text, csdefText).issues;
    leftovers.push(...findCsesLeftovers(csdefText));
  }
  const failedCerts = check.certificates.filter((c) => !c.ok);
  const blocking = [...leftovers, ...consistency].filter((i) => i.severity === 'error');
  const ok = failedCerts.length === 0 && blocking.length === 0 && check.certificates.length > 0;

  if (flag(p, 'json')) {
    io.stdout(
      JSON.stringify(
        {
          file,
          ok,
          certificates: check.certificates.map((c) => ({
            role: c.role,
            name: c.name,
            thumbprint: c.thumbprint,
            normalized: c.normalized.value,
            status: c.status,
            ok: c.ok,
            message: c.message,
            action: c.action,
            problems: c.problems,
            line: c.line,
            column: c.column,
            ...(c.nearMiss
              ? {
                  nearMiss: {
                    thumbprint: c.nearMiss.certificate.thumbprint,
                    distance: c.nearMiss.diff.distance,
                    summary: c.nearMiss.diff.summary,
                    ops: c.nearMiss.diff.ops,
                  },
                }
              : {}),
          })),
          counts: check.counts,
          skipped: check.skipped,
          leftovers,
          consistency,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const out: string[] = [];
    if (check.certificates.length === 0) out.push(`${file}: no <Certificate> elements.`);
    for (const c of check.certificates) {
      out.push(`${STATUS_LABEL[c.status].padEnd(13)} ${c.role}/${c.name}  ${c.thumbprint ?? '(no thumbprint)'}`);
      if (c.status !== 'found') out.push(`              ${c.message}`, `              → ${c.action}`);
      if (c.nearMiss) {
        out.push(`              actual:   ${c.normalized.value}`, `              expected: ${diffLine(c)}`);
      }
      for (const pr of c.problems) out.push(`              [${pr.code}] ${pr.message} → ${pr.action}`);
    }
    for (const k of check.skipped) {
      out.push(`${'SKIPPED'.padEnd(13)} ${k.role}/${k.name}  (RemoteAccess plugin certificate: remove it, see below)`);
    }
    for (const i of [...leftovers, ...consistency]) {
      out.push(
        `${(i.severity === 'error' ? 'REJECTED' : 'WARNING').padEnd(13)} ${i.file ?? ''}${i.line ? `:${i.line}` : ''} [${i.code}] ${i.message}`,
        `              → ${i.action}`,
      );
    }
    const c = check.counts;
    out.push(
      `${check.certificates.length} certificate(s): ${c.found} found, ${c['found-in-another-version']} other version, ${c.missing} missing, ${c.malformed} malformed` +
        (leftovers.length || consistency.length ? `; ${leftovers.length + consistency.length} other issue(s)` : ''),
    );
    io.stdout(out.join('\n') + '\n');
  }
  if (ok) return EXIT_OK;
  const firstCert = failedCerts[0];
  if (check.certificates.length === 0 && blocking.length === 0) {
    io.stderr(
      errorLine(
        'no-certificates',
        `${file} has no <Certificate> elements.`,
        'Add the certificate with `cses-cert cscfg add`.',
      ),
    );
  } else if (firstCert) {
    io.stderr(
      errorLine(
        'check-failed',
        `${failedCerts.length} of ${check.certificates.length} certificate(s) not found or malformed (first: ${firstCert.role}/${firstCert.name}: ${firstCert.status}).`,
        firstCert.action,
      ),
    );
  } else {
    const i = blocking[0] as ServiceIssue;
    io.stderr(
      errorLine(
        'check-failed',
        `${blocking.length} issue(s) Cloud Services would reject (first: ${i.code}: ${i.message})`,
        i.action,
      ),
    );
  }
  return EXIT_CHECK_FAILED;
}

/** The expected thumbprint with differing characters marked by ^ underneath-style brackets. */
function diffLine(c: CertificateCheck): string {
  const d = c.nearMiss?.diff;
  if (!d) return '';
  return `${d.expected.value}  (${d.summary})`;
}
