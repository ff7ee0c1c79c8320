import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Every axe rule of any impact, best practices included (heading order, landmarks, regions), plus the experimental
 * label-in-name rule (WCAG 2.5.3: a control's accessible name contains its visible text). One line per violation.
 *
 * axe runs in the page itself (`setLegacyMode`): the default opens a second page for every check to merge results
 * from cross-origin frames, which our pages do not have (the only frame the CSP allows besides our own origin is
 * MSAL's hidden one to the sign-in authority, not our content). The same rules see the same document, at about two
 * thirds of the cost (decision 053).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .setLegacyMode()
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/**
 * What the browser console reports as an error on a page, from now on: console.error, uncaught exceptions and the
 * browser's own messages (CSP refusals, resources that failed to load), each with the page it happened on.
 */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    errors.push(`${page.url()}: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
  return errors;
}

/** The browser's line for a document answered with `status` (a 404 page logs its own 404): the page is the resource. */
export function isOwnStatus(error: string, status: number): boolean {
  const m = /^(\S+): Failed to load resource: the server responded with a status of (\d+) .* \((\S+)\)$/.exec(error);
  return Boolean(m && m[1] === m[3] && Number(m[2]) === status);
}
