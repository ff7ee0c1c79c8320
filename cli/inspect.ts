/** `cses-cert inspect FILE [--password-stdin] [--json]` over lib/certs `inspectPfx`. */
import type { CertInfo, Finding, InspectResult } from '../lib/certs/types';
import { flag, onePositional, parseCliArgs } from './args';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, errorLine } from './errors';
import { readBytes, type CliIO } from './io';

export const INSPECT_USAGE = 'cses-cert inspect FILE [--password-stdin] [--json]';

export const INSPECT_HELP = `Usage: ${INSPECT_USAGE}

Inspect a PFX (PKCS#12) file the way Key Vault and Cloud Services will see it: the leaf certificate and its
SHA-1 thumbprint, the chain, the key, the PFX encryption, and every problem found.

Options:
  --password-stdin   Read the PFX password from stdin (one trailing newline is removed; empty = empty password).
                     Without it the file is opened with no password.
  --json             Print one JSON object: { file, importable, thumbprint, subject, notAfter, errors, findings,
                     leaf, chain, key, pfx, detected }. "thumbprint" is set whenever a leaf could be read;
                     "errors" holds findings of severity error, "findings" the warnings and notes; each has a
                     stable "code" (docs/error-codes.md).
  -h, --help         Show this help.

Exit status: 0 importable, 2 not importable, 1 usage or file error.

Examples:
  cses-cert inspect site.pfx --password-stdin < password.txt
  printf '%s' "$PFX_PASSWORD" | cses-cert inspect site.pfx --password-stdin --json | jq -r .thumbprint
`;

type InspectFn = (bytes: Uint8Array, password: string | null) => Promise<InspectResult>;

async function loadInspect(): Promise<InspectFn> {
  try {
    const mod = (await import('../lib/certs')) as { inspectPfx?: InspectFn };
    if (typeof mod.inspectPfx !== 'function') throw new Error('inspectPfx missing');
    return mod.inspectPfx;
  } catch {
    throw new CliError(
      'certs-module-unavailable',
      'The PFX inspection module (lib/certs) could not be loaded.',
      'Run from a complete checkout of cses-cert-wizard after `npm install`.',
    );
  }
}

function stripOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}

export async function readPasswordFromStdin(io: CliIO): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readStdin();
  } catch {
    throw new CliError(
      'stdin-unavailable',
      'Could not read the password from stdin.',
      'Pipe the password in, e.g. `printf %s "$PASSWORD" | cses-cert inspect FILE --password-stdin`.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(
      'invalid-option-value',
      'The password on stdin is not valid UTF-8.',
      'Pass the password as UTF-8 text.',
    );
  }
  return stripOneNewline(text);
}

function line(f: Finding): string {
  return `  [${f.code}] ${f.message}${f.action ? `\n      → ${f.action}` : ''}`;
}

function describeCert(c: CertInfo): string[] {
  const key =
    c.publicKey.type === 'EC'
      ? `EC ${c.publicKey.curve ?? ''}`.trim()
      : `${c.publicKey.type}${c.publicKey.bits ? ` ${c.publicKey.bits}` : ''}`;
  const sans = [...c.sans.dns, ...c.sans.ip, ...c.sans.email, ...c.sans.uri];
  return [
    `Thumbprint (SHA-1): ${c.thumbprint}`,
    `Subject:            ${c.subject}`,
    `Issuer:             ${c.issuer}`,
    `Valid:              ${c.notBefore} → ${c.notAfter}`,
    `Key:                ${key}`,
    `Signature:          ${c.signatureAlgorithm}`,
    ...(sans.length ? [`Names (SAN):        ${sans.join(', ')}`] : []),
    ...(c.extendedKeyUsage.length ? [`Extended key usage: ${c.extendedKeyUsage.join(', ')}`] : []),
    ...(c.friendlyName ? [`Friendly name:      ${c.friendlyName}`] : []),
  ];
}

export function formatInspectText(file: string, r: InspectResult): string {
  const out: string[] = [`File:               ${file}`, `Importable:         ${r.importable ? 'yes' : 'NO'}`];
  if (r.detected && r.detected.format !== 'pkcs12') out.push(`Detected format:    ${r.detected.format}`);
  if (r.leaf) out.push(...describeCert(r.leaf));
  if (r.chain.length) {
    out.push(`Chain:              ${r.chain.length} more certificate${r.chain.length === 1 ? '' : 's'}`);
    for (const c of r.chain) out.push(`  - ${c.thumbprint}  ${c.subject}`);
  }
  if (r.pfx) {
    const mac = r.pfx.macAlgorithm
      ? `${r.pfx.macAlgorithm}${r.pfx.macIterations ? ` (${r.pfx.macIterations} iterations)` : ''}`
      : 'none';
    out.push(`PFX MAC:            ${mac}`);
    for (const e of r.pfx.encryption) {
      out.push(
        `PFX ${e.part === 'key' ? 'key' : 'certificates'} encryption: ${e.algorithm}${e.iterations ? ` (${e.iterations} iterations)` : ''}`,
      );
    }
  }
  const errors = r.findings.filter((f) => f.severity === 'error');
  const warnings = r.findings.filter((f) => f.severity === 'warning');
  const infos = r.findings.filter((f) => f.severity === 'info');
  if (errors.length) out.push('Errors:', ...errors.map(line));
  if (warnings.length) out.push('Warnings:', ...warnings.map(line));
  if (infos.length) out.push('Notes:', ...infos.map(line));
  return out.join('\n') + '\n';
}

export function inspectJson(file: string, r: InspectResult): Record<string, unknown> {
  return {
    file,
    importable: r.importable,
    thumbprint: r.leaf?.thumbprint ?? null,
    subject: r.leaf?.subject ?? null,
    notAfter: r.leaf?.notAfter ?? null,
    errors: r.findings.filter((f) => f.severity === 'error'),
    findings: r.findings.filter((f) => f.severity !== 'error'),
    leaf: r.leaf,
    chain: r.chain,
    key: r.key,
    pfx: r.pfx,
    detected: r.detected ?? null,
  };
}

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    { 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    INSPECT_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(INSPECT_HELP);
    return EXIT_OK;
  }
  const file = onePositional(p, 'FILE (the .pfx to inspect)', INSPECT_USAGE);
  if (file === '-' && flag(p, 'password-stdin')) {
    throw new CliError(
      'invalid-option-value',
      'stdin cannot carry both the PFX (-) and the password (--password-stdin).',
      'Give the PFX as a file path when using --password-stdin.',
    );
  }
  const password = flag(p, 'password-stdin') ? await readPasswordFromStdin(io) : null;
  const inspectPfx = await loadInspect();
  const bytes = await readBytes(file, 16 * 1024 * 1024, io);
  let result: InspectResult;
  try {
    result = await inspectPfx(bytes, password);
  } catch (e) {
    throw new CliError(
      'internal-error',
      `Inspection failed unexpectedly (${e instanceof Error ? e.message : String(e)}).`,
      'Report this with the file (without its password) to the maintainers.',
    );
  }
  if (flag(p, 'json')) io.stdout(JSON.stringify(inspectJson(file, result), null, 2) + '\n');
  else io.stdout(formatInspectText(file, result));
  if (result.importable) return EXIT_OK;
  const first = result.findings.find((f) => f.severity === 'error');
  io.stderr(
    errorLine(
      first?.code ?? 'not-importable',
      first?.message ?? 'Key Vault would not import this file.',
      first?.action ?? '',
    ),
  );
  return EXIT_CHECK_FAILED;
}
