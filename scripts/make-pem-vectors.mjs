#!/usr/bin/env node
/**
 * Generates the PEM-source vectors for lib/certs (`inspectPem`, `buildPfxFromPem`) into lib/certs/__vectors__/pem/:
 * certificates and chains in every order, PEM and DER and PKCS#7, and private keys in every format OpenSSL writes
 * (PKCS#8, PKCS#1, SEC1; plain and encrypted, PEM and DER), plus Let's Encrypt-style files. expected.json takes its
 * facts from OpenSSL (`x509 -fingerprint`, `x509 -pubkey`, `pkey -pubout`, `-issuer`), never from lib/certs.
 *
 * Usage: node scripts/make-pem-vectors.mjs   (also run at the end of scripts/make-cert-vectors.mjs; needs openssl 3)
 * Keys are random, so every run produces new files: commit the result of one run.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'lib/certs/__vectors__/pem');
const PASS = 'Pem-Pa55-ä';

export function makePemVectors() {
  const TMP = mkdtempSync(join(tmpdir(), 'pem-vectors-'));
  const ssl = (args, input) =>
    execFileSync('openssl', args, {
      cwd: TMP,
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PW: PASS },
    });
  const tmp = (n) => join(TMP, n);
  const write = (name, data) => {
    mkdirSync(dirname(join(OUT, name)), { recursive: true });
    writeFileSync(join(OUT, name), data);
    return name;
  };
  const text = (n) => readFileSync(tmp(n), 'utf8');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  // ---------------------------------------------------------------------------------------------- CA and leaves
  const subj = (cn) => `/C=US/O=cses-cert-wizard tests/CN=${cn}`;
  ssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '36500']
      .concat(['-sha256', '-subj', subj('PEM Test Root CA'), '-addext', 'basicConstraints=critical,CA:TRUE'])
      .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
  );
  writeFileSync(
    tmp('ca.ext'),
    'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  ssl([
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
    subj('PEM Test Intermediate CA'),
  ]);
  ssl([
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
    '36500',
    '-sha256',
    '-extfile',
    'ca.ext',
    '-out',
    'int.pem',
  ]);
  let serial = 0x3000;
  const leaf = (name, newkey) => {
    const cn = `${name}.pem-vectors.example`;
    ssl(['req', '-new', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj(cn)]);
    writeFileSync(
      tmp(`${name}.ext`),
      `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature${newkey[1].startsWith('rsa') ? ',keyEncipherment' : ''}\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${cn}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n`,
    );
    ssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'int.pem',
        '-CAkey',
        'int.key',
        '-set_serial',
        `0x${(serial++).toString(16)}`,
      ].concat(['-days', '3650', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`]),
    );
  };
  leaf('rsa', ['-newkey', 'rsa:2048']);
  leaf('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  leaf('ec384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384']);
  ssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key']);

  // ---------------------------------------------------------------------------------------------- files
  const [rsa, ec, ec384, int, root] = ['rsa', 'ec', 'ec384', 'int', 'root'].map((n) => text(`${n}.pem`));
  const der = (pem, kind = 'x509') => ssl([kind, '-outform', 'DER'], pem);
  write('rsa-cert.pem', rsa);
  write('rsa-cert.cer', der(rsa));
  write('rsa-cert-der.pem', der(rsa));
  write('int.pem', int);
  write('root.pem', root);
  write('chain.pem', int);
  write('chain-full.pem', int + root);
  write('rsa-fullchain.pem', rsa + int);
  write('rsa-fullchain-root.pem', rsa + int + root);
  write('rsa-fullchain-reversed.pem', root + int + rsa);
  write('rsa-shuffled.pem', int + rsa + root);
  write('rsa-fullchain-crlf-bom.pem', '\ufeff' + (rsa + int).replace(/\n/g, '\r\n'));
  writeFileSync(tmp('all.pem'), rsa + int + root);
  write('chain.p7b', ssl(['crl2pkcs7', '-nocrl', '-certfile', 'all.pem', '-outform', 'DER']));

  const rsaKey = ssl(['pkey', '-in', 'rsa.key']).toString();
  write('rsa-key-pkcs8.pem', rsaKey);
  write('rsa-key-pkcs1.pem', ssl(['rsa', '-in', 'rsa.key', '-traditional']));
  write('rsa-key-pkcs8.der', ssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'rsa.key', '-outform', 'DER']));
  write('rsa-key-pkcs1.der', ssl(['rsa', '-in', 'rsa.key', '-traditional', '-outform', 'DER']));
  const enc = (args) => ssl(['pkcs8', '-topk8', '-in', 'rsa.key', '-passout', 'env:PW', ...args]);
  write('rsa-key-pkcs8-aes.pem', enc(['-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256']));
  write('rsa-key-pkcs8-3des.pem', enc(['-v1', 'PBE-SHA1-3DES']));
  write('rsa-key-pkcs8-aes.der', enc(['-v2', 'aes-128-cbc', '-outform', 'DER']));
  write('rsa-key-pkcs1-aes.pem', ssl(['rsa', '-in', 'rsa.key', '-traditional', '-aes256', '-passout', 'env:PW']));
  write('rsa-key-pkcs1-3des.pem', ssl(['rsa', '-in', 'rsa.key', '-traditional', '-des3', '-passout', 'env:PW']));
  write('rsa-combined.pem', rsaKey + rsa + int);
  write('rsa-combined-cert-first.pem', rsa + int + rsaKey);
  write('rsa-combined-encrypted.pem', enc(['-v2', 'aes-256-cbc']).toString() + rsa + int);
  write('other-key.pem', ssl(['pkey', '-in', 'other.key']));
  write('two-keys.pem', ssl(['pkey', '-in', 'other.key']).toString() + rsaKey);
  write('csr.pem', text('rsa.csr'));

  write('ec-fullchain.pem', ec + int);
  write('ec-key-sec1.pem', ssl(['ec', '-in', 'ec.key']));
  write('ec-key-sec1.der', ssl(['ec', '-in', 'ec.key', '-outform', 'DER']));
  write('ec-key-sec1-aes.pem', ssl(['ec', '-in', 'ec.key', '-aes256', '-passout', 'env:PW']));
  write('ec-key-pkcs8-aes.pem', ssl(['pkcs8', '-topk8', '-in', 'ec.key', '-passout', 'env:PW', '-v2', 'aes-256-cbc']));
  write('ec384-fullchain.pem', ec384 + int);
  write('ec384-key-sec1.pem', ssl(['ec', '-in', 'ec384.key']));
  // Let's Encrypt / certbot's live/<domain>/ folder: cert.pem, chain.pem, fullchain.pem, privkey.pem (PKCS#8).
  write('le/cert.pem', ec);
  write('le/chain.pem', int);
  write('le/fullchain.pem', ec + int);
  write('le/privkey.pem', ssl(['pkey', '-in', 'ec.key']));

  // ---------------------------------------------------------------------------------------------- facts from OpenSSL
  const sha256 = (b) => createHash('sha256').update(b).digest('hex');
  const certFacts = (pem) => {
    const fp = (alg) =>
      ssl(['x509', '-noout', '-fingerprint', `-${alg}`], pem)
        .toString()
        .trim()
        .split('=')[1]
        .replace(/:/g, '');
    const field = (f) =>
      ssl(['x509', '-noout', `-${f}`, '-nameopt', 'RFC2253'], pem)
        .toString()
        .trim()
        .replace(/^\w+=\s*/, '');
    const pub = ssl(['pkey', '-pubin', '-outform', 'DER'], ssl(['x509', '-noout', '-pubkey'], pem));
    return {
      thumbprint: fp('sha1'),
      thumbprintSha256: fp('sha256'),
      subject: field('subject'),
      issuer: field('issuer'),
      publicKey: sha256(pub),
    };
  };
  const certs = {
    rsa: certFacts(rsa),
    ec: certFacts(ec),
    ec384: certFacts(ec384),
    int: certFacts(int),
    root: certFacts(root),
  };
  const keyFile = (file) => {
    const isDer = file.endsWith('.der');
    const pub = ssl([
      'pkey',
      '-in',
      join(OUT, file),
      ...(isDer ? ['-inform', 'DER'] : []),
      '-passin',
      'env:PW',
      '-pubout',
      '-outform',
      'DER',
    ]);
    return sha256(pub);
  };
  const keys = {};
  for (const f of [
    'rsa-key-pkcs8.pem',
    'rsa-key-pkcs1.pem',
    'rsa-key-pkcs8.der',
    'rsa-key-pkcs1.der',
    'rsa-key-pkcs8-aes.pem',
    'rsa-key-pkcs8-3des.pem',
    'rsa-key-pkcs8-aes.der',
    'rsa-key-pkcs1-aes.pem',
    'rsa-key-pkcs1-3des.pem',
    'other-key.pem',
    'ec-key-sec1.pem',
    'ec-key-sec1.der',
    'ec-key-sec1-aes.pem',
    'ec-key-pkcs8-aes.pem',
    'ec384-key-sec1.pem',
    'le/privkey.pem',
  ])
    keys[f] = keyFile(f);

  // ---------------------------------------------------------------------------------------------- cases
  // leaf/chain name certificates of `certs`; keyFile names the key whose public key must match (from OpenSSL).
  const cases = [];
  const add = (name, files, e) =>
    cases.push({ name, files, passphrase: null, errors: [], warnings: [], infos: [], ...e });
  const rsaOk = { leaf: 'rsa', chain: ['int'], missingIssuer: certs.int.issuer, keyType: 'RSA' };
  add('Let’s Encrypt fullchain.pem + privkey.pem', ['le/fullchain.pem', 'le/privkey.pem'], {
    leaf: 'ec',
    chain: ['int'],
    missingIssuer: certs.int.issuer,
    keyFile: 'le/privkey.pem',
    keyFormat: 'pkcs8',
    keyType: 'EC',
    infos: ['chain-incomplete'],
  });
  add('Let’s Encrypt cert.pem + chain.pem + privkey.pem', ['le/cert.pem', 'le/chain.pem', 'le/privkey.pem'], {
    leaf: 'ec',
    chain: ['int'],
    missingIssuer: certs.int.issuer,
    keyFile: 'le/privkey.pem',
    keyFormat: 'pkcs8',
    keyType: 'EC',
  });
  add(
    'Let’s Encrypt cert.pem alone with its key: the intermediate is named as missing',
    ['le/cert.pem', 'le/privkey.pem'],
    {
      leaf: 'ec',
      chain: [],
      missingIssuer: certs.ec.issuer,
      keyFile: 'le/privkey.pem',
      keyFormat: 'pkcs8',
      keyType: 'EC',
      infos: ['chain-incomplete'],
    },
  );
  for (const [file, keyFormat] of [
    ['rsa-key-pkcs8.pem', 'pkcs8'],
    ['rsa-key-pkcs1.pem', 'pkcs1'],
    ['rsa-key-pkcs8.der', 'pkcs8'],
    ['rsa-key-pkcs1.der', 'pkcs1'],
    ['rsa-key-pkcs8-aes.pem', 'encrypted-pkcs8'],
    ['rsa-key-pkcs8-3des.pem', 'encrypted-pkcs8'],
    ['rsa-key-pkcs8-aes.der', 'encrypted-pkcs8'],
    ['rsa-key-pkcs1-aes.pem', 'encrypted-pkcs1'],
    ['rsa-key-pkcs1-3des.pem', 'encrypted-pkcs1'],
  ]) {
    const encrypted = keyFormat.startsWith('encrypted');
    add(`RSA key ${file}`, ['rsa-fullchain.pem', file], {
      ...rsaOk,
      keyFile: file,
      keyFormat,
      passphrase: encrypted ? PASS : null,
      wrongPassphrase: encrypted,
    });
    if (encrypted)
      add(`RSA key ${file} without its passphrase`, ['rsa-fullchain.pem', file], {
        ...rsaOk,
        keyFile: file,
        keyFormat,
        errors: ['key-passphrase-required'],
      });
  }
  for (const [file, keyFormat] of [
    ['ec-key-sec1.pem', 'sec1'],
    ['ec-key-sec1.der', 'sec1'],
    ['ec-key-sec1-aes.pem', 'encrypted-sec1'],
    ['ec-key-pkcs8-aes.pem', 'encrypted-pkcs8'],
  ])
    add(`EC P-256 key ${file}`, ['ec-fullchain.pem', file], {
      leaf: 'ec',
      chain: ['int'],
      missingIssuer: certs.int.issuer,
      keyFile: file,
      keyFormat,
      keyType: 'EC',
      passphrase: keyFormat.startsWith('encrypted') ? PASS : null,
      wrongPassphrase: keyFormat.startsWith('encrypted'),
    });
  add('EC P-384 key (SEC1)', ['ec384-fullchain.pem', 'ec384-key-sec1.pem'], {
    leaf: 'ec384',
    chain: ['int'],
    missingIssuer: certs.int.issuer,
    keyFile: 'ec384-key-sec1.pem',
    keyFormat: 'sec1',
    keyType: 'EC',
  });
  add('certificate, chain and key as three files', ['rsa-cert.pem', 'chain.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  add('chain with the root', ['rsa-fullchain-root.pem', 'rsa-key-pkcs1.pem'], {
    ...rsaOk,
    chain: ['int', 'root'],
    missingIssuer: null,
    keyFile: 'rsa-key-pkcs1.pem',
    keyFormat: 'pkcs1',
  });
  add('chain in reverse order', ['rsa-fullchain-reversed.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    chain: ['int', 'root'],
    missingIssuer: null,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
    inOrder: false,
    infos: ['chain-reordered'],
  });
  add('chain shuffled', ['rsa-shuffled.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    chain: ['int', 'root'],
    missingIssuer: null,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
    inOrder: false,
    infos: ['chain-reordered'],
  });
  add('one combined PEM, key first', ['rsa-combined.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  add('one combined PEM, certificates first', ['rsa-combined-cert-first.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  add('one combined PEM with an encrypted key', ['rsa-combined-encrypted.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'encrypted-pkcs8',
    passphrase: PASS,
    wrongPassphrase: true,
  });
  add('DER certificate (.cer) and chain', ['rsa-cert.cer', 'chain.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  add('DER certificate with a .pem name', ['rsa-cert-der.pem', 'chain.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
    warnings: ['der-named-pem'],
  });
  add('PKCS#7 bundle (.p7b)', ['chain.p7b', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    chain: ['int', 'root'],
    missingIssuer: null,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  add('CRLF and a BOM (Notepad)', ['rsa-fullchain-crlf-bom.pem', 'rsa-key-pkcs8.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
  });
  // Bad input.
  add('key and certificate that do not match', ['rsa-fullchain.pem', 'other-key.pem'], {
    ...rsaOk,
    keyFile: 'other-key.pem',
    keyFormat: 'pkcs8',
    errors: ['key-mismatch'],
  });
  add('a PEM with two keys', ['rsa-fullchain.pem', 'two-keys.pem'], {
    ...rsaOk,
    keyFile: 'rsa-key-pkcs8.pem',
    keyFormat: 'pkcs8',
    errors: ['multiple-private-keys'],
  });
  add('a chain without the leaf (with the key)', ['chain.pem', 'rsa-key-pkcs8.pem'], {
    leaf: null,
    chain: ['int'],
    errors: ['leaf-missing'],
  });
  add('a chain without the leaf (no key)', ['chain-full.pem'], {
    leaf: null,
    chain: ['int', 'root'],
    errors: ['leaf-missing'],
  });
  add('a certificate without its key', ['rsa-fullchain.pem'], { ...rsaOk, errors: ['no-private-key'] });
  add('a key without its certificate', ['rsa-key-pkcs8.pem'], { leaf: null, chain: [], errors: ['no-certificate'] });
  add('a CSR instead of the certificate', ['csr.pem', 'rsa-key-pkcs8.pem'], {
    leaf: null,
    chain: [],
    errors: ['not-pem', 'no-certificate'],
  });
  add('a PFX given as PEM', ['../openssl3-default.pfx'], { leaf: null, chain: [], errors: ['not-pem'] });

  for (const c of cases) {
    c.thumbprint = c.leaf ? certs[c.leaf].thumbprint : null;
    c.chainThumbprints = c.chain.map((n) => certs[n].thumbprint);
    if (c.keyFile && c.leaf) c.keyMatches = keys[c.keyFile] === certs[c.leaf].publicKey;
    c.canBuildPfx = c.errors.length === 0;
  }
  writeFileSync(
    join(OUT, 'expected.json'),
    JSON.stringify(
      {
        generatedBy: 'scripts/make-pem-vectors.mjs',
        openssl: ssl(['version']).toString().trim(),
        passphrase: PASS,
        certs,
        keys,
        cases,
      },
      null,
      2,
    ) + '\n',
  );
  rmSync(TMP, { recursive: true, force: true });
  return cases.length;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(`wrote ${makePemVectors()} PEM cases to ${OUT}`);
