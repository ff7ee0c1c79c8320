// Types for scripts/test-summary.mjs (plain JavaScript, run by Node without a build step).
export interface SuiteCount {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}
export function noReport(name: string, status: number, why?: string): SuiteCount;
export function checkCount(name: string, outcomes: { name: string; status: number }[]): SuiteCount;
export function countVitest(name: string, report: unknown, status: number): SuiteCount;
export function countPlaywright(name: string, report: unknown, status: number): SuiteCount;
export function summarise(suites: SuiteCount[]): { lines: string[]; passed: number; failed: number; closing: string };
