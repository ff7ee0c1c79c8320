import forge from 'node-forge';
import { X509Certificate, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The sandbox's own PKCS#12 / PEM handling (independent of lib/): parse what a user uploads, and build the
 * password-less PKCS#12 that Key Vault hands back as the certificate's managed secret.
 */

export type ParseFailure =
  | 'notBase64'
  | 'notPkcs12'
  | 'wrongPassword'
  | 'noPrivateKey'
  | 'multipleKeys'
  | 'pemFormat'
  | 'pemNoKey'
  | 'unsupportedKey';

export class ParseError extends Error {
  constructor(
    readonly reason: ParseFailure,
    detail: string,
  ) {
    super(detail);
  }
}

export interface ParsedCertificate {
  /** PKCS#8 DER of the private key */
  keyPkcs8: Buffer;
  key: KeyObject;
  /** every certificate found, DER, in file order */
  certs: Buffer[];
  /** index into certs of the certificate whose public key matches the private key */
  leafIndex: number;
}

const toBinary = (b: Uint8Array) => Buffer.from(b).toString('binary');
const fromBinary = (s: string) => Buffer.from(s, 'binary');

function matchLeaf(key: KeyObject, certs: Buffer[]): number {
  for (let i = 0; i < certs.length; i++) {
    try {
      if (new X509Certificate(certs[i]!).checkPrivateKey(key)) return i;
    } catch {
      // unparsable certificate: not the leaf
    }
  }
  return -1;
}

function keyFromPkcs8(der: Buffer): KeyObject {
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new ParseError('unsupportedKey', `key type ${key.asymmetricKeyType}`);
  }
  return key;
}

/** Strict standard base64 (Key Vault rejects anything else). */
export function decodeBase64Strict(value: string): Buffer | undefined {
  const s = value.replace(/[\r\n]/g, '');
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

export function parsePkcs12(bytes: Buffer, password: string | undefined): ParsedCertificate {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(toBinary(bytes)));
  } catch (e) {
    throw new ParseError('notPkcs12', (e as Error).message);
  }
  const candidates: (string | undefined)[] = password ? [password] : [undefined, ''];
  let p12: forge.pkcs12.Pkcs12Pfx | undefined;
  let lastError = 'unreadable';
  for (const pwd of candidates) {
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, pwd as string);
      break;
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  if (!p12 && password && /[^\p{ASCII}]/u.test(password)) {
    // Non-ASCII password: the MAC and PKCS#12-PBE use the UTF-16BE form (forge does that), but PBES2/PBKDF2
    // (OpenSSL 3 default) uses the UTF-8 bytes, which forge does not derive itself. Verify the MAC with the
    // password as given, then decrypt the bags with its UTF-8 form.
    if (verifyMac(asn1, password)) {
      try {
        const withoutMac = forge.asn1.create(
          asn1.tagClass,
          asn1.type,
          asn1.constructed,
          (asn1.value as forge.asn1.Asn1[]).slice(0, 2),
        );
        p12 = forge.pkcs12.pkcs12FromAsn1(withoutMac, false, forge.util.encodeUtf8(password));
      } catch (e) {
        lastError = (e as Error).message;
      }
    }
  }
  if (!p12) {
    const wrong = /MAC could not be verified|wrong password|Invalid password/i.test(lastError);
    throw new ParseError(wrong ? 'wrongPassword' : 'notPkcs12', lastError);
  }
  const keys: Buffer[] = [];
  const certs: Buffer[] = [];
  for (const sc of p12.safeContents) {
    for (const bag of sc.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        if (bag.cert) {
          certs.push(fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes()));
        } else if (bag.asn1) {
          certs.push(fromBinary(forge.asn1.toDer(bag.asn1).getBytes()));
        }
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        if (bag.key) {
          const pki = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey));
          keys.push(fromBinary(forge.asn1.toDer(pki).getBytes()));
        } else if (bag.asn1) {
          keys.push(fromBinary(forge.asn1.toDer(bag.asn1).getBytes()));
        }
      }
    }
  }
  if (keys.length === 0) throw new ParseError('noPrivateKey', 'no key bag');
  if (keys.length > 1) throw new ParseError('multipleKeys', `${keys.length} key bags`);
  const keyPkcs8 = keys[0]!;
  const key = keyFromPkcs8(keyPkcs8);
  const leafIndex = matchLeaf(key, certs);
  if (leafIndex < 0) throw new ParseError('noPrivateKey', 'no certificate matches the key');
  return { keyPkcs8, key, certs, leafIndex };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

const MAC_DIGESTS: Record<string, () => forge.md.MessageDigest> = {
  '1.3.14.3.2.26': () => forge.md.sha1.create(),
  '2.16.840.1.101.3.4.2.1': () => forge.md.sha256.create(),
  '2.16.840.1.101.3.4.2.2': () => forge.md.sha384.create(),
  '2.16.840.1.101.3.4.2.3': () => forge.md.sha512.create(),
};

/** Verifies a PFX's password-integrity MAC (RFC 7292 §5 / appendix B KDF with id 3). */
function verifyMac(pfx: forge.asn1.Asn1, password: string): boolean {
  try {
    const [, authSafe, macData] = pfx.value as forge.asn1.Asn1[];
    if (!authSafe || !macData) return false;
    const explicit = (authSafe.value as forge.asn1.Asn1[])[1]!;
    const octet = (explicit.value as forge.asn1.Asn1[])[0]!;
    const data = octet.constructed
      ? (octet.value as forge.asn1.Asn1[]).map((p) => p.value as string).join('')
      : (octet.value as string);
    const [mac, salt, iter] = macData.value as forge.asn1.Asn1[];
    const [digestInfoAlg, digest] = mac!.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid((digestInfoAlg!.value as forge.asn1.Asn1[])[0]!.value as string);
    const mdFactory = MAC_DIGESTS[oid];
    if (!mdFactory) return false;
    const iterations = iter
      ? forge.util.createBuffer(iter.value as string).getInt((iter.value as string).length * 8)
      : 1;
    const md = mdFactory();
    const key = forge.pkcs12.generateKey(
      password,
      forge.util.createBuffer(salt!.value as string),
      3,
      iterations,
      md.digestLength,
      md,
    );
    const hmac = forge.hmac.create();
    hmac.start(mdFactory(), key);
    hmac.update(data);
    return hmac.getMac().getBytes() === (digest!.value as string);
  } catch {
    return false;
  }
}

export function parsePem(text: string): ParsedCertificate {
  // Key Vault refuses Windows (CRLF) line endings in PEM imports (Azure/azure-rest-api-specs#11361, still open).
  if (text.includes('\r')) throw new ParseError('pemFormat', 'CRLF line endings');
  const blocks: { type: string; der: Buffer }[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const body = m[2]!.replace(/[\r\n\s]/g, '');
    const der = decodeBase64Strict(body);
    if (!der) throw new ParseError('pemFormat', 'bad base64 in PEM block');
    blocks.push({ type: m[1]!, der });
  }
  if (blocks.length === 0) throw new ParseError('pemFormat', 'no PEM blocks');
  if (blocks.some((b) => b.type !== 'CERTIFICATE' && b.type !== 'PRIVATE KEY')) {
    // PKCS#1 (RSA PRIVATE KEY), EC PRIVATE KEY, ENCRYPTED PRIVATE KEY are all refused by Key Vault.
    throw new ParseError('pemFormat', 'unsupported PEM block');
  }
  const keys = blocks.filter((b) => b.type === 'PRIVATE KEY');
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE').map((b) => b.der);
  if (keys.length === 0) throw new ParseError('pemNoKey', 'no private key');
  if (keys.length > 1) throw new ParseError('multipleKeys', 'more than one key');
  let key: KeyObject;
  try {
    key = keyFromPkcs8(keys[0]!.der);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw new ParseError('pemFormat', 'bad key');
  }
  for (const c of certs) {
    try {
      new X509Certificate(c);
    } catch {
      throw new ParseError('pemFormat', 'bad certificate');
    }
  }
  const leafIndex = matchLeaf(key, certs);
  if (leafIndex < 0) throw new ParseError('noPrivateKey', 'no certificate matches the key');
  return { keyPkcs8: keys[0]!.der, key, certs, leafIndex };
}

// ---------------------------------------------------------------------------------------------------------
// Building a password-less PKCS#12 (unencrypted bags, SHA-1 HMAC keyed from the empty password).

const { asn1 } = forge;
const A = asn1.Class.UNIVERSAL;
const T = asn1.Type;

function seq(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(A, T.SEQUENCE, true, items);
}
function oid(o: string): forge.asn1.Asn1 {
  return asn1.create(A, T.OID, false, asn1.oidToDer(o).getBytes());
}
function octets(bin: string): forge.asn1.Asn1 {
  return asn1.create(A, T.OCTETSTRING, false, bin);
}
function explicit0(inner: forge.asn1.Asn1): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
}
function int(n: number): forge.asn1.Asn1 {
  return asn1.create(A, T.INTEGER, false, asn1.integerToDer(n).getBytes());
}
function derBin(a: forge.asn1.Asn1): string {
  return asn1.toDer(a).getBytes();
}
function fromDerBin(der: Buffer): forge.asn1.Asn1 {
  return asn1.fromDer(forge.util.createBuffer(toBinary(der)));
}
function attrs(localKeyId: string): forge.asn1.Asn1 {
  return asn1.create(A, T.SET, true, [
    seq([oid(forge.pki.oids.localKeyId!), asn1.create(A, T.SET, true, [octets(localKeyId)])]),
  ]);
}
function dataContentInfo(bags: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return seq([oid(forge.pki.oids.data!), explicit0(octets(derBin(seq(bags))))]);
}

/** Builds a PKCS#12 with no password: the format of a certificate's managed secret (application/x-pkcs12). */
export function buildPasswordlessPkcs12(keyPkcs8: Buffer | null, chain: Buffer[], leafIndex = 0): Buffer {
  const localKeyId = randomBytes(20).toString('binary');
  const certBags = chain.map((der, i) =>
    seq([
      oid(forge.pki.oids.certBag!),
      explicit0(seq([oid(forge.pki.oids.x509Certificate!), explicit0(octets(toBinary(der)))])),
      ...(keyPkcs8 && i === leafIndex ? [attrs(localKeyId)] : []),
    ]),
  );
  const contents = [dataContentInfo(certBags)];
  if (keyPkcs8)
    contents.push(
      dataContentInfo([seq([oid(forge.pki.oids.keyBag!), explicit0(fromDerBin(keyPkcs8)), attrs(localKeyId)])]),
    );
  const authSafe = seq(contents);
  const authSafeDer = derBin(authSafe);
  const salt = randomBytes(8).toString('binary');
  const iterations = 2048;
  const md = forge.md.sha1.create();
  const macKey = forge.pkcs12.generateKey('', forge.util.createBuffer(salt), 3, iterations, 20, md);
  const hmac = forge.hmac.create();
  hmac.start(md, macKey);
  hmac.update(authSafeDer);
  const mac = hmac.getMac().getBytes();
  const macData = seq([
    seq([seq([oid(forge.pki.oids.sha1!), asn1.create(A, T.NULL, false, '')]), octets(mac)]),
    octets(salt),
    int(iterations),
  ]);
  const pfx = seq([int(3), seq([oid(forge.pki.oids.data!), explicit0(octets(authSafeDer))]), macData]);
  return fromBinary(derBin(pfx));
}

/** PEM form of a managed secret: PKCS#8 key first, then the certificates, `\n` line endings. */
export function buildPem(keyPkcs8: Buffer | null, chain: Buffer[]): string {
  const wrap = (type: string, der: Buffer) =>
    `-----BEGIN ${type}-----\n${der
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .replace(/\n$/, '')}\n-----END ${type}-----\n`;
  return (keyPkcs8 ? wrap('PRIVATE KEY', keyPkcs8) : '') + chain.map((c) => wrap('CERTIFICATE', c)).join('');
}
