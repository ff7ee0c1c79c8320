import type { Page } from '@playwright/test';
import { consoleErrors } from './axe';

/**
 * Every console error and uncaught page error from now on (as `consoleErrors` words them), less the messages a test
 * provokes on purpose in `allow` (the browser logs a refused request's status as an error).
 */
export function watchConsole(page: Page, allow: RegExp[] = []): () => string[] {
  const errors = consoleErrors(page);
  return () => errors.filter((e) => !allow.some((a) => a.test(e)));
}
