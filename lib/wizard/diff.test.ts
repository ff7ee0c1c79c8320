import { describe, expect, it } from 'vitest';
import { diffHunks, diffLines } from './diff';

describe('line diff', () => {
  it('shows an inserted line with its neighbours', () => {
    const before = 'a\nb\nc\nd\ne\nf';
    const after = 'a\nb\nc\nX\nd\ne\nf';
    const lines = diffLines(before, after);
    expect(lines.filter((l) => l.kind === 'added')).toEqual([{ kind: 'added', text: 'X', oldLine: null, newLine: 4 }]);
    expect(lines.filter((l) => l.kind === 'removed')).toEqual([]);
    const hunks = diffHunks(lines, 1);
    expect(hunks.map((l) => l?.text ?? '…')).toEqual(['c', 'X', 'd']);
    expect(
      diffHunks(diffLines('1\n2\n3\n4\n5\n6\n7\n8', '1\nA\n2\n3\n4\n5\n6\nB\n7\n8'), 1).map((l) => l?.text ?? '…'),
    ).toEqual(['1', 'A', '2', '…', '6', 'B', '7']);
  });

  it('shows a replaced line as removed + added and handles CRLF', () => {
    const lines = diffLines('<a>\r\n  <b x="1"/>\r\n</a>', '<a>\r\n  <b x="2"/>\r\n</a>');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ kind: 'same', oldLine: 1, newLine: 1 });
    expect(lines[3]).toMatchObject({ kind: 'same', text: '</a>', oldLine: 3, newLine: 3 });
    expect(
      lines
        .filter((l) => l.kind !== 'same')
        .map((l) => l.text)
        .sort(),
    ).toEqual(['  <b x="1"/>', '  <b x="2"/>']);
  });
});
