#!/usr/bin/env node
/**
 * Generates the PFX/PEM/DER test vectors for lib/certs into lib/certs/__vectors__/ and writes expected.json with
 * expectations taken from OpenSSL (thumbprints from `openssl x509 -fingerprint -sha1`, MAC/encryption from
 * `openssl pkcs12 -info`), never from lib/certs itself.
 *
 * Usage: node scripts/make-cert-vectors.mjs            (needs the `openssl` 3.x CLI and node-forge)
 * The PEM-source vectors (pem/) come from scripts/make-pem-vectors.mjs, run at the end (or alone).
 * Keys are random, so every run produces new files: commit the result of one run.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { makePemVectors } from './make-pem-vectors.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'lib/certs/__vectors__');
const TMP = mkdtempSync(join(tmpdir(), 'cert-vectors-'));
const tmp = (n) => join(TMP, n);

function openssl(args, opts = {}) {
  return execFileSync('openssl', args, { cwd: TMP, stdio: ['pipe', 'pipe', 'pipe'], ...opts }).toString();
}

function thumbprint(certPem) {
  const out = openssl(['x509', '-in', certPem, '-noout', '-fingerprint', '-sha1']);
  return out.trim().split('=')[1].replace(/:/g, '').toUpperCase();
}

/** Serial and SHA-256 fingerprint as OpenSSL prints them. */
function facts(certPem) {
  const serial = openssl(['x509', '-in', certPem, '-noout', '-serial']).trim().split('=')[1].toUpperCase();
  const sha256 = openssl(['x509', '-in', certPem, '-noout', '-fingerprint', '-sha256'])
    .trim()
    .split('=')[1]
    .replace(/:/g, '')
    .toUpperCase();
  return { serial, sha256 };
}

function dates(certPem) {
  const out = openssl(['x509', '-in', certPem, '-noout', '-startdate', '-enddate']);
  const nb = /notBefore=(.*)/.exec(out)[1];
  const na = /notAfter=(.*)/.exec(out)[1];
  return { notBefore: new Date(nb).toISOString(), notAfter: new Date(na).toISOString() };
}

/** MAC and encryption as OpenSSL reports them (`openssl pkcs12 -info`). */
function pfxInfo(file, password, legacy = false) {
  const args = ['pkcs12', '-in', file, '-info', '-noout', '-passin', `pass:${password ?? ''}`];
  if (legacy) args.push('-legacy');
  let out;
  try {
    out = execFileSync('openssl', args, { cwd: TMP, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
    out += '';
  } catch (e) {
    out = (e.stdout?.toString() ?? '') + (e.stderr?.toString() ?? '');
  }
  // `-info` prints to stderr in OpenSSL 3.
  try {
    out = execFileSync('sh', ['-c', `openssl ${args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')} 2>&1`], {
      cwd: TMP,
    }).toString();
  } catch (e) {
    out = e.stdout?.toString() ?? out;
  }
  const lines = out.split('\n').filter((l) => /^(MAC:|PKCS7 Encrypted data:|Shrouded Keybag:|PKCS7 Data)/.test(l));
  const mac = /^MAC: (\S+?),? Iteration (\d+)/m.exec(out);
  return { lines, mac: mac ? { algorithm: mac[1], iterations: Number(mac[2]) } : null };
}

const ext = (name, body) => {
  writeFileSync(tmp(name), body);
  return name;
};

// ------------------------------------------------------------------------------------------------ CA + leaves
const DAYS = '36500';
openssl([
  'req',
  '-x509',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'root.key',
  '-out',
  'root.pem',
  '-days',
  DAYS,
  '-sha256',
  '-subj',
  '/C=US/O=cses-cert-wizard tests/CN=Vector Test Root CA',
  '-addext',
  'basicConstraints=critical,CA:TRUE',
  '-addext',
  'keyUsage=critical,keyCertSign,cRLSign',
]);
ext(
  'ca.ext',
  'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
);
openssl([
  'req',
  '-new',
  '-newkey',
  'rsa:2048',
  '-nodes',
  '-keyout',
  'int.key',
  '-out',
  'int.csr',
  '-subj',
  '/C=US/O=cses-cert-wizard tests/CN=Vector Test Intermediate CA',
]);
openssl([
  'x509',
  '-req',
  '-in',
  'int.csr',
  '-CA',
  'root.pem',
  '-CAkey',
  'root.key',
  '-set_serial',
  '0x1001',
  '-days',
  DAYS,
  '-sha256',
  '-extfile',
  'ca.ext',
  '-out',
  'int.pem',
]);
writeFileSync(tmp('chain.pem'), readFileSync(tmp('int.pem')) + readFileSync(tmp('root.pem')));

const KEYS = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa4096: ['-newkey', 'rsa:4096'],
  rsa1024: ['-newkey', 'rsa:1024'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};
let serial = 0x2000;
/** A leaf signed by the intermediate. */
function leaf(
  name,
  keySpec,
  { cn = `${name}.vectors.example`, eku = 'serverAuth,clientAuth', sha = '-sha256', days = DAYS } = {},
) {
  openssl([
    'req',
    '-new',
    ...KEYS[keySpec],
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/C=US/O=cses-cert-wizard tests/CN=${cn}`,
  ]);
  ext(
    `${name}.ext`,
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature${keySpec.startsWith('rsa') ? ',keyEncipherment' : ''}\n` +
      (eku ? `extendedKeyUsage=${eku}\n` : '') +
      `subjectAltName=DNS:${cn},DNS:www.${cn}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`,
  );
  openssl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'int.pem',
    '-CAkey',
    'int.key',
    '-set_serial',
    '0x' + (0x8000000000000000n + BigInt(serial++)).toString(16),
    '-days',
    days,
    sha,
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
  return { cert: `${name}.pem`, key: `${name}.key` };
}

const vectors = [];
function pkcs12(file, { cert, key, password, chain = 'chain.pem', args = [], name = 'Vector certificate' }) {
  const a = ['pkcs12', '-export', '-out', join(OUT, file), '-passout', `pass:${password ?? ''}`];
  if (cert) a.push('-in', cert);
  if (key) a.push('-inkey', key);
  else a.push('-nokeys');
  if (chain) a.push('-certfile', chain);
  if (name) a.push('-name', name);
  openssl([...a, ...args]);
}

function add(v) {
  vectors.push(v);
}
function copyOut(src, file) {
  writeFileSync(join(OUT, file), readFileSync(tmp(src)));
}

mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT, { withFileTypes: true }))
  if (f.isFile() && f.name !== '.gitattributes') unlinkSync(join(OUT, f.name)); // pem/ is made by make-pem-vectors.mjs

const rsa = leaf('rsa2048', 'rsa2048');
const rsaTp = thumbprint(rsa.cert);
const chainTps = [thumbprint('int.pem'), thumbprint('root.pem')];
const rsaFacts = facts(rsa.cert);
const base = (file, extra) => {
  const v = {
    file,
    keyType: 'RSA',
    keyBits: 2048,
    thumbprint: rsaTp,
    chainThumbprints: chainTps,
    errors: [],
    ...extra,
  };
  if (v.thumbprint === rsaTp) Object.assign(v, { serial: rsaFacts.serial, thumbprintSha256: rsaFacts.sha256 });
  return v;
};

// 1. OpenSSL 3 defaults.
pkcs12('openssl3-default.pfx', { ...rsa, password: 'Vector-Pa55' });
add(
  base('openssl3-default.pfx', {
    category: 'openssl3-default',
    password: 'Vector-Pa55',
    friendlyName: 'Vector certificate',
    warnings: ['aes-encrypted-pfx'],
  }),
);
// 2. legacy: RC2-40 certs, 3DES key, SHA-1 MAC.
pkcs12('legacy-rc2-3des.pfx', { ...rsa, password: 'Vector-Pa55', args: ['-legacy'] });
add(
  base('legacy-rc2-3des.pfx', {
    category: 'legacy',
    legacy: true,
    password: 'Vector-Pa55',
    absent: ['aes-encrypted-pfx'],
  }),
);
// 3. 3DES only (Windows "TripleDES-SHA1").
pkcs12('3des-sha1.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
});
add(base('3des-sha1.pfx', { category: '3des-only', password: 'Vector-Pa55', absent: ['aes-encrypted-pfx'] }));
// 4. no MAC.
pkcs12('no-mac.pfx', { ...rsa, password: 'Vector-Pa55', args: ['-nomac'] });
add(base('no-mac.pfx', { category: 'no-mac', password: 'Vector-Pa55', warnings: ['no-mac'] }));
// 5. unencrypted bags (MAC kept).
pkcs12('unencrypted-bags.pfx', { ...rsa, password: 'Vector-Pa55', args: ['-keypbe', 'NONE', '-certpbe', 'NONE'] });
add(base('unencrypted-bags.pfx', { category: 'unencrypted', password: 'Vector-Pa55', absent: ['aes-encrypted-pfx'] }));
// 6. unencrypted, no MAC: opens without any password.
pkcs12('unencrypted-no-mac.pfx', { ...rsa, password: '', args: ['-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac'] });
add(
  base('unencrypted-no-mac.pfx', {
    category: 'no-password',
    password: null,
    warnings: ['no-mac'],
    infos: ['no-password'],
  }),
);
// 7. empty password (OpenSSL: `-passout pass:`), OpenSSL 3 defaults and legacy.
pkcs12('empty-password.pfx', { ...rsa, password: '' });
add(
  base('empty-password.pfx', {
    category: 'empty-password',
    password: '',
    alsoOpensWith: [null],
    infos: ['no-password'],
  }),
);
pkcs12('empty-password-legacy.pfx', { ...rsa, password: '', args: ['-legacy'] });
add(
  base('empty-password-legacy.pfx', {
    category: 'empty-password',
    legacy: true,
    password: '',
    alsoOpensWith: [null],
    infos: ['no-password'],
  }),
);
// 8. non-ASCII password, OpenSSL 3 defaults (PBKDF2 over UTF-8, MAC over BMPString) and legacy.
const UNI = 'pässwörd-日本-🔑';
pkcs12('non-ascii-password.pfx', { ...rsa, password: UNI });
add(
  base('non-ascii-password.pfx', {
    category: 'non-ascii-password',
    password: UNI,
    wrongPasswords: ['passwörd-日本-🔑', 'passwort'],
  }),
);
pkcs12('non-ascii-password-legacy.pfx', { ...rsa, password: UNI, args: ['-legacy'] });
add(base('non-ascii-password-legacy.pfx', { category: 'non-ascii-password', legacy: true, password: UNI }));
// 9. 600 000 iterations (OpenSSL 3 applies -iter to PBKDF2 and to the MAC).
pkcs12('iter-600k.pfx', { ...rsa, password: 'Vector-Pa55', args: ['-iter', '600000'] });
add(base('iter-600k.pfx', { category: 'iter-600k', password: 'Vector-Pa55', slow: true }));
// 10. certificates only.
pkcs12('cert-only.pfx', { cert: rsa.cert, password: 'Vector-Pa55' });
add(base('cert-only.pfx', { category: 'no-private-key', password: 'Vector-Pa55', errors: ['no-private-key'] }));
// 11. wrong password (same file as 1, other password).
add(
  base('openssl3-default.pfx', {
    category: 'wrong-password',
    password: 'not-the-password',
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['wrong-password'],
  }),
);
add(
  base('legacy-rc2-3des.pfx', {
    category: 'wrong-password',
    legacy: true,
    password: 'not-the-password',
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['wrong-password'],
  }),
);
add(
  base('no-mac.pfx', {
    category: 'wrong-password',
    password: 'not-the-password',
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['wrong-password'],
  }),
);
add(
  base('openssl3-default.pfx', {
    category: 'wrong-password',
    password: null,
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['wrong-password'],
  }),
);

// Key sizes and curves.
const rsa4096 = leaf('rsa4096', 'rsa4096');
pkcs12('rsa4096.pfx', { ...rsa4096, password: 'Vector-Pa55' });
add({
  file: 'rsa4096.pfx',
  category: 'rsa4096',
  password: 'Vector-Pa55',
  keyType: 'RSA',
  keyBits: 4096,
  thumbprint: thumbprint(rsa4096.cert),
  chainThumbprints: chainTps,
  errors: [],
});
const p256 = leaf('ecp256', 'p256');
pkcs12('ec-p256.pfx', { ...p256, password: 'Vector-Pa55' });
add({
  file: 'ec-p256.pfx',
  category: 'ec-p256',
  password: 'Vector-Pa55',
  keyType: 'EC',
  curve: 'P-256',
  keyBits: 256,
  thumbprint: thumbprint(p256.cert),
  chainThumbprints: chainTps,
  errors: [],
});
pkcs12('ec-p256-legacy.pfx', { ...p256, password: 'Vector-Pa55', args: ['-legacy'] });
add({
  file: 'ec-p256-legacy.pfx',
  category: 'ec-p256',
  legacy: true,
  password: 'Vector-Pa55',
  keyType: 'EC',
  curve: 'P-256',
  keyBits: 256,
  thumbprint: thumbprint(p256.cert),
  chainThumbprints: chainTps,
  errors: [],
});
// P-384 key, certificate signed by a P-384 intermediate with ecdsa-with-SHA384.
openssl([
  'req',
  '-new',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-384',
  '-nodes',
  '-keyout',
  'ecint.key',
  '-out',
  'ecint.csr',
  '-subj',
  '/C=US/O=cses-cert-wizard tests/CN=Vector Test EC Intermediate CA',
]);
openssl([
  'x509',
  '-req',
  '-in',
  'ecint.csr',
  '-CA',
  'root.pem',
  '-CAkey',
  'root.key',
  '-set_serial',
  '0x1002',
  '-days',
  DAYS,
  '-sha256',
  '-extfile',
  'ca.ext',
  '-out',
  'ecint.pem',
]);
openssl([
  'req',
  '-new',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-384',
  '-nodes',
  '-keyout',
  'ecp384.key',
  '-out',
  'ecp384.csr',
  '-subj',
  '/C=US/O=cses-cert-wizard tests/CN=ecp384.vectors.example',
]);
ext(
  'ecp384.ext',
  'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:ecp384.vectors.example\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
);
openssl([
  'x509',
  '-req',
  '-in',
  'ecp384.csr',
  '-CA',
  'ecint.pem',
  '-CAkey',
  'ecint.key',
  '-set_serial',
  '0x3001',
  '-days',
  DAYS,
  '-sha384',
  '-extfile',
  'ecp384.ext',
  '-out',
  'ecp384.pem',
]);
writeFileSync(tmp('ecchain.pem'), readFileSync(tmp('ecint.pem')) + readFileSync(tmp('root.pem')));
pkcs12('ec-p384.pfx', { cert: 'ecp384.pem', key: 'ecp384.key', chain: 'ecchain.pem', password: 'Vector-Pa55' });
add({
  file: 'ec-p384.pfx',
  category: 'ec-p384',
  password: 'Vector-Pa55',
  keyType: 'EC',
  curve: 'P-384',
  keyBits: 384,
  signatureAlgorithm: 'ecdsa-with-SHA384',
  thumbprint: thumbprint('ecp384.pem'),
  chainThumbprints: [thumbprint('ecint.pem'), thumbprint('root.pem')],
  errors: [],
});
pkcs12('ec-p384-3des.pfx', {
  cert: 'ecp384.pem',
  key: 'ecp384.key',
  chain: 'ecchain.pem',
  password: 'Vector-Pa55',
  args: ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
});
add({
  file: 'ec-p384-3des.pfx',
  category: 'ec-p384',
  password: 'Vector-Pa55',
  keyType: 'EC',
  curve: 'P-384',
  keyBits: 384,
  thumbprint: thumbprint('ecp384.pem'),
  chainThumbprints: [thumbprint('ecint.pem'), thumbprint('root.pem')],
  errors: [],
});

// Two unrelated leaf certificates.
const other = leaf('other', 'rsa2048', { cn: 'unrelated.vectors.example' });
writeFileSync(tmp('chain-plus-other.pem'), readFileSync(tmp('chain.pem')) + readFileSync(tmp(other.cert)));
pkcs12('two-leaves.pfx', { ...rsa, chain: 'chain-plus-other.pem', password: 'Vector-Pa55' });
add(
  base('two-leaves.pfx', {
    category: 'multiple-leaf-certificates',
    password: 'Vector-Pa55',
    chainThumbprints: undefined,
    errors: ['multiple-leaf-certificates'],
  }),
);
pkcs12('two-leaves-no-key.pfx', { cert: rsa.cert, chain: 'chain-plus-other.pem', password: 'Vector-Pa55' });
add(
  base('two-leaves-no-key.pfx', {
    category: 'multiple-leaf-certificates',
    password: 'Vector-Pa55',
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['multiple-leaf-certificates', 'no-private-key'],
  }),
);

// Weak: RSA 1024 + SHA-1 signature; no serverAuth EKU.
const weak = leaf('weak', 'rsa1024', { sha: '-sha1' });
pkcs12('rsa1024-sha1.pfx', { ...weak, password: 'Vector-Pa55', args: ['-legacy'] });
add({
  file: 'rsa1024-sha1.pfx',
  category: 'weak',
  legacy: true,
  password: 'Vector-Pa55',
  keyType: 'RSA',
  keyBits: 1024,
  signatureAlgorithm: 'sha1WithRSAEncryption',
  thumbprint: thumbprint(weak.cert),
  chainThumbprints: chainTps,
  errors: [],
  warnings: ['weak-rsa-key', 'sha1-signature'],
});
const client = leaf('clientonly', 'rsa2048', { eku: 'clientAuth' });
pkcs12('no-server-auth.pfx', { ...client, password: 'Vector-Pa55' });
add({
  file: 'no-server-auth.pfx',
  category: 'missing-server-auth-eku',
  password: 'Vector-Pa55',
  keyType: 'RSA',
  keyBits: 2048,
  thumbprint: thumbprint(client.cert),
  chainThumbprints: chainTps,
  errors: [],
  warnings: ['missing-server-auth-eku'],
});

// Unsupported PBES2 cipher (Camellia).
pkcs12('camellia.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-keypbe', 'camellia-256-cbc', '-certpbe', 'camellia-256-cbc'],
});
add(
  base('camellia.pfx', {
    category: 'unsupported-algorithm',
    password: 'Vector-Pa55',
    thumbprint: null,
    chainThumbprints: undefined,
    errors: ['unsupported-algorithm'],
  }),
);
// Other supported variants: AES-128 + SHA-1 MAC, 3DES in PBES2, SHA-512 MAC.
pkcs12('aes128-sha1mac.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-keypbe', 'aes-128-cbc', '-certpbe', 'aes-128-cbc', '-macalg', 'sha1'],
});
add(base('aes128-sha1mac.pfx', { category: 'variants', password: 'Vector-Pa55', warnings: ['aes-encrypted-pfx'] }));
pkcs12('pbes2-3des-sha512mac.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-keypbe', 'des-ede3-cbc', '-certpbe', 'des-ede3-cbc', '-macalg', 'sha512'],
});
add(base('pbes2-3des-sha512mac.pfx', { category: 'variants', password: 'Vector-Pa55', absent: ['aes-encrypted-pfx'] }));

// ------------------------------------------------------------------------------------------------ node-forge vectors
const pem = (f) => readFileSync(tmp(f), 'utf8');
const forgeKey = (f) => forge.pki.privateKeyFromPem(pem(f));
const forgeCert = (f) => forge.pki.certificateFromPem(pem(f));
const der = (asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
const intKey = forgeKey('int.key');
const intCert = forgeCert('int.pem');
function forgeLeaf(name, notBefore, notAfter) {
  const key = forgeKey(rsa.key);
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  c.serialNumber = '0' + (serial++).toString(16);
  c.validity.notBefore = notBefore;
  c.validity.notAfter = notAfter;
  c.setSubject([
    { name: 'countryName', value: 'US' },
    { name: 'organizationName', value: 'cses-cert-wizard tests' },
    { name: 'commonName', value: `${name}.vectors.example` },
  ]);
  c.setIssuer(intCert.subject.attributes);
  c.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: `${name}.vectors.example` }] },
  ]);
  c.sign(intKey, forge.md.sha256.create());
  writeFileSync(tmp(`${name}.pem`), forge.pki.certificateToPem(c));
  return { cert: `${name}.pem`, key: rsa.key };
}
// Expired (2020–2021) and not yet valid (2098–2099) leaves, exported by OpenSSL.
const expired = forgeLeaf('expired', new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
pkcs12('expired.pfx', { ...expired, password: 'Vector-Pa55' });
add(
  base('expired.pfx', {
    category: 'expired',
    password: 'Vector-Pa55',
    thumbprint: thumbprint(expired.cert),
    ...dates(expired.cert),
    errors: ['expired'],
  }),
);
const future = forgeLeaf('future', new Date('2098-01-01T00:00:00Z'), new Date('2099-01-01T00:00:00Z'));
pkcs12('not-yet-valid.pfx', { ...future, password: 'Vector-Pa55' });
add(
  base('not-yet-valid.pfx', {
    category: 'not-yet-valid',
    password: 'Vector-Pa55',
    thumbprint: thumbprint(future.cert),
    ...dates(future.cert),
    errors: [],
    warnings: ['not-yet-valid'],
  }),
);
// Expires soon: the long-lived default vector, inspected 10 days before its notAfter (tests pass options.now).
add(
  base('openssl3-default.pfx', {
    category: 'expires-soon',
    password: 'Vector-Pa55',
    nowDaysBeforeNotAfter: 10,
    ...dates(rsa.cert),
    warnings: ['expires-soon'],
  }),
);

// Key that does not match the certificate (OpenSSL refuses to build this; node-forge does).
const otherKey = forgeKey(other.key);
const mismatch = forge.pkcs12.toPkcs12Asn1(otherKey, [forgeCert(rsa.cert)], 'Vector-Pa55', { algorithm: '3des' });
writeFileSync(join(OUT, 'key-mismatch.pfx'), der(mismatch));
add(
  base('key-mismatch.pfx', {
    category: 'key-mismatch',
    password: 'Vector-Pa55',
    chainThumbprints: [],
    errors: ['key-mismatch'],
  }),
);
// No password at all (node-forge: PKCS#12 KDF over an empty password, not the BMP NUL terminator).
const nopw = forge.pkcs12.toPkcs12Asn1(forgeKey(rsa.key), [forgeCert(rsa.cert)], null, { algorithm: '3des' });
writeFileSync(join(OUT, 'forge-no-password.pfx'), der(nopw));
add(
  base('forge-no-password.pfx', {
    category: 'no-password',
    password: null,
    alsoOpensWith: [''],
    chainThumbprints: [],
    infos: ['no-password'],
  }),
);
// Non-ASCII password in the byte-wise form of OpenSSL 1.x (each UTF-8 byte one BMP character): node-forge's PKCS#12
// KDF takes the JS string's char codes, so handing it the UTF-8 bytes as a binary string reproduces that form.
const legacyUtf8 = forge.pkcs12.toPkcs12Asn1(forgeKey(rsa.key), [forgeCert(rsa.cert)], forge.util.encodeUtf8(UNI), {
  algorithm: '3des',
});
writeFileSync(join(OUT, 'forge-legacy-utf8-password.pfx'), der(legacyUtf8));
add(
  base('forge-legacy-utf8-password.pfx', {
    category: 'non-ascii-password',
    password: UNI,
    chainThumbprints: [],
    warnings: ['legacy-password-encoding'],
    verifyWithOpenssl: false,
  }),
);
// Chain in "wrong" order and no localKeyId: the leaf must be found by its public key.
const shuffled = forge.pkcs12.toPkcs12Asn1(
  forgeKey(rsa.key),
  [forgeCert('root.pem'), forgeCert(rsa.cert), forgeCert('int.pem')],
  'Vector-Pa55',
  { algorithm: '3des', generateLocalKeyId: false },
);
writeFileSync(join(OUT, 'chain-shuffled-no-localkeyid.pfx'), der(shuffled));
add(
  base('chain-shuffled-no-localkeyid.pfx', {
    category: 'chain-order',
    password: 'Vector-Pa55',
    verifyWithOpenssl: false,
  }),
);

// Leaf last, with localKeyId, unencrypted/no MAC: reorder the bags of an OpenSSL file.
pkcs12('plain.pfx', { ...rsa, password: '', args: ['-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac'] });
{
  const asn1 = forge.asn1.fromDer(readFileSync(join(OUT, 'plain.pfx')).toString('binary'));
  unlinkSync(join(OUT, 'plain.pfx'));
  const authSafeOctets = asn1.value[1].value[1].value[0];
  const authSafe = forge.asn1.fromDer(authSafeOctets.value);
  // authSafe: [certs ContentInfo, key ContentInfo] → [key, certs], and the certs reversed (root, int, leaf).
  const reorderBags = (ci) => {
    const octs = ci.value[1].value[0];
    const sc = forge.asn1.fromDer(octs.value);
    sc.value.reverse();
    octs.value = forge.asn1.toDer(sc).getBytes();
  };
  reorderBags(authSafe.value[0]);
  authSafe.value.reverse();
  authSafeOctets.value = forge.asn1.toDer(authSafe).getBytes();
  writeFileSync(join(OUT, 'leaf-last.pfx'), der(asn1));
}
add(
  base('leaf-last.pfx', {
    category: 'chain-order',
    password: null,
    alsoOpensWith: [''],
    warnings: ['no-mac'],
    infos: ['leaf-not-first'],
  }),
);

// More PKCS#12 PBE variants (RC2-128, RC4-128, 2-key 3DES) — exercised by old Windows/Java/NSS exports.
pkcs12('rc2-128.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-legacy', '-certpbe', 'PBE-SHA1-RC2-128', '-keypbe', 'PBE-SHA1-RC2-128'],
});
add(base('rc2-128.pfx', { category: 'legacy', legacy: true, password: 'Vector-Pa55' }));
pkcs12('rc4-2des.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-legacy', '-certpbe', 'PBE-SHA1-RC4-128', '-keypbe', 'PBE-SHA1-2DES'],
});
add(base('rc4-2des.pfx', { category: 'legacy', legacy: true, password: 'Vector-Pa55' }));
// Password longer than Key Vault's 200 characters.
const LONG = 'L0ng-'.repeat(41);
pkcs12('long-password.pfx', { ...rsa, password: LONG });
add(base('long-password.pfx', { category: 'password-too-long', password: LONG, errors: ['password-too-long'] }));
// Trailing garbage after the PFX.
writeFileSync(
  join(OUT, 'trailing-data.pfx'),
  Buffer.concat([readFileSync(join(OUT, 'openssl3-default.pfx')), Buffer.alloc(16, 0)]),
);
add(
  base('trailing-data.pfx', {
    category: 'trailing-data',
    password: 'Vector-Pa55',
    warnings: ['trailing-data'],
    verifyWithOpenssl: false,
  }),
);
// Ed25519 key: Key Vault accepts only RSA and EC.
openssl([
  'req',
  '-x509',
  '-newkey',
  'ed25519',
  '-nodes',
  '-keyout',
  'ed.key',
  '-out',
  'ed.pem',
  '-days',
  DAYS,
  '-subj',
  '/CN=ed25519.vectors.example',
  '-addext',
  'subjectAltName=DNS:ed25519.vectors.example',
]);
pkcs12('ed25519.pfx', { cert: 'ed.pem', key: 'ed.key', chain: null, password: 'Vector-Pa55' });
add({
  file: 'ed25519.pfx',
  category: 'unsupported-key-type',
  password: 'Vector-Pa55',
  thumbprint: thumbprint('ed.pem'),
  errors: ['unsupported-key-type'],
  infos: ['self-signed'],
});
// Java keytool (PKCS12 keystore: PBES2/AES-256 with HmacPBESHA256 MAC, 10 000 iterations on Java 17+), self-signed.
try {
  execFileSync(
    'keytool',
    [
      '-genkeypair',
      '-alias',
      'vector',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-validity',
      DAYS,
      '-dname',
      'CN=java.vectors.example, O=cses-cert-wizard tests',
      '-ext',
      'san=dns:java.vectors.example',
      '-ext',
      'eku=serverAuth',
      '-storetype',
      'PKCS12',
      '-keystore',
      join(OUT, 'java-keytool.p12'),
      '-storepass',
      'Vector-Pa55',
      '-keypass',
      'Vector-Pa55',
    ],
    { stdio: 'pipe' },
  );
  const certOut = execFileSync(
    'sh',
    [
      '-c',
      `openssl pkcs12 -in '${join(OUT, 'java-keytool.p12')}' -nokeys -passin pass:Vector-Pa55 | openssl x509 -out java.pem`,
    ],
    { cwd: TMP, stdio: 'pipe' },
  );
  void certOut;
  add({
    file: 'java-keytool.p12',
    category: 'java-keytool',
    password: 'Vector-Pa55',
    keyType: 'RSA',
    keyBits: 2048,
    thumbprint: thumbprint('java.pem'),
    errors: [],
    infos: ['self-signed'],
  });
} catch {
  console.warn('keytool not available: skipping the Java vector');
}
// Expired intermediate (valid leaf): a warning, not an error.
{
  const rootKey = forgeKey('root.key');
  const rootCert = forgeCert('root.pem');
  const ik = forge.pki.rsa.generateKeyPair(2048);
  const ic = forge.pki.createCertificate();
  ic.publicKey = ik.publicKey;
  ic.serialNumber = '0' + (serial++).toString(16);
  ic.validity.notBefore = new Date('2015-01-01T00:00:00Z');
  ic.validity.notAfter = new Date('2020-01-01T00:00:00Z');
  ic.setSubject([{ name: 'commonName', value: 'Vector Expired Intermediate CA' }]);
  ic.setIssuer(rootCert.subject.attributes);
  ic.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ic.sign(rootKey, forge.md.sha256.create());
  const lc = forge.pki.createCertificate();
  const lk = forgeKey(rsa.key);
  lc.publicKey = forge.pki.setRsaPublicKey(lk.n, lk.e);
  lc.serialNumber = '0' + (serial++).toString(16);
  lc.validity.notBefore = new Date('2015-06-01T00:00:00Z');
  lc.validity.notAfter = new Date('2099-01-01T00:00:00Z');
  lc.setSubject([{ name: 'commonName', value: 'old-chain.vectors.example' }]);
  lc.setIssuer(ic.subject.attributes);
  lc.setExtensions([
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'old-chain.vectors.example' }] },
  ]);
  lc.sign(ik.privateKey, forge.md.sha256.create());
  writeFileSync(tmp('oldint.pem'), forge.pki.certificateToPem(ic));
  writeFileSync(tmp('oldleaf.pem'), forge.pki.certificateToPem(lc));
  writeFileSync(tmp('oldchain.pem'), forge.pki.certificateToPem(ic) + pem('root.pem'));
  pkcs12('expired-intermediate.pfx', {
    cert: 'oldleaf.pem',
    key: rsa.key,
    chain: 'oldchain.pem',
    password: 'Vector-Pa55',
  });
  add({
    file: 'expired-intermediate.pfx',
    category: 'chain-certificate-expired',
    password: 'Vector-Pa55',
    keyType: 'RSA',
    keyBits: 2048,
    thumbprint: thumbprint('oldleaf.pem'),
    chainThumbprints: [thumbprint('oldint.pem'), thumbprint('root.pem')],
    errors: [],
    warnings: ['chain-certificate-expired'],
  });
}
// An intermediate with the right name but another key (a different CA generation): the chain does not verify.
{
  const rootKey = forgeKey('root.key');
  const rootCert = forgeCert('root.pem');
  const fk = forge.pki.rsa.generateKeyPair(2048);
  const fc = forge.pki.createCertificate();
  fc.publicKey = fk.publicKey;
  fc.serialNumber = '0' + (serial++).toString(16);
  fc.validity.notBefore = new Date('2024-01-01T00:00:00Z');
  fc.validity.notAfter = new Date('2124-01-01T00:00:00Z');
  fc.setSubject(intCert.subject.attributes);
  fc.setIssuer(rootCert.subject.attributes);
  fc.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  fc.sign(rootKey, forge.md.sha256.create());
  writeFileSync(tmp('fakeint.pem'), forge.pki.certificateToPem(fc));
  writeFileSync(tmp('fakechain.pem'), forge.pki.certificateToPem(fc) + pem('root.pem'));
  const noAki = forgeLeaf('other-generation', new Date('2024-01-01T00:00:00Z'), new Date('2124-01-01T00:00:00Z'));
  pkcs12('wrong-intermediate.pfx', { ...noAki, chain: 'fakechain.pem', password: 'Vector-Pa55' });
  add(
    base('wrong-intermediate.pfx', {
      category: 'chain-signature-invalid',
      password: 'Vector-Pa55',
      thumbprint: thumbprint(noAki.cert),
      chainThumbprints: [thumbprint('fakeint.pem'), thumbprint('root.pem')],
      warnings: ['chain-signature-invalid'],
    }),
  );
  // The same leaf with the real intermediate verifies.
  pkcs12('right-intermediate.pfx', { ...noAki, password: 'Vector-Pa55' });
  add(
    base('right-intermediate.pfx', {
      category: 'chain-signature-invalid',
      password: 'Vector-Pa55',
      thumbprint: thumbprint(noAki.cert),
      absent: ['chain-signature-invalid'],
    }),
  );
}
// Two private keys (and two leaves): merge the bags of two unencrypted OpenSSL files.
pkcs12('plain-a.pfx', { ...rsa, chain: null, password: '', args: ['-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac'] });
pkcs12('plain-b.pfx', { ...other, chain: null, password: '', args: ['-keypbe', 'NONE', '-certpbe', 'NONE', '-nomac'] });
{
  const a = forge.asn1.fromDer(readFileSync(join(OUT, 'plain-a.pfx')).toString('binary'));
  const b = forge.asn1.fromDer(readFileSync(join(OUT, 'plain-b.pfx')).toString('binary'));
  unlinkSync(join(OUT, 'plain-a.pfx'));
  unlinkSync(join(OUT, 'plain-b.pfx'));
  const aOct = a.value[1].value[1].value[0];
  const bOct = b.value[1].value[1].value[0];
  const aSafe = forge.asn1.fromDer(aOct.value);
  const bSafe = forge.asn1.fromDer(bOct.value);
  aSafe.value.push(...bSafe.value);
  aOct.value = forge.asn1.toDer(aSafe).getBytes();
  writeFileSync(join(OUT, 'two-keys.pfx'), der(a));
}
add(
  base('two-keys.pfx', {
    category: 'multiple-private-keys',
    password: null,
    chainThumbprints: undefined,
    errors: ['multiple-private-keys', 'multiple-leaf-certificates'],
    verifyWithOpenssl: false,
  }),
);
// BER: the OpenSSL default file re-encoded with indefinite lengths and a chunked OCTET STRING (as Java/NSS may write).
{
  const src = forge.asn1.fromDer(readFileSync(join(OUT, 'openssl3-default.pfx')).toString('binary'));
  const hdr = (tagByte, len) => {
    if (len === null) return Buffer.from([tagByte, 0x80]);
    if (len < 0x80) return Buffer.from([tagByte, len]);
    const bytes = [];
    for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
    return Buffer.from([tagByte, 0x80 | bytes.length, ...bytes]);
  };
  const EOC = Buffer.from([0, 0]);
  const indef = (tagByte, parts) => Buffer.concat([hdr(tagByte, null), ...parts, EOC]);
  const authSafe = Buffer.from(src.value[1].value[1].value[0].value, 'binary');
  const chunks = [];
  for (let i = 0; i < authSafe.length; i += 1000) {
    const c = authSafe.subarray(i, i + 1000);
    chunks.push(Buffer.concat([hdr(0x04, c.length), c]));
  }
  const contentInfo = indef(0x30, [der(src.value[1].value[0]), indef(0xa0, [indef(0x24, chunks)])]);
  const pfx = indef(0x30, [der(src.value[0]), contentInfo, der(src.value[2])]);
  writeFileSync(join(OUT, 'ber-indefinite.pfx'), pfx);
}
add(base('ber-indefinite.pfx', { category: 'ber-encoding', password: 'Vector-Pa55', warnings: ['aes-encrypted-pfx'] }));

// PBMAC1 (RFC 9579; OpenSSL 3.4+ `-pbmac1_pbkdf2`, not available in 3.0): the OpenSSL default file with its MAC
// replaced by PBKDF2-HMAC-SHA256 → HMAC-SHA256 over the authSafe, computed here with node:crypto.
{
  const A = forge.asn1;
  const src = A.fromDer(readFileSync(join(OUT, 'openssl3-default.pfx')).toString('binary'));
  const authSafe = Buffer.from(src.value[1].value[1].value[0].value, 'binary');
  const salt = randomBytes(16);
  const iter = 2048;
  const key = pbkdf2Sync(Buffer.from('Vector-Pa55', 'utf8'), salt, iter, 32, 'sha256');
  const mac = createHmac('sha256', key).update(authSafe).digest();
  const oidNode = (o) => A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(o).getBytes());
  const octs = (b) => A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, b.toString('binary'));
  const int = (n) => A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, A.integerToDer(n).getBytes());
  const seqOf = (...x) => A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, x);
  const nul = () => A.create(A.Class.UNIVERSAL, A.Type.NULL, false, '');
  const hmacSha256 = () => seqOf(oidNode('1.2.840.113549.2.9'), nul());
  const params = seqOf(
    seqOf(oidNode('1.2.840.113549.1.5.12'), seqOf(octs(salt), int(iter), int(32), hmacSha256())),
    hmacSha256(),
  );
  src.value[2] = seqOf(
    seqOf(seqOf(oidNode('1.2.840.113549.1.5.14'), params), octs(mac)),
    octs(randomBytes(8)),
    int(iter),
  );
  writeFileSync(join(OUT, 'pbmac1.pfx'), der(src));
}
add(
  base('pbmac1.pfx', {
    category: 'pbmac1',
    password: 'Vector-Pa55',
    warnings: ['pbmac1-mac', 'aes-encrypted-pfx'],
    wrongPasswords: ['not-the-password'],
    verifyWithOpenssl: false,
    macAlgorithm: 'PBMAC1/PBKDF2-HMAC-SHA256/HMAC-SHA256',
  }),
);

// Absurd iteration count (50 000 000) in the MAC of an otherwise unencrypted file: refused, not computed.
{
  const A = forge.asn1;
  const src = A.fromDer(readFileSync(join(OUT, 'unencrypted-bags.pfx')).toString('binary'));
  src.value[2].value[2] = A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, A.integerToDer(50_000_000).getBytes());
  writeFileSync(join(OUT, 'excessive-iterations.pfx'), der(src));
}
add(
  base('excessive-iterations.pfx', {
    category: 'excessive-iterations',
    password: 'Vector-Pa55',
    errors: ['excessive-iterations'],
    verifyWithOpenssl: false,
  }),
);

// Mixed: certificates under PBES2/AES, key under PKCS#12 3DES.
pkcs12('mixed-aes-certs-3des-key.pfx', {
  ...rsa,
  password: 'Vector-Pa55',
  args: ['-certpbe', 'AES-256-CBC', '-keypbe', 'PBE-SHA1-3DES'],
});
add(
  base('mixed-aes-certs-3des-key.pfx', {
    category: 'variants',
    password: 'Vector-Pa55',
    warnings: ['aes-encrypted-pfx'],
  }),
);
// Modified after export: one character of the key bag's friendly name changed, so the MAC no longer matches while
// the password still decrypts everything.
{
  // 3des-sha1.pfx: certificates encrypted, the key bag (with its plain friendlyName attribute) shrouded.
  const b = Buffer.from(readFileSync(join(OUT, '3des-sha1.pfx')));
  const needle = Buffer.from('Vector certificate', 'utf16le').swap16(); // BMPString is UTF-16BE
  const at = b.indexOf(needle);
  if (at < 0) throw new Error('friendly name not found');
  b[at + 1] = 'W'.charCodeAt(0);
  writeFileSync(join(OUT, 'tampered.pfx'), b);
}
add(base('tampered.pfx', { category: 'corrupt', password: 'Vector-Pa55', errors: ['corrupt'] }));

// ------------------------------------------------------------------------------------------------ not PKCS#12
writeFileSync(join(OUT, 'cert-and-key.pem'), pem(rsa.cert) + openssl(['pkey', '-in', rsa.key]));
add(
  base('cert-and-key.pem', {
    category: 'not-pkcs12',
    detected: 'pem',
    canBuildPfx: true,
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
writeFileSync(join(OUT, 'cert-only.pem'), pem(rsa.cert) + pem('chain.pem'));
add(
  base('cert-only.pem', {
    category: 'not-pkcs12',
    detected: 'pem',
    canBuildPfx: false,
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
writeFileSync(join(OUT, 'ec-cert-and-key.pem'), pem(p256.cert) + pem(p256.key));
add({
  file: 'ec-cert-and-key.pem',
  category: 'not-pkcs12',
  detected: 'pem',
  canBuildPfx: true,
  password: null,
  keyType: 'EC',
  curve: 'P-256',
  thumbprint: thumbprint(p256.cert),
  errors: ['not-pkcs12'],
});
writeFileSync(join(OUT, 'cert-and-pkcs1-key.pem'), pem(rsa.cert) + openssl(['rsa', '-in', rsa.key, '-traditional']));
add(
  base('cert-and-pkcs1-key.pem', {
    category: 'not-pkcs12',
    detected: 'pem',
    canBuildPfx: true,
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
writeFileSync(join(OUT, 'ec-cert-and-sec1-key.pem'), pem(p256.cert) + openssl(['ec', '-in', p256.key]));
add({
  file: 'ec-cert-and-sec1-key.pem',
  category: 'not-pkcs12',
  detected: 'pem',
  canBuildPfx: true,
  password: null,
  keyType: 'EC',
  curve: 'P-256',
  thumbprint: thumbprint(p256.cert),
  errors: ['not-pkcs12'],
});
writeFileSync(
  join(OUT, 'cert-and-encrypted-key.pem'),
  pem(rsa.cert) + openssl(['pkcs8', '-topk8', '-in', rsa.key, '-passout', 'pass:Vector-Pa55']),
);
add(
  base('cert-and-encrypted-key.pem', {
    category: 'not-pkcs12',
    detected: 'pem',
    canBuildPfx: false,
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
openssl(['crl2pkcs7', '-nocrl', '-certfile', 'chain.pem', '-outform', 'DER', '-out', 'chain.p7b']);
copyOut('chain.p7b', 'chain.p7b');
add({
  file: 'chain.p7b',
  category: 'not-pkcs12',
  detected: 'unknown',
  password: null,
  thumbprint: null,
  errors: ['not-pkcs12'],
});
openssl(['x509', '-in', rsa.cert, '-outform', 'DER', '-out', 'cert.der']);
copyOut('cert.der', 'cert.der');
add(
  base('cert.der', {
    category: 'not-pkcs12',
    detected: 'der-certificate',
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
writeFileSync(join(OUT, 'base64.txt'), readFileSync(join(OUT, 'openssl3-default.pfx')).toString('base64') + '\n');
add(
  base('base64.txt', { category: 'not-pkcs12', detected: 'base64', password: 'Vector-Pa55', errors: ['not-pkcs12'] }),
);
// Windows PowerShell 5 `[Convert]::ToBase64String(...) > cert.txt` writes UTF-16LE with a BOM.
writeFileSync(
  join(OUT, 'base64-utf16.txt'),
  Buffer.from('\ufeff' + readFileSync(join(OUT, 'openssl3-default.pfx')).toString('base64') + '\r\n', 'utf16le'),
);
add(
  base('base64-utf16.txt', {
    category: 'not-pkcs12',
    detected: 'base64',
    password: 'Vector-Pa55',
    errors: ['not-pkcs12'],
  }),
);
// PEM with a UTF-8 BOM and CRLF line endings (Notepad).
writeFileSync(
  join(OUT, 'cert-and-key-crlf-bom.pem'),
  '\ufeff' + (pem(rsa.cert) + openssl(['pkey', '-in', rsa.key])).replace(/\n/g, '\r\n'),
);
add(
  base('cert-and-key-crlf-bom.pem', {
    category: 'not-pkcs12',
    detected: 'pem',
    canBuildPfx: true,
    password: null,
    chainThumbprints: undefined,
    errors: ['not-pkcs12'],
  }),
);
const rnd = Buffer.alloc(2048);
for (let i = 0; i < rnd.length; i++) rnd[i] = (i * 7919 + 13) % 251;
writeFileSync(join(OUT, 'random.bin'), rnd);
add({
  file: 'random.bin',
  category: 'not-pkcs12',
  detected: 'unknown',
  password: null,
  thumbprint: null,
  errors: ['not-pkcs12'],
});
const full = readFileSync(join(OUT, 'openssl3-default.pfx'));
writeFileSync(join(OUT, 'truncated.pfx'), full.subarray(0, Math.floor(full.length / 2)));
add({ file: 'truncated.pfx', category: 'corrupt', password: 'Vector-Pa55', thumbprint: null, errors: ['corrupt'] });
writeFileSync(join(OUT, 'empty.pfx'), Buffer.alloc(0));
add({ file: 'empty.pfx', category: 'empty-file', password: null, thumbprint: null, errors: ['empty-file'] });

// ------------------------------------------------------------------------------------------------ expectations from OpenSSL
for (const v of vectors) {
  if (
    !v.file.endsWith('.pfx') ||
    v.errors.includes('wrong-password') ||
    v.errors.includes('corrupt') ||
    v.errors.includes('empty-file') ||
    v.verifyWithOpenssl === false
  )
    continue;
  const path = join(OUT, v.file);
  const info = pfxInfo(path, v.password, v.legacy || v.file.includes('key-mismatch') || v.file.startsWith('forge-'));
  v.openssl = info;
  if (v.openssl.mac) v.macAlgorithm = v.openssl.mac.algorithm;
}
writeFileSync(
  join(OUT, 'expected.json'),
  JSON.stringify(
    { generatedBy: 'scripts/make-cert-vectors.mjs', openssl: openssl(['version']).trim(), vectors },
    null,
    2,
  ) + '\n',
);
rmSync(TMP, { recursive: true, force: true });
console.log(`wrote ${vectors.length} vector expectations to ${OUT}`);
// The PEM-source vectors (lib/certs/__vectors__/pem/); they read openssl3-default.pfx from above.
console.log(`wrote ${makePemVectors()} PEM cases to ${join(OUT, 'pem')}`);
