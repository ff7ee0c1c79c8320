'use client';

import { useState } from 'react';
import type { CertificateListItem, CertificateSummary } from '@/lib/api/types';
import type { WizardVault } from '@/lib/wizard/state';
import { certificateApiPath, vaultApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { StatusBadge } from '@/components/ui/status-badge';
import { useInputError } from '@/components/ui/use-input-error';
import { useApi, useApiCall } from '@/components/wizard/use-api';

const DAY = 86_400_000;

/** Pick a certificate the vault already holds (its latest version). */
export function ExistingPanel({
  vault,
  current,
  onDone,
}: {
  vault: WizardVault;
  current: string | undefined;
  onDone: (c: CertificateSummary) => void;
}) {
  const list = useApi<{ certificates: CertificateListItem[] }>(`${vaultApiPath(vault)}/certificates`);
  const call = useApiCall();
  const [selected, setSelected] = useState<string | null>(current ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useInputError([selected]);

  const use = async () => {
    if (!selected) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await call<CertificateSummary>(certificateApiPath(vault, selected)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const [now] = useState(Date.now);
  return (
    <div className="space-y-3">
      <ErrorCallout error={list.error} onRetry={list.reload} />
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Certificates in {vault.vaultName}</caption>
          <thead className="border-b border-neutral-300 dark:border-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-2">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col" className="py-2 pr-4">
                Name
              </th>
              <th scope="col" className="py-2 pr-4">
                Expires
              </th>
              <th scope="col" className="py-2 pr-4">
                Thumbprint
              </th>
            </tr>
          </thead>
          <tbody>
            {list.loading && !list.data && (
              <tr>
                <td colSpan={4} className="py-3">
                  Loading certificates…
                </td>
              </tr>
            )}
            {list.data?.certificates.length === 0 && (
              <tr>
                <td colSpan={4} className="py-3">
                  This vault holds no certificates yet. Import or generate one.
                </td>
              </tr>
            )}
            {list.data?.certificates.map((c) => {
              const exp = c.expiresOn ? Date.parse(c.expiresOn) : null;
              const days = exp ? Math.floor((exp - now) / DAY) : null;
              return (
                <tr key={c.name} className="border-b border-neutral-200 dark:border-neutral-800">
                  <td className="py-2 pr-2">
                    <input
                      type="radio"
                      name="existing-certificate"
                      id={`cert-${c.name}`}
                      checked={selected === c.name}
                      onChange={() => setSelected(c.name)}
                    />
                  </td>
                  <td className="py-2 pr-4 font-semibold">
                    <label htmlFor={`cert-${c.name}`}>{c.name}</label>
                  </td>
                  <td className="py-2 pr-4">
                    {c.expiresOn ? c.expiresOn.slice(0, 10) : '—'}{' '}
                    {days !== null && (
                      <StatusBadge
                        status={days < 0 ? 'fail' : days < 30 ? 'warn' : 'pass'}
                        label={days < 0 ? 'Expired' : `${days} days`}
                      />
                    )}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">{c.thumbprint}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Button onClick={use} disabled={!selected || busy}>
        {busy ? 'Loading…' : 'Use this certificate'}
      </Button>
      <ErrorCallout error={error} onRetry={use} />
    </div>
  );
}
