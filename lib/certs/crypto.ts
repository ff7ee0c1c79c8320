/**
 * Ciphers, HMAC and PBKDF2: WebCrypto (`globalThis.crypto.subtle`, native and off the JS thread for PBKDF2) where it
 * can; @noble/hashes for HMAC and PBKDF2 where WebCrypto is missing (a page served over plain http, old engines) or
 * refuses (MD5, empty PBKDF2 passwords in some engines); node-forge only for the ciphers WebCrypto lacks (RC2, DES,
 * 3DES, AES-192 in some browsers).
 */
import forge from 'node-forge';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { HASHES, type HashName, webCryptoName } from './hashes';

export class DecryptError extends Error {
  constructor(message = 'decryption failed (bad padding)') {
    super(message);
    this.name = 'DecryptError';
  }
}

function subtle(): SubtleCrypto | null {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c && c.subtle ? c.subtle : null;
}

/** Copy into a fresh ArrayBuffer-backed array (WebCrypto rejects views over SharedArrayBuffer, and TS wants ArrayBuffer). */
function ab(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(b.length));
  out.set(b);
  return out;
}

/** node-forge takes and returns "binary strings" (one char per byte). */
function toBinary(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export async function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const s = subtle();
  const wc = webCryptoName(hash);
  if (s && wc) {
    try {
      const k = await s.importKey('raw', ab(key), { name: 'HMAC', hash: wc }, false, ['sign']);
      return new Uint8Array(await s.sign('HMAC', k, ab(data)));
    } catch {
      /* fall through to JS */
    }
  }
  return nobleHmac(HASHES[hash], key, data);
}

/** PBKDF2 (RFC 8018) with a password given as bytes (OpenSSL uses the UTF-8 bytes). */
export async function pbkdf2(
  hash: HashName,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyLen: number,
): Promise<Uint8Array> {
  const s = subtle();
  const wc = webCryptoName(hash);
  if (s && wc && iterations > 0) {
    try {
      const k = await s.importKey('raw', ab(password), 'PBKDF2', false, ['deriveBits']);
      const bits = await s.deriveBits({ name: 'PBKDF2', salt: ab(salt), iterations, hash: wc }, k, keyLen * 8);
      return new Uint8Array(bits);
    } catch {
      /* e.g. an engine that refuses empty passwords: fall through */
    }
  }
  // asyncTick: hand the event loop back at least every 10 ms.
  return pbkdf2Async(HASHES[hash], password, salt, { c: Math.max(1, iterations), dkLen: keyLen, asyncTick: 10 });
}

export type CipherName = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc' | 'des-cbc' | 'rc2-cbc' | 'rc4';

/** Decrypt and remove PKCS#7 padding; throws DecryptError when the padding is wrong (almost always a wrong password). */
export async function decrypt(
  cipher: CipherName,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  rc2Bits = 128,
): Promise<Uint8Array> {
  if (cipher === 'rc4') return rc4(key, data);
  if (data.length === 0) throw new DecryptError('no encrypted data');
  const block = cipher.startsWith('aes') ? 16 : 8;
  if (data.length % block !== 0) throw new DecryptError('encrypted data is not a whole number of blocks');
  const s = subtle();
  if (s && (cipher === 'aes-128-cbc' || cipher === 'aes-256-cbc')) {
    let k: CryptoKey | null = null;
    try {
      k = await s.importKey('raw', ab(key), 'AES-CBC', false, ['decrypt']);
    } catch {
      k = null;
    }
    if (k) {
      try {
        return new Uint8Array(await s.decrypt({ name: 'AES-CBC', iv: ab(iv) }, k, ab(data)));
      } catch {
        throw new DecryptError();
      }
    }
  }
  if (cipher === 'rc2-cbc') {
    const c = forge.rc2.createDecryptionCipher(toBinary(key), rc2Bits);
    c.start(toBinary(iv));
    c.update(forge.util.createBuffer(toBinary(data)));
    if (!c.finish()) throw new DecryptError();
    return fromBinary(c.output.getBytes());
  }
  const name = cipher.startsWith('aes') ? 'AES-CBC' : cipher === 'des-cbc' ? 'DES-CBC' : '3DES-CBC';
  const d = forge.cipher.createDecipher(name, toBinary(key));
  d.start({ iv: toBinary(iv) });
  d.update(forge.util.createBuffer(toBinary(data)));
  if (!d.finish()) throw new DecryptError();
  return fromBinary(d.output.getBytes());
}

/** 3DES-CBC encryption with PKCS#7 padding (used to build legacy-compatible PFX files), through node-forge. */
export function encrypt3desSync(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = forge.cipher.createCipher('3DES-CBC', toBinary(key));
  c.start({ iv: toBinary(iv) });
  c.update(forge.util.createBuffer(toBinary(data)));
  c.finish();
  return fromBinary(c.output.getBytes());
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const S = new Uint8Array(256);
  for (let i = 0; i < 256; i++) S[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + S[i]! + key[i % key.length]!) & 0xff;
    const t = S[i]!;
    S[i] = S[j]!;
    S[j] = t;
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + S[i]!) & 0xff;
    const t = S[i]!;
    S[i] = S[j]!;
    S[j] = t;
    out[n] = data[n]! ^ S[(S[i]! + S[j]!) & 0xff]!;
  }
  return out;
}
