// The summariser behind `npm test`'s closing line: nothing may go quiet (issue 17 item 8). The reports below have the
// shapes Vitest 4 and Playwright 1.x write with their JSON reporters for these cases (recorded from real runs).
import { describe, expect, it } from 'vitest';
import { checkCount, countPlaywright, countVitest, noReport, summarise } from './test-summary.mjs';

const file = (name: string, status: string, tests: string[], message = '') => ({
  name: `/repo/${name}`,
  status,
  message,
  assertionResults: tests.map((s, i) => ({ title: `t${i}`, status: s })),
});

describe('countVitest', () => {
  it('counts passed, failed and skipped tests (skip, todo, pending)', () => {
    const report = { testResults: [file('a.test.ts', 'failed', ['passed', 'failed', 'skipped', 'todo', 'pending'])] };
    expect(countVitest('unit', report, 1)).toEqual({ name: 'unit', passed: 1, failed: 1, skipped: 3, notes: [] });
  });

  it('counts an unimportable file as a failed suite', () => {
    const report = {
      testResults: [
        file('ok.test.ts', 'passed', ['passed', 'passed']),
        file('b.test.ts', 'failed', [], "Cannot find module './does-not-exist' imported from /repo/b.test.ts"),
      ],
    };
    expect(countVitest('unit', report, 1)).toEqual({
      name: 'unit',
      passed: 2,
      failed: 1,
      skipped: 0,
      notes: ['1 suite failed outside its tests'],
    });
  });

  it('counts a throwing beforeAll: the suite fails and the tests it kept from running are skips', () => {
    // Vitest reports the file as failed, without a message, and the tests under the hook as skipped.
    const report = { testResults: [file('hook.test.ts', 'failed', ['skipped', 'skipped'])] };
    const count = countVitest('sandbox', report, 1);
    expect(count).toMatchObject({ passed: 0, failed: 1, skipped: 2 });
    expect(summarise([count]).closing).toBe('0 passed, 3 failed');
  });

  it('counts a failing afterAll next to a failed test', () => {
    const report = { testResults: [file('after.test.ts', 'failed', ['passed', 'failed'], 'Error: afterAll threw')] };
    expect(countVitest('unit', report, 1)).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
  });

  it('counts a non-zero exit that nothing else explains', () => {
    const report = { testResults: [file('a.test.ts', 'passed', ['passed'])] };
    expect(countVitest('unit', report, 1)).toEqual({
      name: 'unit',
      passed: 1,
      failed: 1,
      skipped: 0,
      notes: ['exit 1'],
    });
    expect(countVitest('unit', report, 0).failed).toBe(0);
  });

  it('counts a missing report as one failure', () => {
    expect(countVitest('unit', undefined, 2)).toEqual(noReport('unit', 2));
    expect(noReport('unit', 2)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('countPlaywright', () => {
  it('counts a throwing beforeAll: the first test fails, the rest are skipped', () => {
    const report = { stats: { expected: 1, unexpected: 2, flaky: 0, skipped: 2 }, errors: [] };
    expect(countPlaywright('e2e', report, 1)).toEqual({ name: 'e2e', passed: 1, failed: 2, skipped: 2, notes: [] });
  });

  it('counts a spec that does not load (the run stops with a top-level error and no tests)', () => {
    const report = {
      stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
      errors: [{ message: "Error: Cannot find module './does-not-exist'" }],
    };
    expect(countPlaywright('e2e', report, 1)).toMatchObject({ passed: 0, failed: 1, skipped: 0 });
  });

  it('counts a flaky test as passed and says so', () => {
    const report = { stats: { expected: 3, unexpected: 0, flaky: 1, skipped: 0 }, errors: [] };
    expect(countPlaywright('e2e', report, 0)).toEqual({
      name: 'e2e',
      passed: 4,
      failed: 0,
      skipped: 0,
      notes: ['1 flaky'],
    });
  });

  it('counts a non-zero exit with a clean report, and a missing report', () => {
    expect(countPlaywright('e2e', { stats: { expected: 2 }, errors: [] }, 1)).toMatchObject({ passed: 2, failed: 1 });
    expect(countPlaywright('e2e', {}, 1)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('summarise', () => {
  it('prints skips per suite and counts them as failed in the closing line', () => {
    const { lines, closing } = summarise([
      checkCount('typecheck', [
        { name: 'app', status: 0 },
        { name: 'sandbox', status: 0 },
      ]),
      { name: 'unit', passed: 403, failed: 0, skipped: 0, notes: [] },
      { name: 'sandbox', passed: 120, failed: 0, skipped: 3, notes: [] },
    ]);
    expect(lines).toEqual([
      '[test]   typecheck  2 passed, 0 failed, 0 skipped',
      '[test]   unit       403 passed, 0 failed, 0 skipped',
      '[test]   sandbox    120 passed, 0 failed, 3 skipped',
      '[test]   3 skipped tests counted as failed',
    ]);
    expect(closing).toBe('525 passed, 3 failed');
    expect(closing).toMatch(/^\d+ passed, \d+ failed$/);
  });

  it('names the checks that failed', () => {
    const count = checkCount('typecheck', [
      { name: 'app', status: 0 },
      { name: 'sandbox', status: 2 },
    ]);
    expect(summarise([count]).lines).toEqual(['[test]   typecheck  1 passed, 1 failed, 0 skipped (sandbox)']);
  });
});
