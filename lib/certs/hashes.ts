/**
 * The digests PKCS#12 files name (SHA-1, SHA-2, MD5), from @noble/hashes: audited, synchronous, isomorphic and
 * without dependencies (decision 022). Synchronous matters: the PKCS#12 key derivation iterates a digest up to
 * 600 000 times, which one WebCrypto promise per round would make hundreds of times slower.
 */
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'md5';

export const HASHES: Record<HashName, CHash> = { md5, sha1, sha256, sha384, sha512 };

/** WebCrypto's name for a digest, or null where WebCrypto has none (MD5). */
export function webCryptoName(name: HashName): string | null {
  return name === 'md5' ? null : `SHA-${name.slice(3)}`;
}

/** One-shot digest. */
export function digest(name: HashName, data: Uint8Array): Uint8Array {
  return HASHES[name](data);
}
