import forge from 'node-forge';
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { join, resolve } from 'node:path';
import { readIfExists, writeFileAtomic } from './fsutil.js';
import { log } from './log.js';

export interface TlsMaterial {
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

const rsaPool: { privateKeyPem: string; publicKeyPem: string }[] = [];

/** Pre-generates RSA-2048 keys on the libuv thread pool, in parallel (first start needs up to four). */
export async function prefillRsaPool(count: number): Promise<void> {
  const one = () =>
    new Promise<{ privateKeyPem: string; publicKeyPem: string }>((res, rej) =>
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (err, publicKey, privateKey) =>
        err
          ? rej(err)
          : res({
              privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
              publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            }),
      ),
    );
  rsaPool.push(...(await Promise.all(Array.from({ length: count }, one))));
}

/** Generates an RSA key with Node's crypto (fast) and returns PKCS#8 + SPKI PEM. */
export function generateRsa(bits = 2048): { privateKeyPem: string; publicKeyPem: string } {
  if (bits === 2048 && rsaPool.length > 0) return rsaPool.pop()!;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f; // positive
  if (b[0] === 0) b[0] = 0x01;
  return b.toString('hex');
}

function toForgeKey(pkcs8Pem: string): forge.pki.rsa.PrivateKey {
  const pkcs1 = createPrivateKey(pkcs8Pem).export({ type: 'pkcs1', format: 'pem' }).toString();
  return forge.pki.privateKeyFromPem(pkcs1);
}

function toForgePublicKey(spkiPem: string): forge.pki.rsa.PublicKey {
  return forge.pki.publicKeyFromPem(spkiPem) as forge.pki.rsa.PublicKey;
}

function createCa(): { certPem: string; keyPem: string } {
  const { privateKeyPem, publicKeyPem } = generateRsa(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = toForgePublicKey(publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: `cses-cert-wizard Sandbox CA ${randomBytes(3).toString('hex')}` },
    { name: 'organizationName', value: 'cses-cert-wizard sandbox (local only)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(toForgeKey(privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

function createServerCert(caCertPem: string, caKeyPem: string): { certPem: string; keyPem: string } {
  const { privateKeyPem, publicKeyPem } = generateRsa(2048);
  const ca = forge.pki.certificateFromPem(caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = toForgePublicKey(publicKeyPem);
  cert.serialNumber = randomSerialHex();
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 397 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 2, value: '*.vault.localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(toForgeKey(caKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

function keyMatches(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function serverCertUsable(certPem: string, caPem: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.verify(ca.publicKey)) return false;
    if (new Date(cert.validTo).getTime() < Date.now() + 24 * 3600 * 1000) return false;
    return cert.checkHost('x.vault.localhost') !== undefined && cert.checkIP('127.0.0.1') !== undefined;
  } catch {
    return false;
  }
}

/** Loads or creates the CA, the server certificate and the token-signing key under the state directory. */
export function ensureTls(stateDir: string): TlsMaterial {
  const caFile = resolve(join(stateDir, 'ca.pem'));
  const caKeyFile = join(stateDir, 'ca-key.pem');
  const certFile = join(stateDir, 'server.pem');
  const keyFile = join(stateDir, 'server-key.pem');
  let caPem = readIfExists(caFile);
  let caKeyPem = readIfExists(caKeyFile);
  if (caPem && caKeyPem && !keyMatches(caPem, caKeyPem)) {
    log('ca.pem and ca-key.pem do not belong together; creating a new CA');
    caPem = undefined;
  }
  if (!caPem || !caKeyPem) {
    log('creating a new local CA at', caFile);
    const ca = createCa();
    caPem = ca.certPem;
    caKeyPem = ca.keyPem;
    writeFileAtomic(caKeyFile, caKeyPem);
    writeFileAtomic(caFile, caPem, 0o644);
  }
  let certPem = readIfExists(certFile);
  let keyPem = readIfExists(keyFile);
  if (!certPem || !keyPem || !serverCertUsable(certPem, caPem) || !keyMatches(certPem, keyPem)) {
    log('issuing the server certificate (localhost, *.vault.localhost, 127.0.0.1, ::1)');
    const sc = createServerCert(caPem, caKeyPem);
    certPem = sc.certPem;
    keyPem = sc.keyPem;
    writeFileAtomic(keyFile, keyPem);
    writeFileAtomic(certFile, certPem, 0o644);
  }
  return { caFile, caPem, certPem: certPem + caPem, keyPem };
}

export function ensureSigningKey(stateDir: string): SigningKey {
  const file = join(stateDir, 'token-signing-key.pem');
  let pem = readIfExists(file);
  if (!pem) {
    pem = generateRsa(2048).privateKeyPem;
    writeFileAtomic(file, pem);
  }
  const spkiDer = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(spkiDer).digest('base64url').slice(0, 27);
  return { kid, privateKeyPem: pem };
}

/** How many RSA keys a start in this state dir will have to generate (CA, server, signing key, app credential). */
export function missingKeyCount(stateDir: string): number {
  const has = (f: string) => readIfExists(join(stateDir, f)) !== undefined;
  let n = 0;
  if (!has('ca.pem') || !has('ca-key.pem'))
    n += 2; // a new CA also means a new server certificate
  else if (!has('server.pem') || !has('server-key.pem')) n += 1;
  if (!has('token-signing-key.pem')) n += 1;
  if (!has('app-credential.pem')) n += 1;
  return n;
}
