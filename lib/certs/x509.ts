/** X.509 certificate and key parsing straight from the ASN.1, for RSA, EC and anything else (reported as `other`). */
import type { CertInfo, PublicKeyInfo } from './types';
import { type Node, T, parse, raw, content, child, oid, str, time, hex, uintBytes, is, expect, DerError } from './der';
import { digest } from './hashes';

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  dsa: '1.2.840.10040.4.1',
  rsaPss: '1.2.840.113549.1.1.10',
} as const;

export const CURVES: Record<string, { name: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.10': { name: 'P-256K', bits: 256 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
};

const SIG_ALGS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
};

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
  '1.3.6.1.4.1.311.10.3.4': 'encryptingFileSystem',
};

const KU_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const DN_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.17': 'PostalCode',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** Public-key material used to pair a key with its certificate. */
export interface KeyMaterial {
  info: PublicKeyInfo;
  /** RSA: modulus (no leading zeros) + ':' + exponent, hex. EC: uncompressed point, hex. Other: SPKI hex. */
  fingerprint: string;
}

export interface ParsedCert {
  info: CertInfo;
  der: Uint8Array;
  subjectRaw: Uint8Array;
  issuerRaw: Uint8Array;
  key: KeyMaterial;
  ski: string | null;
  aki: string | null;
  hasEku: boolean;
  notBefore: Date;
  notAfter: Date;
  sigAlgOid: string;
  /** For signature checks: the signed TBSCertificate, the signature value, the subject's SPKI (views). */
  tbsRaw: Uint8Array;
  signature: Uint8Array;
  spkiRaw: Uint8Array;
  /** Parameters of the signature algorithm (RSASSA-PSS), raw. */
  sigParams: Uint8Array | null;
}

function b64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return btoa(s);
}

function escapeDnValue(v: string): string {
  let s = v.replace(/([,+"\\<>;])/g, '\\$1');
  if (s.startsWith(' ') || s.startsWith('#')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1) s = s.slice(0, -1) + '\\ ';
  return s;
}

/** RFC 4514-style string, most specific first (as Windows and .NET show it): `CN=www.contoso.com, O=Contoso, C=US`. */
export function formatName(name: Node): string {
  const rdns: string[] = [];
  for (const rdn of name.children) {
    const parts: string[] = [];
    for (const atv of rdn.children) {
      const t = oid(child(atv, 0, 'attribute type'));
      const v = child(atv, 1, 'attribute value');
      const val =
        v.cls === 0 && !v.constructed && v.tag !== T.OCTET_STRING && v.tag !== T.BIT_STRING
          ? str(v)
          : '#' + hex(raw(v));
      parts.push(`${DN_NAMES[t] ?? 'OID.' + t}=${v.cls === 0 ? escapeDnValue(val) : val}`);
    }
    rdns.push(parts.join(' + '));
  }
  return rdns.reverse().join(', ');
}

export function commonName(name: Node): string | null {
  for (const rdn of name.children)
    for (const atv of rdn.children)
      if (oid(child(atv, 0, 'attribute type')) === '2.5.4.3') return str(child(atv, 1, 'CN'));
  return null;
}

/** Parse a SubjectPublicKeyInfo. */
export function parseSpki(spki: Node): KeyMaterial {
  const alg = expect(spki.children[0], T.SEQUENCE, 'AlgorithmIdentifier');
  const algOid = oid(child(alg, 0, 'algorithm'));
  const bits = expect(spki.children[1], T.BIT_STRING, 'subjectPublicKey');
  const keyBytes = content(bits).subarray(1);
  if (algOid === OID.rsaEncryption || algOid === OID.rsaPss) {
    const rsa = parse(keyBytes);
    const n = uintBytes(child(rsa, 0, 'modulus'));
    const e = uintBytes(child(rsa, 1, 'exponent'));
    return { info: { type: 'RSA', bits: bitLength(n) }, fingerprint: hex(n) + ':' + hex(e) };
  }
  if (algOid === OID.ecPublicKey) {
    const p = alg.children[1];
    const curveOid = p && is(p, T.OID) ? oid(p) : null;
    const curve = curveOid ? CURVES[curveOid] : undefined;
    const info: PublicKeyInfo = { type: 'EC' };
    if (curve) {
      info.curve = curve.name;
      info.bits = curve.bits;
    } else if (curveOid) info.curve = curveOid;
    else info.curve = 'explicit parameters';
    return { info, fingerprint: hex(keyBytes) };
  }
  if (algOid === OID.ed25519 || algOid === OID.ed448) return { info: { type: 'other' }, fingerprint: hex(keyBytes) };
  return { info: { type: 'other' }, fingerprint: hex(raw(spki)) };
}

export function bitLength(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

export function algorithmName(oidStr: string): string {
  return SIG_ALGS[oidStr] ?? oidStr;
}

/** Parse an X.509 certificate from its DER. Throws DerError for anything that is not a certificate. */
/** The certificate's structure and extensions, decoded; nothing hashed or encoded (see `parseCertificate`). */
function decodeCertificate(der: Uint8Array) {
  const cert = parse(der);
  if (cert.end !== der.length) throw new DerError('trailing bytes after the certificate', 'malformed');
  expect(cert, T.SEQUENCE, 'Certificate');
  const tbs = expect(cert.children[0], T.SEQUENCE, 'TBSCertificate');
  const sigAlg = expect(cert.children[1], T.SEQUENCE, 'signatureAlgorithm');
  expect(cert.children[2], T.BIT_STRING, 'signature');
  let i = 0;
  if (is(tbs.children[0], 0, 2)) i++; // [0] version
  const serial = expect(tbs.children[i++], T.INTEGER, 'serialNumber');
  i++; // signature
  const issuer = expect(tbs.children[i++], T.SEQUENCE, 'issuer');
  const validity = expect(tbs.children[i++], T.SEQUENCE, 'validity');
  const subject = expect(tbs.children[i++], T.SEQUENCE, 'subject');
  const spki = expect(tbs.children[i++], T.SEQUENCE, 'subjectPublicKeyInfo');
  let extensions: Node | null = null;
  for (; i < tbs.children.length; i++) {
    const c = tbs.children[i]!;
    if (c.cls === 2 && c.tag === 3) extensions = expect(c.children[0], T.SEQUENCE, 'extensions');
  }
  const notBefore = time(child(validity, 0, 'notBefore'));
  const notAfter = time(child(validity, 1, 'notAfter'));
  const key = parseSpki(spki);
  const sigAlgOid = oid(child(sigAlg, 0, 'algorithm'));

  const sans = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] };
  const eku: string[] = [];
  const ku: string[] = [];
  let isCA = false;
  let hasEku = false;
  let ski: string | null = null;
  let aki: string | null = null;
  if (extensions) {
    for (const ext of extensions.children) {
      const extOid = oid(child(ext, 0, 'extnID'));
      const valueNode = ext.children[ext.children.length - 1]!;
      const value = parse(content(expect(valueNode, T.OCTET_STRING, 'extnValue')));
      switch (extOid) {
        case '2.5.29.17':
          for (const gn of value.children) {
            if (gn.cls !== 2) continue;
            const b = content(gn);
            if (gn.tag === 2) sans.dns.push(str({ ...gn, tag: T.IA5, cls: 0 }));
            else if (gn.tag === 1) sans.email.push(str({ ...gn, tag: T.IA5, cls: 0 }));
            else if (gn.tag === 6) sans.uri.push(str({ ...gn, tag: T.IA5, cls: 0 }));
            else if (gn.tag === 7) sans.ip.push(formatIp(b));
          }
          break;
        case '2.5.29.37':
          hasEku = true;
          for (const o of value.children) {
            const d = oid(o);
            eku.push(EKU_NAMES[d] ?? d);
          }
          break;
        case '2.5.29.15': {
          const b = content(value);
          for (let bit = 0; bit < KU_NAMES.length; bit++) {
            const byte = b[1 + (bit >> 3)];
            if (byte !== undefined && byte & (0x80 >> (bit & 7))) ku.push(KU_NAMES[bit]!);
          }
          break;
        }
        case '2.5.29.19': {
          const first = value.children[0];
          if (first && is(first, T.BOOLEAN)) isCA = content(first)[0] !== 0;
          break;
        }
        case '2.5.29.14':
          ski = hex(content(value));
          break;
        case '2.5.29.35':
          for (const c of value.children) if (c.cls === 2 && c.tag === 0) aki = hex(content(c));
          break;
      }
    }
  }
  return {
    cert,
    tbs,
    sigAlg,
    serial,
    issuer,
    subject,
    spki,
    notBefore,
    notAfter,
    key,
    sigAlgOid,
    sans,
    eku,
    ku,
    isCA,
    hasEku,
    ski,
    aki,
  };
}

type CertificateFacts = Pick<CertInfo, 'subject' | 'issuer' | 'publicKey' | 'signatureAlgorithm' | 'sans'>;

function factsOf(d: ReturnType<typeof decodeCertificate>): CertificateFacts {
  return {
    subject: formatName(d.subject),
    issuer: formatName(d.issuer),
    publicKey: d.key.info,
    signatureAlgorithm: algorithmName(d.sigAlgOid),
    sans: d.sans,
  };
}

/**
 * What a certificate says of itself for display — issuer, subject, key, signature algorithm, names — without the
 * digests, base64 and raw copies `parseCertificate` makes: the server's certificate summaries need only these, once
 * per certificate per request.
 */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  return factsOf(decodeCertificate(der));
}

export function parseCertificate(der: Uint8Array, friendlyName?: string): ParsedCert {
  const d = decodeCertificate(der);
  const subjectRaw = raw(d.subject);
  const issuerRaw = raw(d.issuer);
  const facts = factsOf(d);
  // The fields in CertInfo's order (JSON output, the CLI's included, lists them so).
  const info: CertInfo = {
    thumbprint: hex(digest('sha1', der)),
    thumbprintSha256: hex(digest('sha256', der)),
    subject: facts.subject,
    issuer: facts.issuer,
    serialNumber: hex(uintBytes(d.serial)),
    notBefore: d.notBefore.toISOString(),
    notAfter: d.notAfter.toISOString(),
    sans: facts.sans,
    extendedKeyUsage: d.eku,
    keyUsage: d.ku,
    publicKey: facts.publicKey,
    signatureAlgorithm: facts.signatureAlgorithm,
    isCA: d.isCA,
    selfSigned: hex(subjectRaw) === hex(issuerRaw) && (d.aki === null || d.ski === null || d.aki === d.ski),
    derBase64: b64(der),
  };
  if (friendlyName !== undefined) info.friendlyName = friendlyName;
  const sigParamsNode = d.sigAlg.children[1];
  return {
    info,
    der,
    subjectRaw,
    issuerRaw,
    key: d.key,
    ski: d.ski,
    aki: d.aki,
    hasEku: d.hasEku,
    notBefore: d.notBefore,
    notAfter: d.notAfter,
    sigAlgOid: d.sigAlgOid,
    tbsRaw: raw(d.tbs),
    signature: content(d.cert.children[2]!).subarray(1),
    spkiRaw: raw(d.spki),
    sigParams: sigParamsNode && sigParamsNode.tag !== T.NULL ? raw(sigParamsNode) : null,
  };
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return hex(b);
}

export interface ParsedKey {
  /** null when the key's public part could not be determined (e.g. EC key without embedded public key and no WebCrypto). */
  key: KeyMaterial | null;
  algorithmOid: string;
  /** PKCS#8 DER (a view). */
  pkcs8: Uint8Array;
}

/** Parse a PKCS#8 PrivateKeyInfo. EC keys without an embedded public key get it from WebCrypto. */
export async function parsePrivateKey(pkcs8: Uint8Array): Promise<ParsedKey> {
  const pki = parse(pkcs8);
  expect(pki, T.SEQUENCE, 'PrivateKeyInfo');
  const alg = expect(pki.children[1], T.SEQUENCE, 'privateKeyAlgorithm');
  const algOid = oid(child(alg, 0, 'algorithm'));
  const keyOctets = content(expect(pki.children[2], T.OCTET_STRING, 'privateKey'));
  if (algOid === OID.rsaEncryption || algOid === OID.rsaPss) {
    const rsa = parse(keyOctets);
    const n = uintBytes(child(rsa, 1, 'modulus'));
    const e = uintBytes(child(rsa, 2, 'publicExponent'));
    return {
      key: { info: { type: 'RSA', bits: bitLength(n) }, fingerprint: hex(n) + ':' + hex(e) },
      algorithmOid: algOid,
      pkcs8,
    };
  }
  if (algOid === OID.ecPublicKey) {
    const ec = parse(keyOctets);
    let curveOid: string | null = null;
    const p = alg.children[1];
    if (p && is(p, T.OID)) curveOid = oid(p);
    let point: string | null = null;
    for (const c of ec.children) {
      if (c.cls === 2 && c.tag === 0 && c.children[0] && is(c.children[0], T.OID)) curveOid ??= oid(c.children[0]);
      if (c.cls === 2 && c.tag === 1 && c.children[0]) point = hex(content(c.children[0]).subarray(1));
    }
    const curve = curveOid ? CURVES[curveOid] : undefined;
    const info: PublicKeyInfo = { type: 'EC' };
    if (curve) {
      info.curve = curve.name;
      info.bits = curve.bits;
    } else if (curveOid) info.curve = curveOid;
    if (!point && curve) point = await ecPublicPointFromWebCrypto(pkcs8, curve.name);
    return { key: point ? { info, fingerprint: point } : null, algorithmOid: algOid, pkcs8 };
  }
  if (algOid === OID.ed25519) {
    // RFC 8410 keys may carry the public key in [1]; otherwise ask WebCrypto (Node, recent browsers).
    for (const c of pki.children)
      if (c.cls === 2 && c.tag === 1)
        return {
          key: { info: { type: 'other' }, fingerprint: hex(content(c).subarray(1)) },
          algorithmOid: algOid,
          pkcs8,
        };
    const pub = await edPublicFromWebCrypto(pkcs8);
    return { key: pub ? { info: { type: 'other' }, fingerprint: pub } : null, algorithmOid: algOid, pkcs8 };
  }
  return { key: null, algorithmOid: algOid, pkcs8 };
}

async function edPublicFromWebCrypto(pkcs8: Uint8Array): Promise<string | null> {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!s) return null;
  try {
    const buf = new Uint8Array(new ArrayBuffer(pkcs8.length));
    buf.set(pkcs8);
    const k = await s.importKey('pkcs8', buf, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await s.exportKey('jwk', k);
    if (!jwk.x) return null;
    return hex(Uint8Array.from(atob(jwk.x.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

async function ecPublicPointFromWebCrypto(pkcs8: Uint8Array, namedCurve: string): Promise<string | null> {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!s || !['P-256', 'P-384', 'P-521'].includes(namedCurve)) return null;
  try {
    const buf = new Uint8Array(new ArrayBuffer(pkcs8.length));
    buf.set(pkcs8);
    const k = await s.importKey('pkcs8', buf, { name: 'ECDSA', namedCurve }, true, ['sign']);
    const jwk = await s.exportKey('jwk', k);
    if (!jwk.x || !jwk.y) return null;
    const d = (x: string) => Uint8Array.from(atob(x.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return '04' + hex(d(jwk.x)) + hex(d(jwk.y));
  } catch {
    return null;
  }
}

const SIG_VERIFY: Record<string, { kind: 'rsa' | 'ecdsa' | 'ed25519'; hash: string }> = {
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'SHA-512' },
  '1.3.101.112': { kind: 'ed25519', hash: '' },
};

/**
 * Does `issuer`'s key verify `subject`'s signature? true / false, or null when it cannot be checked here
 * (no WebCrypto, RSASSA-PSS, unusual curves or algorithms).
 */
export async function verifySignedBy(subject: ParsedCert, issuer: ParsedCert): Promise<boolean | null> {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  const how = SIG_VERIFY[subject.sigAlgOid];
  if (!s || !how) return null;
  const copy = (b: Uint8Array) => {
    const out = new Uint8Array(new ArrayBuffer(b.length));
    out.set(b);
    return out;
  };
  try {
    if (how.kind === 'rsa') {
      if (issuer.key.info.type !== 'RSA') return false;
      const k = await s.importKey('spki', copy(issuer.spkiRaw), { name: 'RSASSA-PKCS1-v1_5', hash: how.hash }, false, [
        'verify',
      ]);
      return await s.verify('RSASSA-PKCS1-v1_5', k, copy(subject.signature), copy(subject.tbsRaw));
    }
    if (how.kind === 'ecdsa') {
      const curve = issuer.key.info.curve;
      if (issuer.key.info.type !== 'EC' || !curve || !['P-256', 'P-384', 'P-521'].includes(curve))
        return issuer.key.info.type === 'EC' ? null : false;
      const size = curve === 'P-521' ? 66 : curve === 'P-384' ? 48 : 32;
      const sig = parse(subject.signature);
      const rawSig = new Uint8Array(size * 2);
      for (let i = 0; i < 2; i++) {
        const v = uintBytes(child(sig, i, i ? 's' : 'r'));
        if (v.length > size) return false;
        rawSig.set(v, size * (i + 1) - v.length);
      }
      const k = await s.importKey('spki', copy(issuer.spkiRaw), { name: 'ECDSA', namedCurve: curve }, false, [
        'verify',
      ]);
      return await s.verify({ name: 'ECDSA', hash: how.hash }, k, rawSig, copy(subject.tbsRaw));
    }
    const k = await s.importKey('spki', copy(issuer.spkiRaw), { name: 'Ed25519' }, false, ['verify']);
    return await s.verify({ name: 'Ed25519' }, k, copy(subject.signature), copy(subject.tbsRaw));
  } catch {
    return null;
  }
}

/** What one DER certificate says (subject, issuer, key, signature, validity, thumbprints); throws on bad DER. */
export function certificateInfo(der: Uint8Array): CertInfo {
  return parseCertificate(der).info;
}
