'use client';

import { useEffect } from 'react';

export function RedirectBridge() {
  useEffect(() => {
    void import('@azure/msal-browser/redirect-bridge').then((m) => m.broadcastResponseToMainFrame());
  }, []);
  return null;
}
