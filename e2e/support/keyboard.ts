import type { FileChooser, Page } from '@playwright/test';

/** The accessible name of the focused control (its label or aria-label, and its text). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || !['BUTTON', 'A', 'INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return '';
    const labelled = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
    return `${labelled} ${el.textContent ?? ''}`.trim();
  });
}

/** Presses Tab until the focused control's name matches: keyboard only, no clicks. */
export async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/**
 * Tabs to the file input named `name` and opens its picker with Space, keyboard only. The step can still re-render
 * under a slow machine just after the Tab (an answer arriving moves focus), so a picker that does not open within
 * a few seconds is tried again from where focus is: at most three times, and the test fails if it never opens.
 */
export async function openFileChooserByKeyboard(page: Page, name: RegExp): Promise<FileChooser> {
  for (let attempt = 1; ; attempt++) {
    await tabTo(page, name);
    const chooser = page.waitForEvent('filechooser', { timeout: 5_000 });
    await page.keyboard.press('Space');
    try {
      return await chooser;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
