/**
 * writePfx: a PFX that Key Vault imports and every Windows version reads (decision 046): certificates and key
 * encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC, a SHA-1 MAC, 2048 iterations — what `openssl pkcs12 -export
 * -legacy` (minus RC2) and Windows "TripleDES-SHA1" exports produce. The leaf goes first with the key's localKeyId and
 * a friendly name. Synchronous; works for RSA and EC keys.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { parse, seq, set, octets, encInt, encOid, explicit, enc, encBmp, nul } from './der';
import { HASHES, digest } from './hashes';
import { pkcs12KdfSync, bmpPassword } from './pkcs12-kdf';
import { encrypt3desSync } from './crypto';
import { commonName, type ParsedCert } from './x509';

const ITERATIONS = 2048;
const O = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbe3des: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
};

function random(n: number): Uint8Array {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return b;
}

function attributes(localKeyId: Uint8Array | null, friendlyName: string | null): Uint8Array[] {
  const attrs: Uint8Array[] = [];
  if (friendlyName) attrs.push(seq(encOid(O.friendlyName), set(encBmp(friendlyName))));
  if (localKeyId) attrs.push(seq(encOid(O.localKeyId), set(octets(localKeyId))));
  return attrs.length ? [set(...attrs)] : [];
}

function pbeEncrypt(pw: Uint8Array, plain: Uint8Array): { alg: Uint8Array; data: Uint8Array } {
  const salt = random(8);
  const key = pkcs12KdfSync('sha1', pw, salt, 1, ITERATIONS, 24);
  const iv = pkcs12KdfSync('sha1', pw, salt, 2, ITERATIONS, 8);
  const data = encrypt3desSync(key, iv, plain);
  key.fill(0);
  return { alg: seq(encOid(O.pbe3des), seq(octets(salt), encInt(ITERATIONS))), data };
}

export interface PfxContents {
  /** The certificate that belongs to the key. */
  leaf: ParsedCert;
  /** Its chain, in order (issuer of the leaf first). */
  chain: ParsedCert[];
  /** The private key, PKCS#8 DER. */
  pkcs8: Uint8Array;
  password: string;
  /** Defaults to the leaf's common name. */
  friendlyName?: string;
}

export function writePfx(c: PfxContents): Uint8Array {
  const pw = bmpPassword(c.password);
  const localKeyId = digest('sha1', c.leaf.der);
  const name = c.friendlyName ?? commonName(parse(c.leaf.subjectRaw)) ?? null;
  const certBags = [c.leaf, ...c.chain].map((cert) =>
    seq(
      encOid(O.certBag),
      explicit(0, seq(encOid(O.x509Certificate), explicit(0, octets(cert.der)))),
      ...attributes(cert === c.leaf ? localKeyId : null, cert === c.leaf ? name : null),
    ),
  );
  const certEnc = pbeEncrypt(pw, seq(...certBags));
  const certInfo = seq(
    encOid(O.encryptedData),
    explicit(0, seq(encInt(0), seq(encOid(O.data), certEnc.alg, enc(0, certEnc.data, { cls: 2, constructed: false })))),
  );
  const keyEnc = pbeEncrypt(pw, c.pkcs8);
  const keyBag = seq(
    encOid(O.shroudedKeyBag),
    explicit(0, seq(keyEnc.alg, octets(keyEnc.data))),
    ...attributes(localKeyId, name),
  );
  const keyInfo = seq(encOid(O.data), explicit(0, octets(seq(keyBag))));
  const authSafe = seq(certInfo, keyInfo);

  const macSalt = random(8);
  const macKey = pkcs12KdfSync('sha1', pw, macSalt, 3, ITERATIONS, 20);
  const mac = hmac(HASHES.sha1, macKey, authSafe);
  const macData = seq(seq(seq(encOid(O.sha1), nul()), octets(mac)), octets(macSalt), encInt(ITERATIONS));
  macKey.fill(0);
  pw.fill(0);
  return seq(encInt(3), seq(encOid(O.data), explicit(0, octets(authSafe))), macData);
}
