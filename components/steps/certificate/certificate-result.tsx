'use client';

import { useEffect, useRef } from 'react';
import type { CertificateSummary } from '@/lib/api/types';
import { Button } from '@/components/ui/button';
import { CertificateSummaryList } from '../certificate-summary';

export type ResultHow = 'import' | 'pem' | 'generate' | 'existing';

const VERB: Record<ResultHow, string> = {
  import: 'Imported',
  pem: 'Imported',
  generate: 'Created',
  existing: 'Using',
};
const AGAIN: Record<ResultHow, string> = {
  import: 'Import another certificate',
  pem: 'Import another certificate',
  generate: 'Create another certificate',
  existing: 'Choose another certificate',
};

/**
 * What the certificate step did, in place of its forms: the name, version and thumbprint the wizard now pins, what
 * the next steps use, the next action, and a deliberate way to start over. Focus moves to its title, since the button
 * that was pressed is gone.
 */
export function CertificateResult({
  cert,
  how,
  newVersion,
  vaultName,
  next,
  onNext,
  onAgain,
}: {
  cert: CertificateSummary;
  how: ResultHow;
  /** True when the name existed and this is a new version of it. */
  newVersion: boolean;
  vaultName: string;
  /** The label of the next action, e.g. "Next: Preflight for CSES". */
  next: string;
  onNext: () => void;
  onAgain: () => void;
}) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const where = how === 'existing' ? `from ${vaultName}` : how === 'generate' ? `in ${vaultName}` : `into ${vaultName}`;
  return (
    <section
      aria-labelledby="certificate-result-title"
      className="space-y-3 rounded border-l-4 border-green-600 bg-green-50 p-4 text-sm text-green-950 dark:bg-green-950/40 dark:text-green-100"
      data-testid="certificate-result"
    >
      <h2
        id="certificate-result-title"
        ref={title}
        tabIndex={-1}
        className="text-base font-semibold outline-none"
        data-testid="import-success"
      >
        <span aria-hidden="true">✓ </span>
        {VERB[how]} {cert.name} {newVersion ? 'as a new version' : where}.
      </h2>
      <CertificateSummaryList cert={cert} />
      <p data-testid="result-next-uses">
        The next steps use this version: preflight checks it, the service configuration puts its thumbprint in the
        .cscfg, and osProfile.secrets points at its secret identifier.
        {newVersion && ' Deployments that pin an older version keep it until you move them.'}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button onClick={onNext}>{next}</Button>
        <Button variant="secondary" onClick={onAgain}>
          {AGAIN[how]}
        </Button>
      </div>
    </section>
  );
}
