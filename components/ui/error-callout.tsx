'use client';

import { ApiError } from '@/lib/api/client';
import { Callout } from './callout';

/** Shows an API failure as message + what to do next. Unknown errors never show raw text. */
export function ErrorCallout({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const body =
    error instanceof ApiError
      ? error.body
      : {
          code: 'internal',
          message: 'Something went wrong in the browser.',
          action: 'Reload the page; your choices are kept.',
          reason: undefined,
        };
  return (
    <Callout tone="error" title={body.message} testId="error-callout">
      <p data-testid="error-action">{body.action}</p>
      {body.reason && <p className="mt-1 font-mono text-xs opacity-75">Code: {body.reason}</p>}
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-2 rounded border border-current px-2 py-1 text-xs font-semibold"
        >
          Retry
        </button>
      )}
    </Callout>
  );
}
