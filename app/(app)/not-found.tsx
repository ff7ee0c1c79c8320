import type { Metadata } from 'next';
import { NotFoundPanel } from '@/components/wizard/not-found-panel';

export const metadata: Metadata = { title: 'Page not found' };

// notFound() in the app's pages (an unknown wizard step): inside the app's layout, so the header keeps the account.
export default function AppNotFound() {
  return <NotFoundPanel />;
}
