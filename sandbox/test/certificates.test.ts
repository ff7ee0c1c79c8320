import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { CertificateClient, WellKnownIssuer } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, opensslPfx, raw, startTestSandbox, type TestSandbox } from './helpers';

const FAST_POLL = { intervalInMs: 10 };

function err(p: Promise<unknown>): Promise<RestError> {
  return p.then(
    () => {
      throw new Error('expected a RestError');
    },
    (e: unknown) => {
      if (!(e instanceof RestError)) throw e;
      return e;
    },
  );
}

/** A PFX built with node-forge (3DES, SHA-1 MAC — the "legacy" profile) for a certificate with chosen validity. */
function forgePfx(notBefore: Date, notAfter: Date, password: string, count = 2048): Buffer {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = {
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '0a1b2c';
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'old.contoso.sandbox' }]);
  cert.setIssuer([{ name: 'commonName', value: 'old.contoso.sandbox' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const asn = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: '3des', count });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

describe('Key Vault certificates data plane (real SDK)', () => {
  let sb: TestSandbox;
  let client: CertificateClient;
  let secrets: SecretClient;
  let origin: string;
  let pfx: ReturnType<typeof opensslPfx>;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const token = await apiToken(sb);
    origin = `https://kv-contoso-prod.vault.localhost:${sb.port}`;
    const cred = oboCredential(sb.endpoints, token);
    client = new CertificateClient(`${origin}/`, cred, {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
    } as never);
    secrets = new SecretClient(`${origin}/`, cred, {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
    } as never);
    pfx = opensslPfx({ password: 'pw' });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('keeps versions, lists them, and returns the latest', async () => {
    const a = await client.importCertificate('versioned', pfx.pfx, { password: 'pw' });
    const b = await client.importCertificate('versioned', pfx.pfx, { password: 'pw' });
    expect(a.properties.version).not.toBe(b.properties.version);
    const versions = [];
    for await (const v of client.listPropertiesOfCertificateVersions('versioned')) versions.push(v.version);
    expect(versions.sort()).toEqual([a.properties.version, b.properties.version].sort());
    expect((await client.getCertificate('versioned')).properties.version).toBe(b.properties.version);
    expect((await client.getCertificateVersion('versioned', a.properties.version!)).properties.version).toBe(
      a.properties.version,
    );
  });

  it('concurrent imports of one name each become a version (no lost updates)', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => client.importCertificate('racy', pfx.pfx, { password: 'pw' })),
    );
    const versions: string[] = [];
    for await (const v of client.listPropertiesOfCertificateVersions('racy')) versions.push(v.version!);
    expect(new Set(versions).size).toBe(8);
    expect(versions.sort()).toEqual(results.map((r) => r.properties.version!).sort());
  });

  it('lists with paging (25 per page) and a nextLink on the same origin', async () => {
    // A cheap PFX (3DES, one KDF iteration) keeps 27 imports fast: this test is about listing, not parsing.
    const cheap = forgePfx(new Date(Date.now() - 86400e3), new Date(Date.now() + 30 * 86400e3), 'pw', 1);
    for (let i = 0; i < 27; i++)
      await client.importCertificate(`page-${String(i).padStart(2, '0')}`, cheap, { password: 'pw' });
    const names: string[] = [];
    let pages = 0;
    for await (const page of client.listPropertiesOfCertificates().byPage()) {
      pages++;
      for (const c of page) names.push(c.name!);
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(names.filter((n) => n.startsWith('page-'))).toHaveLength(27);
    expect(new Set(names).size).toBe(names.length);

    // raw: first page shape
    const token = (await oboCredential(sb.endpoints, await apiToken(sb)).getToken('https://vault.azure.net/.default'))
      .token;
    const res = await raw(sb.agent, `${origin}/certificates?api%2Dversion=2025-07-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = res.json();
    expect(body.value).toHaveLength(25);
    expect(body.nextLink.startsWith(`${origin}/certificates?api-version=2025-07-01&$skiptoken=`)).toBe(true);
    expect(body.value[0].id).toMatch(new RegExp(`^${origin}/certificates/[^/]+$`));
    const bad = await raw(sb.agent, `${origin}/certificates?api-version=2025-07-01&maxresults=26`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
  });

  it('gets and updates the policy', async () => {
    await client.importCertificate('pol', pfx.pfx, { password: 'pw' });
    const p = await client.getCertificatePolicy('pol');
    expect(p.issuerName).toBe('Unknown');
    expect(p.keyType).toBe('RSA');
    expect(p.keySize).toBe(2048);
    expect(p.exportable).toBe(true);
    expect(p.lifetimeActions).toEqual([{ lifetimePercentage: 80, action: 'EmailContacts' }]);
    // keyvault-certificates 4.10.3 resolves updateCertificatePolicy with `{}` (it discards the parsed body), so
    // the update is checked by reading the policy back.
    await client.updateCertificatePolicy('pol', {
      issuerName: 'Unknown',
      subject: p.subject!,
      lifetimeActions: [{ daysBeforeExpiry: 30, action: 'EmailContacts' }],
    });
    expect((await client.getCertificatePolicy('pol')).lifetimeActions).toEqual([
      { daysBeforeExpiry: 30, action: 'EmailContacts' },
    ]);
  });

  it('creates a self-signed certificate through the SDK poller, with a real key behind the secret', async () => {
    const poller = await client.beginCreateCertificate(
      'created',
      {
        issuerName: WellKnownIssuer.Self,
        subject: 'CN=new.contoso.sandbox',
        subjectAlternativeNames: { dnsNames: ['new.contoso.sandbox'] },
        validityInMonths: 6,
      },
      FAST_POLL,
    );
    const cert = await poller.pollUntilDone();
    expect(cert.properties.version).toMatch(/^[0-9a-f]{32}$/);
    const x = new X509Certificate(Buffer.from(cert.cer!));
    expect(x.subject).toBe('CN=new.contoso.sandbox');
    expect(x.subjectAltName).toBe('DNS:new.contoso.sandbox');
    expect(x.fingerprint.replace(/:/g, '')).toBe(cert.properties.x509ThumbprintString!.toUpperCase());
    const op = await client.getCertificateOperation('created');
    expect(op.getOperationState().isCompleted).toBe(true);
    const s = await secrets.getSecret('created');
    expect(s.properties.contentType).toBe('application/x-pkcs12');
    const dir = pfx.dir;
    writeFileSync(join(dir, 'created.pfx'), Buffer.from(s.value!, 'base64'));
    const pem = execFileSync('openssl', ['pkcs12', '-in', join(dir, 'created.pfx'), '-passin', 'pass:', '-nodes'], {
      encoding: 'utf8',
    });
    expect(pem).toContain('PRIVATE KEY');
    const fromPfx = new X509Certificate(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(fromPfx.fingerprint).toBe(x.fingerprint);
  });

  it('a non-exportable key stays in the vault: the secret holds the certificate only', async () => {
    const poller = await client.beginCreateCertificate(
      'non-exportable',
      { issuerName: 'Self', subject: 'CN=ne.contoso.sandbox', exportable: false },
      FAST_POLL,
    );
    await poller.pollUntilDone();
    expect((await client.getCertificatePolicy('non-exportable')).exportable).toBe(false);
    const s = await secrets.getSecret('non-exportable');
    const file = join(pfx.dir, 'ne.pfx');
    writeFileSync(file, Buffer.from(s.value!, 'base64'));
    const out = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:', '-nodes'], { encoding: 'utf8' });
    expect(out).toContain('BEGIN CERTIFICATE');
    expect(out).not.toContain('PRIVATE KEY');
  });

  it('serves the backing secret of an import as a password-less PKCS#12 with the whole chain', async () => {
    const imported = await client.importCertificate('with-secret', pfx.pfx, { password: 'pw' });
    const s = await secrets.getSecret('with-secret', { version: imported.properties.version });
    expect(s.properties.id).toBe(imported.secretId);
    expect(s.properties.contentType).toBe('application/x-pkcs12');
    expect(s.properties.managed).toBe(true);
    expect(s.properties.certificateKeyId).toBe(imported.keyId);
    const file = join(pfx.dir, 'secret.pfx');
    writeFileSync(file, Buffer.from(s.value!, 'base64'));
    const fp = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:', '-nokeys', '-clcerts'], {
      encoding: 'utf8',
    });
    expect(new X509Certificate(fp.slice(fp.indexOf('-----BEGIN'))).fingerprint.replace(/:/g, '')).toBe(pfx.thumbprint);
    const keyOut = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:', '-nocerts', '-nodes'], {
      encoding: 'utf8',
    });
    expect(keyOut).toContain('BEGIN PRIVATE KEY');
  });

  it('lists the managed secrets and their versions (metadata only)', async () => {
    const names: string[] = [];
    for await (const p of secrets.listPropertiesOfSecrets()) {
      names.push(p.name);
      expect(p.managed).toBe(true);
    }
    expect(names).toContain('with-secret');
    const versions: string[] = [];
    for await (const p of secrets.listPropertiesOfSecretVersions('versioned')) versions.push(p.version!);
    expect(versions).toHaveLength(2);
  });

  it("updates properties (enabled, tags); a disabled version's secret is refused", async () => {
    await client.importCertificate('props', pfx.pfx, { password: 'pw' });
    const u = await client.updateCertificateProperties('props', '', { enabled: false, tags: { env: 'test' } });
    expect(u.properties.enabled).toBe(false);
    expect(u.properties.tags).toEqual({ env: 'test' });
    const g = await client.getCertificate('props');
    expect(g.properties.enabled).toBe(false);
    const e = await err(secrets.getSecret('props'));
    expect(e.statusCode).toBe(403);
  });

  it('soft-deletes, refuses the name (409), recovers, and purges', async () => {
    await client.importCertificate('doomed', pfx.pfx, { password: 'pw' });
    const del = await client.beginDeleteCertificate('doomed', FAST_POLL);
    const deleted = await del.pollUntilDone();
    expect(deleted.recoveryId).toBe(`${origin}/deletedcertificates/doomed`);
    expect(deleted.scheduledPurgeDate!.getTime() - deleted.deletedOn!.getTime()).toBe(90 * 86400 * 1000);
    await expect(client.getCertificate('doomed')).rejects.toMatchObject({
      statusCode: 404,
      code: 'CertificateNotFound',
    });
    const conflict = await err(client.importCertificate('doomed', pfx.pfx, { password: 'pw' }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe('Conflict');
    expect((conflict.details as any).error.innerError.code).toBe('ObjectIsDeletedButRecoverable');
    const listed = [];
    for await (const d of client.listDeletedCertificates()) listed.push(d.name);
    expect(listed).toContain('doomed');
    const rec = await client.beginRecoverDeletedCertificate('doomed', FAST_POLL);
    const recovered = await rec.pollUntilDone();
    expect(recovered.name).toBe('doomed');
    await (await client.beginDeleteCertificate('doomed', FAST_POLL)).pollUntilDone();
    await client.purgeDeletedCertificate('doomed');
    await expect(client.getDeletedCertificate('doomed')).rejects.toMatchObject({ statusCode: 404 });
    await client.importCertificate('doomed', pfx.pfx, { password: 'pw' }); // name free again
  });

  it('imports PEM (PKCS#8 key + certificate) when the policy says application/x-pem-file', async () => {
    const pem = `${pfx.keyPem}${pfx.certPem}`;
    const c = await client.importCertificate('pem-cert', Buffer.from(pem), {
      policy: { contentType: 'application/x-pem-file' },
      certificatePolicy: { secretProperties: { contentType: 'application/x-pem-file' } },
    } as never);
    expect(c.properties.x509ThumbprintString!.toUpperCase()).toBe(pfx.thumbprint);
    const s = await secrets.getSecret('pem-cert');
    expect(s.properties.contentType).toBe('application/x-pem-file');
    expect(s.value!.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(s.value).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('refuses PKCS#1 keys and CRLF line endings in PEM, like the service', async () => {
    const opts = {
      policy: { contentType: 'application/x-pem-file' },
      certificatePolicy: { secretProperties: { contentType: 'application/x-pem-file' } },
    } as never;
    const pkcs1 = execFileSync('openssl', ['pkey', '-in', join(pfx.dir, 'key.pem'), '-traditional'], {
      encoding: 'utf8',
    });
    const e1 = await err(client.importCertificate('pem-pkcs1', Buffer.from(`${pkcs1}${pfx.certPem}`), opts));
    expect([e1.statusCode, e1.message]).toEqual([
      400,
      'The specified PEM X.509 certificate content is in an unexpected format. Please check if certificate is in valid PEM format.',
    ]);
    const crlf = `${pfx.keyPem}${pfx.certPem}`.replace(/\n/g, '\r\n');
    const e2 = await err(client.importCertificate('pem-crlf', Buffer.from(crlf), opts));
    expect(e2.statusCode).toBe(400);
    const noKey = await err(client.importCertificate('pem-nokey', Buffer.from(pfx.certPem), opts));
    expect(noKey.message).toMatch(/^Private key is not specified/);
  });

  it('refuses PEM without the content type (the SDK 4.10 drops `policy`), like the service', async () => {
    const e = await err(
      client.importCertificate('pem-no-ct', Buffer.from(`${pfx.keyPem}${pfx.certPem}`), {
        policy: { contentType: 'application/x-pem-file' },
      } as never),
    );
    expect(e.statusCode).toBe(400);
    expect(e.message).toMatch(/Base64-encoded PKCS#12/);
  });

  it('imports an EC key and a legacy 3DES/SHA-1 PFX', async () => {
    const ec = opensslPfx({
      password: 'pw',
      keyAlg: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      cn: 'ec.contoso.sandbox',
    });
    const c = await client.importCertificate('ec-cert', ec.pfx, { password: 'pw' });
    expect(c.properties.x509ThumbprintString!.toUpperCase()).toBe(ec.thumbprint);
    expect(c.policy?.keyType).toBe('EC');
    expect(c.policy?.keyCurveName).toBe('P-256');
    const legacy = opensslPfx({ password: 'pw', extraArgs: ['-legacy'] });
    const l = await client.importCertificate('legacy-cert', legacy.pfx, { password: 'pw' });
    expect(l.properties.x509ThumbprintString!.toUpperCase()).toBe(legacy.thumbprint);
  });

  it('rejects what Key Vault rejects, with its codes and messages', async () => {
    const noKeyFile = join(pfx.dir, 'nokey.pfx');
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      join(pfx.dir, 'cert.pem'),
      '-out',
      noKeyFile,
      '-passout',
      'pass:pw',
    ]);
    const noKey = await err(client.importCertificate('nokey', readFileSync(noKeyFile), { password: 'pw' }));
    expect([noKey.statusCode, noKey.code]).toEqual([400, 'BadParameter']);
    expect(noKey.message).toMatch(/^No certificate with private key found/);

    const junk = await err(
      client.importCertificate('junk', Buffer.from('this is not a pfx at all'), { password: 'pw' }),
    );
    expect([junk.statusCode, junk.code]).toEqual([400, 'BadParameter']);
    expect(junk.message).toMatch(/PKCS#12 X.509 certificate content can not be read/);

    const expiredPfx = forgePfx(new Date(Date.now() - 3 * 86400e3), new Date(Date.now() - 86400e3), 'pw');
    const expired = await err(client.importCertificate('expired', expiredPfx, { password: 'pw' }));
    expect([expired.statusCode, expired.code, expired.message]).toEqual([
      400,
      'BadParameter',
      'X509 Certificate is already expired',
    ]);

    const okForge = forgePfx(new Date(Date.now() - 86400e3), new Date(Date.now() + 30 * 86400e3), 'pw');
    await client.importCertificate('forge-3des', okForge, { password: 'pw' });

    const badName = await err(client.importCertificate('bad_name', pfx.pfx, { password: 'pw' }));
    expect([badName.statusCode, badName.code, badName.message]).toEqual([
      400,
      'BadParameter',
      'The request URI contains an invalid name: bad_name',
    ]);

    const longPwd = await err(client.importCertificate('long-pwd', pfx.pfx, { password: 'x'.repeat(201) }));
    expect([longPwd.statusCode, longPwd.code]).toEqual([400, 'BadParameter']);

    const missing = await err(client.getCertificate('never-existed'));
    expect([missing.statusCode, missing.code]).toEqual([404, 'CertificateNotFound']);
    expect(missing.message).toMatch(/^A certificate with \(name\/id\) never-existed was not found in this key vault/);
  });
  it('keeps the whole chain (leaf first, whatever the file order) and hands it back in the secret', async () => {
    const d = pfx.dir;
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      '/CN=Sandbox Test Root',
    ]);
    run([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=chained.contoso.sandbox',
    ]);
    run([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.crt',
      '-days',
      '20',
    ]);
    // CA first in the file, leaf second (node-forge writes the bags in the order given)
    const asn = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(readFileSync(join(d, 'leaf.key'), 'utf8')),
      [
        forge.pki.certificateFromPem(readFileSync(join(d, 'ca.crt'), 'utf8')),
        forge.pki.certificateFromPem(readFileSync(join(d, 'leaf.crt'), 'utf8')),
      ],
      'pw',
      { algorithm: '3des' },
    );
    const chainPfx = Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
    const c = await client.importCertificate('chained', chainPfx, { password: 'pw' });
    const leaf = new X509Certificate(readFileSync(join(d, 'leaf.crt')));
    expect(Buffer.from(c.cer!).equals(leaf.raw)).toBe(true);
    const s = await secrets.getSecret('chained');
    writeFileSync(join(d, 'chain-secret.pfx'), Buffer.from(s.value!, 'base64'));
    const certs = execFileSync(
      'openssl',
      ['pkcs12', '-in', join(d, 'chain-secret.pfx'), '-passin', 'pass:', '-nokeys'],
      { encoding: 'utf8' },
    );
    const blocks = certs.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    expect(blocks).toHaveLength(2);
    expect(new X509Certificate(blocks[0]!).fingerprint).toBe(leaf.fingerprint);
    expect(new X509Certificate(blocks[1]!).subject).toBe('CN=Sandbox Test Root');
  });

  it('refuses an Ed25519 key (Key Vault takes RSA and EC only)', async () => {
    const ed = opensslPfx({ password: 'pw', keyAlg: ['-newkey', 'ed25519'], cn: 'ed.contoso.sandbox' });
    const e = await err(client.importCertificate('ed-cert', ed.pfx, { password: 'pw' }));
    expect([e.statusCode, e.code]).toEqual([400, 'BadParameter']);
  });

  it('accepts a non-ASCII password on an OpenSSL 3 (PBES2, UTF-8) PFX', async () => {
    const p = opensslPfx({ password: 'Pässwörd€', cn: 'utf8.contoso.sandbox' });
    const c = await client.importCertificate('utf8-pwd', p.pfx, { password: 'Pässwörd€' });
    expect(c.properties.x509ThumbprintString!.toUpperCase()).toBe(p.thumbprint);
    const e = await err(client.importCertificate('utf8-pwd', p.pfx, { password: 'Passwörd€' }));
    expect([e.statusCode, e.code]).toEqual([400, 'BadParameter']);
  });

  it('merges a CA-signed certificate into an Unknown-issuer request (CSR flow)', async () => {
    await client.beginCreateCertificate(
      'csr-flow',
      { issuerName: 'Unknown', subject: 'CN=csr.contoso.sandbox' },
      FAST_POLL,
    );
    const op = await client.getCertificateOperation('csr-flow');
    const csr = op.getOperationState().certificateOperation!.csr!;
    const d = pfx.dir;
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'mca.key',
      '-out',
      'mca.crt',
      '-days',
      '30',
      '-subj',
      '/CN=Merge Test CA',
    ]);
    writeFileSync(join(d, 'req.der'), Buffer.from(csr));
    run(['req', '-inform', 'der', '-in', 'req.der', '-out', 'req.pem']);
    run([
      'x509',
      '-req',
      '-in',
      'req.pem',
      '-CA',
      'mca.crt',
      '-CAkey',
      'mca.key',
      '-CAcreateserial',
      '-out',
      'signed.crt',
      '-days',
      '20',
    ]);
    const signed = new X509Certificate(readFileSync(join(d, 'signed.crt')));
    const wrong = await err(
      client.mergeCertificate('csr-flow', [new X509Certificate(readFileSync(join(d, 'mca.crt'))).raw]),
    );
    expect([wrong.statusCode, wrong.message]).toEqual([
      400,
      "Public key from x509 certificate and key of this instance doesn't match",
    ]);
    // The leaf as the SDK's own live test passes it (mergeAndImport.spec.ts: the PEM file's lines less the first,
    // joined — base64 text ending in the END line, in the bytes; issue 12 item 1), the CA certificate as DER.
    const pemLines = signed.toString().split('\n');
    const merged = await client.mergeCertificate('csr-flow', [
      Buffer.from(pemLines.slice(1, -1).join('')),
      new X509Certificate(readFileSync(join(d, 'mca.crt'))).raw,
    ]);
    expect(merged.properties.x509ThumbprintString!.toUpperCase()).toBe(signed.fingerprint.replace(/:/g, ''));
    expect(merged.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect((await client.getCertificateOperation('csr-flow')).getOperationState().certificateOperation?.status).toBe(
      'completed',
    );
    const s = await secrets.getSecret('csr-flow');
    writeFileSync(join(d, 'merged.pfx'), Buffer.from(s.value!, 'base64'));
    expect(
      execFileSync('openssl', ['pkcs12', '-in', join(d, 'merged.pfx'), '-passin', 'pass:', '-nodes'], {
        encoding: 'utf8',
      }),
    ).toContain('PRIVATE KEY');
  });

  it('an Unknown-issuer create stays pending; it can be listed, cancelled and deleted', async () => {
    const poller = await client.beginCreateCertificate(
      'waiting',
      { issuerName: 'Unknown', subject: 'CN=waiting.contoso.sandbox' },
      FAST_POLL,
    );
    const op = await client.getCertificateOperation('waiting');
    expect(op.getOperationState().certificateOperation?.status).toBe('inProgress');
    expect(op.getOperationState().certificateOperation?.csr?.length).toBeGreaterThan(100);
    const withPending: string[] = [];
    for await (const c of client.listPropertiesOfCertificates({ includePending: true })) withPending.push(c.name!);
    expect(withPending).toContain('waiting');
    const without: string[] = [];
    for await (const c of client.listPropertiesOfCertificates()) without.push(c.name!);
    expect(without).not.toContain('waiting');
    await op.cancelOperation();
    expect(op.getOperationState().certificateOperation?.cancellationRequested).toBe(true);
    expect((await client.getCertificateOperation('waiting')).getOperationState().certificateOperation?.status).toBe(
      'cancelled',
    );
    const deleted = await client.deleteCertificateOperation('waiting');
    expect(deleted.status).toBe('cancelled');
    await expect(client.getCertificateOperation('waiting')).rejects.toMatchObject({ statusCode: 404 });
    poller.stopPolling();
  });
});
