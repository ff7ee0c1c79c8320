/**
 * Minimal, allocation-light DER/BER reader over a Uint8Array that keeps byte offsets, so callers can hash the
 * ORIGINAL encoding of any element (certificates, names, SubjectPublicKeyInfo). Accepts BER indefinite lengths and
 * constructed strings (Java and some Windows exports use them). Never recurses deeper than MAX_DEPTH.
 */

export const MAX_DEPTH = 64;

export class DerError extends Error {
  /** `truncated` when the data ends before an element does; `malformed` for anything else. */
  constructor(
    message: string,
    readonly kind: 'truncated' | 'malformed',
  ) {
    super(message);
    this.name = 'DerError';
  }
}

export interface Node {
  /** Class bits (0 universal, 1 application, 2 context, 3 private). */
  cls: number;
  constructed: boolean;
  /** Tag number (low-tag form; high-tag numbers are decoded too). */
  tag: number;
  /** Offset of the first header byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just after the content (excluding an indefinite-length end-of-contents marker). */
  contentEnd: number;
  /** Offset just after the whole element (including any end-of-contents marker). */
  end: number;
  /** The buffer the offsets refer to. */
  buf: Uint8Array;
  /** Children, for constructed elements. */
  children: Node[];
}

export const T = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTF8: 12,
  SEQUENCE: 16,
  SET: 17,
  PRINTABLE: 19,
  T61: 20,
  IA5: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  VISIBLE: 26,
  UNIVERSAL: 28,
  BMP: 30,
} as const;

/** Parse one element at `offset`. */
export function parse(buf: Uint8Array, offset = 0, limit = buf.length, depth = 0): Node {
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 nesting too deep', 'malformed');
  let p = offset;
  if (p >= limit) throw new DerError('unexpected end of data', 'truncated');
  const first = buf[p++]!;
  const cls = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (p >= limit) throw new DerError('unexpected end of data in tag', 'truncated');
      const b = buf[p++]!;
      tag = tag * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
      if (i > 4) throw new DerError('tag number too large', 'malformed');
    }
  }
  if (p >= limit) throw new DerError('unexpected end of data in length', 'truncated');
  const lb = buf[p++]!;
  let len = -1;
  if (lb < 0x80) len = lb;
  else if (lb === 0x80) {
    if (!constructed) throw new DerError('indefinite length on a primitive element', 'malformed');
  } else {
    const n = lb & 0x7f;
    if (n > 4) throw new DerError('length too large', 'malformed');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError('unexpected end of data in length', 'truncated');
      len = len * 256 + buf[p++]!;
    }
  }
  const contentStart = p;
  const node: Node = { cls, constructed, tag, start: offset, contentStart, contentEnd: 0, end: 0, buf, children: [] };
  if (len >= 0) {
    const contentEnd = contentStart + len;
    if (contentEnd > limit) throw new DerError('element extends beyond the end of the data', 'truncated');
    node.contentEnd = contentEnd;
    node.end = contentEnd;
    if (constructed) {
      let q = contentStart;
      while (q < contentEnd) {
        const child = parse(buf, q, contentEnd, depth + 1);
        node.children.push(child);
        q = child.end;
      }
    }
  } else {
    let q = contentStart;
    for (;;) {
      if (q + 2 > limit) throw new DerError('missing end-of-contents marker', 'truncated');
      if (buf[q] === 0 && buf[q + 1] === 0) {
        node.contentEnd = q;
        node.end = q + 2;
        break;
      }
      const child = parse(buf, q, limit, depth + 1);
      node.children.push(child);
      q = child.end;
    }
  }
  return node;
}

/** Raw bytes of the whole element (header included): a view, not a copy. */
export function raw(n: Node): Uint8Array {
  return n.buf.subarray(n.start, n.end);
}

/** Content bytes. For constructed strings (BER), the concatenation of the primitive pieces. */
export function content(n: Node): Uint8Array {
  if (!n.constructed) return n.buf.subarray(n.contentStart, n.contentEnd);
  if (n.cls === 0 && (n.tag === T.SEQUENCE || n.tag === T.SET)) return n.buf.subarray(n.contentStart, n.contentEnd);
  const parts: Uint8Array[] = [];
  const walk = (m: Node) => {
    if (m.constructed) m.children.forEach(walk);
    else parts.push(m.buf.subarray(m.contentStart, m.contentEnd));
  };
  walk(n);
  if (parts.length === 1) return parts[0]!;
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function is(n: Node | undefined, tag: number, cls = 0): n is Node {
  return !!n && n.tag === tag && n.cls === cls;
}

export function expect(n: Node | undefined, tag: number, what: string, cls = 0): Node {
  if (!n || n.tag !== tag || n.cls !== cls) throw new DerError(`expected ${what}`, 'malformed');
  return n;
}

export function child(n: Node, i: number, what: string): Node {
  const c = n.children[i];
  if (!c) throw new DerError(`missing ${what}`, 'malformed');
  return c;
}

/** Dotted OID string. */
export function oid(n: Node): string {
  if (n.tag !== T.OID || n.cls !== 0) throw new DerError('expected an OBJECT IDENTIFIER', 'malformed');
  const b = content(n);
  if (b.length === 0) throw new DerError('empty OBJECT IDENTIFIER', 'malformed');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) {
        const f = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(f, v - f * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Small non-negative INTEGER as a JS number (iteration counts, versions). */
export function int(n: Node): number {
  if (n.tag !== T.INTEGER || n.cls !== 0) throw new DerError('expected an INTEGER', 'malformed');
  const b = content(n);
  if (b.length === 0 || b.length > 7) throw new DerError('INTEGER out of range', 'malformed');
  let v = 0;
  for (const x of b) v = v * 256 + x;
  if (b[0]! & 0x80) v -= 2 ** (8 * b.length);
  return v;
}

/** Unsigned big-endian magnitude of an INTEGER, leading zero bytes removed. */
export function uintBytes(n: Node): Uint8Array {
  const b = content(n);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase());

export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function utf8Decode(b: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(b);
}

/** Decode any ASN.1 string type to a JS string. */
export function str(n: Node): string {
  const b = content(n);
  switch (n.tag) {
    case T.BMP: {
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    case T.UNIVERSAL: {
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    case T.UTF8:
      return utf8Decode(b);
    default: {
      // PrintableString, IA5String, VisibleString, T61String (treated as Latin-1).
      let s = '';
      for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
      return s;
    }
  }
}

/** UTCTime / GeneralizedTime to Date. */
export function time(n: Node): Date {
  const s = str(n);
  let m: RegExpMatchArray | null;
  if (n.tag === T.UTC_TIME) {
    m = s.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/);
    if (!m) throw new DerError('bad UTCTime', 'malformed');
    const yy = Number(m[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return mkDate(year, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '00', '', m[7]!);
  }
  if (n.tag === T.GENERALIZED_TIME) {
    m = s.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)?(\d\d)?(\.\d+)?(Z|[+-]\d{4})?$/);
    if (!m) throw new DerError('bad GeneralizedTime', 'malformed');
    return mkDate(Number(m[1]), m[2]!, m[3]!, m[4]!, m[5] ?? '00', m[6] ?? '00', m[7] ?? '', m[8] ?? 'Z');
  }
  throw new DerError('expected a time', 'malformed');
}

function mkDate(y: number, mo: string, d: string, h: string, mi: string, s: string, frac: string, tz: string): Date {
  let t = Date.UTC(y, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (frac) t += Math.round(Number('0' + frac) * 1000);
  if (tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    t -= sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5))) * 60_000;
  }
  return new Date(t);
}

// ---------------------------------------------------------------- encoding (for building PFX files)

export function enc(
  tag: number,
  body: Uint8Array | Uint8Array[],
  opts: { cls?: number; constructed?: boolean } = {},
): Uint8Array {
  const content = Array.isArray(body) ? concat(body) : body;
  const cls = opts.cls ?? 0;
  const constructed = opts.constructed ?? (Array.isArray(body) || (cls === 0 && (tag === T.SEQUENCE || tag === T.SET)));
  const first = (cls << 6) | (constructed ? 0x20 : 0) | tag;
  const len = content.length;
  let hdr: number[];
  if (len < 0x80) hdr = [first, len];
  else {
    const lb: number[] = [];
    for (let l = len; l > 0; l = Math.floor(l / 256)) lb.unshift(l & 0xff);
    hdr = [first, 0x80 | lb.length, ...lb];
  }
  const out = new Uint8Array(hdr.length + len);
  out.set(hdr, 0);
  out.set(content, hdr.length);
  return out;
}

export const seq = (...items: Uint8Array[]) => enc(T.SEQUENCE, items, { constructed: true });
export const set = (...items: Uint8Array[]) => enc(T.SET, items, { constructed: true });
export const octets = (b: Uint8Array) => enc(T.OCTET_STRING, b);
export const nul = () => enc(T.NULL, new Uint8Array(0));
/** [n] EXPLICIT */
export const explicit = (n: number, inner: Uint8Array) => enc(n, [inner], { cls: 2, constructed: true });

export function encInt(v: number | Uint8Array): Uint8Array {
  let b: Uint8Array;
  if (typeof v === 'number') {
    const bytes: number[] = [];
    let x = v;
    do {
      bytes.unshift(x & 0xff);
      x = Math.floor(x / 256);
    } while (x > 0);
    b = Uint8Array.from(bytes);
  } else b = v;
  if (b.length === 0 || (b[0]! & 0x80) !== 0) b = concat([Uint8Array.of(0), b]);
  return enc(T.INTEGER, b);
}

export function encOid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const tmp: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) tmp.unshift((x & 0x7f) | 0x80);
    out.push(...tmp);
  };
  push(parts[0]! * 40 + parts[1]!);
  for (let i = 2; i < parts.length; i++) push(parts[i]!);
  return enc(T.OID, Uint8Array.from(out));
}

export function encBmp(s: string): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    b[2 * i] = c >> 8;
    b[2 * i + 1] = c & 0xff;
  }
  return enc(T.BMP, b);
}
