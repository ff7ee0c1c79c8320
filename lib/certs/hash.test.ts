/** The hand-written hashes and KDFs against Node's OpenSSL-backed crypto and RFC test vectors. */
import { describe, expect, it } from 'vitest';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { digest, iteratedDigest, pbkdf2Js, pkcs12Kdf, bmpPassword, pkcs12KdfSync } from './hash';
import { hmacSync } from './crypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('hash', () => {
  it('SHA-1/SHA-256/SHA-384/SHA-512 of many lengths match node:crypto', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 239, 240, 1000]) {
      const d = randomBytes(len);
      for (const h of ['sha1', 'sha256', 'sha384', 'sha512'] as const)
        expect(hex(digest(h, d))).toBe(createHash(h).update(d).digest('hex'));
    }
  });

  it('iterated digest equals repeated hashing', async () => {
    for (const h of ['sha1', 'sha256', 'sha512'] as const) {
      let d: Buffer = randomBytes(77);
      const first = d;
      for (let i = 0; i < 1000; i++) d = createHash(h).update(d).digest();
      expect(hex(await iteratedDigest(h, first, 1000))).toBe(d.toString('hex'));
    }
  });

  it('HMAC matches node:crypto', () => {
    for (const klen of [0, 20, 64, 100])
      for (const h of ['sha1', 'sha256', 'sha512'] as const) {
        const k = randomBytes(klen);
        const m = randomBytes(200);
        expect(hex(hmacSync(h, k, m))).toBe(createHmac(h, k).update(m).digest('hex'));
      }
  });

  it('pure-JS PBKDF2 (WebCrypto fallback) matches node:crypto', async () => {
    for (const h of ['sha1', 'sha256'] as const)
      for (const [pw, len, it] of [
        [Buffer.from('pässwörd', 'utf8'), 32, 2048],
        [Buffer.alloc(0), 24, 1],
        [randomBytes(100), 70, 10],
      ] as const)
        expect(hex(await pbkdf2Js(h, pw, Buffer.from('salt-salt'), it, len))).toBe(
          pbkdf2Sync(pw, 'salt-salt', it, len, h).toString('hex'),
        );
  });

  it('PKCS#12 KDF: RFC 7292 / OpenSSL known answers', async () => {
    // From OpenSSL test/recipes (pkcs12 KDF): password "smeg", salt 0A58CF64530D823F, 1 iteration, SHA-1.
    const salt = Buffer.from('0A58CF64530D823F', 'hex');
    expect(hex(await pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 1, 1, 24)).toUpperCase()).toBe(
      '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
    );
    expect(hex(await pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 2, 1, 8)).toUpperCase()).toBe('79993DFE048D3B76');
    expect(hex(pkcs12KdfSync('sha1', bmpPassword('smeg'), salt, 1, 1, 24)).toUpperCase()).toBe(
      '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
    );
  });
});

describe('WebAssembly SHA-256 iteration', () => {
  it('is active under Node and agrees with the JS path and node:crypto', async () => {
    const { wasmActive, setWasmEnabled } = await import('./hash');
    expect(wasmActive()).toBe(true);
    for (const n of [1, 2, 3, 1000, 45_001]) {
      const d = randomBytes(50);
      let ref: Buffer = d;
      for (let i = 0; i < n; i++) ref = createHash('sha256').update(ref).digest();
      setWasmEnabled(true);
      const w = await iteratedDigest('sha256', d, n);
      setWasmEnabled(false);
      const j = await iteratedDigest('sha256', d, n);
      setWasmEnabled(true);
      expect(hex(w)).toBe(ref.toString('hex'));
      expect(hex(j)).toBe(ref.toString('hex'));
    }
  });
});
