/**
 * PEM sources against the OpenSSL-made vectors in __vectors__/pem (scripts/make-pem-vectors.mjs): every key format,
 * plain and encrypted, PEM and DER, chains in every order. inspectPem must find what OpenSSL says (leaf thumbprint,
 * chain order, key match); buildPfxFromPem's PFX must open in OpenSSL with the same leaf, chain and public key.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildPfxFromPem, BuildPfxError, inspectPem, inspectPfx, type PemFile } from './index';

interface Case {
  name: string;
  files: string[];
  passphrase: string | null;
  errors: string[];
  warnings: string[];
  infos: string[];
  leaf: string | null;
  thumbprint: string | null;
  chainThumbprints: string[];
  missingIssuer?: string | null;
  keyFile?: string;
  keyFormat?: string;
  keyType?: 'RSA' | 'EC';
  keyMatches?: boolean;
  inOrder?: boolean;
  wrongPassphrase?: boolean;
  canBuildPfx: boolean;
}
const DIR = join(__dirname, '__vectors__', 'pem');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  passphrase: string;
  certs: Record<string, { thumbprint: string; subject: string; publicKey: string }>;
  keys: Record<string, string>;
  cases: Case[];
};
const load = (files: string[]): PemFile[] =>
  files.map((f) => ({ name: basename(f), data: new Uint8Array(readFileSync(join(DIR, f))) }));
const codes = (fs: Array<{ code: string; severity: string }>, sev: string) =>
  fs.filter((f) => f.severity === sev).map((f) => f.code);
/** OpenSSL's RFC 2253 names ("CN=a,O=b") in the form lib/certs prints ("CN=a, O=b"). */
const dn = (s: string) => s.replace(/,(?=[A-Z]+=)/g, ', ');

function openssl(args: string[], env: Record<string, string> = {}): Buffer {
  return execFileSync('openssl', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('inspectPem against the OpenSSL-made PEM vectors', () => {
  for (const c of expected.cases) {
    it(c.name, async () => {
      const r = await inspectPem(load(c.files), { keyPassphrase: c.passphrase });
      expect(codes(r.findings, 'error').sort()).toEqual([...c.errors].sort());
      for (const w of c.warnings) expect(codes(r.findings, 'warning')).toContain(w);
      for (const i of c.infos) expect(codes(r.findings, 'info')).toContain(i);
      for (const f of r.findings) {
        expect(f.message.length).toBeGreaterThan(10);
        expect(f.action.length).toBeGreaterThan(3);
      }
      expect(r.leaf?.thumbprint ?? null).toBe(c.thumbprint);
      expect(r.chain.map((x) => x.thumbprint)).toEqual(c.chainThumbprints);
      expect(r.pem.canBuildPfx).toBe(c.canBuildPfx);
      expect(r.importable).toBe(c.errors.length === 0);
      expect(r.detected).toEqual({ format: 'pem', canBuildPfx: c.canBuildPfx });
      if (c.missingIssuer !== undefined)
        expect(r.pem.missingIssuer).toBe(c.missingIssuer === null ? null : dn(c.missingIssuer));
      if (c.inOrder !== undefined) expect(r.pem.inOrder).toBe(c.inOrder);
      if (c.keyFormat) expect(r.pem.key?.format).toBe(c.keyFormat);
      if (c.keyMatches !== undefined && !c.errors.includes('key-passphrase-required')) {
        expect(r.key).not.toBeNull();
        expect(r.key!.matchesLeaf).toBe(c.keyMatches);
        if (c.keyType) expect(r.key!.type).toBe(c.keyType);
      }
      if (c.wrongPassphrase) {
        const w = await inspectPem(load(c.files), { keyPassphrase: 'not-the-passphrase' });
        expect(codes(w.findings, 'error')).toEqual(['wrong-key-passphrase']);
        expect(w.pem.canBuildPfx).toBe(false);
        expect(w.leaf?.thumbprint).toBe(c.thumbprint); // the certificate is still shown
        expect(JSON.stringify(w)).not.toContain('not-the-passphrase');
      }
    });
  }

  it('names each file in its messages and never echoes key material', async () => {
    const r = await inspectPem(load(['rsa-fullchain.pem', 'other-key.pem']));
    const mismatch = r.findings.find((f) => f.code === 'key-mismatch')!;
    expect(mismatch.message).toContain('other-key.pem');
    expect(mismatch.message).toContain('rsa-fullchain.pem');
    expect(mismatch.action).toMatch(/privkey\.pem/);
    const keyB64 = readFileSync(join(DIR, 'rsa-key-pkcs8.pem'), 'utf8').split('\n')[1]!;
    const json = JSON.stringify(await inspectPem(load(['rsa-combined.pem'])));
    expect(json).not.toContain(keyB64);
  });

  it('explains a certificate without its key (why Key Vault needs the key, what to do)', async () => {
    const r = await inspectPem(load(['rsa-fullchain.pem']));
    const f = r.findings.find((x) => x.code === 'no-private-key')!;
    expect(f.message).toMatch(/Key Vault stores a certificate together with its private key/);
    expect(f.action).toMatch(/privkey\.pem/);
    expect(f.action).toMatch(/CA or Root store/);
    expect(r.leaf?.thumbprint).toBe(expected.certs.rsa!.thumbprint); // still shown
  });

  it('says which of two keys belongs to the certificate', async () => {
    const r = await inspectPem(load(['rsa-fullchain.pem', 'two-keys.pem']));
    const f = r.findings.find((x) => x.code === 'multiple-private-keys')!;
    expect(f.message).toContain('2 in two-keys.pem');
    expect(f.message).toContain('number 2');
  });

  it('refuses nothing silently: empty input and empty files', async () => {
    expect(codes((await inspectPem([])).findings, 'error')).toEqual(['empty-file']);
    const r = await inspectPem([{ name: 'blank.pem', data: new Uint8Array(0) }]);
    expect(codes(r.findings, 'error')).toContain('empty-file');
    // @ts-expect-error untyped callers
    expect((await inspectPem(undefined)).importable).toBe(false);
  });

  it('accepts text as well as bytes', async () => {
    const files = ['le/fullchain.pem', 'le/privkey.pem'].map((f) => ({
      name: basename(f),
      data: readFileSync(join(DIR, f), 'utf8'),
    }));
    const r = await inspectPem(files);
    expect(r.pem.canBuildPfx).toBe(true);
    expect(r.leaf?.thumbprint).toBe(expected.certs.ec!.thumbprint);
  });
});

describe('buildPfxFromPem: the PFX opens in OpenSSL with the same leaf, chain and key', () => {
  const buildable = expected.cases.filter((c) => c.canBuildPfx);
  for (const c of buildable) {
    it(c.name, async () => {
      const password = 'Built-Pfx-ü';
      const { pfx, inspection } = await buildPfxFromPem(load(c.files), password, { keyPassphrase: c.passphrase });
      expect(inspection.leaf?.thumbprint).toBe(c.thumbprint);
      const tmp = mkdtempSync(join(tmpdir(), 'pem-pfx-'));
      try {
        const path = join(tmp, 'out.pfx');
        writeFileSync(path, pfx);
        const certsOut = openssl(['pkcs12', '-in', path, '-nokeys', '-passin', 'env:PW'], { PW: password }).toString();
        const pems = certsOut.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
        const fps = pems.map((p) =>
          execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: p })
            .toString()
            .trim()
            .split('=')[1]!
            .replace(/:/g, ''),
        );
        expect(fps).toEqual([c.thumbprint, ...c.chainThumbprints]); // leaf first, then the chain in order
        const keyPem = openssl(['pkcs12', '-in', path, '-nocerts', '-nodes', '-passin', 'env:PW'], { PW: password });
        const pub = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: keyPem });
        expect(createHash('sha256').update(pub).digest('hex')).toBe(expected.keys[c.keyFile!]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      const r = await inspectPfx(pfx, password);
      expect(codes(r.findings, 'error')).toEqual([]);
      expect(r.leaf?.thumbprint).toBe(c.thumbprint);
      expect(r.key?.matchesLeaf).toBe(true);
      expect(r.pfx?.encryption.map((e) => e.algorithm)).toEqual([
        'pbeWithSHAAnd3-KeyTripleDES-CBC',
        'pbeWithSHAAnd3-KeyTripleDES-CBC',
      ]);
      expect(r.pfx?.macAlgorithm).toBe('sha1');
    });
  }

  it('refuses with the first error of the inspection, its code, message and action', async () => {
    for (const c of expected.cases.filter((x) => !x.canBuildPfx)) {
      const e = await buildPfxFromPem(load(c.files), 'pw', { keyPassphrase: c.passphrase }).catch((x: unknown) => x);
      expect(e, c.name).toBeInstanceOf(BuildPfxError);
      expect(c.errors).toContain((e as BuildPfxError).code);
      expect((e as BuildPfxError).action.length).toBeGreaterThan(3);
    }
    const tooLong = await buildPfxFromPem(load(['rsa-combined.pem']), 'x'.repeat(201)).catch((x: unknown) => x);
    expect((tooLong as BuildPfxError).code).toBe('password-too-long');
  });
});

describe('inspectPem on damaged input', () => {
  it('never throws and never calls damaged files importable without an error', async () => {
    const sources = [
      'rsa-combined-encrypted.pem',
      'rsa-key-pkcs1-aes.pem',
      'rsa-key-pkcs8.der',
      'chain.p7b',
      'rsa-cert.cer',
    ];
    let seed = 4242;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 120; i++) {
      const src = new Uint8Array(readFileSync(join(DIR, sources[i % sources.length]!)));
      const b = src.slice(0, i % 4 === 0 ? Math.floor(rnd() * src.length) : src.length);
      for (let k = 0; k < 3 && b.length; k++) {
        const at = Math.floor(rnd() * b.length);
        b[at] = b[at]! ^ (1 << Math.floor(rnd() * 8));
      }
      const r = await inspectPem([{ name: 'damaged.pem', data: b }, ...load(['rsa-fullchain.pem'])], {
        keyPassphrase: expected.passphrase,
      });
      expect(typeof r.importable).toBe('boolean');
      if (!r.importable) expect(r.findings.some((f) => f.severity === 'error')).toBe(true);
    }
  }, 60_000);
});
