// Counting for scripts/test.mjs: turns each runner's report into passed / failed / skipped, so that nothing can go
// quiet. A skipped test and a suite that failed outside its tests (an unimportable file, a throwing beforeAll or
// afterAll, a runner that died) are failures too: the closing line `N passed, N failed` counts them as failed, and
// the per-suite lines above it show the skips.

/**
 * @typedef {{ name: string, passed: number, failed: number, skipped: number, notes: string[] }} SuiteCount
 */

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A runner that ends without a report, or a check (typecheck, lint…) that exits non-zero. */
export function noReport(name, status, why = `runner exited ${status} without a report`) {
  return { name, passed: 0, failed: 1, skipped: 0, notes: [why] };
}

/** A check with one outcome (typecheck of one project, lint, format, boundaries). */
export function checkCount(name, outcomes) {
  const failedNames = outcomes.filter((o) => o.status !== 0).map((o) => o.name);
  return {
    name,
    passed: outcomes.length - failedNames.length,
    failed: failedNames.length,
    skipped: 0,
    notes: failedNames,
  };
}

/**
 * Vitest's JSON reporter (`--reporter=json`). Tests are counted from each file's assertion results; a file that
 * failed with a message of its own (it did not load, a hook threw) or without any failed test counts as one more
 * failure; a non-zero exit that nothing else explains (an unhandled error) counts as one more.
 */
export function countVitest(name, report, status) {
  if (!report || !Array.isArray(report.testResults)) return noReport(name, status);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let suiteFailures = 0;
  for (const file of report.testResults) {
    const results = file.assertionResults ?? [];
    for (const t of results) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') failed++;
      else skipped++; // skipped, pending, todo
    }
    const testFailed = results.some((t) => t.status === 'failed');
    if (file.status === 'failed' && (file.message || !testFailed)) suiteFailures++;
  }
  const notes = [];
  if (suiteFailures) notes.push(`${plural(suiteFailures, 'suite')} failed outside its tests`);
  if (status !== 0 && failed + suiteFailures === 0) {
    suiteFailures++;
    notes.push(`exit ${status}`);
  }
  return { name, passed, failed: failed + suiteFailures, skipped, notes };
}

/**
 * Playwright's JSON reporter. `stats` counts tests; a flaky test passed on retry and counts as passed (noted). Every
 * top-level error (a spec that did not load, a global setup that threw, a web server that did not start) counts as
 * one failure; so does a non-zero exit that nothing else explains.
 */
export function countPlaywright(name, report, status) {
  if (!report?.stats) return noReport(name, status);
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  const notes = [];
  if (flaky) notes.push(`${flaky} flaky`);
  if (errors) notes.push(`${plural(errors, 'error')} outside the tests`);
  let failed = unexpected + errors;
  if (status !== 0 && failed === 0) {
    failed = 1;
    notes.push(`exit ${status}`);
  }
  return { name, passed: expected + flaky, failed, skipped, notes };
}

/** The summary lines: one per suite with its skips, then the closing line, in which a skip counts as failed. */
export function summarise(suites) {
  const width = Math.max(10, ...suites.map((s) => s.name.length));
  const lines = suites.map(
    (s) =>
      `[test]   ${s.name.padEnd(width)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped` +
      (s.notes.length ? ` (${s.notes.join('; ')})` : ''),
  );
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const failed = suites.reduce((n, s) => n + s.failed + s.skipped, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  if (skipped) lines.push(`[test]   ${plural(skipped, 'skipped test')} counted as failed`);
  return { lines, passed, failed, closing: `${passed} passed, ${failed} failed` };
}
