import type { ReactNode } from 'react';
import { AuthProvider } from '@/components/auth/auth-provider';
import { PortalHeader } from '@/components/wizard/portal-header';
import { ConfigErrorPanel } from '@/components/wizard/config-error-panel';
import { publicAuthConfig } from '@/lib/auth/public-config';
import { ConfigError, getServerConfig } from '@/lib/config';

// Configuration is read per request: the sandbox may start after the app, and the mode comes from the environment.
export const dynamic = 'force-dynamic';

export default function AppLayout({ children }: { children: ReactNode }) {
  let config;
  try {
    config = publicAuthConfig(getServerConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return (
      <>
        <PortalHeader mode="sandbox" showAccount={false} />
        <ConfigErrorPanel message={error.message} action={error.action} />
      </>
    );
  }
  return (
    <AuthProvider config={config}>
      <PortalHeader mode={config.mode} />
      {children}
    </AuthProvider>
  );
}
