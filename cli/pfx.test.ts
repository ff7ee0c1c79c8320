/** `cses-cert pfx from-pem` in-process over the OpenSSL-made PEM vectors; the written PFX is checked with OpenSSL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './run.test-support';

const V = resolve(__dirname, '../lib/certs/__vectors__/pem');
const expected = JSON.parse(readFileSync(join(V, 'expected.json'), 'utf8')) as {
  passphrase: string;
  certs: Record<string, { thumbprint: string }>;
};
let tmp = '';
const pw = () => join(tmp, 'pw.txt');
const kp = () => join(tmp, 'kp.txt');

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cli-pfx-'));
  writeFileSync(pw(), 'Pfx-Pa55\n');
  writeFileSync(kp(), expected.passphrase + '\n');
  writeFileSync(join(tmp, 'empty.txt'), '');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]) {
  const { code, out, err } = await runCli(['pfx', 'from-pem', ...args]);
  return { status: code, stdout: out, stderr: err };
}
const leafOf = (pfx: string) =>
  execFileSync('sh', [
    '-c',
    `openssl pkcs12 -in "$0" -nokeys -passin pass:Pfx-Pa55 | openssl x509 -noout -fingerprint -sha1`,
    pfx,
  ])
    .toString()
    .trim()
    .split('=')[1]!
    .replace(/:/g, '');

describe('cses-cert pfx from-pem', () => {
  it('turns a Let’s Encrypt pair into a PFX whose leaf is openssl’s leaf, written 0600', async () => {
    const out = join(tmp, 'le.pfx');
    const r = await run([
      '--cert',
      join(V, 'le/fullchain.pem'),
      '--key',
      join(V, 'le/privkey.pem'),
      '--out',
      out,
      '--password-file',
      pw(),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Thumbprint (SHA-1): ${expected.certs.ec!.thumbprint}`);
    expect(r.stdout).toMatch(/Key matches leaf: {3}yes/);
    expect(leafOf(out)).toBe(expected.certs.ec!.thumbprint);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('--chain, an encrypted key with --key-passphrase-file, and --json', async () => {
    const out = join(tmp, 'rsa.pfx');
    const r = await run([
      '--cert',
      join(V, 'rsa-cert.pem'),
      '--chain',
      join(V, 'chain.pem'),
      '--key',
      join(V, 'rsa-key-pkcs1-aes.pem'),
      '--key-passphrase-file',
      kp(),
      '--out',
      out,
      '--password-file',
      pw(),
      '--json',
    ]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      thumbprint: string;
      out: string;
      chain: Array<{ thumbprint: string }>;
      pem: { key: { format: string } };
    };
    expect(j.thumbprint).toBe(expected.certs.rsa!.thumbprint);
    expect(j.chain.map((c) => c.thumbprint)).toEqual([expected.certs.int!.thumbprint]);
    expect(j.pem.key.format).toBe('encrypted-pkcs1');
    expect(j.out).toBe(out);
    expect(leafOf(out)).toBe(expected.certs.rsa!.thumbprint);
  });

  for (const [name, args, code] of [
    ['a key that does not match', ['--cert', 'rsa-fullchain.pem', '--key', 'other-key.pem'], 'key-mismatch'],
    [
      'an encrypted key without a passphrase',
      ['--cert', 'rsa-fullchain.pem', '--key', 'rsa-key-pkcs8-aes.pem'],
      'key-passphrase-required',
    ],
    ['a chain without the leaf', ['--cert', 'chain.pem', '--key', 'rsa-key-pkcs8.pem'], 'leaf-missing'],
    ['a certificate without its key', ['--cert', 'rsa-fullchain.pem'], 'no-private-key'],
    ['a PEM with two keys', ['--cert', 'rsa-fullchain.pem', '--key', 'two-keys.pem'], 'multiple-private-keys'],
  ] as const) {
    it(`refuses ${name} (exit 2, [${code}], nothing written)`, async () => {
      const out = join(tmp, `${code}.pfx`);
      const full = args.map((a) => (a.startsWith('--') ? a : join(V, a)));
      const r = await run([...full, '--out', out, '--password-file', pw()]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^cses-cert: error \\[${code}\\]: .+ No PFX was written\\.\\n$`));
      expect(existsSync(out)).toBe(false);
    });
  }

  it('a wrong passphrase', async () => {
    writeFileSync(join(tmp, 'wrong.txt'), 'nope');
    const r = await run([
      '--cert',
      join(V, 'rsa-combined-encrypted.pem'),
      '--key-passphrase-file',
      join(tmp, 'wrong.txt'),
      '--out',
      join(tmp, 'w.pfx'),
      '--password-file',
      pw(),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[wrong-key-passphrase]');
    expect(r.stderr).not.toContain('nope');
  });

  it('a DER certificate with a .pem name is read, with a warning', async () => {
    const r = await run([
      '--cert',
      join(V, 'rsa-cert-der.pem'),
      '--chain',
      join(V, 'chain.pem'),
      '--key',
      join(V, 'rsa-key-pkcs8.pem'),
      '--out',
      join(tmp, 'der.pfx'),
      '--password-file',
      pw(),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[der-named-pem]');
  });

  for (const [name, args, code] of [
    ['no --out', ['--cert', 'X', '--password-file', 'PW'], 'missing-argument'],
    ['no --password-file', ['--cert', 'X', '--out', 'o.pfx'], 'missing-argument'],
    ['no --cert', ['--out', 'o.pfx', '--password-file', 'PW'], 'missing-argument'],
    ['an empty password file', ['--cert', 'X', '--out', 'o.pfx', '--password-file', 'EMPTY'], 'invalid-option-value'],
    ['a password on stdin', ['--cert', 'X', '--out', 'o.pfx', '--password-file', '-'], 'invalid-option-value'],
    ['a missing file', ['--cert', 'MISSING', '--out', 'o.pfx', '--password-file', 'PW'], 'file-not-found'],
    ['a positional argument', ['X', '--cert', 'X', '--out', 'o.pfx', '--password-file', 'PW'], 'too-many-arguments'],
    ['a password on the command line', ['--cert', 'X', '--password', 'secret'], 'unknown-option'],
  ] as const) {
    it(`usage error: ${name} → [${code}], exit 1`, async () => {
      const map: Record<string, string> = {
        X: join(V, 'rsa-combined.pem'),
        PW: pw(),
        EMPTY: join(tmp, 'empty.txt'),
        MISSING: join(tmp, 'nope.pem'),
        'o.pfx': join(tmp, 'o.pfx'),
      };
      const r = await run(args.map((a) => map[a] ?? a));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^cses-cert: error \\[${code}\\]: `));
      expect(existsSync(join(tmp, 'o.pfx'))).toBe(false);
    });
  }

  it('--help', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--key-passphrase-file');
  });
});
