import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { decodeBase64Strict, parsePkcs12 } from '../pkcs12.js';
import type { State, Vault } from '../model.js';

/** What the RP learns from fetching one secret version (the way CRP fetches `osProfile.secrets`). */
export interface SecretVersionView {
  enabled: boolean;
  contentType?: string;
  /** true for the managed secret of a Key Vault certificate */
  certificateBacked: boolean;
  /** 'pfx': a PKCS#12 the RP can open (no password); 'pem': a PEM bundle; 'other': anything else */
  format: 'pfx' | 'pem' | 'other';
  /** SHA-1 thumbprint (40 upper-case hex) of the certificate that holds the private key, when format is 'pfx' */
  thumbprint?: string;
}

export function sha1Hex(der: Buffer): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/**
 * Reads a secret version from the sandbox's own vault store: the managed secret of a certificate version, or
 * a plain secret of the secrets store (`state.secrets`, what the secrets API sets).
 */
export function readSecretVersion(
  state: State,
  vault: Vault,
  name: string,
  version: string,
): SecretVersionView | undefined {
  const cert = state.certificates[vault.name.toLowerCase()]?.[name.toLowerCase()];
  if (cert && !cert.deleted) {
    const v = cert.versions.find((x) => x.version === version.toLowerCase());
    if (v) {
      if (v.contentType === 'application/x-pem-file')
        return { enabled: v.enabled, contentType: v.contentType, certificateBacked: true, format: 'pem' };
      const chain = v.chain.map((c) => Buffer.from(c, 'base64'));
      let leaf = chain[0]!;
      if (v.preserveCertOrder) {
        const key = createPrivateKey({ key: Buffer.from(v.keyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
        leaf = chain.find((c) => new X509Certificate(c).checkPrivateKey(key)) ?? leaf;
      }
      return {
        enabled: v.enabled,
        contentType: v.contentType,
        certificateBacked: true,
        format: 'pfx',
        thumbprint: sha1Hex(leaf),
      };
    }
  }
  const plain = state.secrets?.[vault.name.toLowerCase()]?.[name.toLowerCase()];
  const pv = plain?.deleted ? undefined : plain?.versions.find((x) => x.version === version.toLowerCase());
  if (!pv) return undefined;
  const view: SecretVersionView = {
    enabled: pv.enabled,
    ...(pv.contentType ? { contentType: pv.contentType } : {}),
    certificateBacked: false,
    format: 'other',
  };
  if (pv.value.includes('-----BEGIN')) return { ...view, format: 'pem' };
  const bytes = decodeBase64Strict(pv.value);
  if (!bytes) return view;
  try {
    const p = parsePkcs12(bytes, '');
    return { ...view, format: 'pfx', thumbprint: sha1Hex(p.certs[p.leafIndex]!) };
  } catch {
    return view;
  }
}
