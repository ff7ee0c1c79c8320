'use client';

import { ApiError } from '@/lib/api/client';
import { Callout } from './callout';
import { CommandTabs } from './command-tabs';
import { useShownAdvice } from './shown-advice';

/**
 * Shows an API failure as message + what to do next. Unknown errors never show raw text. A refusal's advice shows its
 * sentence and its one command (az and PowerShell) once: not again when the page already shows that command
 * (ShownAdviceProvider), nor with `hideAdvice`.
 */
export function ErrorCallout({
  error,
  onRetry,
  hideAdvice = false,
}: {
  error: unknown;
  onRetry?: () => void;
  hideAdvice?: boolean;
}) {
  const shown = useShownAdvice();
  if (!error) return null;
  const body =
    error instanceof ApiError
      ? error.body
      : {
          code: 'internal',
          message: 'Something went wrong in the browser.',
          action: 'Reload the page; your choices are kept.',
          reason: undefined,
          advice: undefined,
        };
  const advice = hideAdvice || (body.advice && shown.includes(body.advice.az)) ? undefined : body.advice;
  return (
    <Callout tone="error" title={body.message} testId="error-callout">
      <p data-testid="error-action">
        {body.advice ? body.advice.ask : body.action}
        {body.advice && !advice && !hideAdvice && ' The command for an administrator is above.'}
      </p>
      {body.reason && <p className="mt-1 font-mono text-xs opacity-75">Code: {body.reason}</p>}
      {advice && (
        <div className="mt-3" data-testid="refusal-advice">
          <CommandTabs advice={advice} testId="refusal" showAsk={false} />
        </div>
      )}
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
