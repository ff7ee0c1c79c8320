import type { ReactNode } from 'react';
import type { CertificateCheck, ThumbprintDiff } from '@/lib/service-config';
import { CopyField } from '@/components/ui/copy-field';
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

/** The value as written, with what the cleanup removes marked: invisible characters by code point, spaces as ␣. */
export function MarkedThumbprint({ check }: { check: CertificateCheck }) {
  const input = check.thumbprint ?? '';
  const removed = new Map(check.normalized.removed.map((r) => [r.index, r]));
  const parts: ReactNode[] = [];
  let i = 0;
  for (const ch of input) {
    const r = removed.get(i);
    parts.push(
      r ? (
        <mark
          key={i}
          className="rounded-sm bg-amber-200 px-px text-amber-950 dark:bg-amber-700 dark:text-white"
          title={`${r.name} (${r.codePoint}), removed`}
        >
          {r.kind === 'invisible'
            ? `⟨${r.codePoint}⟩`
            : r.char === ' '
              ? '␣'
              : /\s/.test(r.char)
                ? `⟨${r.codePoint}⟩`
                : r.char}
          <span className="sr-only"> ({r.name}, removed)</span>
        </mark>
      ) : (
        <span key={i}>{ch}</span>
      ),
    );
    i += ch.length;
  }
  return (
    <span className="font-mono text-xs break-all" data-testid="marked-thumbprint">
      {parts}
    </span>
  );
}

/** The row's verdict: a value that matches once cleaned up is amber (fix the file), not red like a real malformed one. */
function verdict(c: CertificateCheck) {
  if (c.cleanup && c.match)
    return { badge: 'warn', text: 'Matches after cleanup', id: 'matches-after-cleanup' } as const;
  const s = STATUS[c.status];
  return { badge: c.ok ? 'pass' : s.badge, text: s.text, id: c.status } as const;
}

export function ThumbprintTable({
  checks,
  source = 'cscfg',
}: {
  checks: CertificateCheck[];
  /** Where the thumbprints come from: an uploaded .cscfg (per role and certificate) or pasted by hand. */
  source?: 'cscfg' | 'pasted';
}) {
  const pasted = source === 'pasted';
  if (checks.length === 0) return <p className="text-sm">The uploaded .cscfg has no certificates yet.</p>;
  return (
    <div
      className="overflow-x-auto"
      tabIndex={0}
      role="region"
      aria-label={pasted ? 'Pasted thumbprints' : 'Scrollable table'}
    >
      <table className="w-full text-left text-sm" data-testid={pasted ? 'pasted-thumbprint-table' : 'thumbprint-table'}>
        <caption className="sr-only">
          {pasted
            ? 'Every pasted thumbprint, checked against the vault'
            : 'Every thumbprint in the uploaded .cscfg, checked against the vault'}
        </caption>
        <thead className="border-b border-neutral-300 dark:border-neutral-700">
          <tr>
            {pasted ? (
              <th scope="col" className="py-2 pr-4">
                #
              </th>
            ) : (
              <>
                <th scope="col" className="py-2 pr-4">
                  Role
                </th>
                <th scope="col" className="py-2 pr-4">
                  Certificate
                </th>
              </>
            )}
            <th scope="col" className="py-2 pr-4">
              {pasted ? 'Thumbprint as pasted' : 'Thumbprint in the file'}
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
            const v = verdict(c);
            const cleaned = c.cleanup && c.match ? { ...c.cleanup, match: c.match } : null;
            return (
              <tr
                key={`${c.role}-${c.name}-${i}`}
                className="border-b border-neutral-200 align-top dark:border-neutral-800"
                data-testid="thumbprint-row"
                data-status={c.status}
                data-verdict={v.id}
              >
                {pasted ? (
                  <td className="py-2 pr-4">{i + 1}</td>
                ) : (
                  <>
                    <td className="py-2 pr-4">{c.role}</td>
                    <td className="py-2 pr-4 font-semibold">{c.name}</td>
                  </>
                )}
                <td className="min-w-[12rem] py-2 pr-4">
                  {cleaned ? (
                    <MarkedThumbprint check={c} />
                  ) : c.nearMiss ? (
                    <CharDiff diff={c.nearMiss.diff} />
                  ) : c.status === 'malformed' && c.thumbprint ? (
                    <MarkedThumbprint check={c} />
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
                  <StatusBadge status={v.badge} label={v.text} testId="thumbprint-verdict" />
                </td>
                <td className="py-2">
                  {cleaned ? (
                    <div className="space-y-2">
                      <p data-testid="cleanup-summary">
                        Matches {cleaned.match.name} (version {cleaned.match.version.slice(0, 8)}…
                        {cleaned.match.isLatest ? '' : ', not its latest version'}) after {cleaned.text} —{' '}
                        {pasted ? 'use the clean value' : 'fix it in the file'}.
                      </p>
                      <CopyField
                        label={pasted ? `Clean thumbprint ${i + 1}` : `Clean thumbprint for ${c.name}`}
                        value={cleaned.value}
                        testId="clean-thumbprint"
                      />
                    </div>
                  ) : (
                    <>
                      {c.message}
                      {!c.ok && c.action && (
                        <span className="block text-neutral-700 dark:text-neutral-300">Fix: {c.action}</span>
                      )}
                    </>
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
