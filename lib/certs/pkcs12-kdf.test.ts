/**
 * The hashing lib/certs relies on, against independent oracles: digests, HMAC and PBKDF2 against node:crypto (with
 * and without WebCrypto), the PKCS#12 KDF against OpenSSL (`openssl kdf … PKCS12KDF`) and RFC 7292's known answers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { digest, type HashName } from './hashes';
import { bmpPassword, legacyBmpPassword, pkcs12Kdf, pkcs12KdfSync, type KdfId } from './pkcs12-kdf';
import { hmac, pbkdf2 } from './crypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ALL: HashName[] = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];
const noWebCrypto = () => vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b });

describe('digests (@noble/hashes) match node:crypto', () => {
  it('at every length around the block and padding boundaries', () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 239, 240, 1000]) {
      const d = randomBytes(len);
      for (const h of ALL) expect(hex(digest(h, d))).toBe(createHash(h).update(d).digest('hex'));
    }
  });
});

describe('HMAC and PBKDF2 (WebCrypto, and @noble/hashes without it)', () => {
  afterEach(() => vi.unstubAllGlobals());
  for (const webCrypto of [true, false]) {
    it(`HMAC matches node:crypto (${webCrypto ? 'WebCrypto' : 'no WebCrypto'})`, async () => {
      if (!webCrypto) noWebCrypto();
      for (const klen of [0, 20, 64, 100, 200])
        for (const h of ALL) {
          const k = randomBytes(klen);
          const m = randomBytes(200);
          expect(hex(await hmac(h, k, m))).toBe(createHmac(h, k).update(m).digest('hex'));
        }
    });

    it(`PBKDF2 matches node:crypto (${webCrypto ? 'WebCrypto' : 'no WebCrypto'})`, async () => {
      if (!webCrypto) noWebCrypto();
      for (const h of ['sha1', 'sha256', 'sha384', 'sha512'] as const)
        for (const [pw, len, it] of [
          [Buffer.from('pässwörd', 'utf8'), 32, 2048],
          [Buffer.alloc(0), 24, 1],
          [randomBytes(200), 70, 10],
        ] as const)
          expect(hex(await pbkdf2(h, pw, Buffer.from('salt-salt'), it, len))).toBe(
            pbkdf2Sync(pw, 'salt-salt', it, len, h).toString('hex'),
          );
    });
  }
});

/** The same derivation by OpenSSL 3's PKCS12KDF (the password given as its BMPString bytes). */
function opensslKdf(h: HashName, pw: Uint8Array, salt: Uint8Array, id: KdfId, iter: number, n: number): string {
  const out = execFileSync('openssl', [
    'kdf',
    '-keylen',
    String(n),
    '-kdfopt',
    `digest:${h.toUpperCase()}`,
    '-kdfopt',
    `hexpass:${hex(pw)}`,
    '-kdfopt',
    `hexsalt:${hex(salt)}`,
    '-kdfopt',
    `iter:${iter}`,
    '-kdfopt',
    `id:${id}`,
    'PKCS12KDF',
  ]).toString();
  return out.trim().replace(/:/g, '').toLowerCase();
}

describe('PKCS#12 KDF (RFC 7292 appendix B)', () => {
  it('RFC 7292 / OpenSSL known answers', async () => {
    // From OpenSSL's test recipes: password "smeg", salt 0A58CF64530D823F, 1 iteration, SHA-1.
    const salt = Buffer.from('0A58CF64530D823F', 'hex');
    expect(hex(await pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 1, 1, 24)).toUpperCase()).toBe(
      '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
    );
    expect(hex(await pkcs12Kdf('sha1', bmpPassword('smeg'), salt, 2, 1, 8)).toUpperCase()).toBe('79993DFE048D3B76');
    expect(hex(pkcs12KdfSync('sha1', bmpPassword('smeg'), salt, 1, 1, 24)).toUpperCase()).toBe(
      '8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3',
    );
  });

  it('equals OpenSSL for every digest, purpose, password form and output length (several blocks)', async () => {
    const salt = randomBytes(8);
    const cases: Array<[HashName, Uint8Array, KdfId, number, number]> = [];
    for (const h of ALL)
      for (const [pw, id, iter, n] of [
        [bmpPassword('Vector-Pa55'), 3, 2048, 20],
        [bmpPassword('pässwörd € 密码'), 1, 1000, 100],
        [legacyBmpPassword('pässwörd'), 2, 7, 8],
        [bmpPassword(''), 1, 1, 64],
        [bmpPassword('x'.repeat(70)), 3, 2, 150],
      ] as const)
        cases.push([h, pw, id, iter, n]);
    for (const [h, pw, id, iter, n] of cases) {
      const want = opensslKdf(h, pw, salt, id, iter, n);
      expect(hex(await pkcs12Kdf(h, pw, salt, id, iter, n)), `${h} id ${id} ${iter}×`).toBe(want);
      expect(hex(pkcs12KdfSync(h, pw, salt, id, iter, n))).toBe(want);
    }
  });

  it('long derivations (several yield windows) agree between the async and sync forms and with OpenSSL', async () => {
    const salt = randomBytes(8);
    const pw = bmpPassword('Vector-Pa55');
    const want = opensslKdf('sha256', pw, salt, 3, 45_001, 32);
    expect(hex(await pkcs12Kdf('sha256', pw, salt, 3, 45_001, 32))).toBe(want);
    expect(hex(pkcs12KdfSync('sha256', pw, salt, 3, 45_001, 32))).toBe(want);
  });

  it('"no password" is no bytes at all, the empty password a BMP NUL', () => {
    expect(bmpPassword(null)).toEqual(new Uint8Array(0));
    expect(bmpPassword('')).toEqual(new Uint8Array([0, 0]));
    expect(hex(bmpPassword('aé'))).toBe('006100e90000');
    expect(hex(legacyBmpPassword('é'))).toBe('00c300a90000');
  });

  it('lets the event loop run during a long derivation', async () => {
    const order: string[] = [];
    const kdf = pkcs12Kdf('sha1', bmpPassword('x'), new Uint8Array(8), 3, 100_000, 20).then(() => order.push('kdf'));
    setTimeout(() => order.push('timer'), 0);
    await kdf;
    expect(order).toEqual(['timer', 'kdf']);
  });
});
