import type { CertificateCheck, ThumbprintDiff } from '@/lib/service-config';
import { StatusBadge } from '@/components/ui/status-badge';

const STATUS = {
  found: { badge: 'pass', text: 'Found' },
  'found-in-another-version': { badge: 'warn', text: 'Older version' },
  missing: { badge: 'fail', text: 'Not in vault' },
  malformed: { badge: 'fail', text: 'Malformed' },
} as const;

/** Character by character: what the file says against the closest thumbprint the vault holds. */
export function CharDiff({ diff }: { diff: ThumbprintDiff }) {
  return (
    <span className="font-mono text-xs break-all" data-testid="char-diff">
      {diff.ops.map((op, i) =>
        op.kind === 'equal' ? (
          <span key={i}>{op.char}</span>
        ) : op.kind === 'substitute' ? (
          <mark
            key={i}
            className="rounded-sm bg-red-200 px-px text-red-950 dark:bg-red-800 dark:text-white"
            title={`${op.actual} should be ${op.expected}`}
          >
            {op.actual}
            <span className="sr-only"> (should be {op.expected})</span>
          </mark>
        ) : op.kind === 'missing' ? (
          <ins
            key={i}
            className="rounded-sm bg-amber-200 px-px text-amber-950 no-underline dark:bg-amber-700 dark:text-white"
            title={`missing ${op.expected}`}
          >
            {op.expected}
            <span className="sr-only"> (missing)</span>
          </ins>
        ) : (
          <del
            key={i}
            className="rounded-sm bg-red-200 px-px text-red-950 dark:bg-red-800 dark:text-white"
            title={`extra ${op.actual}`}
          >
            {op.actual}
            <span className="sr-only"> (extra)</span>
          </del>
        ),
      )}
    </span>
  );
}

export function ThumbprintTable({ checks }: { checks: CertificateCheck[] }) {
  if (checks.length === 0) return <p className="text-sm">The uploaded .cscfg has no certificates yet.</p>;
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Scrollable table">
      <table className="w-full text-left text-sm" data-testid="thumbprint-table">
        <caption className="sr-only">Every thumbprint in the uploaded .cscfg, checked against the vault</caption>
        <thead className="border-b border-neutral-300 dark:border-neutral-700">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Role
            </th>
            <th scope="col" className="py-2 pr-4">
              Certificate
            </th>
            <th scope="col" className="py-2 pr-4">
              Thumbprint in the file
            </th>
            <th scope="col" className="py-2 pr-4">
              Status
            </th>
            <th scope="col" className="py-2">
              What to do
            </th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c, i) => {
            const s = STATUS[c.status];
            return (
              <tr
                key={`${c.role}-${c.name}-${i}`}
                className="border-b border-neutral-200 align-top dark:border-neutral-800"
                data-testid="thumbprint-row"
                data-status={c.status}
              >
                <td className="py-2 pr-4">{c.role}</td>
                <td className="py-2 pr-4 font-semibold">{c.name}</td>
                <td className="min-w-[12rem] py-2 pr-4">
                  {c.nearMiss ? (
                    <CharDiff diff={c.nearMiss.diff} />
                  ) : (
                    <span className="font-mono text-xs break-all">{c.normalized.value || c.thumbprint || '—'}</span>
                  )}
                  {c.match && (
                    <span className="block text-xs">
                      Vault: {c.match.name} / {c.match.version.slice(0, 8)}…
                    </span>
                  )}
                  {c.nearMiss && <span className="block text-xs">Closest in vault: {c.nearMiss.certificate.name}</span>}
                </td>
                <td className="py-2 pr-4">
                  <StatusBadge status={c.ok ? 'pass' : s.badge} label={s.text} />
                </td>
                <td className="py-2">
                  {c.message}
                  {!c.ok && c.action && (
                    <span className="block text-neutral-700 dark:text-neutral-300">Fix: {c.action}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
