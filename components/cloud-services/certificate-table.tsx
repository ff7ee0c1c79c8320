'use client';

import type { CertificateRow } from '@/lib/cloud-services';
import { Button } from '@/components/ui/button';
import { RowBadge } from './health-badge';

const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/** Role × certificate: the .cscfg entry, the osProfile entry it maps to (by thumbprint), and its state and fix. */
export function CertificateTable({
  rows,
  onRotate,
  busy,
}: {
  rows: CertificateRow[];
  onRotate: (row: CertificateRow) => void;
  busy: boolean;
}) {
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Certificates by role (table)">
      <table className="w-full text-left text-sm" data-testid="certificate-table">
        <caption className="sr-only">
          Every certificate of every role, with the osProfile.secrets entry it maps to
        </caption>
        <thead className="border-b border-neutral-300 dark:border-neutral-700">
          <tr>
            <th scope="col" className="py-2 pr-3">
              Role
            </th>
            <th scope="col" className="py-2 pr-3">
              .cscfg certificate
            </th>
            <th scope="col" className="py-2 pr-3">
              osProfile entry
            </th>
            <th scope="col" className="py-2 pr-3">
              Newer version
            </th>
            <th scope="col" className="py-2 pr-3">
              Expires
            </th>
            <th scope="col" className="py-2 pr-3">
              Enabled
            </th>
            <th scope="col" className="py-2 pr-3">
              Status and fix
            </th>
            <th scope="col" className="py-2 pr-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.role}/${r.name}`}
              className="border-b border-neutral-200 align-top dark:border-neutral-800"
              data-testid="certificate-row"
              data-role={r.role}
              data-certificate={r.name}
              data-status={r.status}
            >
              <td className="py-2 pr-3 font-semibold">{r.role}</td>
              <td className="py-2 pr-3">
                <span className="break-all">{r.name}</span>
                {r.remoteAccess && <span className="ml-1 text-xs">(RemoteAccess plugin)</span>}
                <span className="block font-mono text-xs break-all" data-testid="row-thumbprint">
                  {r.thumbprint}
                </span>
              </td>
              <td className="py-2 pr-3">
                {r.entry ? (
                  <>
                    <span className="block">
                      {r.entry.vaultName} / {r.entry.secretName}
                    </span>
                    <span className="block font-mono text-xs break-all" data-testid="row-version">
                      {r.entry.version}
                    </span>
                  </>
                ) : (
                  <span>None has this thumbprint</span>
                )}
              </td>
              <td className="py-2 pr-3">
                {r.newerVersion ? (
                  <span className="font-mono text-xs break-all">
                    {r.newerVersion.version} (to {date(r.newerVersion.expiresOn)})
                  </span>
                ) : (
                  'No'
                )}
              </td>
              <td className="py-2 pr-3 whitespace-nowrap">
                {date(r.expiresOn)}
                {r.daysLeft !== null && <span className="block text-xs">{r.daysLeft} days</span>}
              </td>
              <td className="py-2 pr-3">{r.enabled === null ? '—' : r.enabled ? 'Yes' : 'No'}</td>
              <td className="max-w-md py-2 pr-3 [overflow-wrap:anywhere]">
                <RowBadge status={r.status} />
                <p className="mt-1" data-testid="row-message">
                  {r.message}
                </p>
                <p className="mt-1 text-neutral-700 dark:text-neutral-300">
                  <span className="font-semibold">Fix:</span> {r.fix}
                </p>
              </td>
              <td className="py-2 pr-3">
                <Button
                  variant="secondary"
                  disabled={busy}
                  onClick={() => onRotate(r)}
                  aria-label={`${r.repair ? 'Repair' : 'Rotate'} ${r.name} in ${r.role}`}
                >
                  {r.repair ? 'Repair…' : 'Rotate…'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
