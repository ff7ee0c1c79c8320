/**
 * Encrypted private keys, as CAs and OpenSSL hand them out: PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2 with PBKDF2, or a
 * PKCS#12 PBE such as `-v1 PBE-SHA1-3DES`) and the traditional OpenSSL form (`Proc-Type: 4,ENCRYPTED` with
 * `DEK-Info`, key from EVP_BytesToKey over MD5, as `openssl genrsa -aes256` and OpenSSL 1.x `-des3` write it).
 * The result is always an unencrypted PKCS#8 PrivateKeyInfo; the passphrase and the plain key are never logged.
 */
import { DerError, T, content, expect, parse } from './der';
import { HASHES } from './hashes';
import { type CipherName, DecryptError, decrypt } from './crypto';
import { UnsupportedError, decryptWith, parseEncAlg, passwordForms } from './pkcs12';
import { wrapPkcs8, type PemBlock } from './pem';
import { MAX_ITERATIONS } from './limits';

export type KeyDecryption =
  | { ok: true; pkcs8: Uint8Array; algorithm: string }
  | {
      ok: false;
      reason: 'wrong-passphrase' | 'unsupported' | 'excessive-iterations' | 'corrupt';
      /** The encryption as named in the file, e.g. `PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC` or `AES-256-CBC`. */
      algorithm: string;
      iterations?: number;
    };

/** Throws DerError unless `der` is one whole SEQUENCE whose first element is an INTEGER (every key format starts so). */
function checkKeyStructure(der: Uint8Array): void {
  const n = parse(der);
  if (n.tag !== T.SEQUENCE || n.end !== der.length || n.children[0]?.tag !== T.INTEGER)
    throw new DerError('not a private key', 'malformed');
}

/** An `EncryptedPrivateKeyInfo` (PKCS#8), PEM label `ENCRYPTED PRIVATE KEY` or its DER. */
export async function decryptPkcs8(der: Uint8Array, passphrase: string): Promise<KeyDecryption> {
  let alg: ReturnType<typeof parseEncAlg>;
  let data: Uint8Array;
  try {
    const n = parse(der);
    alg = parseEncAlg(expect(n.children[0], T.SEQUENCE, 'encryptionAlgorithm'));
    data = content(expect(n.children[1], T.OCTET_STRING, 'encryptedData'));
  } catch {
    return { ok: false, reason: 'corrupt', algorithm: 'unknown' };
  }
  if (alg.kind === 'unsupported') return { ok: false, reason: 'unsupported', algorithm: alg.name };
  if (alg.iterations > MAX_ITERATIONS)
    return { ok: false, reason: 'excessive-iterations', algorithm: alg.name, iterations: alg.iterations };
  // PBES2 derives from the UTF-8 bytes (one form); PKCS#12 PBE from the BMPString (and OpenSSL 1.x's byte-wise form).
  const forms = passwordForms(passphrase);
  for (const form of alg.kind === 'pbes2' ? forms.slice(0, 1) : forms) {
    try {
      const plain = await decryptWith(alg, data, form);
      checkKeyStructure(plain);
      return { ok: true, pkcs8: plain, algorithm: alg.name };
    } catch (e) {
      if (e instanceof UnsupportedError) return { ok: false, reason: 'unsupported', algorithm: alg.name };
      if (!(e instanceof DecryptError) && !(e instanceof DerError)) throw e;
    }
  }
  return { ok: false, reason: 'wrong-passphrase', algorithm: alg.name };
}

const TRADITIONAL_CIPHERS: Record<string, { cipher: CipherName; keyLen: number }> = {
  'AES-128-CBC': { cipher: 'aes-128-cbc', keyLen: 16 },
  'AES-192-CBC': { cipher: 'aes-192-cbc', keyLen: 24 },
  'AES-256-CBC': { cipher: 'aes-256-cbc', keyLen: 32 },
  'DES-EDE3-CBC': { cipher: 'des-ede3-cbc', keyLen: 24 },
  'DES-CBC': { cipher: 'des-cbc', keyLen: 8 },
};

/** OpenSSL's EVP_BytesToKey with MD5 and one round: D_i = MD5(D_i-1 || passphrase || salt), salt = the IV's first 8 bytes. */
function bytesToKey(passphrase: Uint8Array, salt: Uint8Array, keyLen: number): Uint8Array {
  const out = new Uint8Array(keyLen);
  let prev = new Uint8Array(0);
  for (let filled = 0; filled < keyLen;) {
    const input = new Uint8Array(prev.length + passphrase.length + salt.length);
    input.set(prev);
    input.set(passphrase, prev.length);
    input.set(salt, prev.length + passphrase.length);
    prev = HASHES.md5(input);
    out.set(prev.subarray(0, keyLen - filled), filled);
    filled += prev.length;
  }
  return out;
}

/** A traditional encrypted PEM key (`RSA PRIVATE KEY` or `EC PRIVATE KEY` with `Proc-Type: 4,ENCRYPTED`). */
export async function decryptTraditional(block: PemBlock, passphrase: string): Promise<KeyDecryption> {
  const name = block.dekInfo?.cipher ?? 'unknown';
  const c = TRADITIONAL_CIPHERS[name];
  if (!block.dekInfo || !c) return { ok: false, reason: 'unsupported', algorithm: name };
  const iv = block.dekInfo.iv;
  if (iv.length !== (c.cipher.startsWith('aes') ? 16 : 8)) return { ok: false, reason: 'corrupt', algorithm: name };
  const key = bytesToKey(new TextEncoder().encode(passphrase), iv.subarray(0, 8), c.keyLen);
  try {
    const plain = await decrypt(c.cipher, key, iv, block.der);
    checkKeyStructure(plain);
    return { ok: true, pkcs8: wrapPkcs8(block.label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs1', plain), algorithm: name };
  } catch (e) {
    if (e instanceof DecryptError || e instanceof DerError)
      return { ok: false, reason: 'wrong-passphrase', algorithm: name };
    throw e;
  } finally {
    key.fill(0);
  }
}
