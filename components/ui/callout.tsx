import type { ReactNode } from 'react';

const TONES = {
  error: 'border-red-600 bg-red-50 text-red-950 dark:bg-red-950/40 dark:text-red-100',
  warning: 'border-amber-500 bg-amber-50 text-amber-950 dark:bg-amber-950/40 dark:text-amber-100',
  info: 'border-azure-500 bg-azure-50 text-neutral-900 dark:bg-azure-900/30 dark:text-neutral-100',
  success: 'border-green-600 bg-green-50 text-green-950 dark:bg-green-950/40 dark:text-green-100',
} as const;

export function Callout({
  tone,
  title,
  children,
  testId,
}: {
  tone: keyof typeof TONES;
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      // Long unbroken names (a plugin's certificate, a resource id) wrap rather than run past a phone's edge.
      className={`rounded border-l-4 p-3 text-sm break-words ${TONES[tone]}`}
      data-testid={testId}
    >
      <p className="font-semibold">{title}</p>
      {children && <div className="mt-1">{children}</div>}
    </div>
  );
}
