const STYLES = {
  pass: { cls: 'bg-green-700 text-white', icon: '✓', text: 'Pass' },
  warn: { cls: 'bg-amber-300 text-black', icon: '!', text: 'Warning' },
  fail: { cls: 'bg-red-700 text-white', icon: '✕', text: 'Fail' },
  info: { cls: 'bg-azure-700 text-white', icon: 'i', text: 'Info' },
} as const;

/** Colour plus icon plus word: never colour alone. */
export function StatusBadge({
  status,
  label,
  testId,
}: {
  status: keyof typeof STYLES;
  label?: string;
  testId?: string;
}) {
  const s = STYLES[status];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-bold whitespace-nowrap ${s.cls}`}
      data-status={status}
    >
      <span aria-hidden="true">{s.icon}</span>
      <span data-testid={testId}>{label ?? s.text}</span>
    </span>
  );
}
