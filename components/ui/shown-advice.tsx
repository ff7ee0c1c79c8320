'use client';

import { createContext, useContext } from 'react';

/**
 * The commands a page already shows (e.g. the "you can't do this here" notice above a form). An ErrorCallout whose
 * refusal carries the same command shows the sentence only, so one command is never on the page twice.
 */
const ShownAdvice = createContext<readonly string[]>([]);

export const ShownAdviceProvider = ShownAdvice.Provider;

export function useShownAdvice(): readonly string[] {
  return useContext(ShownAdvice);
}
