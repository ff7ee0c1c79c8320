/** PEM reading and private-key normalisation (PKCS#1 RSA and SEC1 EC keys wrapped into PKCS#8). */
import { T, parse, is, seq, encInt, encOid, octets, nul, raw, DerError } from './der';
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

/** PEM blocks in order. Linear-time (no backtracking regex), at most MAX_PEM_BLOCKS blocks. */
export const MAX_PEM_BLOCKS = 64;
export function readPem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  let pos = 0;
  while (out.length < MAX_PEM_BLOCKS) {
    const begin = text.indexOf('-----BEGIN ', pos);
    if (begin < 0) break;
    const labelEnd = text.indexOf('-----', begin + 11);
    if (labelEnd < 0 || labelEnd - begin > 80) {
      pos = begin + 11;
      continue;
    }
    const label = text.slice(begin + 11, labelEnd);
    if (!/^[A-Z0-9 ]+$/.test(label)) {
      pos = begin + 11;
      continue;
    }
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, labelEnd + 5);
    if (end < 0) break; // no END for this block: nothing after it can be complete either
    let body = text.slice(labelEnd + 5, end);
    const encryptedHeaders = /Proc-Type:\s*4,ENCRYPTED/i.test(body);
    body = body.replace(/^[A-Za-z-]+:.*$/gm, '');
    try {
      out.push({ label, der: base64ToBytes(body), encryptedHeaders });
    } catch {
      /* not base64: skip the block */
    }
    pos = end + endMarker.length;
  }
  return out;
}

export const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
export const KEY_LABELS = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'DSA PRIVATE KEY',
]);

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
    for (const c of ec.children)
      if (c.cls === 2 && c.tag === 0 && c.children[0] && is(c.children[0], T.OID)) curve = raw(c.children[0]);
    if (!curve) throw new DerError('EC private key without named curve', 'malformed');
    return seq(encInt(0), seq(encOid(OID.ecPublicKey), curve), octets(block.der));
  }
  throw new Error(`unsupported private key type (${block.label})`);
}
