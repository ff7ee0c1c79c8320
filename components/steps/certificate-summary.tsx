import type { CertificateSummary } from '@/lib/azure/types';

export function CertificateSummaryList({ cert }: { cert: CertificateSummary }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
      <dt className="font-semibold">Thumbprint (SHA-1)</dt>
      <dd className="font-mono" data-testid="thumbprint">
        {cert.thumbprint}
      </dd>
      <dt className="font-semibold">Subject</dt>
      <dd>{cert.subject || '—'}</dd>
      <dt className="font-semibold">Version</dt>
      <dd className="font-mono text-xs">{cert.version}</dd>
      <dt className="font-semibold">Valid until</dt>
      <dd>{cert.expiresOn ? new Date(cert.expiresOn).toUTCString() : '—'}</dd>
    </dl>
  );
}
