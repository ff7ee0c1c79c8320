'use client';

import dynamic from 'next/dynamic';
import type { ReactNode } from 'react';
import type { PublicAuthConfig } from '@/lib/auth/public-config';
import { SandboxAuthProvider } from './sandbox-auth';

const MsalAuthProvider = dynamic(() => import('./msal-auth'), { ssr: false });

/** Picks the sign-in implementation: sandbox personas or Microsoft Entra ID (MSAL). Both yield a token for our API. */
export function AuthProvider({ config, children }: { config: PublicAuthConfig; children: ReactNode }) {
  if (config.mode === 'sandbox') return <SandboxAuthProvider>{children}</SandboxAuthProvider>;
  return <MsalAuthProvider config={config}>{children}</MsalAuthProvider>;
}
