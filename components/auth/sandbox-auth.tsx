'use client';

import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { apiFetch, ApiError } from '@/lib/api/client';
import { AuthContext, type AuthState } from './auth-context';

interface Session {
  accessToken: string;
  expiresOn: number;
  account: { username: string; name: string; oid: string };
}

// Like MSAL's default cache: the session token lives in sessionStorage, gone when the tab closes.
const STORAGE_KEY = 'cses.sandbox.session';
const RENEW_MARGIN_MS = 5 * 60_000;

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function SandboxAuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const s = load();
    setSession(s && s.expiresOn > Date.now() ? s : null);
    setReady(true);
  }, []);

  const signIn = useCallback(async (username?: string) => {
    if (!username) throw new Error('A sandbox persona is required');
    const s = await apiFetch<Session>('/api/sandbox/sign-in', null, {
      method: 'POST',
      body: JSON.stringify({ username }),
    });
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    setSession(s);
  }, []);

  const getToken = useCallback(async () => {
    const s = session ?? load();
    if (!s)
      throw new ApiError(401, { code: 'reauth_required', message: 'You are signed out.', action: 'Sign in again.' });
    if (s.expiresOn - RENEW_MARGIN_MS > Date.now()) return s.accessToken;
    // The sandbox has no browser session to renew silently from: sign the same persona in again.
    const renewed = await apiFetch<Session>('/api/sandbox/sign-in', null, {
      method: 'POST',
      body: JSON.stringify({ username: s.account.username }),
    });
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(renewed));
    setSession(renewed);
    return renewed.accessToken;
  }, [session]);

  const signOut = useCallback(async () => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      mode: 'sandbox',
      status: !ready ? 'loading' : session ? 'signed-in' : 'signed-out',
      account: session ? { name: session.account.name, username: session.account.username } : null,
      getToken,
      signIn,
      signOut,
    }),
    [ready, session, getToken, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
