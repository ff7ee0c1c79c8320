/** buildPfxFromPem: the result must open in OpenSSL (the reference) and inspect cleanly. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPfxFromPem, BuildPfxError, inspectPfx } from './index';

const DIR = join(__dirname, '__vectors__');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  vectors: Array<{ file: string; thumbprint: string | null }>;
};
const tp = (f: string) => expected.vectors.find((v) => v.file === f)!.thumbprint!;

function openssl(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('openssl', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describe('buildPfxFromPem', () => {
  for (const file of ['cert-and-key.pem', 'ec-cert-and-key.pem']) {
    it(`builds a PFX OpenSSL opens (${file})`, async () => {
      const pem = readFileSync(join(DIR, file), 'utf8');
      const password = 'Bu1ld-pässword';
      const { pfx } = await buildPfxFromPem([{ name: file, data: pem }], password);
      const tmp = mkdtempSync(join(tmpdir(), 'build-pfx-'));
      try {
        const path = join(tmp, 'out.pfx');
        writeFileSync(path, pfx);
        // OpenSSL verifies the MAC, decrypts both parts and prints the certificate and key.
        const out = openssl(['pkcs12', '-in', path, '-nodes', '-passin', 'env:PW'], { PW: password });
        expect(out).toContain('BEGIN CERTIFICATE');
        expect(out).toContain('BEGIN PRIVATE KEY');
        const certPath = join(tmp, 'c.pem');
        writeFileSync(certPath, out);
        const fp = openssl(['x509', '-in', certPath, '-noout', '-fingerprint', '-sha1'])
          .trim()
          .split('=')[1]!
          .replace(/:/g, '');
        expect(fp).toBe(tp(file));
        // The key OpenSSL extracted is the original key.
        const origKey = openssl(['pkey', '-in', join(DIR, file), '-pubout']);
        const gotKey = openssl(['pkey', '-in', certPath, '-pubout']);
        expect(gotKey).toBe(origKey);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      const r = await inspectPfx(pfx, password);
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(r.leaf?.thumbprint).toBe(tp(file));
      expect(r.key?.matchesLeaf).toBe(true);
      expect(r.pfx?.encryption.map((e) => e.algorithm)).toEqual([
        'pbeWithSHAAnd3-KeyTripleDES-CBC',
        'pbeWithSHAAnd3-KeyTripleDES-CBC',
      ]);
      expect(r.pfx?.macAlgorithm).toBe('sha1');
    });
  }

  it('puts the leaf first whatever the PEM order, with its chain', async () => {
    const pem = readFileSync(join(DIR, 'cert-and-key.pem'), 'utf8');
    const chain = readFileSync(join(DIR, 'cert-only.pem'), 'utf8');
    const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g)!;
    const reversed = [...certs].reverse().join('');
    const { pfx } = await buildPfxFromPem(
      [
        { name: 'chain.pem', data: reversed },
        { name: 'key.pem', data: pem },
      ],
      '',
    );
    const r = await inspectPfx(pfx, '');
    expect(r.leaf?.thumbprint).toBe(tp('cert-and-key.pem'));
    expect(r.chain).toHaveLength(2);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('refuses a key that does not match, and input without a key', async () => {
    const ec = readFileSync(join(DIR, 'ec-cert-and-key.pem'), 'utf8');
    const rsa = readFileSync(join(DIR, 'cert-and-key.pem'), 'utf8');
    const rsaCertOnly = rsa.replace(/-----BEGIN PRIVATE KEY-----[\s\S]*$/, '');
    const ecKeyOnly = ec.replace(/^[\s\S]*?(?=-----BEGIN (EC )?PRIVATE KEY-----)/, '');
    const cert = { name: 'cert.pem', data: rsaCertOnly };
    await expect(buildPfxFromPem([cert, { name: 'key.pem', data: ecKeyOnly }], 'x')).rejects.toThrow(BuildPfxError);
    await expect(buildPfxFromPem([cert], 'x')).rejects.toMatchObject({ code: 'no-private-key' });
  });
});
