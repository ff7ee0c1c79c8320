'use client';

import Link from 'next/link';
import { useState } from 'react';
import { stateToSearch } from '@/lib/wizard/state';
import { stepMeta, stepPath, type StepId } from '@/lib/wizard/steps';
import { useWizardState } from './wizard-state';

/** Portal-style breadcrumbs: where the user is, in Azure's terms (vault › certificate › step). */
export function Breadcrumbs({ step }: { step: StepId }) {
  const { state } = useWizardState();
  const q = stateToSearch(state);
  const crumbs: Array<{ label: string; href?: string }> = [
    { label: 'Home', href: stepPath('vault') },
    { label: 'Key vaults', href: `${stepPath('vault')}${q}` },
  ];
  if (state.vault) crumbs.push({ label: state.vault.vaultName, href: `${stepPath('access')}${q}` });
  if (state.vault && state.certificate)
    crumbs.push({ label: state.certificate.name, href: `${stepPath('certificate')}${q}` });
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-neutral-700 dark:text-neutral-300">
      <ol className="flex flex-wrap items-center gap-1">
        {crumbs.map((c) => (
          <li key={c.label} className="flex items-center gap-1">
            {c.href ? (
              <Link href={c.href} className="text-azure-700 hover:underline dark:text-azure-100">
                {c.label}
              </Link>
            ) : (
              c.label
            )}
            <span aria-hidden="true">›</span>
          </li>
        ))}
        <li aria-current="page" className="text-neutral-900 dark:text-neutral-100">
          {stepMeta(step).label}
        </li>
      </ol>
    </nav>
  );
}

const CMD = 'inline-flex items-center gap-1.5 rounded px-2 py-1 text-sm hover:bg-neutral-200 dark:hover:bg-neutral-800';

/** The blade's command bar: actions that apply to the whole wizard. */
export function CommandBar() {
  const { reset } = useWizardState();
  const [copied, setCopied] = useState(false);
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div
      role="toolbar"
      aria-label="Commands"
      className="flex flex-wrap gap-1 border-b border-neutral-200 pb-2 dark:border-neutral-800"
    >
      <button type="button" className={CMD} onClick={() => window.location.reload()}>
        <span aria-hidden="true">↻</span> Refresh
      </button>
      <button type="button" className={CMD} onClick={copyLink}>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5 fill-current">
          <path d="M6.5 10.5 5 12a2.1 2.1 0 0 1-3-3l2.5-2.5a2.1 2.1 0 0 1 3 0l.7-.7a3.1 3.1 0 0 0-4.4 0L1.3 8.3a3.1 3.1 0 0 0 4.4 4.4l1.5-1.5-.7-.7Zm3-5L11 4a2.1 2.1 0 0 1 3 3l-2.5 2.5a2.1 2.1 0 0 1-3 0l-.7.7a3.1 3.1 0 0 0 4.4 0l2.5-2.5a3.1 3.1 0 0 0-4.4-4.4L8.8 4.8l.7.7ZM5.6 9.7l4.1-4.1.7.7-4.1 4.1-.7-.7Z" />
        </svg>{' '}
        Copy link to this step
      </button>
      <button type="button" className={CMD} onClick={reset}>
        <span aria-hidden="true">✕</span> Start over
      </button>
      {/* The button keeps its name; the outcome shows beside it, in a live region. */}
      <span role="status" className="self-center text-xs font-semibold text-green-800 dark:text-green-300">
        {copied ? (
          <>
            <span aria-hidden="true">Link copied ✓</span>
            <span className="sr-only">Link to this step copied to the clipboard</span>
          </>
        ) : (
          ''
        )}
      </span>
    </div>
  );
}
