'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { useAuth } from '@/components/auth/auth-context';
import { SignInPanel } from '@/components/auth/sign-in-panel';

/** The portal-style blade of the "Cloud services" area: breadcrumbs, title, command bar, then the content. */
export function Blade({
  crumbs,
  title,
  subtitle,
  commands,
  children,
}: {
  crumbs: Array<{ label: string; href?: string }>;
  title: string;
  subtitle?: string;
  commands?: ReactNode;
  children: ReactNode;
}) {
  const auth = useAuth();
  return (
    <div className="mx-auto max-w-7xl px-4 py-4">
      <nav aria-label="Breadcrumb" className="text-sm text-neutral-700 dark:text-neutral-300">
        <ol className="flex flex-wrap items-center gap-1">
          {crumbs.map((c, i) => (
            <li key={`${c.label}-${i}`} className="flex items-center gap-1">
              {c.href ? (
                <Link href={c.href} className="text-azure-700 hover:underline dark:text-azure-100">
                  {c.label}
                </Link>
              ) : (
                <span aria-current="page" className="text-neutral-900 dark:text-neutral-100">
                  {c.label}
                </span>
              )}
              {i < crumbs.length - 1 && <span aria-hidden="true">›</span>}
            </li>
          ))}
        </ol>
      </nav>
      <main className="mt-4 min-w-0 rounded border border-neutral-200 bg-white shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
        <div className="border-b border-neutral-200 px-5 pt-4 pb-2 dark:border-neutral-800">
          {subtitle && <p className="text-xs text-neutral-700 dark:text-neutral-300">{subtitle}</p>}
          <h1 className="text-2xl font-semibold">{title}</h1>
          {commands && auth.status === 'signed-in' && (
            <div
              role="toolbar"
              aria-label="Commands"
              className="mt-2 flex flex-wrap gap-1 border-t border-neutral-200 pt-2 dark:border-neutral-800"
            >
              {commands}
            </div>
          )}
        </div>
        <div className="p-5 pt-3">
          {auth.status === 'loading' ? (
            <p className="text-sm">Checking your sign-in…</p>
          ) : auth.status === 'signed-out' ? (
            <SignInPanel />
          ) : (
            children
          )}
        </div>
      </main>
    </div>
  );
}

export const COMMAND =
  'inline-flex items-center gap-1.5 rounded px-2 py-1 text-sm hover:bg-neutral-200 disabled:opacity-50 dark:hover:bg-neutral-800';
