/**
 * `cses-cert pfx from-pem`: certificate (+ chain) and private key files in, a Key Vault-compatible PFX out, over
 * lib/certs `buildPfxFromPem`. Secrets (the PFX password, the key's passphrase) are read from files, so none is on the
 * command line or in the shell history; the PFX is written with mode 0600.
 */
import { chmod, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PemInspectResult } from '../lib/certs';
import { flag, list, parseCliArgs, requireStr, str } from './args';
import { CliError, EXIT_CHECK_FAILED, EXIT_OK, errorLine } from './errors';
import { readBytes, decodeUtf8, type CliIO } from './io';
import { formatInspectText } from './inspect';

export const PFX_FROM_PEM_USAGE =
  'cses-cert pfx from-pem --cert F [--key F] [--chain F] --out F.pfx --password-file F [--key-passphrase-file F] [--json]';

export const PFX_HELP = `Usage: ${PFX_FROM_PEM_USAGE}

Build a PFX that Key Vault imports (3DES + SHA-1 MAC, readable by every Windows version) from a certificate and its
private key, as a CA or an ACME client hands them out (Let's Encrypt: fullchain.pem + privkey.pem).

Options:
  --cert F                 The certificate: PEM (.pem/.crt/.cer, with or without the chain, any order), DER, or .p7b.
                           May also hold the key (one combined PEM). Repeatable.
  --key F                  The private key: PKCS#8, PKCS#1 (RSA PRIVATE KEY), SEC1 (EC PRIVATE KEY), PEM or DER,
                           plain or encrypted.
  --chain F                Intermediate certificates, if they are in a file of their own. Repeatable.
  --out F.pfx              Where to write the PFX (replaced if it exists; written with mode 0600).
  --password-file F        File holding the PFX password (one trailing newline is removed). Must not be empty.
  --key-passphrase-file F  File holding the passphrase of an encrypted key.
  --json                   Print the inspection as JSON (as "cses-cert inspect --json" does, plus "out" and "pem").
  -h, --help               Show this help.

The leaf (the certificate that belongs to the key) goes first, then its chain in order; unrelated certificates are
left out. Nothing is written when the files cannot make an importable PFX: the error line names the problem
(key-mismatch, wrong-key-passphrase, leaf-missing, no-private-key, …; docs/error-codes.md).

Exit status: 0 written, 2 the files cannot make an importable PFX, 1 usage or file error.

Example:
  cses-cert pfx from-pem --cert live/example.com/fullchain.pem --key live/example.com/privkey.pem \\
    --out example.pfx --password-file pfx-password.txt
`;

function stripOneNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n')) return s.slice(0, -1);
  return s;
}

async function readSecret(file: string, what: string, io: CliIO): Promise<string> {
  if (file === '-') {
    throw new CliError(
      'invalid-option-value',
      `The ${what} must come from a file, not stdin (-).`,
      `Write it to a file readable only by you and give its path.`,
    );
  }
  const bytes = await readBytes(file, 64 * 1024, io);
  return stripOneNewline(decodeUtf8(bytes, file));
}

/** Write atomically next to the target, mode 0600 from the start (the PFX holds the private key). */
async function writePfxFile(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.cses-cert-${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (e) {
    const code = (e as { code?: string } | null)?.code;
    throw new CliError(
      'file-not-writable',
      `Cannot write ${file} (${code ?? 'error'}).`,
      'Check that the folder exists and is writable.',
    );
  }
}

function pemJson(out: string | null, r: PemInspectResult): Record<string, unknown> {
  return {
    out,
    importable: r.importable,
    thumbprint: r.leaf?.thumbprint ?? null,
    subject: r.leaf?.subject ?? null,
    notAfter: r.leaf?.notAfter ?? null,
    errors: r.findings.filter((f) => f.severity === 'error'),
    findings: r.findings.filter((f) => f.severity !== 'error'),
    leaf: r.leaf,
    chain: r.chain,
    key: r.key,
    pem: r.pem,
  };
}

function pemText(out: string | null, r: PemInspectResult): string {
  const lines = formatInspectText(r.pem.files.map((f) => f.name).join(', '), r)
    .trimEnd()
    .split('\n');
  const extra = [
    `Key:                ${r.pem.key ? `${r.pem.key.file} (${r.pem.key.format}${r.pem.key.encryption ? `, ${r.pem.key.encryption}` : ''})` : 'none'}`,
    `Key matches leaf:   ${r.key ? (r.key.matchesLeaf ? 'yes' : 'NO') : '—'}`,
    ...(r.pem.missingIssuer ? [`Missing issuer:     ${r.pem.missingIssuer}`] : []),
    ...(out ? [`Written:            ${out}`] : []),
  ];
  return [...lines.slice(0, 2), ...extra, ...lines.slice(2)].join('\n') + '\n';
}

export async function pfxFromPemCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      cert: { type: 'string', multiple: true },
      key: { type: 'string' },
      chain: { type: 'string', multiple: true },
      out: { type: 'string' },
      'password-file': { type: 'string' },
      'key-passphrase-file': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    PFX_FROM_PEM_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(PFX_HELP);
    return EXIT_OK;
  }
  if (p.positionals.length)
    throw new CliError(
      'too-many-arguments',
      `Unexpected argument ${JSON.stringify(p.positionals[0])}.`,
      `Name each file with its option. Usage: ${PFX_FROM_PEM_USAGE}`,
    );
  const certs = list(p, 'cert');
  if (!certs.length) throw new CliError('missing-argument', '--cert is required.', `Usage: ${PFX_FROM_PEM_USAGE}`);
  const out = requireStr(p, 'out', PFX_FROM_PEM_USAGE);
  const passwordFile = requireStr(p, 'password-file', PFX_FROM_PEM_USAGE);
  const inputs = [...certs, ...(str(p, 'key') ? [str(p, 'key')!] : []), ...list(p, 'chain')];
  if (inputs.includes('-'))
    throw new CliError(
      'invalid-option-value',
      'The certificate and key must be files, not stdin (-).',
      `Give their paths. Usage: ${PFX_FROM_PEM_USAGE}`,
    );
  try {
    if ((await stat(out)).isDirectory())
      throw new CliError('invalid-option-value', `--out ${out} is a directory.`, 'Give the path of the .pfx to write.');
  } catch (e) {
    if (e instanceof CliError) throw e;
  }
  const password = await readSecret(passwordFile, 'PFX password', io);
  if (password === '')
    throw new CliError(
      'invalid-option-value',
      `The password file ${passwordFile} is empty.`,
      'Write the PFX password into it: a PFX without a password would leave the private key unprotected.',
    );
  const passFile = str(p, 'key-passphrase-file');
  const keyPassphrase = passFile ? await readSecret(passFile, 'key passphrase', io) : null;
  const files = await Promise.all(inputs.map(async (f) => ({ name: f, data: await readBytes(f, 1024 * 1024, io) })));

  const { buildPfxFromPem, BuildPfxError } = await import('../lib/certs');
  try {
    const { pfx, inspection } = await buildPfxFromPem(files, password, { keyPassphrase });
    await writePfxFile(out, pfx);
    io.stdout(flag(p, 'json') ? JSON.stringify(pemJson(out, inspection), null, 2) + '\n' : pemText(out, inspection));
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof BuildPfxError)) throw e;
    if (!e.inspection) throw new CliError(e.code, e.message, e.action);
    io.stdout(
      flag(p, 'json') ? JSON.stringify(pemJson(null, e.inspection), null, 2) + '\n' : pemText(null, e.inspection),
    );
    io.stderr(errorLine(e.code, e.message, `${e.action} No PFX was written.`));
    return EXIT_CHECK_FAILED;
  }
}
