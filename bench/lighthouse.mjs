// Lighthouse performance score per wizard step (sandbox mode), in Debian's Chromium. Lighthouse 13 needs Node 22,
// so the version that runs on our Node 20 is pinned and fetched on demand (it is not a project dependency).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const LIGHTHOUSE = 'lighthouse@12.2.3';

export function benchLighthouse({ base, steps }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-lh-'));
  const rows = [];
  for (const step of steps) {
    const out = path.join(dir, `${step}.json`);
    const res = spawnSync(
      'npx',
      [
        '-y',
        LIGHTHOUSE,
        `${base}/wizard/${step}`,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${out}`,
        '--quiet',
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run',
      ],
      {
        env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    try {
      const report = JSON.parse(readFileSync(out, 'utf8'));
      const audits = report.audits;
      rows.push({
        step,
        score: Math.round(report.categories.performance.score * 100),
        fcp: audits['first-contentful-paint']?.displayValue ?? '',
        lcp: audits['largest-contentful-paint']?.displayValue ?? '',
        tbt: audits['total-blocking-time']?.displayValue ?? '',
        cls: audits['cumulative-layout-shift']?.displayValue ?? '',
      });
    } catch {
      rows.push({
        step,
        score: NaN,
        fcp: '',
        lcp: '',
        tbt: '',
        cls: '',
        error: (res.stderr || res.error?.message || 'no report').split('\n').slice(-3).join(' '),
      });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const markdown = [
    `| page (${LIGHTHOUSE}, default mobile throttling) | performance (target ≥ 95) | FCP | LCP | TBT | CLS |`,
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| /wizard/${r.step} | ${Number.isFinite(r.score) ? r.score : `failed: ${r.error}`} | ${r.fcp} | ${r.lcp} | ${r.tbt} | ${r.cls} |`,
    ),
  ].join('\n');
  return { rows, markdown };
}
