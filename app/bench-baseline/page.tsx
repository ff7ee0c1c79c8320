import type { Metadata } from 'next';

// An empty page under the bare root layout: the framework's own first-load JavaScript, measured by `npm run bench`
// next to the wizard's pages.
export const metadata: Metadata = { title: 'Baseline', robots: { index: false } };

export default function BaselinePage() {
  return null;
}
