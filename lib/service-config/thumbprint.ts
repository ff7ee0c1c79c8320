/**
 * Thumbprint hygiene: pasted thumbprints often carry spaces, `:`/`-` separators, lowercase hex, and invisible
 * characters (U+200E from the Windows certificate dialog, U+FEFF, zero-width spaces…). CSES wants exactly
 * 40 uppercase hex characters.
 */

export interface RemovedCharacter {
  /** UTF-16 index in the input. */
  index: number;
  char: string;
  /** e.g. `U+200E`. */
  codePoint: string;
  /** Human name, e.g. `left-to-right mark`. */
  name: string;
  kind: 'whitespace' | 'separator' | 'invisible';
}

export interface InvalidCharacter {
  /** Index in the normalized value. */
  index: number;
  char: string;
  codePoint: string;
}

export type ThumbprintProblem = 'empty' | 'non-hex' | 'wrong-length';

export interface NormalizedThumbprint {
  input: string;
  /** Input without whitespace, separators and invisible characters, uppercased. */
  value: string;
  /** True when `value` is exactly 40 hex characters. */
  valid: boolean;
  /** What was taken out, in input order. */
  removed: RemovedCharacter[];
  /** True when lowercase hex was uppercased. */
  changedCase: boolean;
  /** Characters left in `value` that are not hex (e.g. `O` for `0`). */
  invalidCharacters: InvalidCharacter[];
  /** True when `value !== input`. */
  changed: boolean;
  /** Why it is not valid; absent when valid. */
  problem?: ThumbprintProblem;
  /** One sentence describing the problem; absent when valid. */
  message?: string;
}

const NAMED: Record<string, { name: string; kind: RemovedCharacter['kind'] }> = {
  ' ': { name: 'space', kind: 'whitespace' },
  '\t': { name: 'tab', kind: 'whitespace' },
  '\n': { name: 'line feed', kind: 'whitespace' },
  '\r': { name: 'carriage return', kind: 'whitespace' },
  '\u00A0': { name: 'no-break space', kind: 'whitespace' },
  '\u202F': { name: 'narrow no-break space', kind: 'whitespace' },
  '\u3000': { name: 'ideographic space', kind: 'whitespace' },
  ':': { name: 'colon', kind: 'separator' },
  '-': { name: 'hyphen-minus', kind: 'separator' },
  '\u2010': { name: 'hyphen', kind: 'separator' },
  '\u2011': { name: 'non-breaking hyphen', kind: 'separator' },
  '\u2012': { name: 'figure dash', kind: 'separator' },
  '\u2013': { name: 'en dash', kind: 'separator' },
  '\u2014': { name: 'em dash', kind: 'separator' },
  '\u2212': { name: 'minus sign', kind: 'separator' },
  '\u200B': { name: 'zero width space', kind: 'invisible' },
  '\u200C': { name: 'zero width non-joiner', kind: 'invisible' },
  '\u200D': { name: 'zero width joiner', kind: 'invisible' },
  '\u200E': { name: 'left-to-right mark', kind: 'invisible' },
  '\u200F': { name: 'right-to-left mark', kind: 'invisible' },
  '\u2060': { name: 'word joiner', kind: 'invisible' },
  '\uFEFF': { name: 'zero width no-break space (byte order mark)', kind: 'invisible' },
  '\u00AD': { name: 'soft hyphen', kind: 'invisible' },
  '\u202A': { name: 'left-to-right embedding', kind: 'invisible' },
  '\u202B': { name: 'right-to-left embedding', kind: 'invisible' },
  '\u202C': { name: 'pop directional formatting', kind: 'invisible' },
  '\u202D': { name: 'left-to-right override', kind: 'invisible' },
  '\u202E': { name: 'right-to-left override', kind: 'invisible' },
  '\u2066': { name: 'left-to-right isolate', kind: 'invisible' },
  '\u2067': { name: 'right-to-left isolate', kind: 'invisible' },
  '\u2068': { name: 'first strong isolate', kind: 'invisible' },
  '\u2069': { name: 'pop directional isolate', kind: 'invisible' },
};

const WHITESPACE = /^\s$/u;
/** Unicode "format" characters (Cf): all invisible. */
const FORMAT = /^\p{Cf}$/u;
const HEX = /^[0-9A-F]$/;

export function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

function classify(ch: string): { name: string; kind: RemovedCharacter['kind'] } | null {
  const named = NAMED[ch];
  if (named) return named;
  if (WHITESPACE.test(ch)) return { name: 'whitespace', kind: 'whitespace' };
  if (FORMAT.test(ch)) return { name: 'invisible format character', kind: 'invisible' };
  return null;
}

/** Strip whitespace, `:`/`-` (and typographic dashes), invisible format characters; uppercase; check 40 hex. */
export function normalizeThumbprint(input: string): NormalizedThumbprint {
  const removed: RemovedCharacter[] = [];
  let kept = '';
  let index = 0;
  for (const ch of input) {
    const c = classify(ch);
    if (c) removed.push({ index, char: ch, codePoint: codePointLabel(ch), name: c.name, kind: c.kind });
    else kept += ch;
    index += ch.length;
  }
  const value = kept.toUpperCase();
  const changedCase = value !== kept;
  const invalidCharacters: InvalidCharacter[] = [];
  let i = 0;
  for (const ch of value) {
    if (!HEX.test(ch)) invalidCharacters.push({ index: i, char: ch, codePoint: codePointLabel(ch) });
    i += ch.length;
  }
  const length = [...value].length;
  let problem: ThumbprintProblem | undefined;
  let message: string | undefined;
  if (length === 0) {
    problem = 'empty';
    message = 'The thumbprint is empty.';
  } else if (invalidCharacters.length > 0) {
    problem = 'non-hex';
    const list = invalidCharacters
      .slice(0, 5)
      .map((c) => `"${c.char}" (${c.codePoint}) at position ${c.index + 1}`)
      .join(', ');
    message = `The thumbprint contains characters that are not hexadecimal: ${list}.`;
  } else if (length !== 40) {
    problem = 'wrong-length';
    message = `The thumbprint has ${length} hexadecimal characters; a SHA-1 thumbprint has exactly 40.`;
  }
  const result: NormalizedThumbprint = {
    input,
    value,
    valid: problem === undefined,
    removed,
    changedCase,
    invalidCharacters,
    changed: value !== input,
  };
  if (problem !== undefined) result.problem = problem;
  if (message !== undefined) result.message = message;
  return result;
}

export type ThumbprintDiffOp =
  | { kind: 'equal'; actualIndex: number; expectedIndex: number; char: string }
  | { kind: 'substitute'; actualIndex: number; expectedIndex: number; actual: string; expected: string }
  /** A character of `expected` that `actual` lacks. */
  | { kind: 'missing'; actualIndex: null; expectedIndex: number; expected: string }
  /** A character of `actual` that `expected` does not have. */
  | { kind: 'extra'; actualIndex: number; expectedIndex: null; actual: string };

export interface ThumbprintDiff {
  /** True when both normalize to the same value. */
  equal: boolean;
  actual: NormalizedThumbprint;
  expected: NormalizedThumbprint;
  /** Edit distance between the normalized values (substitutions, missing and extra characters). */
  distance: number;
  /** Character-by-character alignment of the normalized values. */
  ops: ThumbprintDiffOp[];
  /** One line, e.g. `2 characters differ: position 7 is "8", expected "B"; …`. */
  summary: string;
}

/** Levenshtein distance between two strings (by UTF-16 unit; thumbprints are ASCII once normalized). */
export function editDistance(a: string, b: string): number {
  return align(a, b).distance;
}

function align(a: string, b: string): { distance: number; ops: ThumbprintDiffOp[] } {
  const n = a.length;
  const m = b.length;
  const d: number[][] = [];
  for (let i = 0; i <= n; i++) {
    const row: number[] = new Array<number>(m + 1).fill(0);
    row[0] = i;
    d.push(row);
  }
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let j = 0; j <= m; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      (d[i] as number[])[j] = Math.min(at(i - 1, j - 1) + cost, at(i - 1, j) + 1, at(i, j - 1) + 1);
    }
  }
  const ops: ThumbprintDiffOp[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const ca = a[i - 1] as string;
      const cb = b[j - 1] as string;
      const cost = ca === cb ? 0 : 1;
      if (at(i, j) === at(i - 1, j - 1) + cost) {
        ops.push(
          cost === 0
            ? { kind: 'equal', actualIndex: i - 1, expectedIndex: j - 1, char: ca }
            : { kind: 'substitute', actualIndex: i - 1, expectedIndex: j - 1, actual: ca, expected: cb },
        );
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && at(i, j) === at(i - 1, j) + 1) {
      ops.push({ kind: 'extra', actualIndex: i - 1, expectedIndex: null, actual: a[i - 1] as string });
      i--;
    } else {
      ops.push({ kind: 'missing', actualIndex: null, expectedIndex: j - 1, expected: b[j - 1] as string });
      j--;
    }
  }
  ops.reverse();
  return { distance: at(n, m), ops };
}

/** Per-character diff of two thumbprints, after normalizing both. */
export function diffThumbprint(actual: string, expected: string): ThumbprintDiff {
  const na = normalizeThumbprint(actual);
  const ne = normalizeThumbprint(expected);
  const { distance, ops } = align(na.value, ne.value);
  const differences = ops.filter((o) => o.kind !== 'equal');
  let summary: string;
  if (differences.length === 0) {
    summary = na.changed || ne.changed ? 'Same thumbprint once normalized.' : 'Identical.';
  } else {
    const parts = differences.slice(0, 6).map((o) => {
      switch (o.kind) {
        case 'substitute':
          return `position ${o.actualIndex + 1} is "${o.actual}", expected "${o.expected}"`;
        case 'missing':
          return `"${o.expected}" missing (expected position ${o.expectedIndex + 1})`;
        case 'extra':
          return `extra "${o.actual}" at position ${o.actualIndex + 1}`;
        default:
          return '';
      }
    });
    const more = differences.length > 6 ? `; and ${differences.length - 6} more` : '';
    summary = `${differences.length} character${differences.length === 1 ? ' differs' : 's differ'}: ${parts.join('; ')}${more}.`;
  }
  return { equal: na.value === ne.value, actual: na, expected: ne, distance, ops, summary };
}

/**
 * Key Vault also reports a certificate's SHA-1 thumbprint as `x5t` (base64url of the 20 bytes). Returns the 40-char
 * uppercase hex form of a hex or x5t thumbprint, or null when it is neither.
 */
export function thumbprintToHex(value: string): string | null {
  const n = normalizeThumbprint(value);
  if (n.valid) return n.value;
  const t = value.trim();
  if (!/^[A-Za-z0-9_-]{27}=?$/.test(t)) return null;
  const b64 = t.slice(0, 27).replace(/-/g, '+').replace(/_/g, '/') + '=';
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    return null;
  }
  if (bin.length !== 20) return null;
  let hex = '';
  for (let i = 0; i < bin.length; i++) hex += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return hex.toUpperCase();
}

/** One kind of character a cleanup took out, counted. */
export interface CleanupPart {
  /** Singular, e.g. `invisible character`, `space`, `colon`. */
  what: string;
  count: number;
}

export interface ThumbprintCleanup {
  /** What was taken out, grouped, in a fixed order (invisible characters first). */
  parts: CleanupPart[];
  /** True when lowercase hex was uppercased. */
  changedCase: boolean;
  /** e.g. `removing 1 invisible character and 3 spaces` or `removing 19 colons and changing it to upper case`;
   * empty when nothing changed. */
  text: string;
}

const CLEANUP_ORDER = [
  'invisible character',
  'space',
  'tab',
  'line break',
  'colon',
  'hyphen',
  'dash',
  'whitespace character',
] as const;

function cleanupGroup(r: RemovedCharacter): (typeof CLEANUP_ORDER)[number] {
  if (r.kind === 'invisible') return 'invisible character';
  if (r.kind === 'separator') return r.char === ':' ? 'colon' : r.char === '-' ? 'hyphen' : 'dash';
  if (r.char === '\t') return 'tab';
  if (r.char === '\n' || r.char === '\r' || r.char === '\u2028' || r.char === '\u2029') return 'line break';
  return /^[\u0020\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]$/u.test(r.char) ? 'space' : 'whitespace character';
}

const counted = (p: CleanupPart) => `${p.count} ${p.what}${p.count === 1 ? '' : 's'}`;

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** What normalizing a thumbprint did, counted and in words: "removing 1 invisible character and 3 spaces". */
export function describeCleanup(n: NormalizedThumbprint): ThumbprintCleanup {
  const counts = new Map<string, number>();
  for (const r of n.removed) {
    const g = cleanupGroup(r);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const parts = CLEANUP_ORDER.filter((w) => counts.has(w)).map((what) => ({ what, count: counts.get(what)! }));
  const removing = parts.length > 0 ? `removing ${list(parts.map(counted))}` : '';
  const upper = n.changedCase ? 'changing it to upper case' : '';
  const text = removing && upper ? `${removing}${parts.length > 1 ? ',' : ''} and ${upper}` : removing || upper;
  return { parts, changedCase: n.changedCase, text };
}
