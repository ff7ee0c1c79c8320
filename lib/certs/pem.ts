/** PEM reading and private-key normalisation (PKCS#1 RSA and SEC1 EC keys wrapped into PKCS#8). */
import { T, parse, content, child, oid, is, seq, encInt, encOid, octets, nul, enc, raw, DerError } from './der';
import { OID } from './x509';

export interface PemBlock {
  label: string;
  der: Uint8Array;
  encryptedHeaders: boolean;
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/[\s]/g, '');
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return btoa(s);
}

export function readPem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n?([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const label = m[1]!;
    let body = m[2]!;
    const encryptedHeaders = /Proc-Type:\s*4,ENCRYPTED/i.test(body);
    body = body.replace(/^[A-Za-z-]+:.*$/gm, '');
    try {
      out.push({ label, der: base64ToBytes(body), encryptedHeaders });
    } catch {
      /* not base64: skip the block */
    }
  }
  return out;
}

export const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
export const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY']);

/** Convert an unencrypted private key PEM block to PKCS#8 DER. Throws for encrypted or unknown keys. */
export function toPkcs8(block: PemBlock): Uint8Array {
  if (block.encryptedHeaders || block.label === 'ENCRYPTED PRIVATE KEY')
    throw new Error('the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out key-plain.pem)');
  if (block.label === 'PRIVATE KEY') return block.der;
  if (block.label === 'RSA PRIVATE KEY')
    return seq(encInt(0), seq(encOid(OID.rsaEncryption), nul()), octets(block.der));
  if (block.label === 'EC PRIVATE KEY') {
    const ec = parse(block.der);
    let curve: Uint8Array | null = null;
    for (const c of ec.children) if (c.cls === 2 && c.tag === 0 && c.children[0] && is(c.children[0], T.OID)) curve = raw(c.children[0]);
    if (!curve) throw new DerError('EC private key without named curve', 'malformed');
    return seq(encInt(0), seq(encOid(OID.ecPublicKey), curve), octets(block.der));
  }
  throw new Error(`unsupported private key type (${block.label})`);
}

/** Algorithm OID of a PKCS#8 key. */
export function pkcs8Algorithm(pkcs8: Uint8Array): string {
  const p = parse(pkcs8);
  return oid(child(child(p, 1, 'algorithm'), 0, 'algorithm'));
}

export { content, enc };
