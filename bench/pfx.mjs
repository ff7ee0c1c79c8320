import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A typical PFX (RSA 2048, OpenSSL 3 defaults) for the route and load benchmarks. */
export function makeBenchPfx(cn = 'bench.contoso.example') {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-pfx-'));
  const key = path.join(dir, 'k.pem');
  const cert = path.join(dir, 'c.pem');
  const file = path.join(dir, 'bench.pfx');
  const password = 'bench-only-password';
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
      `/CN=${cn}`,
    ],
    { stdio: 'ignore' },
  );
  execFileSync(
    'openssl',
    ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', file, '-passout', 'env:BENCH_PASS'],
    { env: { ...process.env, BENCH_PASS: password }, stdio: 'ignore' },
  );
  return { file, password };
}
