import forge from 'node-forge';
import { X509Certificate, createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readIfExists, writeFileAtomic } from './fsutil.js';
import { generateRsa } from './pki.js';

/**
 * The API app registration's certificate credential (sandbox only): `{state}/app-credential.pem` holds the
 * certificate and its PKCS#8 key, in the form @azure/identity's `certificatePath` expects. Client assertions
 * signed with it are accepted at the token endpoint (OBO and client credentials).
 */
export interface AppCertificate {
  file: string;
  certPem: string;
  x5t: string;
  x5tS256: string;
}

export function ensureAppCertificate(stateDir: string, appClientId: string): AppCertificate {
  const file = resolve(join(stateDir, 'app-credential.pem'));
  let pem = readIfExists(file);
  if (!pem) {
    const { privateKeyPem, publicKeyPem } = generateRsa(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
    cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
    cert.validity.notBefore = new Date(Date.now() - 3600e3);
    cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86400e3);
    const attrs = [{ name: 'commonName', value: `sandbox app credential ${appClientId}` }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    const pkcs1 = createPrivateKey(privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    cert.sign(forge.pki.privateKeyFromPem(pkcs1), forge.md.sha256.create());
    pem = `${privateKeyPem}${forge.pki.certificateToPem(cert)}`;
    writeFileAtomic(file, pem);
  }
  const certPem = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
  const der = new X509Certificate(certPem).raw;
  return {
    file,
    certPem,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}
