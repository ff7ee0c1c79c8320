/**
 * Every vector in __vectors__/expected.json (made by scripts/make-cert-vectors.mjs from OpenSSL's own output) is
 * inspected and compared with what OpenSSL said: thumbprints, MAC, encryption, chain, and the expected finding codes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPfx, MAX_PFX_BYTES, type InspectResult } from './index';

interface Vector {
  file: string;
  category: string;
  password: string | null;
  thumbprint: string | null;
  errors: string[];
  warnings?: string[];
  infos?: string[];
  absent?: string[];
  keyType?: 'RSA' | 'EC';
  keyBits?: number;
  curve?: string;
  chainThumbprints?: string[];
  friendlyName?: string;
  signatureAlgorithm?: string;
  alsoOpensWith?: Array<string | null>;
  wrongPasswords?: string[];
  detected?: string;
  canBuildPfx?: boolean;
  notBefore?: string;
  notAfter?: string;
  nowDaysBeforeNotAfter?: number;
  slow?: boolean;
  macAlgorithm?: string;
  serial?: string;
  thumbprintSha256?: string;
  openssl?: { lines: string[]; mac: { algorithm: string; iterations: number } | null };
}

const DIR = join(__dirname, '__vectors__');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { vectors: Vector[] };
const load = (f: string) => new Uint8Array(readFileSync(join(DIR, f)));
const codes = (r: InspectResult, sev?: string) =>
  r.findings.filter((f) => !sev || f.severity === sev).map((f) => f.code);
const label = (p: string | null) => (p === null ? 'no password' : p === '' ? 'empty password' : 'password');

function nowFor(v: Vector): Date | undefined {
  if (!v.nowDaysBeforeNotAfter || !v.notAfter) return undefined;
  return new Date(new Date(v.notAfter).getTime() - v.nowDaysBeforeNotAfter * 86_400_000);
}

/** OpenSSL `-info` line → the algorithm string inspectPfx reports. */
function opensslAlgorithm(
  line: string,
): { part: 'certificates' | 'key'; algorithm: string; iterations: number } | null {
  const m = /^(PKCS7 Encrypted data|Shrouded Keybag): (.*), Iteration (\d+)(?:, PRF hmacWith(\w+))?$/.exec(line);
  if (!m) return null;
  const part = m[1] === 'Shrouded Keybag' ? 'key' : 'certificates';
  let algorithm = m[2]!;
  if (algorithm.startsWith('PBES2, PBKDF2, '))
    algorithm = `PBES2/PBKDF2-HMAC-${m[4] ?? 'SHA1'}/${algorithm.slice('PBES2, PBKDF2, '.length)}`;
  else algorithm = algorithm.replace('pbeWithSHA1And', 'pbeWithSHAAnd');
  return { part, algorithm, iterations: Number(m[3]) };
}

describe('inspectPfx against the OpenSSL-made vectors', () => {
  for (const v of expected.vectors) {
    it(`${v.category}: ${v.file} (${label(v.password)})`, { timeout: 60_000 }, async () => {
      const r = await inspectPfx(load(v.file), v.password, { now: nowFor(v) });
      expect(codes(r, 'error').sort()).toEqual([...v.errors].sort());
      expect(r.importable).toBe(v.errors.length === 0);
      for (const w of v.warnings ?? []) expect(codes(r, 'warning')).toContain(w);
      for (const i of v.infos ?? []) expect(codes(r, 'info')).toContain(i);
      for (const a of v.absent ?? []) expect(codes(r)).not.toContain(a);
      // Findings that must never appear unless the vector is made for them.
      for (const strict of [
        'chain-signature-invalid',
        'legacy-password-encoding',
        'trailing-data',
        'key-mismatch',
        'corrupt',
      ])
        if (![...(v.warnings ?? []), ...v.errors].includes(strict)) expect(codes(r)).not.toContain(strict);
      for (const f of r.findings) {
        expect(f.message.length).toBeGreaterThan(10);
        expect(f.action.length).toBeGreaterThan(3);
      }
      // errors first
      const sev = r.findings.map((f) => f.severity);
      expect(sev).toEqual(
        [...sev].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)),
      );

      expect(r.leaf?.thumbprint ?? null).toBe(v.thumbprint);
      if (r.leaf) {
        expect(r.leaf.thumbprint).toMatch(/^[0-9A-F]{40}$/);
        expect(r.leaf.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
        if (v.notAfter) expect(r.leaf.notAfter).toBe(v.notAfter);
        if (v.serial) expect(r.leaf.serialNumber).toBe(v.serial);
        if (v.thumbprintSha256) expect(r.leaf.thumbprintSha256).toBe(v.thumbprintSha256);
        if (v.notBefore) expect(r.leaf.notBefore).toBe(v.notBefore);
        if (v.signatureAlgorithm) expect(r.leaf.signatureAlgorithm).toBe(v.signatureAlgorithm);
        if (v.friendlyName) expect(r.leaf.friendlyName).toBe(v.friendlyName);
        if (v.keyType) {
          expect(r.leaf.publicKey.type).toBe(v.keyType);
          if (v.keyBits) expect(r.leaf.publicKey.bits).toBe(v.keyBits);
          if (v.curve) expect(r.leaf.publicKey.curve).toBe(v.curve);
        }
      }
      if (
        v.thumbprint &&
        v.keyType &&
        !v.errors.includes('key-mismatch') &&
        !v.errors.includes('no-private-key') &&
        !(v.detected && !v.canBuildPfx)
      ) {
        expect(r.key).not.toBeNull();
        expect(r.key!.type).toBe(v.keyType);
        expect(r.key!.matchesLeaf).toBe(true);
        if (v.curve) expect(r.key!.curve).toBe(v.curve);
        if (v.keyBits) expect(r.key!.bits).toBe(v.keyBits);
      }
      if (v.errors.includes('key-mismatch')) expect(r.key?.matchesLeaf).toBe(false);
      if (v.chainThumbprints) expect(r.chain.map((c) => c.thumbprint)).toEqual(v.chainThumbprints);
      if (v.detected) expect(r.detected?.format).toBe(v.detected);
      if (v.macAlgorithm && !v.openssl) expect(r.pfx?.macAlgorithm).toBe(v.macAlgorithm);
      if (v.canBuildPfx !== undefined) expect(r.detected?.canBuildPfx).toBe(v.canBuildPfx);

      if (v.openssl && !v.errors.includes('wrong-password')) {
        expect(r.pfx).not.toBeNull();
        expect(r.pfx!.macAlgorithm).toBe(v.openssl.mac?.algorithm ?? null);
        expect(r.pfx!.macIterations).toBe(v.openssl.mac?.iterations ?? null);
        const want = v.openssl.lines.map(opensslAlgorithm).filter((x) => x !== null);
        const got = r.pfx!.encryption.map((e) => ({
          ...e,
          algorithm: e.algorithm.replace(/-HMAC-SHA(\d)/, '-HMAC-SHA$1'),
        }));
        expect(got.sort((a, b) => a.part.localeCompare(b.part))).toEqual(
          want
            .sort((a, b) => a!.part.localeCompare(b!.part))
            .map((w) => ({
              ...w!,
              algorithm: w!.algorithm.replace(/-HMAC-(SHA\d+)/i, (_, s: string) => `-HMAC-${s.toUpperCase()}`),
            })),
        );
      }

      for (const p of v.alsoOpensWith ?? []) {
        const r2 = await inspectPfx(load(v.file), p);
        expect(codes(r2, 'error')).toEqual([]);
        expect(r2.leaf?.thumbprint).toBe(v.thumbprint);
      }
      for (const p of v.wrongPasswords ?? []) {
        const r3 = await inspectPfx(load(v.file), p);
        expect(codes(r3, 'error')).toEqual(['wrong-password']);
        expect(r3.leaf).toBeNull();
      }
    });
  }
});

describe('inspectPfx edge cases', () => {
  it('too-large: states the limit', async () => {
    const r = await inspectPfx(new Uint8Array(MAX_PFX_BYTES + 1).fill(0x30), 'x');
    expect(codes(r)).toEqual(['too-large']);
    expect(r.findings[0]!.message).toContain('256 KiB');
    expect(MAX_PFX_BYTES).toBe(262_144);
  });

  it('password-less flag: "no password" versus empty password', async () => {
    const none = await inspectPfx(load('forge-no-password.pfx'), null);
    expect(none.pfx?.passwordless).toBe(true);
    const empty = await inspectPfx(load('empty-password.pfx'), '');
    expect(empty.pfx?.passwordless).toBe(false);
  });

  it('an unprotected file ignores the password it is given and says so', async () => {
    const r = await inspectPfx(load('unencrypted-no-mac.pfx'), 'anything');
    expect(codes(r, 'error')).toEqual([]);
    expect(codes(r, 'info')).toContain('no-password');
    expect(r.pfx?.passwordless).toBe(true);
    const m = await inspectPfx(load('unencrypted-bags.pfx'), null);
    expect(codes(m, 'error')).toEqual(['wrong-password']);
    expect(m.pfx?.macAlgorithm).toBe('sha256');
  });

  it('expired leaf still reports its details', async () => {
    const r = await inspectPfx(load('expired.pfx'), 'Vector-Pa55');
    expect(r.importable).toBe(false);
    expect(r.leaf?.subject).toContain('CN=expired.vectors.example');
    expect(r.leaf?.sans.dns).toContain('expired.vectors.example');
    expect(r.findings[0]!.code).toBe('expired');
    expect(r.findings[0]!.message).toContain(r.leaf!.thumbprint);
  });

  it('not-pkcs12 messages say what was detected and offer to build a PFX from PEM', async () => {
    const pem = await inspectPfx(load('cert-and-key.pem'), null);
    expect(pem.findings[0]!.message).toContain('pem');
    expect(pem.findings[0]!.action).toMatch(/PFX can be built/);
    const der = await inspectPfx(load('cert.der'), null);
    expect(der.findings[0]!.message).toContain('der-certificate');
    const unk = await inspectPfx(load('random.bin'), null);
    expect(unk.findings[0]!.message).toContain('unknown');
    const p7 = await inspectPfx(load('chain.p7b'), null);
    expect(p7.findings[0]!.message).toContain('PKCS#7');
  });

  it('leaf details: names, SANs, EKU, KU, chain order', async () => {
    const r = await inspectPfx(load('openssl3-default.pfx'), 'Vector-Pa55');
    const leaf = r.leaf!;
    expect(leaf.subject).toBe('CN=rsa2048.vectors.example, O=cses-cert-wizard tests, C=US');
    expect(leaf.issuer).toBe('CN=Vector Test Intermediate CA, O=cses-cert-wizard tests, C=US');
    expect(leaf.sans.dns).toEqual(['rsa2048.vectors.example', 'www.rsa2048.vectors.example']);
    expect(leaf.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(leaf.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(leaf.isCA).toBe(false);
    expect(leaf.selfSigned).toBe(false);
    expect(r.chain.map((c) => c.isCA)).toEqual([true, true]);
    expect(r.chain[1]!.selfSigned).toBe(true);
    expect(Buffer.from(leaf.derBase64, 'base64').length).toBeGreaterThan(500);
  });

  it('never throws on damaged input', async () => {
    const src = load('legacy-rc2-3des.pfx');
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 150; i++) {
      const b = src.slice(0, i % 3 === 0 ? Math.floor(rnd() * src.length) : src.length);
      for (let k = 0; k < 3; k++) {
        if (!b.length) break;
        const at = Math.floor(rnd() * b.length);
        b[at] = b[at]! ^ (1 << Math.floor(rnd() * 8));
      }
      const r = await inspectPfx(b, 'Vector-Pa55');
      expect(typeof r.importable).toBe('boolean');
      if (!r.importable) expect(r.findings.some((f) => f.severity === 'error')).toBe(true);
    }
    // @ts-expect-error wrong types from untyped callers
    expect((await inspectPfx(undefined, 1)).importable).toBe(false);
  }, 60_000);
});

describe('hostile text input', () => {
  it('stays fast on many unterminated PEM headers and huge base64-looking text', async () => {
    const t0 = performance.now();
    const text = '-----BEGIN CERTIFICATE-----\nAAAA\n'.repeat(7000);
    const r = await inspectPfx(new TextEncoder().encode(text.slice(0, MAX_PFX_BYTES)), null);
    expect(codes(r)).toEqual(['not-pkcs12']);
    const b64 = await inspectPfx(new TextEncoder().encode('QUFB'.repeat(60_000)), null);
    expect(codes(b64, 'error')).toContain('not-pkcs12');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
