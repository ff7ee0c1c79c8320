/**
 * What no library offers: the PKCS#12 key derivation (RFC 7292 appendix B.2) and the BMPString password forms it
 * takes. The digests come from @noble/hashes (./hashes). The derivation iterates a digest up to 600 000 times
 * (hardened OpenSSL 3 MACs), so the asynchronous form lets the event loop run every PAUSE_AFTER_MS: a page, a worker's
 * message loop or the server's event loop is never blocked for long.
 */
import { HASHES, type HashName } from './hashes';

/** Password as PKCS#12 BMPString bytes: UTF-16BE plus a 2-byte NUL terminator; `null` gives no bytes at all. */
export function bmpPassword(password: string | null): Uint8Array {
  if (password === null) return new Uint8Array(0);
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/**
 * OpenSSL 1.x converted passwords byte by byte (each UTF-8 byte became one BMP character). PFX files made that way
 * with non-ASCII passwords only open with this form; OpenSSL 3 tries it as a fallback too.
 */
export function legacyBmpPassword(password: string): Uint8Array {
  const u = new TextEncoder().encode(password);
  const out = new Uint8Array(u.length * 2 + 2);
  for (let i = 0; i < u.length; i++) out[2 * i + 1] = u[i]!;
  return out;
}

/** Key-derivation purpose (RFC 7292 B.3): 1 = encryption key, 2 = IV, 3 = MAC key. */
export type KdfId = 1 | 2 | 3;

/** Digest rounds between two chances to pause; the asynchronous driver pauses once PAUSE_AFTER_MS have passed. */
const ROUNDS_PER_STEP = 1000;
const PAUSE_AFTER_MS = 10;

/**
 * Let the event loop run: setImmediate in Node (no 1 ms timer clamp, I/O runs first); a MessageChannel hop in
 * browsers and workers (nested setTimeout is clamped to 4 ms and throttled in background tabs).
 */
function yieldNow(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise<void>((resolve) => setImmediate(resolve));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise<void>((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

type Hasher = ReturnType<(typeof HASHES)[HashName]['create']>;

/**
 * The members every noble Merkle–Damgård hash (MD5, SHA-1, SHA-2) has but marks `protected`: the compression of one
 * block, the chaining state as 32-bit words, the endianness and the wipe of the shared message schedule. The KDF's
 * rounds hash one short digest each — always a single padded block — so they call the compression directly on a
 * block padded once, instead of the clone/update/digest bookkeeping per round (decision 022).
 */
interface BlockHasher {
  process(view: DataView, offset: number): void;
  get(): number[];
  set(...words: number[]): void;
  roundClean(): void;
  readonly isLE: boolean;
  readonly outputLen: number;
  readonly blockLen: number;
  readonly padOffset: number;
}

/** Rounds of A = H(A) over a reusable, pre-padded block: no allocation per round except noble's state array. */
class Rounds {
  private readonly h: BlockHasher;
  private readonly iv: number[];
  private readonly block: Uint8Array;
  private readonly view: DataView;
  private readonly words: number;

  constructor(hasher: Hasher) {
    const h = hasher as unknown as BlockHasher;
    const u = h.outputLen;
    const v = h.blockLen;
    if (typeof h.process !== 'function' || u + 1 + h.padOffset > v) throw new Error('pkcs12-kdf: unsupported hash');
    this.h = h;
    this.iv = h.get();
    this.block = new Uint8Array(v);
    this.view = new DataView(this.block.buffer);
    this.words = u / 4;
    // A's place, the 0x80 end mark, zeros, and the message length in bits in the last 8 bytes (u·8 < 2^32).
    this.block[u] = 0x80;
    this.view.setUint32(h.isLE ? v - 8 : v - 4, u * 8, h.isLE);
  }

  /** `count` rounds starting from A (u bytes); the result is written back into A. */
  run(A: Uint8Array, count: number): void {
    const { h, iv, block, view, words } = this;
    const le = h.isLE;
    block.set(A);
    for (let i = 0; i < count; i++) {
      h.set(...iv);
      h.process(view, 0);
      const s = h.get();
      for (let w = 0; w < words; w++) view.setUint32(4 * w, s[w]!, le);
    }
    A.set(block.subarray(0, A.length));
  }

  /** Wipe the derived material this object held (the block, the state, noble's shared schedule). */
  destroy(): void {
    this.block.fill(0);
    this.h.set(...this.iv.map(() => 0));
    this.h.roundClean();
  }
}

/**
 * The derivation as steps: it offers to pause after every ROUNDS_PER_STEP digest rounds and returns the key. One
 * body for the synchronous and the asynchronous driver below.
 */
function* derive(
  name: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: KdfId,
  iterations: number,
  n: number,
): Generator<void, Uint8Array, void> {
  const hash = HASHES[name];
  const u = hash.outputLen;
  const v = hash.blockLen;
  // I = S || P, each its input repeated to a whole number of v-byte blocks (empty stays empty).
  const fill = (src: Uint8Array) => {
    const out = new Uint8Array(src.length ? v * Math.ceil(src.length / v) : 0);
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const S = fill(salt);
  const P = fill(passwordBmp);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const total = Math.max(1, iterations);
  const blocks = Math.ceil(n / u);
  const out = new Uint8Array(blocks * u);
  // A = H^c(D || I): the first round over D || I, the others over the previous digest.
  const D = new Uint8Array(v).fill(id);
  const A = new Uint8Array(u);
  const rounds = new Rounds(hash.create());
  for (let b = 0; b < blocks; b++) {
    hash.create().update(D).update(I).digestInto(A);
    for (let done = 1; done < total;) {
      const step = Math.min(total - done, ROUNDS_PER_STEP);
      rounds.run(A, step);
      done += step;
      if (done < total) yield;
    }
    out.set(A, b * u);
    if (b + 1 < blocks) {
      // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block I_j of I, where B is A repeated to v bytes.
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const x = I[j + k]! + A[k % u]! + carry;
          I[j + k] = x & 0xff;
          carry = x >> 8;
        }
      }
    }
  }
  rounds.destroy();
  A.fill(0);
  return out.subarray(0, n);
}

/** RFC 7292 appendix B.2 key derivation, yielding to the event loop during long derivations. */
export async function pkcs12Kdf(
  hash: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: KdfId,
  iterations: number,
  n: number,
): Promise<Uint8Array> {
  const steps = derive(hash, passwordBmp, salt, id, iterations, n);
  let since = Date.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    if (Date.now() - since >= PAUSE_AFTER_MS) {
      await yieldNow();
      since = Date.now();
    }
  }
}

/** The same derivation without yielding (building PFX files: 2048 iterations). */
export function pkcs12KdfSync(
  hash: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: KdfId,
  iterations: number,
  n: number,
): Uint8Array {
  const steps = derive(hash, passwordBmp, salt, id, iterations, n);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}
