import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPfx {
  file: string;
  password: string;
  /** `openssl x509 -noout -fingerprint -sha1`, as 40 uppercase hex characters. */
  thumbprint: string;
}

/**
 * Each openssl run is bounded: the worker blocks while it runs, so a hang would otherwise surface only as a bare
 * "Test timeout" naming no step; this way it fails as itself.
 */
const OPENSSL_MS = 20_000;

/** Makes a PFX exactly as a user would: `openssl req -x509` then `openssl pkcs12 -export` (OpenSSL 3 defaults). */
export function makePfx(subject: string, password: string): TestPfx {
  const dir = mkdtempSync(path.join(tmpdir(), 'cses-e2e-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const file = path.join(dir, 'web.pfx');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '365',
      '-subj',
      `/CN=${subject}`,
      '-addext',
      `subjectAltName=DNS:${subject}`,
    ],
    { stdio: 'ignore', timeout: OPENSSL_MS },
  );
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', file, '-passout', 'stdin'], {
    input: `${password}\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: OPENSSL_MS,
  });
  const fingerprint = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1', '-in', cert], {
    encoding: 'utf8',
    timeout: OPENSSL_MS,
  });
  const thumbprint = fingerprint.split('=')[1]!.replace(/:/g, '').trim().toUpperCase();
  readFileSync(file); // fail early if openssl did not write it
  return { file, password, thumbprint };
}
