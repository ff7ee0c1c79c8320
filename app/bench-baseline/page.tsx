import type { Metadata } from 'next';

// An empty page under the bare root layout: the framework's own first-load JavaScript, measured by `npm run bench`
// next to the wizard's pages.
export const metadata: Metadata = { title: 'Baseline', robots: { index: false } };
// Rendered per request like the wizard's pages, so it gets the same CSP nonce and its framework scripts run.
export const dynamic = 'force-dynamic';

export default function BaselinePage() {
  return null;
}
