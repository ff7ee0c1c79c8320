/**
 * `certificateFacts` is `parseCertificate` without the digests and encodings: for every certificate in the vectors
 * (RSA, EC, chains) its facts are exactly what `parseCertificate` says, and it refuses what `parseCertificate` refuses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateFacts, parseCertificate } from './x509';

const VECTORS = path.join(__dirname, '__vectors__');

function certificatesIn(file: string): Uint8Array[] {
  const text = readFileSync(file, 'latin1');
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

const ders: Array<[string, Uint8Array]> = [
  ['cert.der', new Uint8Array(readFileSync(path.join(VECTORS, 'cert.der')))],
  ...readdirSync(VECTORS)
    .filter((f) => f.endsWith('.pem'))
    .flatMap((f) => certificatesIn(path.join(VECTORS, f)).map((d, i): [string, Uint8Array] => [`${f} #${i}`, d])),
];

describe('certificateFacts', () => {
  it('has vectors with RSA and EC keys', () => {
    const types = new Set(ders.map(([, d]) => certificateFacts(d).publicKey.type));
    expect(types).toEqual(new Set(['RSA', 'EC']));
  });

  it.each(ders)('%s: the same facts as parseCertificate', (_name, der) => {
    const { info } = parseCertificate(der);
    expect(certificateFacts(der)).toEqual({
      subject: info.subject,
      issuer: info.issuer,
      publicKey: info.publicKey,
      signatureAlgorithm: info.signatureAlgorithm,
      sans: info.sans,
    });
  });

  it('refuses trailing bytes and truncation as parseCertificate does', () => {
    const der = ders[0]![1];
    for (const bad of [new Uint8Array([...der, 0]), der.subarray(0, der.length - 1)]) {
      expect(() => parseCertificate(bad)).toThrow();
      expect(() => certificateFacts(bad)).toThrow();
    }
  });
});
