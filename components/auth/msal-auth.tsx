'use client';

import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  EventType,
  InteractionRequiredAuthError,
  InteractionStatus,
  PublicClientApplication,
  type AuthenticationResult,
} from '@azure/msal-browser';
import { MsalProvider, useMsal } from '@azure/msal-react';
import type { PublicAuthConfig } from '@/lib/auth/public-config';
import { msalConfiguration, signInRequest } from '@/lib/auth/msal';
import { AuthContext, type AuthState } from './auth-context';

function MsalBridge({ config, children }: { config: PublicAuthConfig; children: ReactNode }) {
  const { instance, accounts, inProgress } = useMsal();
  const account = instance.getActiveAccount() ?? accounts[0] ?? null;

  const getToken = useCallback(async () => {
    const request = { ...signInRequest(config), account: account ?? undefined };
    try {
      return (await instance.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        await instance.acquireTokenRedirect({
          ...request,
          redirectUri: `${window.location.origin}${window.location.pathname}`,
        });
      }
      throw error;
    }
  }, [instance, account, config]);

  const signIn = useCallback(async () => {
    await instance.loginRedirect({
      ...signInRequest(config),
      redirectUri: `${window.location.origin}${window.location.pathname}`,
      prompt: 'select_account',
    });
  }, [instance, config]);

  const signOut = useCallback(async () => {
    await instance.logoutRedirect({ account: account ?? undefined, postLogoutRedirectUri: window.location.origin });
  }, [instance, account]);

  const value = useMemo<AuthState>(
    () => ({
      mode: 'azure',
      status: inProgress !== InteractionStatus.None ? 'loading' : account ? 'signed-in' : 'signed-out',
      account: account ? { name: account.name ?? account.username, username: account.username } : null,
      getToken,
      signIn,
      signOut,
    }),
    [inProgress, account, getToken, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** Azure mode: MSAL React with redirect sign-in; loaded only in Azure mode so sandbox pages carry no MSAL code. */
export default function MsalAuthProvider({ config, children }: { config: PublicAuthConfig; children: ReactNode }) {
  const [pca, setPca] = useState<PublicClientApplication | null>(null);
  useEffect(() => {
    const app = new PublicClientApplication(msalConfiguration(config, window.location.origin));
    app.addEventCallback((event) => {
      if (event.eventType === EventType.LOGIN_SUCCESS || event.eventType === EventType.ACQUIRE_TOKEN_SUCCESS) {
        const result = event.payload as AuthenticationResult | null;
        if (result?.account) app.setActiveAccount(result.account);
      }
    });
    setPca(app);
  }, [config]);
  if (!pca) return null;
  return (
    <MsalProvider instance={pca}>
      <MsalBridge config={config}>{children}</MsalBridge>
    </MsalProvider>
  );
}
