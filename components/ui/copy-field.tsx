'use client';

import { useState } from 'react';

/** A read-only value with a copy button that confirms. */
export function CopyField({
  label,
  value,
  multiline = false,
  testId,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  testId?: string;
}) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  };
  // The button keeps its name ("Copy …") whatever happened; the outcome shows beside it, in a live region.
  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-semibold">{label}</span>
        <span className="flex items-center gap-2">
          <span
            role="status"
            className={`text-xs font-semibold ${copied === 'failed' ? 'text-red-700 dark:text-red-300' : 'text-green-800 dark:text-green-300'}`}
            data-testid={testId ? `${testId}-copy-status` : undefined}
          >
            {copied === 'copied' ? (
              <>
                <span aria-hidden="true">Copied ✓</span>
                <span className="sr-only">{label} copied to the clipboard</span>
              </>
            ) : copied === 'failed' ? (
              'Copy failed: select the text and copy it yourself'
            ) : (
              ''
            )}
          </span>
          <button
            type="button"
            onClick={copy}
            className="rounded border border-neutral-400 px-2 py-0.5 text-xs font-semibold hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800"
            aria-label={`Copy ${label}`}
            data-testid={testId ? `${testId}-copy` : undefined}
          >
            Copy
          </button>
        </span>
      </div>
      <pre
        tabIndex={0}
        className={`overflow-x-auto rounded border border-neutral-300 bg-white p-2 font-mono text-xs dark:border-neutral-700 dark:bg-neutral-900 ${multiline ? 'whitespace-pre' : 'whitespace-pre-wrap break-all'}`}
        data-testid={testId}
      >
        {value}
      </pre>
    </div>
  );
}
