/** A line diff (longest common subsequence) for showing what patching changed in a .cscfg/.csdef. */
export type DiffLine = {
  kind: 'same' | 'added' | 'removed';
  text: string;
  oldLine: number | null;
  newLine: number | null;
};

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split(/\r\n|\n|\r/);
  const b = after.split(/\r\n|\n|\r/);
  const n = a.length;
  const m = b.length;
  // LCS table, bottom-up. Service files are small (hundreds of lines).
  const t: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || t[i]![j + 1]! >= t[i + 1]![j]!)) {
      out.push({ kind: 'added', text: b[j]!, oldLine: null, newLine: j + 1 });
      j++;
    } else {
      out.push({ kind: 'removed', text: a[i]!, oldLine: i + 1, newLine: null });
      i++;
    }
  }
  return out;
}

/** Changed lines with `context` unchanged lines around them; gaps become `null`. */
export function diffHunks(lines: DiffLine[], context = 2): Array<DiffLine | null> {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, k) => {
    if (l.kind !== 'same')
      for (let d = -context; d <= context; d++) if (k + d >= 0 && k + d < lines.length) keep[k + d] = true;
  });
  const out: Array<DiffLine | null> = [];
  lines.forEach((l, k) => {
    if (keep[k]) out.push(l);
    else if (out.length && out[out.length - 1] !== null) out.push(null);
  });
  if (out[out.length - 1] === null) out.pop();
  return out;
}
