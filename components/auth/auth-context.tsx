'use client';

import { createContext, useContext } from 'react';

export interface AuthAccount {
  name: string;
  username: string;
}

export interface AuthState {
  mode: 'sandbox' | 'azure';
  status: 'loading' | 'signed-out' | 'signed-in';
  account: AuthAccount | null;
  /** Returns a valid access token for our API, renewing it when needed. */
  getToken: () => Promise<string>;
  /** Sandbox: signs the given persona in. Azure: starts the Microsoft sign-in (redirect). */
  signIn: (persona?: string) => Promise<void>;
  signOut: () => Promise<void>;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
