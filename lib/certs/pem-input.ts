/** A PEM text file: which certificates and keys it holds, and whether a PFX can be built from it. */
import type { Finding, InspectResult } from './types';
import { parse } from './der';
import { type ParsedCert, type ParsedKey, parseCertificate, parsePrivateKey } from './x509';
import { err } from './findings';
import { readPem, CERT_LABELS, KEY_LABELS, toPkcs8 } from './pem';
import { assembleChecked } from './chain';

export async function inspectPemText(text: string, now: Date): Promise<InspectResult> {
  const blocks = readPem(text);
  const certs: ParsedCert[] = [];
  const findings: Finding[] = [];
  for (const b of blocks) {
    if (!CERT_LABELS.has(b.label)) continue;
    try {
      // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
      const der = b.label === 'TRUSTED CERTIFICATE' ? b.der.subarray(0, parse(b.der).end) : b.der;
      certs.push(parseCertificate(der));
    } catch {
      /* reported below through the counts */
    }
  }
  const keyBlocks = blocks.filter((b) => KEY_LABELS.has(b.label));
  let key: ParsedKey | null = null;
  let keyEncrypted = false;
  for (const kb of keyBlocks) {
    try {
      key = await parsePrivateKey(toPkcs8(kb));
      break;
    } catch {
      keyEncrypted ||= kb.encryptedHeaders || kb.label === 'ENCRYPTED PRIVATE KEY';
    }
  }
  const canBuildPfx = certs.length > 0 && key !== null;
  const parts = [
    `${certs.length} certificate${certs.length === 1 ? '' : 's'}`,
    keyBlocks.length ? (keyEncrypted && !key ? 'an encrypted private key' : 'a private key') : 'no private key',
  ];
  let action: string;
  if (canBuildPfx)
    action =
      'A PFX can be built from this certificate and key: `cses-cert pfx from-pem --cert cert.pem --key key.pem --out cert.pfx --password-file password.txt`, or `openssl pkcs12 -export -legacy -in cert.pem -inkey key.pem -out cert.pfx`.';
  else if (certs.length && keyEncrypted)
    action =
      'Build the PFX with the key’s passphrase: `cses-cert pfx from-pem --cert cert.pem --key key.pem --key-passphrase-file passphrase.txt --out cert.pfx --password-file password.txt`, or `openssl pkcs12 -export -legacy -in cert.pem -inkey key.pem -out cert.pfx`.';
  else if (certs.length)
    action =
      'Add the private key: find the .key file created with the CSR and build the PFX with `openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx`, or export a PFX with its private key from the Windows machine that created the request.';
  else action = 'Choose the .pfx file, or a PEM file holding both the certificate and its private key.';
  findings.push(
    err(
      'not-pkcs12',
      `Detected: pem. This is a PEM text file (${parts.join(' and ')}), not a PFX; Cloud Services reads its certificates from Key Vault as PFX (PKCS#12).`,
      action,
    ),
  );
  const result = await assembleChecked(certs, key ? [{ parsed: key, localKeyId: null }] : [], findings, now, null, {
    pem: true,
  });
  result.importable = false;
  result.detected = { format: 'pem', canBuildPfx };
  return result;
}
