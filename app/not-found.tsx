import type { Metadata } from 'next';
import { connection } from 'next/server';
import { NotFoundPanel } from '@/components/wizard/not-found-panel';
import { PortalHeader } from '@/components/wizard/portal-header';
import { getServerConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Page not found' };

// Any address no route matches. Rendered per request, like every page, so its scripts carry the CSP nonce (a
// prerendered page has none, and the CSP blocks it); the header without the account menu, which needs a session.
export default async function NotFound() {
  await connection();
  let mode: 'sandbox' | 'azure' = 'sandbox';
  try {
    mode = getServerConfig().mode;
  } catch {
    // A configuration problem shows on the wizard's pages; a 404 is still a 404.
  }
  return (
    <>
      <PortalHeader mode={mode} showAccount={false} />
      <NotFoundPanel />
    </>
  );
}
