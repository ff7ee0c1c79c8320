/**
 * Iterated SHA-256 of a 32-byte digest in WebAssembly, 2–3× faster than the JS loop: the hot path of the PKCS#12
 * KDF for OpenSSL 3 MACs (SHA-256, up to 600 000 iterations). The module (< 1 KiB) is assembled here from its
 * instructions; where WebAssembly is unavailable or refused (CSP without 'wasm-unsafe-eval'), callers use JS.
 *
 * Memory layout (i32 words, little-endian): H state @0, K @256, W @512 (W[8..15] = fixed padding), IV @768.
 */

// ---------------------------------------------------------------- a minimal assembler
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  const: (v: number) => [0x41, ...sleb(v | 0)],
  load: (offset: number) => [0x28, 2, ...uleb(offset)],
  store: (offset: number) => [0x36, 2, ...uleb(offset)],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  or: [0x72],
  xor: [0x73],
  shrU: [0x76],
  rotr: [0x78],
  ltU: [0x49],
  ne: [0x47],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (d: number) => [0x0d, ...uleb(d)],
};

// locals: 0 = n (param), 1..8 = a..h, 9 = p, 10 = t1, 11 = t2, 12 = x
const [N, A, B, C, D, E, F, G, H, P, T1, T2, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
const rot3 = (v: number, r1: number, r2: number, r3: number, lastShift = false) => [
  ...op.get(v),
  ...op.const(r1),
  ...op.rotr,
  ...op.get(v),
  ...op.const(r2),
  ...op.rotr,
  ...op.xor,
  ...op.get(v),
  ...op.const(r3),
  ...(lastShift ? op.shrU : op.rotr),
  ...op.xor,
];

function body(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(op.block, op.loop);
  // while (n != 0)
  emit(op.get(N), op.const(0), [0x46] /* i32.eq */, op.brIf(1));
  // W[0..7] = H
  for (let j = 0; j < 8; j++) emit(op.const(0), op.const(0), op.load(4 * j), op.store(512 + 4 * j));
  // expansion: p = 512 .. 700 step 4 ; W[i] @ p+64
  emit(op.const(512), op.set(P), op.loop);
  emit(op.get(P));
  emit(
    op.get(P),
    op.load(56),
    op.tee(X),
    op.const(17),
    op.rotr,
    op.get(X),
    op.const(19),
    op.rotr,
    op.xor,
    op.get(X),
    op.const(10),
    op.shrU,
    op.xor,
  );
  emit(op.get(P), op.load(36), op.add);
  emit(
    op.get(P),
    op.load(4),
    op.tee(X),
    op.const(7),
    op.rotr,
    op.get(X),
    op.const(18),
    op.rotr,
    op.xor,
    op.get(X),
    op.const(3),
    op.shrU,
    op.xor,
    op.add,
  );
  emit(op.get(P), op.load(0), op.add, op.store(64));
  emit(op.get(P), op.const(4), op.add, op.tee(P), op.const(704), op.ltU, op.brIf(0), op.end);
  // a..h = IV
  [A, B, C, D, E, F, G, H].forEach((v, j) => emit(op.const(0), op.load(768 + 4 * j), op.set(v)));
  // rounds: p = 0 .. 252 step 4 ; K @ p+256, W @ p+512
  emit(op.const(0), op.set(P), op.loop);
  emit(op.get(H), rot3(E, 6, 11, 25), op.add);
  emit(op.get(G), op.get(E), op.get(F), op.get(G), op.xor, op.and, op.xor, op.add);
  emit(op.get(P), op.load(256), op.add, op.get(P), op.load(512), op.add, op.set(T1));
  emit(rot3(A, 2, 13, 22));
  emit(op.get(A), op.get(B), op.and, op.get(C), op.get(A), op.get(B), op.or, op.and, op.or, op.add, op.set(T2));
  emit(op.get(G), op.set(H), op.get(F), op.set(G), op.get(E), op.set(F), op.get(D), op.get(T1), op.add, op.set(E));
  emit(op.get(C), op.set(D), op.get(B), op.set(C), op.get(A), op.set(B), op.get(T1), op.get(T2), op.add, op.set(A));
  emit(op.get(P), op.const(4), op.add, op.tee(P), op.const(256), op.ltU, op.brIf(0), op.end);
  // H = IV + a..h
  [A, B, C, D, E, F, G, H].forEach((v, j) =>
    emit(op.const(0), op.const(0), op.load(768 + 4 * j), op.get(v), op.add, op.store(4 * j)),
  );
  // n -= 1 ; continue
  emit(op.get(N), op.const(1), op.sub, op.set(N), [0x0c, 0] /* br 0 (loop) */, op.end, op.end, op.end);
  void X;
  return code;
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fn = body();
  const locals = vec([[...uleb(12), 0x7f]]);
  const code = [...locals, ...fn];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f]]), ...vec([])]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(
      7,
      vec([
        [...name('iter'), 0x00, 0],
        [...name('mem'), 0x02, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ];
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}

export interface Sha256Iterator {
  /** state ← SHA-256 applied `count` times to the 32-byte digest in `state` (8 big-endian words as int32). */
  run(state: Int32Array, count: number): void;
}

let cached: Sha256Iterator | null | undefined;

/** The WebAssembly iterator, or null where WebAssembly cannot be used. */
export function sha256Iterator(K: Int32Array, IV: ArrayLike<number>): Sha256Iterator | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const W = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!W) return null;
    const instance = new W.Instance(new W.Module(moduleBytes()));
    const exports = instance.exports as { iter: (n: number) => void; mem: WebAssembly.Memory };
    const mem = new Int32Array(exports.mem.buffer);
    mem.set(K, 64);
    for (let j = 0; j < 8; j++) mem[192 + j] = IV[j]!;
    mem[128 + 8] = 0x80000000 | 0;
    for (let j = 9; j < 15; j++) mem[128 + j] = 0;
    mem[128 + 15] = 256;
    cached = {
      run(state, count) {
        mem.set(state.subarray(0, 8), 0);
        exports.iter(count);
        state.set(mem.subarray(0, 8));
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}
