/** PEM reading and private-key normalisation (PKCS#1 RSA and SEC1 EC keys wrapped into PKCS#8). */
import { T, parse, is, seq, encInt, encOid, octets, nul, raw, DerError } from './der';
import { OID } from './x509';

export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** `Proc-Type: 4,ENCRYPTED`: a traditional (OpenSSL 1.x `-des3`/`-aes256`) encrypted key. */
  encryptedHeaders: boolean;
  /** The `DEK-Info: CIPHER,IV` header of such a key. */
  dekInfo?: { cipher: string; iv: Uint8Array };
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
    const dek = /DEK-Info:[ \t]*([A-Za-z0-9-]{1,40}),[ \t]*([0-9A-Fa-f]{2,64})/.exec(body);
    body = body.replace(/^[A-Za-z-]+:.*$/gm, '');
    try {
      const block: PemBlock = { label, der: base64ToBytes(body), encryptedHeaders };
      if (dek) block.dekInfo = { cipher: dek[1]!.toUpperCase(), iv: hexToBytes(dek[2]!) };
      out.push(block);
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

function hexToBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Convert an unencrypted private key PEM block to PKCS#8 DER. Throws for encrypted or unknown keys. */
export function toPkcs8(block: PemBlock): Uint8Array {
  if (block.encryptedHeaders || block.label === 'ENCRYPTED PRIVATE KEY')
    throw new Error('the private key is encrypted; decrypt it first (openssl pkey -in key.pem -out key-plain.pem)');
  if (block.label === 'PRIVATE KEY') return block.der;
  if (block.label === 'RSA PRIVATE KEY') return wrapPkcs8('pkcs1', block.der);
  if (block.label === 'EC PRIVATE KEY') return wrapPkcs8('sec1', block.der);
  throw new Error(`unsupported private key type (${block.label})`);
}

/** A PKCS#1 RSAPrivateKey or a SEC1 ECPrivateKey (with its named curve) wrapped into a PKCS#8 PrivateKeyInfo. */
export function wrapPkcs8(kind: 'pkcs1' | 'sec1', der: Uint8Array): Uint8Array {
  if (kind === 'pkcs1') return seq(encInt(0), seq(encOid(OID.rsaEncryption), nul()), octets(der));
  const ec = parse(der);
  let curve: Uint8Array | null = null;
  for (const c of ec.children)
    if (c.cls === 2 && c.tag === 0 && c.children[0] && is(c.children[0], T.OID)) curve = raw(c.children[0]);
  if (!curve) throw new DerError('EC private key without named curve', 'malformed');
  return seq(encInt(0), seq(encOid(OID.ecPublicKey), curve), octets(der));
}
