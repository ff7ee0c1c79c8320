'use client';

import type { ReactNode } from 'react';
import { useAuth } from './auth-context';

/** Renders its children once someone is signed in: chrome that means nothing before (step count, copy link, reset). */
export function SignedInOnly({ children }: { children: ReactNode }) {
  return useAuth().status === 'signed-in' ? children : null;
}
