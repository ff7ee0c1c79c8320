/** A labelled progress bar; `value` null = indeterminate (Key Vault is working, no percentage known). */
export function Progress({ label, value, testId }: { label: string; value: number | null; testId?: string }) {
  return (
    <div className="space-y-1" data-testid={testId}>
      <p className="text-sm font-semibold" aria-live="polite">
        {label}
      </p>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(value !== null ? { 'aria-valuenow': Math.round(value) } : {})}
        className="h-2 w-full max-w-md overflow-hidden rounded bg-neutral-200 dark:bg-neutral-700"
      >
        <div
          className={`h-full bg-azure-500 ${value === null ? 'w-1/3 animate-pulse' : ''}`}
          style={value !== null ? { width: `${Math.max(2, Math.min(100, value))}%` } : undefined}
        />
      </div>
    </div>
  );
}
