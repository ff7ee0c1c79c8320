// First-load JavaScript per wizard step, measured in Chromium (gzip of every script the page loads until the
// network is idle), next to an empty Next.js page served by the same build. Also checks that the PFX code
// (node-forge) is loaded only by the certificate step's worker.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
const FORGE_MARKER = 'pkcs12FromAsn1';

async function measure(page, url, { interact } = {}) {
  const scripts = new Map();
  const onResponse = async (res) => {
    const type = res.request().resourceType();
    if (type !== 'script') return;
    try {
      const body = await res.body();
      scripts.set(res.url(), { gz: gzipSync(body).length, forge: body.includes(FORGE_MARKER) });
    } catch {
      /* redirected or aborted */
    }
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  if (interact) await interact(page);
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  const list = [...scripts.values()];
  return { gzKiB: list.reduce((n, s) => n + s.gz, 0) / 1024, files: list.length, forge: list.some((s) => s.forge) };
}

/**
 * `session`: an optional sandbox session put in sessionStorage before the page's scripts run, so each step renders
 * signed in (with `query` carrying the wizard state) and its own chunk is counted.
 */
export async function benchPageWeight({ base, steps, label = 'sandbox mode', session, query = '' }) {
  const browser = await chromium.launch(LAUNCH);
  const rows = [];
  try {
    const baselineCtx = await browser.newContext();
    const baseline = await measure(await baselineCtx.newPage(), `${base}/bench-baseline`);
    await baselineCtx.close();
    rows.push({ page: 'empty Next.js page (baseline)', ...baseline });
    for (const step of steps) {
      const ctx = await browser.newContext();
      if (session)
        await ctx.addInitScript(([key, value]) => sessionStorage.setItem(key, value), [session.key, session.value]);
      const page = await ctx.newPage();
      rows.push({ page: `/wizard/${step}`, ...(await measure(page, `${base}/wizard/${step}${query}`)) });
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  const markdown = [
    `| page (${label}) | first-load JS, gzipped | scripts | node-forge in main-thread scripts |`,
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.page} | ${r.gzKiB.toFixed(0)} KiB | ${r.files} | ${r.forge ? 'YES' : 'no'} |`),
  ].join('\n');
  return { rows, markdown };
}
