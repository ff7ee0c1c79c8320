import { describe, expect, it } from 'vitest';
import { diffThumbprint, editDistance, normalizeThumbprint } from './index';

const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';

describe('normalizeThumbprint', () => {
  it('accepts a clean thumbprint unchanged', () => {
    const n = normalizeThumbprint(T);
    expect(n).toMatchObject({ value: T, valid: true, changed: false, changedCase: false, removed: [] });
    expect(n.problem).toBeUndefined();
  });

  it('strips the U+200E the Windows certificate dialog prepends, spaces and lowercase', () => {
    const pasted = '\u200E3b fc 4e 04 c0 34 e2 1b 85 2a 8d 18 b4 ff 47 95 53 38 fe e9';
    const n = normalizeThumbprint(pasted);
    expect(n.value).toBe(T);
    expect(n.valid).toBe(true);
    expect(n.changedCase).toBe(true);
    expect(n.removed[0]).toMatchObject({
      index: 0,
      codePoint: 'U+200E',
      name: 'left-to-right mark',
      kind: 'invisible',
    });
    expect(n.removed.filter((r) => r.kind === 'whitespace')).toHaveLength(19);
  });

  it('strips colons, hyphens, U+200F, U+FEFF, zero-width spaces, tabs and newlines', () => {
    const pasted = '\uFEFF3B:FC:4E:04-C0-34\u200FE2\u200B1B\t852A8D18B4FF4795\r\n5338FEE9\u2060';
    const n = normalizeThumbprint(pasted);
    expect(n.value).toBe(T);
    expect(n.valid).toBe(true);
    const cps = new Set(n.removed.map((r) => r.codePoint));
    for (const cp of ['U+FEFF', 'U+003A', 'U+002D', 'U+200F', 'U+200B', 'U+0009', 'U+000D', 'U+000A', 'U+2060']) {
      expect(cps.has(cp)).toBe(true);
    }
  });

  it('strips other invisible format characters (Unicode Cf) generically', () => {
    const n = normalizeThumbprint('\u{E0001}' + T + '\u180E');
    expect(n.value).toBe(T);
    expect(n.removed.map((r) => r.kind)).toEqual(['invisible', 'invisible']);
  });

  it('reports non-hex characters with their position', () => {
    const n = normalizeThumbprint(T.slice(0, 10) + 'O' + T.slice(11));
    expect(n.valid).toBe(false);
    expect(n.problem).toBe('non-hex');
    expect(n.invalidCharacters).toEqual([{ index: 10, char: 'O', codePoint: 'U+004F' }]);
    expect(n.message).toContain('position 11');
  });

  it('reports wrong length and empty input', () => {
    expect(normalizeThumbprint(T.slice(1))).toMatchObject({ valid: false, problem: 'wrong-length' });
    expect(normalizeThumbprint(T + 'AA')).toMatchObject({ valid: false, problem: 'wrong-length' });
    expect(normalizeThumbprint('')).toMatchObject({ valid: false, problem: 'empty' });
    expect(normalizeThumbprint(' \u200E ')).toMatchObject({ valid: false, problem: 'empty', value: '' });
    // a SHA-256 thumbprint is not what cscfg wants
    expect(normalizeThumbprint('A'.repeat(64))).toMatchObject({ valid: false, problem: 'wrong-length' });
  });
});

describe('diffThumbprint', () => {
  it('is equal after normalization', () => {
    const d = diffThumbprint('\u200E' + T.toLowerCase(), T);
    expect(d.equal).toBe(true);
    expect(d.distance).toBe(0);
    expect(d.summary).toBe('Same thumbprint once normalized.');
    expect(d.ops.every((o) => o.kind === 'equal')).toBe(true);
  });

  it('shows a substitution', () => {
    const wrong = T.slice(0, 6) + '8' + T.slice(7);
    const d = diffThumbprint(wrong, T);
    expect(d.equal).toBe(false);
    expect(d.distance).toBe(1);
    const diffs = d.ops.filter((o) => o.kind !== 'equal');
    expect(diffs).toEqual([{ kind: 'substitute', actualIndex: 6, expectedIndex: 6, actual: '8', expected: '0' }]);
    expect(d.summary).toContain('position 7 is "8", expected "0"');
  });

  it('aligns a dropped character instead of reporting a shifted tail', () => {
    const dropped = T.slice(0, 20) + T.slice(21);
    const d = diffThumbprint(dropped, T);
    expect(d.distance).toBe(1);
    const diffs = d.ops.filter((o) => o.kind !== 'equal');
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({ kind: 'missing', expectedIndex: 20, expected: T[20] });
  });

  it('reports an extra character', () => {
    const extra = T.slice(0, 5) + 'A' + T.slice(5);
    const d = diffThumbprint(extra, T);
    expect(d.ops.filter((o) => o.kind !== 'equal')).toEqual([
      { kind: 'extra', actualIndex: 5, expectedIndex: null, actual: 'A' },
    ]);
  });

  it('editDistance', () => {
    expect(editDistance('ABC', 'ABC')).toBe(0);
    expect(editDistance('ABC', 'AXC')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
  });
});
