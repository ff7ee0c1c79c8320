/**
 * Synchronous hashes for the PKCS#12 key-derivation function (RFC 7292 appendix B), which iterates a hash thousands
 * of times (600 000 in hardened files) and so cannot go through async WebCrypto one digest at a time. SHA-1 and
 * SHA-256 are implemented here over 32-bit words, with a fast path for re-hashing a digest; SHA-384/512 and MD5 go
 * through node-forge (rare in PFX files).
 */
import forge from 'node-forge';
import { sha256Iterator } from './sha256-wasm';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'md5';

export const HASH_INFO: Record<HashName, { outLen: number; blockLen: number; webCrypto: string | null }> = {
  md5: { outLen: 16, blockLen: 64, webCrypto: null },
  sha1: { outLen: 20, blockLen: 64, webCrypto: 'SHA-1' },
  sha256: { outLen: 32, blockLen: 64, webCrypto: 'SHA-256' },
  sha384: { outLen: 48, blockLen: 128, webCrypto: 'SHA-384' },
  sha512: { outLen: 64, blockLen: 128, webCrypto: 'SHA-512' },
};

// ------------------------------------------------------------------------------------------------ SHA-256

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H256 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

function compress256(H: Int32Array, W: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = H[0]!,
    b = H[1]!,
    c = H[2]!,
    d = H[3]!,
    e = H[4]!,
    f = H[5]!,
    g = H[6]!,
    h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K256[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

// ------------------------------------------------------------------------------------------------ SHA-1

function compress1(H: Int32Array, W: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = H[0]!,
    b = H[1]!,
    c = H[2]!,
    d = H[3]!,
    e = H[4]!;
  for (let i = 0; i < 80; i++) {
    let f: number, k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
}
const H1 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

// ------------------------------------------------------------------------------------------------ SHA-512/384

/** First 64 fractional bits of the k-th root of n (k = 2 or 3), as [hi, lo] 32-bit words. Computed with BigInt. */
function rootFraction(n: number, k: 2 | 3): [number, number] {
  // floor(n^(1/k) * 2^64) = integer k-th root of n * 2^(64k).
  const target = BigInt(n) << BigInt(64 * k);
  let x = BigInt(Math.floor(Math.pow(n, 1 / k) * 2 ** 20)) << 44n; // close first guess
  for (let i = 0; i < 100; i++) {
    const next = k === 2 ? (x + target / x) >> 1n : (2n * x + target / (x * x)) / 3n;
    if (next === x || next === x + 1n || next + 1n === x) {
      x = next;
      break;
    }
    x = next;
  }
  while ((k === 2 ? x * x : x * x * x) > target) x -= 1n;
  while ((k === 2 ? (x + 1n) * (x + 1n) : (x + 1n) * (x + 1n) * (x + 1n)) <= target) x += 1n;
  const frac = x & 0xffffffffffffffffn;
  return [Number(frac >> 32n) | 0, Number(frac & 0xffffffffn) | 0];
}
let K512: Int32Array | null = null;
let IV512: Int32Array | null = null;
let IV384: Int32Array | null = null;
function init512(): void {
  if (K512) return;
  const primes: number[] = [];
  for (let c = 2; primes.length < 80; c++) if (primes.every((p) => c % p !== 0)) primes.push(c);
  K512 = new Int32Array(160);
  primes.forEach((p, i) => K512!.set(rootFraction(p, 3), 2 * i));
  IV512 = new Int32Array(16);
  IV384 = new Int32Array(16);
  for (let i = 0; i < 8; i++) {
    IV512.set(rootFraction(primes[i]!, 2), 2 * i);
    IV384.set(rootFraction(primes[i + 8]!, 2), 2 * i);
  }
}

/** SHA-512 compression over W[0..31] (16 big-endian 64-bit words as hi/lo pairs); H is 16 words. */
function compress512(H: Int32Array, W: Int32Array): void {
  const K = K512!;
  for (let i = 16; i < 80; i++) {
    // σ0(w[i-15]) = rotr1 ^ rotr8 ^ shr7 ; σ1(w[i-2]) = rotr19 ^ rotr61 ^ shr6
    let h = W[2 * (i - 15)]!,
      l = W[2 * (i - 15) + 1]!;
    const s0h = ((h >>> 1) | (l << 31)) ^ ((h >>> 8) | (l << 24)) ^ (h >>> 7);
    const s0l = ((l >>> 1) | (h << 31)) ^ ((l >>> 8) | (h << 24)) ^ ((l >>> 7) | (h << 25));
    h = W[2 * (i - 2)]!;
    l = W[2 * (i - 2) + 1]!;
    const s1h = ((h >>> 19) | (l << 13)) ^ ((l >>> 29) | (h << 3)) ^ (h >>> 6);
    const s1l = ((l >>> 19) | (h << 13)) ^ ((h >>> 29) | (l << 3)) ^ ((l >>> 6) | (h << 26));
    const lo = (s0l >>> 0) + (s1l >>> 0) + (W[2 * (i - 16) + 1]! >>> 0) + (W[2 * (i - 7) + 1]! >>> 0);
    W[2 * i] = (s0h + s1h + W[2 * (i - 16)]! + W[2 * (i - 7)]! + ((lo / 4294967296) | 0)) | 0;
    W[2 * i + 1] = lo | 0;
  }
  let ah = H[0]!,
    al = H[1]!,
    bh = H[2]!,
    bl = H[3]!,
    ch = H[4]!,
    cl = H[5]!,
    dh = H[6]!,
    dl = H[7]!;
  let eh = H[8]!,
    el = H[9]!,
    fh = H[10]!,
    fl = H[11]!,
    gh = H[12]!,
    gl = H[13]!,
    hh = H[14]!,
    hl = H[15]!;
  for (let i = 0; i < 80; i++) {
    // Σ1(e) = rotr14 ^ rotr18 ^ rotr41
    const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
    const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
    const chh = (eh & fh) ^ (~eh & gh);
    const chl = (el & fl) ^ (~el & gl);
    const t1lo = (hl >>> 0) + (S1l >>> 0) + (chl >>> 0) + (K[2 * i + 1]! >>> 0) + (W[2 * i + 1]! >>> 0);
    const t1h = (hh + S1h + chh + K[2 * i]! + W[2 * i]! + ((t1lo / 4294967296) | 0)) | 0;
    const t1l = t1lo | 0;
    // Σ0(a) = rotr28 ^ rotr34 ^ rotr39
    const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
    const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
    const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
    const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
    const t2lo = (S0l >>> 0) + (majl >>> 0);
    const t2h = (S0h + majh + ((t2lo / 4294967296) | 0)) | 0;
    const t2l = t2lo | 0;
    hh = gh;
    hl = gl;
    gh = fh;
    gl = fl;
    fh = eh;
    fl = el;
    let lo = (dl >>> 0) + (t1l >>> 0);
    eh = (dh + t1h + ((lo / 4294967296) | 0)) | 0;
    el = lo | 0;
    dh = ch;
    dl = cl;
    ch = bh;
    cl = bl;
    bh = ah;
    bl = al;
    lo = (t1l >>> 0) + (t2l >>> 0);
    ah = (t1h + t2h + ((lo / 4294967296) | 0)) | 0;
    al = lo | 0;
  }
  const add = (i: number, xh: number, xl: number) => {
    const lo = (H[i + 1]! >>> 0) + (xl >>> 0);
    H[i] = (H[i]! + xh + ((lo / 4294967296) | 0)) | 0;
    H[i + 1] = lo | 0;
  };
  add(0, ah, al);
  add(2, bh, bl);
  add(4, ch, cl);
  add(6, dh, dl);
  add(8, eh, el);
  add(10, fh, fl);
  add(12, gh, gl);
  add(14, hh, hl);
}

function md512(iv: Int32Array, data: Uint8Array): Int32Array {
  const H = Int32Array.from(iv);
  const W = new Int32Array(160);
  const total = data.length;
  const padded = new Uint8Array(((total + 17 + 127) >> 7) << 7);
  padded.set(data);
  padded[total] = 0x80;
  const bits = total * 8;
  const pl = padded.length;
  padded[pl - 4] = (bits >>> 24) & 0xff;
  padded[pl - 3] = (bits >>> 16) & 0xff;
  padded[pl - 2] = (bits >>> 8) & 0xff;
  padded[pl - 1] = bits & 0xff;
  padded[pl - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  for (let off = 0; off < pl; off += 128) {
    for (let i = 0; i < 32; i++) {
      const o = off + i * 4;
      W[i] = (padded[o]! << 24) | (padded[o + 1]! << 16) | (padded[o + 2]! << 8) | padded[o + 3]!;
    }
    compress512(H, W);
  }
  return H;
}

// ------------------------------------------------------------------------------------------------ generic

interface Engine {
  init: number[];
  words: number; // W array size
  compress: (H: Int32Array, W: Int32Array) => void;
  outWords: number;
}
const ENGINES: Partial<Record<HashName, Engine>> = {
  sha1: { init: H1, words: 80, compress: compress1, outWords: 5 },
  sha256: { init: H256, words: 64, compress: compress256, outWords: 8 },
};

function mdJs(engine: Engine, data: Uint8Array): Int32Array {
  const H = Int32Array.from(engine.init);
  const W = new Int32Array(engine.words);
  const total = data.length;
  const padded = new Uint8Array(((total + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[total] = 0x80;
  const bits = total * 8;
  const pl = padded.length;
  padded[pl - 4] = (bits >>> 24) & 0xff;
  padded[pl - 3] = (bits >>> 16) & 0xff;
  padded[pl - 2] = (bits >>> 8) & 0xff;
  padded[pl - 1] = bits & 0xff;
  padded[pl - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  for (let off = 0; off < pl; off += 64) {
    for (let i = 0; i < 16; i++) {
      const o = off + i * 4;
      W[i] = (padded[o]! << 24) | (padded[o + 1]! << 16) | (padded[o + 2]! << 8) | padded[o + 3]!;
    }
    engine.compress(H, W);
  }
  return H;
}

function wordsToBytes(H: Int32Array, n: number): Uint8Array {
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = H[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
}

function toBinary(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
export { toBinary, fromBinary };

export function forgeMd(name: HashName): forge.md.MessageDigest {
  switch (name) {
    case 'md5':
      return forge.md.md5.create();
    case 'sha384':
      return forge.md.sha384.create();
    case 'sha512':
      return forge.md.sha512.create();
    case 'sha1':
      return forge.md.sha1.create();
    case 'sha256':
      return forge.md.sha256.create();
  }
}

/** One-shot digest. */
export function digest(name: HashName, data: Uint8Array): Uint8Array {
  const e = ENGINES[name];
  if (e) return wordsToBytes(mdJs(e, data), e.outWords);
  if (name === 'sha512' || name === 'sha384') {
    init512();
    return wordsToBytes(md512(name === 'sha512' ? IV512! : IV384!, data), name === 'sha512' ? 16 : 12);
  }
  const md = forgeMd(name);
  md.update(toBinary(data));
  return fromBinary(md.digest().getBytes());
}

/** Yield to the event loop so a long derivation never blocks a page or worker message loop for long. */
const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const yieldNow = (): Promise<void> => {
  // Browsers clamp nested setTimeout to >= 4 ms (and throttle it in background tabs); a MessageChannel hop is immediate.
  if (!isNode && typeof MessageChannel !== 'undefined') {
    return new Promise<void>((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise<void>((r) => setTimeout(r, 0));
};
const YIELD_EVERY = 20_000;

/**
 * WebAssembly is used by default only under Node (server, CLI). In browsers it is opt-in: the app's CSP has no
 * 'wasm-unsafe-eval', so compiling would be refused with a console error; the Web Worker keeps the page responsive
 * anyway. Call setWasmEnabled(true) where the CSP allows it.
 */
let useWasm = isNode;
export function setWasmEnabled(on: boolean): void {
  useWasm = on;
}
/** Whether the WebAssembly SHA-256 path is enabled and works here. */
export function wasmActive(): boolean {
  return useWasm && sha256Iterator(K256, H256) !== null;
}

/** hash^count(data): the first round over `data`, the rest over the previous digest. */
export async function iteratedDigest(name: HashName, data: Uint8Array, count: number): Promise<Uint8Array> {
  const e = ENGINES[name];
  if (name === 'sha512' || name === 'sha384') {
    // Fast path: a 64- or 48-byte digest plus padding fits one 128-byte block.
    init512();
    const iv = name === 'sha512' ? IV512! : IV384!;
    const words = name === 'sha512' ? 16 : 12;
    const H = md512(iv, data);
    const W = new Int32Array(160);
    const S = new Int32Array(16);
    for (let i = 1; i < count; i++) {
      for (let j = 0; j < words; j++) W[j] = H[j]!;
      W[words] = 0x80000000 | 0;
      for (let j = words + 1; j < 31; j++) W[j] = 0;
      W[31] = words * 32;
      S.set(iv);
      compress512(S, W);
      H.set(S);
      if (i % (YIELD_EVERY / 4) === 0) await yieldNow();
    }
    return wordsToBytes(H, words);
  }
  if (!e) {
    let d = digest(name, data);
    for (let i = 1; i < count; i++) {
      d = digest(name, d);
      if (i % (YIELD_EVERY / 10) === 0) await yieldNow();
    }
    return d;
  }
  const H = mdJs(e, data);
  if (name === 'sha256' && useWasm) {
    const wasm = sha256Iterator(K256, H256);
    if (wasm) {
      for (let done = 1; done < count;) {
        const n = Math.min(count - done, YIELD_EVERY);
        wasm.run(H, n);
        done += n;
        if (done < count) await yieldNow();
      }
      return wordsToBytes(H, 8);
    }
  }
  // Fast path: re-hash a digest that fits in one block (20 or 32 bytes): fixed padding.
  const W = new Int32Array(e.words);
  const S = new Int32Array(e.init.length);
  const n = e.outWords;
  const bits = n * 32;
  for (let i = 1; i < count; i++) {
    for (let j = 0; j < n; j++) W[j] = H[j]!;
    W[n] = 0x80000000 | 0;
    for (let j = n + 1; j < 15; j++) W[j] = 0;
    W[15] = bits;
    for (let j = 0; j < S.length; j++) S[j] = e.init[j]!;
    e.compress(S, W);
    H.set(S);
    if (i % YIELD_EVERY === 0) await yieldNow();
  }
  return wordsToBytes(H, n);
}

/**
 * PBKDF2-HMAC-SHA1/SHA256 in plain JS, for when WebCrypto is missing (pages served over plain http, old engines).
 * HMAC inner/outer states are precomputed, so each iteration is two compressions (~4× faster than node-forge).
 */
export async function pbkdf2Js(
  name: 'sha1' | 'sha256',
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyLen: number,
): Promise<Uint8Array> {
  const e = ENGINES[name]!;
  const n = e.outWords;
  let key = password;
  if (key.length > 64) key = digest(name, key);
  const block = (pad: number) => {
    const W = new Int32Array(e.words);
    for (let i = 0; i < 16; i++) {
      let w = 0;
      for (let j = 0; j < 4; j++) w = (w << 8) | ((key[i * 4 + j] ?? 0) ^ pad);
      W[i] = w;
    }
    const H = Int32Array.from(e.init);
    e.compress(H, W);
    return H;
  };
  const inner = block(0x36);
  const outer = block(0x5c);
  const W = new Int32Array(e.words);
  const S = new Int32Array(e.init.length);
  const bits = (64 + n * 4) * 8;
  /** state ← compress(from, U || padding), U given as n words. */
  const finish = (from: Int32Array, U: Int32Array) => {
    for (let j = 0; j < n; j++) W[j] = U[j]!;
    W[n] = 0x80000000 | 0;
    for (let j = n + 1; j < 15; j++) W[j] = 0;
    W[15] = bits;
    S.set(from);
    e.compress(S, W);
  };
  const blocks = Math.ceil(keyLen / (n * 4));
  const out = new Uint8Array(blocks * n * 4);
  const U = new Int32Array(n);
  const T = new Int32Array(n);
  for (let b = 1; b <= blocks; b++) {
    // U1 = HMAC(P, salt || INT(b)) — general path.
    const msg = new Uint8Array(salt.length + 4);
    msg.set(salt);
    msg[salt.length + 3] = b & 0xff;
    msg[salt.length + 2] = (b >>> 8) & 0xff;
    const ipadMsg = new Uint8Array(64 + msg.length);
    for (let i = 0; i < 64; i++) ipadMsg[i] = (key[i] ?? 0) ^ 0x36;
    ipadMsg.set(msg, 64);
    const ih = mdJs(e, ipadMsg);
    finish(outer, ih.subarray(0, n) as Int32Array);
    for (let j = 0; j < n; j++) U[j] = T[j] = S[j]!;
    for (let i = 1; i < iterations; i++) {
      finish(inner, U);
      for (let j = 0; j < n; j++) U[j] = S[j]!;
      finish(outer, U);
      for (let j = 0; j < n; j++) {
        U[j] = S[j]!;
        T[j] = T[j]! ^ S[j]!;
      }
      if (i % YIELD_EVERY === 0) await yieldNow();
    }
    out.set(wordsToBytes(T, n), (b - 1) * n * 4);
  }
  return out.subarray(0, keyLen);
}

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

/** Synchronous hash^count (for building files with modest iteration counts). */
export function iteratedDigestSync(name: HashName, data: Uint8Array, count: number): Uint8Array {
  let d = digest(name, data);
  for (let i = 1; i < count; i++) d = digest(name, d);
  return d;
}

/** Synchronous PKCS#12 KDF (building PFX files: 2048 iterations). */
export function pkcs12KdfSync(
  hash: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  n: number,
): Uint8Array {
  let out: Uint8Array | null = null;
  void pkcs12KdfWith(
    hash,
    passwordBmp,
    salt,
    id,
    iterations,
    n,
    (h, d, c) => iteratedDigestSync(h, d, c),
    (r) => (out = r),
  );
  return out!;
}

/** RFC 7292 appendix B.2 key derivation. id: 1 = key, 2 = IV, 3 = MAC key. */
export async function pkcs12Kdf(
  hash: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  n: number,
): Promise<Uint8Array> {
  let out: Uint8Array | null = null;
  await pkcs12KdfWith(hash, passwordBmp, salt, id, iterations, n, iteratedDigest, (r) => (out = r));
  return out!;
}

/** The KDF body, with either a sync or an async iterated hash (a sync one never awaits a real promise). */
async function pkcs12KdfWith(
  hash: HashName,
  passwordBmp: Uint8Array,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  n: number,
  iter: (h: HashName, d: Uint8Array, c: number) => Uint8Array | Promise<Uint8Array>,
  done: (r: Uint8Array) => void,
): Promise<void> {
  const { outLen: u, blockLen: v } = HASH_INFO[hash];
  const D = new Uint8Array(v).fill(id);
  const fill = (src: Uint8Array) => {
    if (src.length === 0) return new Uint8Array(0);
    const out = new Uint8Array(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const S = fill(salt);
  const P = fill(passwordBmp);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const c = Math.ceil(n / u);
  const out = new Uint8Array(c * u);
  const DI = new Uint8Array(v + I.length);
  for (let i = 0; i < c; i++) {
    DI.set(D);
    DI.set(I, v);
    const r = iter(hash, DI, Math.max(1, iterations));
    const A = r instanceof Uint8Array ? r : await r;
    out.set(A, i * u);
    if (i + 1 < c) {
      const B = new Uint8Array(v);
      for (let j = 0; j < v; j++) B[j] = A[j % u]!;
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const x = I[j + k]! + B[k]! + carry;
          I[j + k] = x & 0xff;
          carry = x >> 8;
        }
      }
    }
  }
  done(out.subarray(0, n));
}
