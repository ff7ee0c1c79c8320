import forge from 'node-forge';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';

/**
 * Builds keys, CSRs and self-signed certificates for "create certificate" (issuer Self), RSA or EC.
 * forge builds the ASN.1 skeleton; the SubjectPublicKeyInfo and signature come from Node's crypto so EC works too.
 */

const SHORT: Record<string, string> = {
  CN: 'CN',
  O: 'O',
  OU: 'OU',
  L: 'L',
  ST: 'ST',
  S: 'ST',
  C: 'C',
  E: 'E',
  EMAIL: 'E',
  DC: 'DC',
  STREET: 'STREET',
  SERIALNUMBER: 'serialNumber',
};
const OID_BY_SHORT: Record<string, string> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  C: '2.5.4.6',
  E: '1.2.840.113549.1.9.1',
  DC: '0.9.2342.19200300.100.1.25',
  STREET: '2.5.4.9',
  serialNumber: '2.5.4.5',
};

export class SubjectError extends Error {}

/** Parses "CN=a, O=b" (Key Vault / .NET order: most specific first) into DER-order RDNs. */
export function parseSubject(subject: string): { type: string; value: string }[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < subject.length; i++) {
    const ch = subject[i]!;
    if (ch === '"') quoted = !quoted;
    if ((ch === ',' || ch === ';') && !quoted && subject[i - 1] !== '\\') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  const rdns = parts.map((p) => {
    const i = p.indexOf('=');
    if (i <= 0) throw new SubjectError(`bad RDN '${p.trim()}'`);
    const key = SHORT[p.slice(0, i).trim().toUpperCase()];
    if (!key) throw new SubjectError(`unknown attribute '${p.slice(0, i).trim()}'`);
    const value = p
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (!value) throw new SubjectError('empty value');
    return { type: OID_BY_SHORT[key]!, value };
  });
  if (rdns.length === 0) throw new SubjectError('empty subject');
  return rdns.reverse();
}

export function generateKey(kty: string, keySize: number | undefined, crv: string | undefined): KeyObject {
  if (kty === 'EC' || kty === 'EC-HSM') {
    const named: Record<string, string> = {
      'P-256': 'prime256v1',
      'P-384': 'secp384r1',
      'P-521': 'secp521r1',
      'P-256K': 'secp256k1',
    };
    const c = named[crv ?? 'P-256'];
    if (!c) throw new SubjectError(`unsupported curve ${crv}`);
    return generateKeyPairSync('ec', { namedCurve: c }).privateKey;
  }
  return generateKeyPairSync('rsa', { modulusLength: keySize ?? 2048 }).privateKey;
}

const asn1 = forge.asn1;
const U = asn1.Class.UNIVERSAL;

function sigAlg(key: KeyObject): { oid: string; hash: string; params: boolean } {
  if (key.asymmetricKeyType === 'ec') {
    const crv = key.asymmetricKeyDetails?.namedCurve;
    if (crv === 'secp384r1') return { oid: '1.2.840.10045.4.3.3', hash: 'sha384', params: false };
    if (crv === 'secp521r1') return { oid: '1.2.840.10045.4.3.4', hash: 'sha512', params: false };
    return { oid: '1.2.840.10045.4.3.2', hash: 'sha256', params: false };
  }
  return { oid: '1.2.840.113549.1.1.11', hash: 'sha256', params: true };
}

function algId(a: { oid: string; params: boolean }): forge.asn1.Asn1 {
  return asn1.create(U, asn1.Type.SEQUENCE, true, [
    asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(a.oid).getBytes()),
    ...(a.params ? [asn1.create(U, asn1.Type.NULL, false, '')] : []),
  ]);
}

function spkiAsn1(key: KeyObject): forge.asn1.Asn1 {
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
}

function nameAsn1(rdns: { type: string; value: string }[]): forge.asn1.Asn1 {
  return asn1.create(
    U,
    asn1.Type.SEQUENCE,
    true,
    rdns.map((r) =>
      asn1.create(U, asn1.Type.SET, true, [
        asn1.create(U, asn1.Type.SEQUENCE, true, [
          asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(r.type).getBytes()),
          asn1.create(
            U,
            r.type === '2.5.4.6'
              ? asn1.Type.PRINTABLESTRING
              : r.type === '1.2.840.113549.1.9.1' || r.type === '0.9.2342.19200300.100.1.25'
                ? asn1.Type.IA5STRING
                : asn1.Type.UTF8,
            false,
            forge.util.encodeUtf8(r.value),
          ),
        ]),
      ]),
    ),
  );
}

let placeholder: forge.pki.rsa.PublicKey | undefined;
function placeholderKey(): forge.pki.rsa.PublicKey {
  if (!placeholder) {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    placeholder = forge.pki.publicKeyFromPem(pem) as forge.pki.rsa.PublicKey;
  }
  return placeholder;
}

function signed(tbs: forge.asn1.Asn1, key: KeyObject): Buffer {
  const a = sigAlg(key);
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const sig = nodeSign(a.hash, tbsDer, key);
  const outer = asn1.create(U, asn1.Type.SEQUENCE, true, [
    tbs,
    algId(a),
    asn1.create(U, asn1.Type.BITSTRING, false, String.fromCharCode(0) + sig.toString('binary')),
  ]);
  return Buffer.from(asn1.toDer(outer).getBytes(), 'binary');
}

export interface CertSpec {
  subject: string;
  dnsNames?: string[];
  emails?: string[];
  upns?: string[];
  ipAddresses?: string[];
  uris?: string[];
  ekus?: string[];
  keyUsage?: string[];
  validityMonths: number;
  /** explicit validity (seeded certificates that expire in N days); overrides validityMonths */
  notBefore?: Date;
  notAfter?: Date;
}

function extensions(spec: CertSpec): forge.pki.CertificateField[] {
  const ext: Record<string, unknown>[] = [];
  const ku = spec.keyUsage ?? ['digitalSignature', 'keyEncipherment'];
  if (ku.length) {
    const kuExt: Record<string, unknown> = { name: 'keyUsage', critical: true };
    for (const k of ku) kuExt[k] = true;
    ext.push(kuExt);
  }
  const ekus = spec.ekus ?? ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];
  if (ekus.length) {
    const e: Record<string, unknown> = { name: 'extKeyUsage' };
    // forge's oid map is bidirectional: a known OID must be given by its name, an unknown one as dotted OID.
    for (const o of ekus) {
      const known = (forge.pki.oids as Record<string, string>)[o];
      e[known && !known.includes('.') ? known : o] = true;
    }
    ext.push(e);
  }
  const alt: Record<string, unknown>[] = [];
  for (const d of spec.dnsNames ?? []) alt.push({ type: 2, value: d });
  for (const m of spec.emails ?? []) alt.push({ type: 1, value: m });
  for (const u of spec.uris ?? []) alt.push({ type: 6, value: u });
  // forge encodes an `ip` given as text into the 4 or 16 octets of iPAddress [7].
  for (const ip of spec.ipAddresses ?? []) alt.push({ type: 7, ip });
  if (alt.length) ext.push({ name: 'subjectAltName', altNames: alt });
  ext.push({ name: 'basicConstraints', cA: false });
  return ext as unknown as forge.pki.CertificateField[];
}

/** Self-signed certificate (DER) for `key`. */
export function selfSignedCertificate(key: KeyObject, spec: CertSpec): Buffer {
  const rdns = parseSubject(spec.subject);
  const cert = forge.pki.createCertificate();
  cert.publicKey = placeholderKey();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x11;
  cert.serialNumber = serial.toString('hex');
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  cert.validity.notBefore = spec.notBefore ?? new Date(now.getTime() - 5 * 60 * 1000);
  const until = new Date(now);
  until.setUTCMonth(until.getUTCMonth() + spec.validityMonths);
  cert.validity.notAfter = spec.notAfter ?? until;
  cert.setExtensions(extensions(spec) as never);
  const sa = sigAlg(key);
  const si = cert.siginfo as unknown as { algorithmOid: string; parameters: Record<string, unknown> };
  si.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  si.parameters = {};
  // getTBSCertificate exists in node-forge but not in @types/node-forge.
  const tbs = (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // [0] version, serial, signature, issuer, validity, subject, spki, [3] extensions
  fields[2] = algId(sa);
  fields[3] = nameAsn1(rdns);
  fields[5] = nameAsn1(rdns);
  fields[6] = spkiAsn1(key);
  return signed(tbs, key);
}

/** PKCS#10 CSR (DER) for `key` and `subject`. */
export function certificationRequest(key: KeyObject, subject: string): Buffer {
  const info = asn1.create(U, asn1.Type.SEQUENCE, true, [
    asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(0).getBytes()),
    nameAsn1(parseSubject(subject)),
    spkiAsn1(key),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  return signed(info, key);
}

export function pkcs8Der(key: KeyObject): Buffer {
  return createPrivateKey(key.export({ type: 'pkcs8', format: 'pem' })).export({ type: 'pkcs8', format: 'der' });
}
