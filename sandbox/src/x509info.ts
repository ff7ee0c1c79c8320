import forge from 'node-forge';
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';

/** Facts about a certificate, in the shapes Key Vault reports them. */
export interface CertFacts {
  x5t: string;
  nbf: number;
  exp: number;
  /** subject as Key Vault prints it, e.g. "CN=www.contoso.com, O=Contoso, C=US" */
  subject: string;
  ekus: string[];
  keyUsage: string[];
  sans?: Sans;
  validityMonths: number;
}

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

function keyUsageFromDer(der: Buffer): string[] {
  try {
    const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
    const extWrapper = (tbs.value as forge.asn1.Asn1[]).find(
      (v) => v.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && v.type === 3,
    );
    if (!extWrapper) return [];
    const exts = (extWrapper.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
    for (const ext of exts) {
      const parts = ext.value as forge.asn1.Asn1[];
      const id = forge.asn1.derToOid(parts[0]!.value as string);
      if (id !== '2.5.29.15') continue;
      const octet = parts[parts.length - 1]!.value as string;
      const bits = forge.asn1.fromDer(forge.util.createBuffer(octet));
      const raw = (bits.value as string) ?? '';
      const bytes = typeof raw === 'string' ? raw : '';
      // BIT STRING content: first byte = unused bits
      const out: string[] = [];
      for (let i = 0; i < KU_NAMES.length; i++) {
        const byte = bytes.charCodeAt(1 + Math.floor(i / 8));
        if (!Number.isNaN(byte) && byte & (0x80 >> (i % 8))) out.push(KU_NAMES[i]!);
      }
      return out;
    }
  } catch {
    // fall through
  }
  return [];
}

/** Subject alternative names in Key Vault's wire names (`x509_props.sans`). */
export interface Sans {
  dns_names?: string[];
  emails?: string[];
  upns?: string[];
  ipAddresses?: string[];
  uris?: string[];
}

export function x5tOf(der: Buffer): string {
  return createHash('sha1').update(der).digest('base64url');
}

export function certFacts(der: Buffer): CertFacts {
  const c = new X509Certificate(der);
  const nbf = Math.floor(new Date(c.validFrom).getTime() / 1000);
  const exp = Math.floor(new Date(c.validTo).getTime() / 1000);
  const subject = c.subject.split('\n').filter(Boolean).reverse().join(', ');
  const ekus = (c.keyUsage ?? []).filter((x) => /^[0-9.]+$/.test(x));
  const sans: Sans = {};
  if (c.subjectAltName) {
    for (const part of c.subjectAltName.split(/,\s*/)) {
      const [k, ...rest] = part.split(':');
      const v = rest.join(':');
      if (k === 'DNS') (sans.dns_names ??= []).push(v);
      else if (k === 'email') (sans.emails ??= []).push(v);
      else if (k === 'URI') (sans.uris ??= []).push(v);
      // Node prints IPv6 expanded (0:0:0:0:0:0:0:1); the policy keeps the usual compressed text (::1).
      else if (k === 'IP Address')
        (sans.ipAddresses ??= []).push(v.includes(':') ? new URL(`http://[${v}]/`).hostname.slice(1, -1) : v);
    }
  }
  const months = Math.max(1, Math.round((exp - nbf) / (86400 * 30.4375)));
  return {
    x5t: x5tOf(der),
    nbf,
    exp,
    subject,
    ekus,
    keyUsage: keyUsageFromDer(der),
    ...(Object.keys(sans).length ? { sans } : {}),
    validityMonths: months,
  };
}

export function keyProps(key: KeyObject): Record<string, unknown> {
  if (key.asymmetricKeyType === 'ec') {
    const crvMap: Record<string, string> = {
      prime256v1: 'P-256',
      secp384r1: 'P-384',
      secp521r1: 'P-521',
      secp256k1: 'P-256K',
    };
    const named = key.asymmetricKeyDetails?.namedCurve ?? 'prime256v1';
    const crv = crvMap[named] ?? named;
    const size = crv === 'P-384' ? 384 : crv === 'P-521' ? 521 : 256;
    return { exportable: true, kty: 'EC', key_size: size, crv, reuse_key: false };
  }
  return { exportable: true, kty: 'RSA', key_size: key.asymmetricKeyDetails?.modulusLength ?? 2048, reuse_key: false };
}
