/** Findings about single certificates and keys: validity, key strength, signature algorithm, usages, names. */
import type { CertInfo, Finding } from './types';
import type { ParsedCert, ParsedKey } from './x509';
import { err, warn, info } from './findings';
import { KEY_VAULT_MAX_CHARS } from './limits';

const SOON_DAYS = 30;
const DAY = 86_400_000;
const KEY_ALG_NAMES: Record<string, string> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
};

export function describe(c: CertInfo): string {
  return `"${c.subject || '(empty subject)'}" (${c.thumbprint})`;
}

export function keyTypeOf(algOid: string): 'RSA' | 'EC' | 'other' {
  return algOid === '1.2.840.113549.1.1.1' ? 'RSA' : algOid === '1.2.840.10045.2.1' ? 'EC' : 'other';
}

export function checkLeaf(leaf: ParsedCert, findings: Finding[], now: Date): void {
  const c = leaf.info;
  const t = now.getTime();
  if (t > leaf.notAfter.getTime())
    findings.push(
      err(
        'expired',
        `The certificate ${describe(c)} expired on ${c.notAfter}. Key Vault refuses expired certificates.`,
        'Renew the certificate with your CA (or create a new one) and export a new PFX.',
      ),
    );
  else if (t < leaf.notBefore.getTime())
    findings.push(
      warn(
        'not-yet-valid',
        `The certificate ${describe(c)} is not valid until ${c.notBefore}.`,
        'Check the clock of the machine that issued it; clients reject it until then.',
      ),
    );
  else if (leaf.notAfter.getTime() - t < SOON_DAYS * DAY) {
    const days = Math.max(0, Math.floor((leaf.notAfter.getTime() - t) / DAY));
    findings.push(
      warn(
        'expires-soon',
        `The certificate ${describe(c)} expires in ${days} day${days === 1 ? '' : 's'} (${c.notAfter}).`,
        'Renew it now and plan the rotation: deploy the new thumbprint before the old certificate expires.',
      ),
    );
  }
  if (c.publicKey.type === 'RSA' && c.publicKey.bits !== undefined && c.publicKey.bits < 2048)
    findings.push(
      warn(
        'weak-rsa-key',
        `The certificate's RSA key has ${c.publicKey.bits} bits; browsers and Key Vault policies expect at least 2048.`,
        'Create a new certificate with a 2048-bit or larger key.',
      ),
    );
  checkSignature(leaf, findings);
  const eku = c.extendedKeyUsage;
  if (leaf.hasEku && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage'))
    findings.push(
      warn(
        'missing-server-auth-eku',
        `The certificate's extended key usage (${eku.join(', ') || 'empty'}) does not include serverAuth (1.3.6.1.5.5.7.3.1), so browsers refuse it for HTTPS.`,
        'Fine for non-TLS uses (e.g. encryption or client authentication); for an HTTPS endpoint request a certificate with the "Server Authentication" EKU.',
      ),
    );
  if (c.keyUsage.length) {
    const okTls =
      c.publicKey.type === 'RSA'
        ? c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('keyEncipherment')
        : c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('keyAgreement');
    if (!okTls)
      findings.push(
        warn(
          'key-usage-not-tls',
          `The certificate's key usage (${c.keyUsage.join(', ')}) allows neither digitalSignature nor keyEncipherment; TLS clients will reject it.`,
          'For an HTTPS endpoint request a certificate with digitalSignature (and keyEncipherment for RSA).',
        ),
      );
  }
  if (c.isCA)
    findings.push(
      warn(
        'leaf-is-ca',
        `The certificate ${describe(c)} is a CA certificate (basicConstraints CA:TRUE), not a server certificate.`,
        'Check that you exported the right certificate; use the end-entity (server) certificate.',
      ),
    );
  if (c.selfSigned)
    findings.push(
      info(
        'self-signed',
        'The certificate is self-signed: fine for internal use (RDP, encryption, tests); browsers will not trust it for a public HTTPS endpoint.',
        'For a public endpoint use a certificate from a public CA.',
      ),
    );
  if (!c.sans.dns.length && !c.sans.ip.length && !c.sans.email.length && !c.sans.uri.length)
    findings.push(
      info(
        'no-subject-alt-name',
        'The certificate has no Subject Alternative Name; browsers ignore the CN and will refuse it for HTTPS.',
        'For an HTTPS endpoint request a certificate with the host names as DNS SANs.',
      ),
    );
  if (c.subject.length > KEY_VAULT_MAX_CHARS)
    findings.push(
      err(
        'subject-too-long',
        `The certificate subject has ${c.subject.length} characters; Key Vault accepts at most ${KEY_VAULT_MAX_CHARS}.`,
        'Request a certificate with a shorter subject.',
      ),
    );
}

function checkSignature(c: ParsedCert, findings: Finding[]): void {
  if (c.info.selfSigned && c.info.isCA) return; // a root's self-signature is not checked by clients
  const alg = c.info.signatureAlgorithm.toLowerCase();
  if (alg.includes('sha1'))
    findings.push(
      warn(
        'sha1-signature',
        `The certificate ${describe(c.info)} is signed with SHA-1 (${c.info.signatureAlgorithm}); browsers and current Windows reject SHA-1 TLS certificates.`,
        'Reissue the certificate with a SHA-256 signature.',
      ),
    );
  else if (alg.includes('md5') || alg.includes('md2'))
    findings.push(
      warn(
        'weak-signature-algorithm',
        `The certificate ${describe(c.info)} is signed with ${c.info.signatureAlgorithm}, which is broken.`,
        'Reissue the certificate with a SHA-256 signature.',
      ),
    );
}

export function checkChainCert(c: ParsedCert, findings: Finding[], now: Date): void {
  if (now.getTime() > c.notAfter.getTime())
    findings.push(
      warn(
        'chain-certificate-expired',
        `The chain certificate ${describe(c.info)} expired on ${c.info.notAfter}.`,
        'Replace it with the current intermediate from your CA (clients may fail to build the chain).',
      ),
    );
  if (!c.info.selfSigned) checkSignature(c, findings);
}

/** The private key itself: a type Key Vault accepts, and not a weak RSA key (when the leaf does not say so already). */
export function checkKey(key: ParsedKey, leaf: ParsedCert | null, findings: Finding[]): void {
  const ki = key.key?.info;
  if (!ki && keyTypeOf(key.algorithmOid) !== 'other') {
    // RSA/EC key whose public part could not be derived: nothing more to check.
  } else if (
    !ki ||
    ki.type === 'other' ||
    (ki.type === 'EC' && !['P-256', 'P-384', 'P-521', 'P-256K'].includes(ki.curve ?? ''))
  )
    findings.push(
      err(
        'unsupported-key-type',
        `The private key is ${ki?.type === 'EC' ? `an EC key on curve ${ki.curve ?? 'unknown'}` : `of type ${KEY_ALG_NAMES[key.algorithmOid] ?? key.algorithmOid}`}; Key Vault accepts RSA keys and EC keys on P-256, P-384, P-521 and P-256K.`,
        'Create a new certificate with an RSA (2048 bits or more) or EC P-256/P-384 key.',
      ),
    );
  else if (ki.type === 'RSA' && ki.bits !== undefined && ki.bits < 2048 && !(leaf && leaf.key.info.type === 'RSA'))
    findings.push(
      warn(
        'weak-rsa-key',
        `The RSA key has ${ki.bits} bits; Key Vault and browsers expect at least 2048.`,
        'Create a new certificate with a 2048-bit or larger key.',
      ),
    );
}
