'use client';

import { useCallback, useEffect, useMemo } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { stateFromSearch, stateToSearch, type WizardState } from '@/lib/wizard/state';
import { stepPath, type StepId } from '@/lib/wizard/steps';

const STORAGE_KEY = 'cses.wizard.state';

/**
 * The state last written in this tab (by `update`, `goTo` or a URL that carries state). `update` rewrites the URL in
 * a transition, so a click right after it (Next, pressed while a field saves on blur) still renders with the old
 * state; navigation starts from this instead.
 */
let latest: WizardState | null = null;

function stored(): WizardState {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as WizardState;
  } catch {
    return {};
  }
}

/**
 * Wizard state: the URL is the source of truth (deep links, back/forward); session storage restores it when the
 * URL carries none (a fresh tab on /wizard/…). Holds names and versions only — never file bytes or passwords.
 */
export function useWizardState() {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const fromUrl = useMemo(() => stateFromSearch(new URLSearchParams(search.toString())), [search]);
  const state: WizardState = useMemo(() => {
    if (fromUrl.vault || typeof window === 'undefined') return fromUrl;
    return stored();
  }, [fromUrl]);

  // A deep link's state becomes the session's: a later bare /wizard/… URL in this tab resumes from it.
  useEffect(() => {
    if (fromUrl.vault) {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(fromUrl));
      latest = fromUrl;
    }
  }, [fromUrl]);

  const save = useCallback((next: WizardState) => {
    latest = next;
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  }, []);

  const update = useCallback(
    (patch: Partial<WizardState>, options: { clearCertificate?: boolean } = {}) => {
      const next: WizardState = { ...(latest ?? state), ...patch };
      if (options.clearCertificate) delete next.certificate;
      save(next);
      router.replace(`${pathname}${stateToSearch(next)}`, { scroll: false });
      return next;
    },
    [state, save, router, pathname],
  );

  const goTo = useCallback(
    (step: StepId, carried?: WizardState, extra: Record<string, string> = {}) => {
      const next = carried ?? latest ?? state;
      save(next);
      const q = stateToSearch(next);
      const more = new URLSearchParams(extra).toString();
      router.push(`${stepPath(step)}${q}${more ? `${q ? '&' : '?'}${more}` : ''}`);
    },
    [state, save, router],
  );

  /** Forgets everything (session and URL) and returns to the first step. */
  const reset = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    latest = null;
    router.push(stepPath('vault'));
  }, [router]);

  return { state, update, goTo, reset, search };
}
