import { diffHunks, diffLines } from '@/lib/wizard/diff';

/** What patching changed, as a unified diff with a little context. */
export function DiffView({
  before,
  after,
  label,
  testId,
}: {
  before: string;
  after: string;
  label: string;
  testId?: string;
}) {
  const lines = diffLines(before, after);
  const hunks = diffHunks(lines, 2);
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;
  return (
    <figure className="space-y-1" data-testid={testId}>
      <figcaption className="text-sm font-semibold">
        {label}: {added} line(s) added, {removed} removed
      </figcaption>
      {hunks.length === 0 ? (
        <p className="text-sm">No change: the file already has this certificate.</p>
      ) : (
        <div
          tabIndex={0}
          role="region"
          aria-label={`${label}: changes`}
          className="overflow-x-auto rounded border border-neutral-300 font-mono text-xs dark:border-neutral-700"
        >
          <table className="w-full border-collapse">
            <caption className="sr-only">{label}: changed lines with context</caption>
            <thead className="sr-only">
              <tr>
                <th scope="col">Old line</th>
                <th scope="col">New line</th>
                <th scope="col">Change</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {hunks.map((l, i) =>
                l === null ? (
                  <tr key={`gap-${i}`} className="bg-neutral-100 dark:bg-neutral-800">
                    <td colSpan={4} className="px-2 text-neutral-700 dark:text-neutral-300">
                      ⋯
                    </td>
                  </tr>
                ) : (
                  <tr
                    key={`${l.kind}-${l.oldLine}-${l.newLine}`}
                    className={
                      l.kind === 'added'
                        ? 'bg-green-100 text-green-950 dark:bg-green-950 dark:text-green-100'
                        : l.kind === 'removed'
                          ? 'bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100'
                          : ''
                    }
                  >
                    <td className="w-10 px-2 text-right align-top text-neutral-700 select-none dark:text-neutral-300">
                      {l.oldLine ?? ''}
                    </td>
                    <td className="w-10 px-2 text-right align-top text-neutral-700 select-none dark:text-neutral-300">
                      {l.newLine ?? ''}
                    </td>
                    <td className="w-6 px-1 align-top font-bold">
                      <span aria-hidden="true">{l.kind === 'added' ? '+' : l.kind === 'removed' ? '−' : ' '}</span>
                      <span className="sr-only">
                        {l.kind === 'added' ? 'added' : l.kind === 'removed' ? 'removed' : 'unchanged'}
                      </span>
                    </td>
                    {/* Long lines wrap (indentation kept) rather than run past the right edge; the numbers stay on
                        their line's first row. */}
                    <td className="px-2 align-top whitespace-pre-wrap [overflow-wrap:anywhere]">{l.text}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
