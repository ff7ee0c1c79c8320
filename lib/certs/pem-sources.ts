/**
 * The files of a PEM certificate source, read into certificates and keys: PEM text (any order, any mix, CRLF, BOM,
 * UTF-16) or DER (a certificate, a PKCS#7 bundle, a PKCS#8/PKCS#1/SEC1 key, an encrypted PKCS#8 key). Says what each
 * file held, and what it was when it is none of these (a PFX, a certificate request, an SSH key…).
 */
import type { Finding } from './types';
import { type Node, T, parse, raw, oid, is } from './der';
import { parseCertificate } from './x509';
import { err, warn, info } from './findings';
import { readPem, CERT_LABELS, wrapPkcs8, type PemBlock } from './pem';
import { decodeText } from './detect';
import { MAX_PFX_BYTES } from './limits';

/** One file as the user chose it. `data` is the file's bytes (or its text). */
export interface PemFile {
  name: string;
  data: Uint8Array | string;
}

export type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted-pkcs8' | 'encrypted-pkcs1' | 'encrypted-sec1';

export interface KeySource {
  file: string;
  format: KeyFormat;
  encoding: 'pem' | 'der';
  /** Plain keys: PKCS#8 (PKCS#1/SEC1 wrapped). encrypted-pkcs8: the EncryptedPrivateKeyInfo. Traditional: see block. */
  der: Uint8Array;
  /** The PEM block of a traditional encrypted key (its DEK-Info header is needed to decrypt it). */
  block?: PemBlock;
}

export interface CertSource {
  file: string;
  der: Uint8Array;
}

export interface SourceFileInfo {
  name: string;
  encoding: 'pem' | 'der' | 'unknown';
  certificates: number;
  keys: number;
}

export interface Sources {
  certs: CertSource[];
  keys: KeySource[];
  files: SourceFileInfo[];
  findings: Finding[];
}

const OIDS = { data: '1.2.840.113549.1.7.1', signedData: '1.2.840.113549.1.7.2' };

/** Labels that are not a certificate or key, with what they are. EC PARAMETERS (from `openssl ecparam -genkey`) is silent. */
const OTHER_LABELS: Record<string, string> = {
  'CERTIFICATE REQUEST': 'a certificate request (CSR)',
  'NEW CERTIFICATE REQUEST': 'a certificate request (CSR)',
  'PUBLIC KEY': 'a public key',
  'RSA PUBLIC KEY': 'a public key',
  'X509 CRL': 'a certificate revocation list',
  'EC PARAMETERS': '',
};

export function readSources(files: PemFile[]): Sources {
  const out: Sources = { certs: [], keys: [], files: [], findings: [] };
  for (const f of files) readFile(f, out);
  return out;
}

function readFile(f: PemFile, out: Sources): void {
  const name = f.name || 'the file';
  const bytes = typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data;
  const entry: SourceFileInfo = { name, encoding: 'unknown', certificates: 0, keys: 0 };
  out.files.push(entry);
  const before = { certs: out.certs.length, keys: out.keys.length };
  const count = () => {
    entry.certificates = out.certs.length - before.certs;
    entry.keys = out.keys.length - before.keys;
  };
  if (bytes.length === 0) {
    out.findings.push(err('empty-file', `${name} is empty (0 bytes).`, `Choose ${name} again, or copy it again.`));
    return;
  }
  if (bytes.length > MAX_PFX_BYTES) {
    out.findings.push(
      err(
        'too-large',
        `${name} is ${bytes.length} bytes; the limit is ${MAX_PFX_BYTES}. A certificate, its chain and its key are a few KiB.`,
        'Choose the certificate and key files themselves (not a backup or a bundle of many certificates).',
      ),
    );
    return;
  }
  if (bytes[0] === 0x30) {
    entry.encoding = 'der';
    readDer(name, bytes, out);
    count();
    if (/\.pem$/i.test(name) && entry.certificates + entry.keys > 0)
      out.findings.push(
        warn(
          'der-named-pem',
          `${name} is binary DER, not PEM text, although its name ends in .pem; it was read as DER.`,
          `Nothing to do here. Other tools expect a .pem file to be text: rename it to .der, or convert it with \`openssl ${entry.keys ? 'pkey' : 'x509'} -inform der -in ${name} -out ${name.replace(/\.pem$/i, '')}-text.pem\`.`,
        ),
      );
    return;
  }
  const text = decodeText(bytes);
  if (!text.includes('-----BEGIN ')) {
    out.findings.push(
      err(
        'not-pem',
        `${name} is neither PEM text (no "-----BEGIN …-----" line) nor a DER certificate or key.`,
        'Choose the certificate file (.pem, .crt or .cer) and the private key file (.key or .pem) your CA or ACME client gave you.',
      ),
    );
    return;
  }
  entry.encoding = 'pem';
  const ignored = new Set<string>();
  for (const b of readPem(text)) {
    if (CERT_LABELS.has(b.label)) {
      // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
      out.certs.push({ file: name, der: b.label === 'TRUSTED CERTIFICATE' ? firstElement(b.der) : b.der });
    } else if (b.label === 'PKCS7') {
      for (const der of pkcs7Certificates(b.der)) out.certs.push({ file: name, der });
    } else if (b.label === 'PRIVATE KEY') {
      out.keys.push({ file: name, format: 'pkcs8', encoding: 'pem', der: b.der });
    } else if (b.label === 'ENCRYPTED PRIVATE KEY') {
      out.keys.push({ file: name, format: 'encrypted-pkcs8', encoding: 'pem', der: b.der });
    } else if (b.label === 'RSA PRIVATE KEY' || b.label === 'EC PRIVATE KEY') {
      const kind = b.label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'sec1';
      if (b.encryptedHeaders)
        out.keys.push({ file: name, format: `encrypted-${kind}`, encoding: 'pem', der: b.der, block: b });
      else {
        try {
          out.keys.push({ file: name, format: kind, encoding: 'pem', der: wrapPkcs8(kind, b.der) });
        } catch {
          out.findings.push(unreadable(name, 'the private key'));
        }
      }
    } else if (b.label === 'OPENSSH PRIVATE KEY' || b.label === 'DSA PRIVATE KEY') {
      out.findings.push(
        err(
          b.label === 'DSA PRIVATE KEY' ? 'unsupported-key-type' : 'not-pem',
          b.label === 'DSA PRIVATE KEY'
            ? `${name} holds a DSA private key; Key Vault accepts RSA and EC keys only.`
            : `${name} holds an OpenSSH private key, which is an SSH login key, not the key of a TLS certificate.`,
          'Choose the private key that was created with the certificate request (for Let’s Encrypt: privkey.pem).',
        ),
      );
    } else if (OTHER_LABELS[b.label] !== '') ignored.add(OTHER_LABELS[b.label] ?? `a "${b.label}" block`);
  }
  count();
  if (!entry.certificates && !entry.keys) {
    const what = [...ignored].join(' and ');
    if (!out.findings.some((x) => x.message.startsWith(`${name} `)))
      out.findings.push(
        err(
          'not-pem',
          what
            ? `${name} holds ${what}, not a certificate or a private key.`
            : `${name} has no readable certificate or private key block.`,
          what.includes('CSR')
            ? 'A CSR is what you sent to the CA; choose the certificate the CA sent back (and the key made with the CSR).'
            : 'Choose the certificate file (.pem, .crt or .cer) and the private key file.',
        ),
      );
  } else if (ignored.size)
    out.findings.push(
      info(
        'ignored-pem-blocks',
        `${name} also holds ${[...ignored].join(' and ')}; ignored.`,
        'None needed: only certificates and the private key go into the PFX.',
      ),
    );
}

function unreadable(name: string, what: string): Finding {
  return err(
    'corrupt',
    `${what[0]!.toUpperCase()}${what.slice(1)} in ${name} could not be read.`,
    `Copy ${name} again as it came from the CA (do not edit it); check that the BEGIN and END lines are intact.`,
  );
}

function firstElement(der: Uint8Array): Uint8Array {
  try {
    return der.subarray(0, parse(der).end);
  } catch {
    return der;
  }
}

/** The certificates of a PKCS#7 SignedData (.p7b/.p7c): ContentInfo → [0] SignedData → certificates [0]. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  try {
    const ci = parse(der);
    if (oid(ci.children[0]!) !== OIDS.signedData) return [];
    const sd = ci.children[1]?.children[0];
    const certs = sd?.children.find((c) => c.cls === 2 && c.tag === 0);
    return certs ? certs.children.map(raw) : [];
  } catch {
    return [];
  }
}

/** `is` without narrowing (a type guard's false branch would narrow the node to undefined). */
const has = (x: Node | undefined, tag: number, cls = 0): boolean => is(x, tag, cls);

/** What a DER element is, by its shape. */
function derKind(n: Node): 'pfx' | 'pkcs7' | 'certificate' | 'csr' | KeyFormat | null {
  const [a, b, c] = n.children;
  if (!a) return null;
  if (a.tag === T.INTEGER && a.cls === 0 && a.contentEnd - a.contentStart === 1) {
    const v = a.buf[a.contentStart];
    const inner = b?.children[0];
    if (v === 3 && has(b, T.SEQUENCE) && inner && has(inner, T.OID) && oid(inner) === OIDS.data) return 'pfx';
    // PKCS#8 PrivateKeyInfo (v1, or v2 with the public key); SEC1 ECPrivateKey { 1, key, [0] curve, [1] point }.
    if ((v === 0 || v === 1) && has(b, T.SEQUENCE) && has(c, T.OCTET_STRING)) return 'pkcs8';
    if (v === 1 && has(b, T.OCTET_STRING) && n.children.slice(2).every((x) => x.cls === 2)) return 'sec1';
    if (v === 0 && n.children.length >= 9 && n.children.every((x) => has(x, T.INTEGER))) return 'pkcs1';
    return null;
  }
  if (has(a, T.OID)) return oid(a) === OIDS.signedData ? 'pkcs7' : null;
  if (has(a, T.SEQUENCE) && has(b, T.OCTET_STRING) && n.children.length === 2) return 'encrypted-pkcs8';
  if (has(a, T.SEQUENCE) && has(b, T.SEQUENCE) && has(c, T.BIT_STRING)) {
    const tbs = a.children;
    // Certificate: TBS starts with [0] version or the serial INTEGER; a CSR's info is { INTEGER 0, Name, SPKI, [0] }.
    if (tbs.length === 4 && has(tbs[0], T.INTEGER) && has(tbs[3], 0, 2) && has(tbs[2], T.SEQUENCE)) return 'csr';
    return 'certificate';
  }
  return null;
}

function readDer(name: string, bytes: Uint8Array, out: Sources): void {
  let kind: ReturnType<typeof derKind> = null;
  try {
    kind = derKind(parse(bytes));
  } catch {
    kind = null;
  }
  if (kind === 'certificate') {
    try {
      parseCertificate(firstElement(bytes));
      out.certs.push({ file: name, der: firstElement(bytes) });
    } catch {
      out.findings.push(unreadable(name, 'the certificate'));
    }
  } else if (kind === 'pkcs7') {
    for (const der of pkcs7Certificates(bytes)) out.certs.push({ file: name, der });
  } else if (kind === 'pkcs8' || kind === 'encrypted-pkcs8') {
    out.keys.push({ file: name, format: kind, encoding: 'der', der: firstElement(bytes) });
  } else if (kind === 'pkcs1' || kind === 'sec1') {
    out.keys.push({ file: name, format: kind, encoding: 'der', der: wrapPkcs8(kind, firstElement(bytes)) });
  } else {
    const what =
      kind === 'pfx'
        ? ['a PFX (PKCS#12) file', 'Import it as a PFX (with its password) instead of as PEM files.']
        : kind === 'csr'
          ? [
              'a certificate request (CSR, DER)',
              'A CSR is what you sent to the CA; choose the certificate the CA sent back (and the key made with the CSR).',
            ]
          : ['binary data that is not a certificate or a key', 'Choose the certificate file and the private key file.'];
    out.findings.push(err('not-pem', `${name} is ${what[0]}, not a certificate or a private key.`, what[1]!));
  }
}
