/**
 * PKCS#12 (RFC 7292) reader: structure, MAC, and decryption of PKCS#12 PBE (RC2, RC4, 3DES, 2-key 3DES) and PBES2
 * (PBKDF2 with any HMAC-SHA PRF; AES-CBC, 3DES, DES). PBES2 keys are derived from the UTF-8 bytes of the password
 * (as OpenSSL and .NET do); the PKCS#12 KDF from its BMPString form.
 */
import { type Node, T, parse, content, child, oid, int, expect, is, hex, str, DerError, equalBytes } from './der';
import { HASHES, type HashName } from './hashes';
import { pkcs12Kdf, bmpPassword, legacyBmpPassword } from './pkcs12-kdf';
import { type CipherName, DecryptError, decrypt, hmac, pbkdf2 } from './crypto';

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  crlBag: '1.2.840.113549.1.12.10.1.4',
  secretBag: '1.2.840.113549.1.12.10.1.5',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

export const DIGESTS: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.113549.2.5': 'md5',
};
const DIGEST_OTHER: Record<string, string> = {
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.5': 'sha512-224',
  '2.16.840.1.101.3.4.2.6': 'sha512-256',
  '1.2.840.113549.2.2': 'md2',
};

const PRFS: Record<string, HashName> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const PRF_OTHER: Record<string, string> = {
  '1.2.840.113549.2.8': 'SHA224',
  '1.2.840.113549.2.12': 'SHA512-224',
  '1.2.840.113549.2.13': 'SHA512-256',
};

const PBES2_CIPHERS: Record<string, { cipher: CipherName; keyLen: number; name: string }> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLen: 16, name: 'AES-128-CBC' },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLen: 24, name: 'AES-192-CBC' },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLen: 32, name: 'AES-256-CBC' },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLen: 24, name: 'DES-EDE3-CBC' },
  '1.3.14.3.2.7': { cipher: 'des-cbc', keyLen: 8, name: 'DES-CBC' },
};
const PBES2_CIPHER_OTHER: Record<string, string> = {
  '1.2.840.113549.3.2': 'RC2-CBC',
  '2.16.840.1.101.3.4.1.6': 'AES-128-GCM',
  '2.16.840.1.101.3.4.1.26': 'AES-192-GCM',
  '2.16.840.1.101.3.4.1.46': 'AES-256-GCM',
  '1.2.392.200011.61.1.1.1.2': 'CAMELLIA-128-CBC',
  '1.2.392.200011.61.1.1.1.3': 'CAMELLIA-192-CBC',
  '1.2.392.200011.61.1.1.1.4': 'CAMELLIA-256-CBC',
  '1.2.410.200046.1.1.2': 'ARIA-128-CBC',
  '1.2.410.200046.1.1.12': 'ARIA-256-CBC',
  '1.2.156.10197.1.104.2': 'SM4-CBC',
};

const PKCS12_PBE: Record<
  string,
  { name: string; cipher: CipherName; keyLen: number; ivLen: number; rc2Bits?: number }
> = {
  '1.2.840.113549.1.12.1.1': { name: 'pbeWithSHAAnd128BitRC4', cipher: 'rc4', keyLen: 16, ivLen: 0 },
  '1.2.840.113549.1.12.1.2': { name: 'pbeWithSHAAnd40BitRC4', cipher: 'rc4', keyLen: 5, ivLen: 0 },
  '1.2.840.113549.1.12.1.3': { name: 'pbeWithSHAAnd3-KeyTripleDES-CBC', cipher: 'des-ede3-cbc', keyLen: 24, ivLen: 8 },
  '1.2.840.113549.1.12.1.4': { name: 'pbeWithSHAAnd2-KeyTripleDES-CBC', cipher: 'des-ede3-cbc', keyLen: 16, ivLen: 8 },
  '1.2.840.113549.1.12.1.5': {
    name: 'pbeWithSHAAnd128BitRC2-CBC',
    cipher: 'rc2-cbc',
    keyLen: 16,
    ivLen: 8,
    rc2Bits: 128,
  },
  '1.2.840.113549.1.12.1.6': { name: 'pbeWithSHAAnd40BitRC2-CBC', cipher: 'rc2-cbc', keyLen: 5, ivLen: 8, rc2Bits: 40 },
};
const PBES1_OTHER: Record<string, string> = {
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
};

/** An encryption algorithm as found in the file. `supported:false` carries a readable name for the finding. */
export type EncAlg =
  | {
      kind: 'pkcs12';
      name: string;
      cipher: CipherName;
      keyLen: number;
      ivLen: number;
      rc2Bits: number;
      salt: Uint8Array;
      iterations: number;
    }
  | {
      kind: 'pbes2';
      name: string;
      prf: HashName;
      salt: Uint8Array;
      iterations: number;
      keyLen: number;
      cipher: CipherName;
      iv: Uint8Array;
    }
  | { kind: 'unsupported'; name: string; iterations: number | null };

export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

export function parseEncAlg(alg: Node): EncAlg {
  const o = oid(child(alg, 0, 'algorithm'));
  const params = alg.children[1];
  const p12 = PKCS12_PBE[o];
  if (p12) {
    const p = expect(params, T.SEQUENCE, 'PBE parameters');
    const salt = content(expect(p.children[0], T.OCTET_STRING, 'salt'));
    const iterations = p.children[1] ? int(p.children[1]) : 1;
    return {
      kind: 'pkcs12',
      name: p12.name,
      cipher: p12.cipher,
      keyLen: p12.keyLen,
      ivLen: p12.ivLen,
      rc2Bits: p12.rc2Bits ?? 0,
      salt,
      iterations,
    };
  }
  if (o === OIDS.pbes2) {
    const p = expect(params, T.SEQUENCE, 'PBES2 parameters');
    const kdf = expect(p.children[0], T.SEQUENCE, 'keyDerivationFunc');
    const scheme = expect(p.children[1], T.SEQUENCE, 'encryptionScheme');
    const kdfOid = oid(child(kdf, 0, 'kdf algorithm'));
    const schemeOid = oid(child(scheme, 0, 'encryption scheme'));
    const c = PBES2_CIPHERS[schemeOid];
    if (kdfOid !== OIDS.pbkdf2) {
      const kdfName = kdfOid === '1.3.6.1.4.1.11591.4.11' ? 'scrypt' : kdfOid;
      return {
        kind: 'unsupported',
        name: `PBES2/${kdfName}/${c?.name ?? PBES2_CIPHER_OTHER[schemeOid] ?? schemeOid}`,
        iterations: null,
      };
    }
    const kp = expect(kdf.children[1], T.SEQUENCE, 'PBKDF2 parameters');
    const saltNode = child(kp, 0, 'salt');
    const iterations = int(child(kp, 1, 'iterationCount'));
    let keyLen: number | null = null;
    let prf: HashName = 'sha1';
    let prfName = 'SHA1';
    for (let i = 2; i < kp.children.length; i++) {
      const n = kp.children[i]!;
      if (is(n, T.INTEGER)) keyLen = int(n);
      else if (is(n, T.SEQUENCE)) {
        const po = oid(child(n, 0, 'prf'));
        const h = PRFS[po];
        if (h) {
          prf = h;
          prfName = h.toUpperCase().replace('SHA', 'SHA');
        } else {
          return {
            kind: 'unsupported',
            name: `PBES2/PBKDF2-HMAC-${PRF_OTHER[po] ?? po}/${c?.name ?? PBES2_CIPHER_OTHER[schemeOid] ?? schemeOid}`,
            iterations,
          };
        }
      }
    }
    const name = `PBES2/PBKDF2-HMAC-${prfName}/${c?.name ?? PBES2_CIPHER_OTHER[schemeOid] ?? schemeOid}`;
    if (!c || !is(saltNode, T.OCTET_STRING)) return { kind: 'unsupported', name, iterations };
    const ivNode = scheme.children[1];
    if (!ivNode || !is(ivNode, T.OCTET_STRING)) return { kind: 'unsupported', name, iterations };
    return {
      kind: 'pbes2',
      name,
      prf,
      salt: content(saltNode),
      iterations,
      keyLen: keyLen ?? c.keyLen,
      cipher: c.cipher,
      iv: content(ivNode),
    };
  }
  return { kind: 'unsupported', name: PBES1_OTHER[o] ?? o, iterations: null };
}

/** The password in every form a producer may have used. */
export interface PasswordForm {
  /** PKCS#12 KDF input (BMPString + NUL, or empty for "no password"). */
  bmp: Uint8Array;
  /** PBKDF2 input (UTF-8). */
  utf8: Uint8Array;
  /** The form was "no password" (absent), not the empty string. */
  passwordless: boolean;
  /** OpenSSL 1.x byte-wise conversion of a non-ASCII password. */
  legacy: boolean;
}

export function passwordForms(password: string | null): PasswordForm[] {
  const utf8 = new TextEncoder().encode(password ?? '');
  if (password === null || password === '') {
    const none: PasswordForm = { bmp: bmpPassword(null), utf8, passwordless: true, legacy: false };
    const empty: PasswordForm = { bmp: bmpPassword(''), utf8, passwordless: false, legacy: false };
    return password === null ? [none, empty] : [empty, none];
  }
  const forms: PasswordForm[] = [{ bmp: bmpPassword(password), utf8, passwordless: false, legacy: false }];
  if (/[^\p{ASCII}]/u.test(password))
    forms.push({ bmp: legacyBmpPassword(password), utf8, passwordless: false, legacy: true });
  return forms;
}

/** Decrypt with one password form. Throws DecryptError (wrong password / corrupt) or UnsupportedError. */
export async function decryptWith(alg: EncAlg, data: Uint8Array, pw: PasswordForm): Promise<Uint8Array> {
  if (alg.kind === 'unsupported') throw new UnsupportedError(alg.name);
  if (alg.kind === 'pkcs12') {
    const [key, iv] = await Promise.all([
      pkcs12Kdf('sha1', pw.bmp, alg.salt, 1, alg.iterations, alg.keyLen),
      alg.ivLen
        ? pkcs12Kdf('sha1', pw.bmp, alg.salt, 2, alg.iterations, alg.ivLen)
        : Promise.resolve(new Uint8Array(0)),
    ]);
    let k = key;
    if (alg.keyLen === 16 && alg.cipher === 'des-ede3-cbc') {
      k = new Uint8Array(24);
      k.set(key);
      k.set(key.subarray(0, 8), 16);
    }
    return decrypt(alg.cipher, k, iv, data, alg.rc2Bits);
  }
  const key = await pbkdf2(alg.prf, pw.utf8, alg.salt, alg.iterations, alg.keyLen);
  return decrypt(alg.cipher, key, alg.iv, data);
}

export interface MacInfo {
  /** Digest of the classic PKCS#12 MAC; for PBMAC1 the HMAC digest. null when unsupported. */
  hash: HashName | null;
  /** RFC 9579 PBMAC1: PBKDF2 over the UTF-8 password gives the HMAC key. */
  pbmac1?: { prf: HashName; salt: Uint8Array; iterations: number; keyLen: number };
  name: string;
  digest: Uint8Array;
  salt: Uint8Array;
  iterations: number;
}

export interface ContentPart {
  type: 'data' | 'encrypted' | 'enveloped' | 'other';
  oid: string;
  /** For data: the SafeContents bytes; for encrypted: the ciphertext. */
  bytes: Uint8Array;
  alg?: EncAlg;
}

export interface PfxStructure {
  version: number;
  authSafe: Uint8Array;
  mac: MacInfo | null;
  parts: ContentPart[];
  /** Bytes after the PFX structure (some tools append garbage). */
  trailing: number;
}

/** Parse the outer PFX. Throws DerError (truncated/malformed) or UnsupportedError. */
export function parsePfx(bytes: Uint8Array): PfxStructure {
  const pfx = parse(bytes);
  expect(pfx, T.SEQUENCE, 'PFX');
  const version = int(expect(pfx.children[0], T.INTEGER, 'PFX version'));
  const ci = expect(pfx.children[1], T.SEQUENCE, 'authSafe');
  const ciType = oid(child(ci, 0, 'contentType'));
  if (ciType === OIDS.signedData)
    throw new UnsupportedError(
      'PKCS#12 in public-key integrity mode (signedData); only password integrity is supported',
    );
  if (ciType !== OIDS.data) throw new DerError('authSafe is not a data content', 'malformed');
  const wrapped = child(ci, 1, 'authSafe content');
  if (wrapped.cls !== 2 || wrapped.tag !== 0) throw new DerError('authSafe content is not [0]', 'malformed');
  const authSafe = content(expect(wrapped.children[0], T.OCTET_STRING, 'authSafe OCTET STRING'));
  let mac: MacInfo | null = null;
  const macData = pfx.children[2];
  if (macData) {
    expect(macData, T.SEQUENCE, 'macData');
    const di = expect(macData.children[0], T.SEQUENCE, 'DigestInfo');
    const alg = expect(di.children[0], T.SEQUENCE, 'digestAlgorithm');
    const algOid = oid(child(alg, 0, 'digest algorithm'));
    const digestBytes = content(expect(di.children[1], T.OCTET_STRING, 'digest'));
    const salt = content(expect(macData.children[1], T.OCTET_STRING, 'macSalt'));
    const iterations = macData.children[2] ? int(macData.children[2]) : 1;
    const hash = DIGESTS[algOid] ?? null;
    const name = hash ?? DIGEST_OTHER[algOid] ?? algOid;
    mac =
      algOid === OIDS.pbmac1
        ? parsePbmac1(alg, digestBytes, salt, iterations)
        : { hash, name, digest: digestBytes, salt, iterations };
  }
  const as = parse(authSafe);
  expect(as, T.SEQUENCE, 'AuthenticatedSafe');
  const parts: ContentPart[] = [];
  for (const c of as.children) {
    const t = oid(child(c, 0, 'contentType'));
    const body = c.children[1];
    if (t === OIDS.data) {
      const os = body && body.cls === 2 && body.tag === 0 ? body.children[0] : undefined;
      parts.push({ type: 'data', oid: t, bytes: os ? content(expect(os, T.OCTET_STRING, 'data')) : new Uint8Array(0) });
    } else if (t === OIDS.encryptedData) {
      const ed = expect(body?.children[0], T.SEQUENCE, 'EncryptedData');
      const eci = expect(ed.children[1], T.SEQUENCE, 'EncryptedContentInfo');
      const alg = parseEncAlg(expect(eci.children[1], T.SEQUENCE, 'contentEncryptionAlgorithm'));
      const enc = eci.children[2];
      const bytes = enc && enc.cls === 2 && enc.tag === 0 ? content(enc) : new Uint8Array(0);
      parts.push({ type: 'encrypted', oid: t, bytes, alg });
    } else if (t === OIDS.envelopedData) parts.push({ type: 'enveloped', oid: t, bytes: new Uint8Array(0) });
    else parts.push({ type: 'other', oid: t, bytes: new Uint8Array(0) });
  }
  return { version, authSafe, mac, parts, trailing: bytes.length - pfx.end };
}

const HMACS: Record<string, HashName> = { ...PRFS };

/** RFC 9579 PBMAC1 parameters: { keyDerivationFunc (PBKDF2), messageAuthScheme (HMAC) }. */
function parsePbmac1(alg: Node, digestBytes: Uint8Array, salt: Uint8Array, iterations: number): MacInfo {
  const unsupported = (what: string): MacInfo => ({
    hash: null,
    name: `PBMAC1/${what}`,
    digest: digestBytes,
    salt,
    iterations,
  });
  const p = alg.children[1];
  if (!p || !is(p, T.SEQUENCE)) return unsupported('no parameters');
  const kdf = expect(p.children[0], T.SEQUENCE, 'PBMAC1 keyDerivationFunc');
  const scheme = expect(p.children[1], T.SEQUENCE, 'PBMAC1 messageAuthScheme');
  const kdfOid = oid(child(kdf, 0, 'kdf'));
  const schemeOid = oid(child(scheme, 0, 'messageAuthScheme'));
  const h = HMACS[schemeOid];
  if (kdfOid !== OIDS.pbkdf2) return unsupported(kdfOid);
  if (!h) return unsupported(PRF_OTHER[schemeOid] ?? schemeOid);
  const kp = expect(kdf.children[1], T.SEQUENCE, 'PBKDF2 parameters');
  const kdfSalt = content(expect(kp.children[0], T.OCTET_STRING, 'salt'));
  const kdfIter = int(child(kp, 1, 'iterationCount'));
  let keyLen: number | null = null;
  let prf: HashName = 'sha1';
  for (let i = 2; i < kp.children.length; i++) {
    const n = kp.children[i]!;
    if (is(n, T.INTEGER)) keyLen = int(n);
    else if (is(n, T.SEQUENCE)) {
      const po = oid(child(n, 0, 'prf'));
      const ph = PRFS[po];
      if (!ph) return unsupported(`PBKDF2-HMAC-${PRF_OTHER[po] ?? po}`);
      prf = ph;
    }
  }
  if (keyLen === null) return unsupported('PBKDF2 without keyLength');
  return {
    hash: h,
    name: `PBMAC1/PBKDF2-HMAC-${prf.toUpperCase()}/HMAC-${h.toUpperCase()}`,
    digest: digestBytes,
    salt,
    iterations: kdfIter,
    pbmac1: { prf, salt: kdfSalt, iterations: kdfIter, keyLen },
  };
}

/** Verify the MAC with one password form. */
export async function verifyMac(mac: MacInfo, authSafe: Uint8Array, pw: PasswordForm): Promise<boolean> {
  if (!mac.hash) throw new UnsupportedError(`MAC algorithm ${mac.name}`);
  if (mac.pbmac1) {
    const k = await pbkdf2(mac.pbmac1.prf, pw.utf8, mac.pbmac1.salt, mac.pbmac1.iterations, mac.pbmac1.keyLen);
    return equalBytes(await hmac(mac.hash, k, authSafe), mac.digest);
  }
  const key = await pkcs12Kdf(mac.hash, pw.bmp, mac.salt, 3, mac.iterations, HASHES[mac.hash].outputLen);
  const m = await hmac(mac.hash, key, authSafe);
  return equalBytes(m, mac.digest);
}

export interface Bag {
  type: 'cert' | 'key' | 'shroudedKey' | 'crl' | 'secret' | 'other';
  localKeyId: string | null;
  friendlyName: string | null;
  /** cert: DER; key: PKCS#8; shroudedKey: ciphertext. */
  bytes: Uint8Array;
  alg?: EncAlg;
  /** For cert bags holding something other than X.509. */
  certType?: string;
}

/** Parse SafeContents into bags (nested safeContentsBag flattened). */
export function parseSafeContents(bytes: Uint8Array, out: Bag[] = [], depth = 0): Bag[] {
  const sc = parse(bytes);
  expect(sc, T.SEQUENCE, 'SafeContents');
  if (sc.end !== bytes.length) throw new DerError('trailing bytes in SafeContents', 'malformed');
  for (const bag of sc.children) {
    const bagId = oid(child(bag, 0, 'bagId'));
    const valueWrap = child(bag, 1, 'bagValue');
    const value = child(valueWrap, 0, 'bagValue');
    let localKeyId: string | null = null;
    let friendlyName: string | null = null;
    const attrs = bag.children[2];
    if (attrs && is(attrs, T.SET)) {
      for (const a of attrs.children) {
        const ao = oid(child(a, 0, 'attribute type'));
        const v = a.children[1]?.children[0];
        if (!v) continue;
        if (ao === OIDS.localKeyId) localKeyId = hex(content(v));
        else if (ao === OIDS.friendlyName) friendlyName = str(v);
      }
    }
    const base = { localKeyId, friendlyName };
    switch (bagId) {
      case OIDS.keyBag:
        out.push({ ...base, type: 'key', bytes: bytesOf(value) });
        break;
      case OIDS.shroudedKeyBag: {
        const alg = parseEncAlg(expect(value.children[0], T.SEQUENCE, 'encryptionAlgorithm'));
        out.push({
          ...base,
          type: 'shroudedKey',
          bytes: content(expect(value.children[1], T.OCTET_STRING, 'encryptedData')),
          alg,
        });
        break;
      }
      case OIDS.certBag: {
        const certId = oid(child(value, 0, 'certId'));
        const cv = child(child(value, 1, 'certValue'), 0, 'certValue');
        out.push({
          ...base,
          type: 'cert',
          bytes: content(cv),
          certType: certId === OIDS.x509Certificate ? 'x509' : certId,
        });
        break;
      }
      case OIDS.crlBag:
        out.push({ ...base, type: 'crl', bytes: new Uint8Array(0) });
        break;
      case OIDS.secretBag:
        out.push({ ...base, type: 'secret', bytes: new Uint8Array(0) });
        break;
      case OIDS.safeContentsBag:
        if (depth > 4) throw new DerError('safeContentsBag nested too deeply', 'malformed');
        parseSafeContents(bytesOf(value), out, depth + 1);
        break;
      default:
        out.push({ ...base, type: 'other', bytes: new Uint8Array(0) });
    }
  }
  return out;
}

function bytesOf(n: Node): Uint8Array {
  return n.buf.subarray(n.start, n.end);
}

export { DecryptError };
