#!/usr/bin/env node
/**
 * Times inspectPfx (lib/certs) against `openssl pkcs12 -in FILE -nokeys` on every PFX vector that opens.
 * Median of several runs each; prints a markdown table with the ratio (inspect / openssl).
 *
 *   node scripts/bench-inspect.mjs [--runs N] [--json] [--browser]
 *
 * --browser also inspects the 600 000-iteration vector in headless Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium) through lib/certs/worker.ts and, for comparison, on the main thread, and reports the longest
 * main-thread task seen by the Long Tasks API (target: none over 50 ms with the worker). Reported, not asserted.
 *
 * Also importable: `import { benchInspect } from './bench-inspect.mjs'` → { rows, markdown }.
 * Targets (issue 4): ratio ≤ 3× for typical files, < 1.5 s for the 600 000-iteration vector.
 * Passwords go to openssl through an environment variable, never on the command line or in the output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
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
 * @returns {Promise<{ rows: Array<{ file: string, category: string, inspectMs: number, opensslMs: number | null, ratio: number | null, legacy: boolean, stallMs: number | null }>, markdown: string }>}
 */
export async function benchInspect(opts = {}) {
  const runs = opts.runs ?? 7;
  const inspectPfx = await loadInspect();
  const { vectors } = JSON.parse(readFileSync(join(VECTORS, 'expected.json'), 'utf8'));
  const seen = new Set();
  const rows = [];
  for (const v of vectors) {
    if (
      !/\.(pfx|p12)$/.test(v.file) ||
      v.errors.some((e) =>
        ['wrong-password', 'corrupt', 'empty-file', 'unsupported-algorithm', 'excessive-iterations'].includes(e),
      )
    )
      continue;
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
    // Longest event-loop stall while inspecting on this thread (a page without a worker would freeze this long).
    let stallMs = null;
    if (v.slow) {
      let last = performance.now();
      let worst = 0;
      const timer = setInterval(() => {
        const t = performance.now();
        worst = Math.max(worst, t - last);
        last = t;
      }, 1);
      await inspectPfx(bytes, v.password);
      clearInterval(timer);
      stallMs = Math.max(worst, performance.now() - last);
    }
    rows.push({
      file: v.file,
      category: v.category,
      inspectMs,
      opensslMs,
      ratio: opensslMs ? inspectMs / opensslMs : null,
      legacy,
      stallMs,
    });
  }
  const f = (x) => (x === null ? '—' : x.toFixed(1));
  const lines = [
    '| vector | category | inspectPfx (ms, median) | openssl pkcs12 -nokeys (ms, median) | ratio |',
    '|---|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.file} | ${r.category} | ${f(r.inspectMs)} | ${r.opensslMs === null ? 'OpenSSL cannot read it' : f(r.opensslMs) + (r.legacy ? ' (-legacy)' : '')} | ${r.ratio === null ? '—' : r.ratio.toFixed(2) + '×'} |`,
    ),
  ];
  const typical = rows.filter((r) => !r.file.includes('600k') && r.ratio !== null);
  const worst = typical.reduce((m, r) => Math.max(m, r.ratio), 0);
  const slow = rows.find((r) => r.file.includes('600k'));
  lines.push('');
  lines.push(
    `Worst ratio on typical files: ${worst.toFixed(2)}× (target ≤ 3×). 600 000 iterations: ${slow ? slow.inspectMs.toFixed(0) + ' ms' : 'n/a'} (target < 1500 ms)` +
      (slow?.stallMs != null
        ? `; longest event-loop stall meanwhile (Node, same thread): ${slow.stallMs.toFixed(0)} ms`
        : '') +
      `. openssl times include process start-up; median of ${runs} runs (5 for the slow vector).`,
  );
  return { rows, markdown: lines.join('\n') };
}

/**
 * Inspect one vector in headless Chromium, in the worker and on the main thread; report time and long tasks.
 * @returns {Promise<{ rows: Array<{ mode: string, ms: number, longestTaskMs: number, longTasks: number, thumbprintOk: boolean }>, markdown: string }>}
 */
export async function benchBrowser(opts = {}) {
  const file = opts.file ?? 'iter-600k.pfx';
  const { vectors } = JSON.parse(readFileSync(join(VECTORS, 'expected.json'), 'utf8'));
  const v = vectors.find((x) => x.file === file && x.errors.length === 0);
  const esbuild = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'bench-browser-'));
  const page = `import { inspectPfx } from ${JSON.stringify(join(ROOT, 'lib/certs/index.ts'))};
window.runBench = async (b64, pw, mode) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const tasks = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
  obs.observe({ type: 'longtask' });
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  let result;
  if (mode === 'worker') {
    const w = new Worker('./worker.js', { type: 'module' });
    result = await new Promise((res) => { w.onmessage = (e) => res(e.data.result); w.postMessage({ id: 1, bytes, password: pw }); });
    w.terminate();
  } else result = await inspectPfx(bytes, pw);
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 200));
  obs.disconnect();
  return { ms, thumbprint: result.leaf ? result.leaf.thumbprint : null, longest: Math.max(0, ...tasks), count: tasks.length };
};`;
  writeFileSync(join(dir, 'page-entry.mjs'), page);
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>',
  );
  await esbuild.build({
    entryPoints: { page: join(dir, 'page-entry.mjs'), worker: join(ROOT, 'lib/certs/worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: dir,
    logLevel: 'silent',
  });
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0];
    try {
      const body = readFileSync(join(dir, name.replace(/[^a-z.-]/gi, '')));
      res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const rows = [];
  try {
    const p = await browser.newPage();
    await p.goto(`http://localhost:${port}/`);
    await p.waitForFunction(() => typeof window.runBench === 'function');
    const b64 = readFileSync(join(VECTORS, file)).toString('base64');
    for (const mode of ['worker', 'main-thread']) {
      await p.evaluate(([b, pw, m]) => window.runBench(b, pw, m), [b64, v.password, mode]); // warm-up
      const r = await p.evaluate(([b, pw, m]) => window.runBench(b, pw, m), [b64, v.password, mode]);
      rows.push({
        mode,
        ms: r.ms,
        longestTaskMs: r.longest,
        longTasks: r.count,
        thumbprintOk: r.thumbprint === v.thumbprint,
      });
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const markdown = [
    `Browser (headless Chromium), ${file}:`,
    '',
    '| mode | inspect (ms) | long tasks (>50 ms) on the main thread | longest (ms) | thumbprint |',
    '|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.mode} | ${r.ms.toFixed(0)} | ${r.longTasks} | ${r.longestTaskMs.toFixed(0)} | ${r.thumbprintOk ? 'ok' : 'WRONG'} |`,
    ),
  ].join('\n');
  return { rows, markdown };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined;
  const { rows, markdown } = await benchInspect({ runs });
  console.log(process.argv.includes('--json') ? JSON.stringify(rows, null, 2) : markdown);
  if (process.argv.includes('--browser')) {
    try {
      const b = await benchBrowser();
      console.log('\n' + (process.argv.includes('--json') ? JSON.stringify(b.rows, null, 2) : b.markdown));
    } catch (e) {
      console.log(`\nBrowser measurement skipped: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }
}
