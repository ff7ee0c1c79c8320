import type { CertificateSummary } from '@/lib/api/types';

/** What Key Vault holds for the pinned version: its name and secret identifier first, then the certificate. */
export function CertificateSummaryList({ cert }: { cert: CertificateSummary }) {
  const key =
    cert.keyType === 'RSA' ? `RSA ${cert.keySize ?? '?'} bits` : cert.keyType === 'EC' ? `EC ${cert.curve ?? ''}` : '—';
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-1 text-sm">
      <dt className="font-semibold">Name</dt>
      <dd className="break-all" data-testid="result-name">
        {cert.name}
      </dd>
      <dt className="font-semibold">Secret identifier (certificateUrl)</dt>
      <dd className="font-mono text-xs break-all" data-testid="result-secret-id">
        {cert.secretId}
      </dd>
      <dt className="font-semibold">Thumbprint (SHA-1)</dt>
      <dd className="font-mono break-all" data-testid="thumbprint">
        {cert.thumbprint}
      </dd>
      <dt className="font-semibold">Subject</dt>
      <dd className="break-all">{cert.subject || '—'}</dd>
      <dt className="font-semibold">Issuer</dt>
      <dd className="break-all">{cert.issuer || '—'}</dd>
      <dt className="font-semibold">Version</dt>
      <dd className="font-mono text-xs break-all" data-testid="version">
        {cert.version}
      </dd>
      <dt className="font-semibold">Valid</dt>
      <dd>
        {cert.notBefore ? cert.notBefore.slice(0, 10) : '—'} to {cert.expiresOn ? cert.expiresOn.slice(0, 10) : '—'}
      </dd>
      <dt className="font-semibold">Key, signature</dt>
      <dd>
        {key}
        {cert.signatureAlgorithm ? `, ${cert.signatureAlgorithm}` : ''}
      </dd>
      <dt className="font-semibold">Content type, exportable</dt>
      <dd>
        {cert.contentType ?? '—'},{' '}
        {cert.exportable === null ? 'unknown' : cert.exportable ? 'exportable' : 'not exportable'}
      </dd>
    </dl>
  );
}
