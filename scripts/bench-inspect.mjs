#!/usr/bin/env node
/**
 * Times inspectPfx (lib/certs) against `openssl pkcs12 -in FILE -nokeys` on every PFX vector that opens.
 * Median of several runs each; prints a markdown table with the ratio (inspect / openssl).
 *
 *   node scripts/bench-inspect.mjs [--runs N] [--json]
 *
 * Also importable: `import { benchInspect } from './bench-inspect.mjs'` → { rows, markdown }.
 * Targets (issue 4): ratio ≤ 3× for typical files, < 1.5 s for the 600 000-iteration vector.
 * Passwords go to openssl through an environment variable, never on the command line or in the output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VECTORS = join(ROOT, 'lib/certs/__vectors__');

async function loadInspect() {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(join(ROOT, 'lib/certs/index.ts')).href, import.meta.url);
  return mod.inspectPfx;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function opensslOnce(file, password, legacy) {
  const args = ['pkcs12', '-in', file, '-nokeys', '-out', '/dev/null', '-passin', 'env:BENCH_PFX_PASS'];
  if (legacy) args.push('-legacy');
  const t = performance.now();
  const r = spawnSync('openssl', args, { env: { ...process.env, BENCH_PFX_PASS: password ?? '' }, stdio: 'ignore' });
  return { ms: performance.now() - t, ok: r.status === 0 };
}

/**
 * @param {{ runs?: number, filter?: (file: string) => boolean }} [opts]
 * @returns {Promise<{ rows: Array<{ file: string, category: string, inspectMs: number, opensslMs: number | null, ratio: number | null, legacy: boolean }>, markdown: string }>}
 */
export async function benchInspect(opts = {}) {
  const runs = opts.runs ?? 7;
  const inspectPfx = await loadInspect();
  const { vectors } = JSON.parse(readFileSync(join(VECTORS, 'expected.json'), 'utf8'));
  const seen = new Set();
  const rows = [];
  for (const v of vectors) {
    if (!v.file.endsWith('.pfx') || v.errors.some((e) => ['wrong-password', 'corrupt', 'empty-file', 'unsupported-algorithm'].includes(e))) continue;
    if (seen.has(v.file) || (opts.filter && !opts.filter(v.file))) continue;
    seen.add(v.file);
    const path = join(VECTORS, v.file);
    const bytes = new Uint8Array(readFileSync(path));
    const n = v.slow ? Math.min(runs, 5) : runs;
    for (let i = 0; i < (v.slow ? 1 : 3); i++) await inspectPfx(bytes, v.password); // warm-up (JIT)
    const ti = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await inspectPfx(bytes, v.password);
      ti.push(performance.now() - t);
    }
    let legacy = false;
    let first = opensslOnce(path, v.password, false);
    if (!first.ok) {
      legacy = true;
      first = opensslOnce(path, v.password, true);
    }
    let opensslMs = null;
    if (first.ok) {
      const to = [];
      for (let i = 0; i < n; i++) to.push(opensslOnce(path, v.password, legacy).ms);
      opensslMs = median(to);
    }
    const inspectMs = median(ti);
    rows.push({ file: v.file, category: v.category, inspectMs, opensslMs, ratio: opensslMs ? inspectMs / opensslMs : null, legacy });
  }
  const f = (x) => (x === null ? '—' : x.toFixed(1));
  const lines = [
    '| vector | category | inspectPfx (ms, median) | openssl pkcs12 -nokeys (ms, median) | ratio |',
    '|---|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.file} | ${r.category} | ${f(r.inspectMs)} | ${f(r.opensslMs)}${r.legacy ? ' (-legacy)' : ''} | ${r.ratio === null ? '—' : r.ratio.toFixed(2) + '×'} |`),
  ];
  const typical = rows.filter((r) => !r.file.includes('600k') && r.ratio !== null);
  const worst = typical.reduce((m, r) => Math.max(m, r.ratio), 0);
  const slow = rows.find((r) => r.file.includes('600k'));
  lines.push('');
  lines.push(`Worst ratio on typical files: ${worst.toFixed(2)}× (target ≤ 3×). 600 000 iterations: ${slow ? slow.inspectMs.toFixed(0) + ' ms' : 'n/a'} (target < 1500 ms). openssl times include process start-up; ${runs} runs each.`);
  return { rows, markdown: lines.join('\n') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined;
  const { rows, markdown } = await benchInspect({ runs });
  console.log(process.argv.includes('--json') ? JSON.stringify(rows, null, 2) : markdown);
}
