import Link from 'next/link';
import { stepPath } from '@/lib/wizard/steps';

/** The body of a 404: what happened, that nothing changed, and the ways back. */
export function NotFoundPanel() {
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <main
        className="rounded border border-neutral-200 bg-white p-6 shadow-sm dark:border-neutral-800 dark:bg-neutral-900"
        data-testid="not-found"
      >
        <p className="text-xs text-neutral-700 dark:text-neutral-300">Error 404</p>
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-3 text-sm">
          There is no page at this address: it may be mistyped, or the link may be out of date. Nothing in your vaults
          or cloud services was changed.
        </p>
        <ul className="mt-5 flex flex-wrap gap-3 text-sm font-semibold">
          <li>
            <Link
              href={stepPath('vault')}
              className="inline-flex rounded bg-azure-500 px-4 py-1.5 text-white hover:bg-azure-600"
            >
              Go to the certificate wizard
            </Link>
          </li>
          <li>
            <Link
              href="/cloud-services"
              className="inline-flex rounded border border-neutral-400 px-4 py-1.5 hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800"
            >
              Go to cloud services
            </Link>
          </li>
        </ul>
      </main>
    </div>
  );
}
