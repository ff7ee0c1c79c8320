/**
 * buildPfxFromPem: turn a PEM certificate (plus optional chain) and its unencrypted private key into a PFX that every
 * Windows version and Key Vault read: certificates and key encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, SHA-1 MAC,
 * 2048 iterations (what `openssl pkcs12 -export -legacy` and Windows "TripleDES-SHA1" produce, minus RC2).
 * Works for RSA and EC keys. Synchronous; throws an Error with a readable message when the input cannot be used.
 */
import {
  parse,
  content,
  child,
  oid,
  uintBytes,
  seq,
  set,
  octets,
  encInt,
  encOid,
  explicit,
  enc,
  encBmp,
  nul,
  hex,
  equalBytes,
} from './der';
import { hmac } from '@noble/hashes/hmac.js';
import { HASHES, digest } from './hashes';
import { pkcs12KdfSync, bmpPassword } from './pkcs12-kdf';
import { encrypt3desSync } from './crypto';
import { readPem, CERT_LABELS, KEY_LABELS, toPkcs8 } from './pem';
import { parseCertificate, commonName, OID, type ParsedCert } from './x509';

const ITERATIONS = 2048;
const O = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbe3des: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
};

export class BuildPfxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildPfxError';
  }
}

function random(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

/** Public material of a PKCS#8 key, synchronously (RSA modulus:exponent; EC embedded point), for pairing. */
function keyFingerprint(pkcs8: Uint8Array): string | null {
  const p = parse(pkcs8);
  const algOid = oid(child(child(p, 1, 'algorithm'), 0, 'algorithm'));
  const key = parse(content(child(p, 2, 'privateKey')));
  if (algOid === OID.rsaEncryption)
    return hex(uintBytes(child(key, 1, 'n'))) + ':' + hex(uintBytes(child(key, 2, 'e')));
  for (const c of key.children)
    if (c.cls === 2 && c.tag === 1 && c.children[0]) return hex(content(c.children[0]).subarray(1));
  return null;
}

function attributes(localKeyId: Uint8Array | null, friendlyName: string | null): Uint8Array[] {
  const attrs: Uint8Array[] = [];
  if (friendlyName) attrs.push(seq(encOid(O.friendlyName), set(encBmp(friendlyName))));
  if (localKeyId) attrs.push(seq(encOid(O.localKeyId), set(octets(localKeyId))));
  return attrs.length ? [set(...attrs)] : [];
}

function pbeEncrypt(pw: Uint8Array, plain: Uint8Array): { alg: Uint8Array; data: Uint8Array } {
  const salt = random(8);
  const key = pkcs12KdfSync('sha1', pw, salt, 1, ITERATIONS, 24);
  const iv = pkcs12KdfSync('sha1', pw, salt, 2, ITERATIONS, 8);
  return {
    alg: seq(encOid(O.pbe3des), seq(octets(salt), encInt(ITERATIONS))),
    data: encrypt3desSync(key, iv, plain),
  };
}

/**
 * Build a PFX from PEM text. `certPem` holds the certificate and optionally its chain (any order); `keyPem` the
 * private key (PKCS#8 `PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`, unencrypted). Both may be the same text.
 * The leaf is the certificate whose public key matches the key; it goes first, with the key's localKeyId.
 */
export function buildPfxFromPem(
  certPem: string,
  keyPem: string,
  password: string,
  options: { friendlyName?: string } = {},
): Uint8Array {
  const blocks = [...readPem(certPem), ...(keyPem === certPem ? [] : readPem(keyPem))];
  const certs: ParsedCert[] = [];
  for (const b of blocks) {
    if (!CERT_LABELS.has(b.label)) continue;
    try {
      const c = parseCertificate(b.der);
      if (!certs.some((x) => equalBytes(x.der, c.der))) certs.push(c);
    } catch {
      throw new BuildPfxError('A certificate in the PEM text could not be read.');
    }
  }
  if (!certs.length) throw new BuildPfxError('No certificate (-----BEGIN CERTIFICATE-----) found.');
  const keyBlock = blocks.find((b) => KEY_LABELS.has(b.label));
  if (!keyBlock) throw new BuildPfxError('No private key (-----BEGIN PRIVATE KEY-----) found.');
  let pkcs8: Uint8Array;
  try {
    pkcs8 = toPkcs8(keyBlock);
    parse(pkcs8);
  } catch (e) {
    throw new BuildPfxError(`The private key cannot be used: ${e instanceof Error ? e.message : 'unreadable'}.`);
  }
  const fp = keyFingerprint(pkcs8);
  const leaf = fp ? certs.find((c) => c.key.fingerprint === fp) : certs.length === 1 ? certs[0] : undefined;
  if (!leaf) throw new BuildPfxError('The private key does not belong to any of the certificates.');
  const ordered = [leaf, ...certs.filter((c) => c !== leaf)];

  const pw = bmpPassword(password);
  const localKeyId = digest('sha1', leaf.der);
  const name = options.friendlyName ?? commonName(parse(leaf.subjectRaw)) ?? null;

  const certBags = ordered.map((c) =>
    seq(
      encOid(O.certBag),
      explicit(0, seq(encOid(O.x509Certificate), explicit(0, octets(c.der)))),
      ...attributes(c === leaf ? localKeyId : null, c === leaf ? name : null),
    ),
  );
  const certEnc = pbeEncrypt(pw, seq(...certBags));
  const certInfo = seq(
    encOid(O.encryptedData),
    explicit(0, seq(encInt(0), seq(encOid(O.data), certEnc.alg, enc(0, certEnc.data, { cls: 2, constructed: false })))),
  );
  const keyEnc = pbeEncrypt(pw, pkcs8);
  const keyBag = seq(
    encOid(O.shroudedKeyBag),
    explicit(0, seq(keyEnc.alg, octets(keyEnc.data))),
    ...attributes(localKeyId, name),
  );
  const keyInfo = seq(encOid(O.data), explicit(0, octets(seq(keyBag))));
  const authSafe = seq(certInfo, keyInfo);

  const macSalt = random(8);
  const macKey = pkcs12KdfSync('sha1', pw, macSalt, 3, ITERATIONS, 20);
  const mac = hmac(HASHES.sha1, macKey, authSafe);
  const macData = seq(seq(seq(encOid(O.sha1), nul()), octets(mac)), octets(macSalt), encInt(ITERATIONS));
  pkcs8.fill(0);
  return seq(encInt(3), seq(encOid(O.data), explicit(0, octets(authSafe))), macData);
}
