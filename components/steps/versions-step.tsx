'use client';

import { useState } from 'react';
import type { CertificateVersionItem } from '@/lib/api/types';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { StatusBadge } from '@/components/ui/status-badge';
import { useApi } from '@/components/wizard/use-api';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';

const DAY = 86_400_000;

export function VersionsStep() {
  const { state, update, goTo } = useWizardState();
  const pinned = state.certificate!;
  const versions = useApi<{ versions: CertificateVersionItem[] }>(
    `${certificateApiPath(state.vault!, pinned.name)}/versions`,
  );
  const list = versions.data?.versions ?? [];
  const latest = list.find((v) => v.isLatest);
  const [now] = useState(Date.now);

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Every import or renewal of <strong>{pinned.name}</strong> adds a version. Deployments pin one version: the
        snippets and the certificateUrl follow the version pinned here. To rotate, import the renewed certificate as a
        new version, then deploy the new thumbprint and certificateUrl together.
      </p>
      <ErrorCallout error={versions.error} onRetry={versions.reload} />
      {latest && latest.version !== pinned.version && (
        <Callout tone="warning" title="A newer version exists than the one the snippets pin." testId="newer-version">
          Pin the latest version to refresh every output, or keep the pinned one if the cloud service still uses it.
        </Callout>
      )}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="w-full text-left text-sm" data-testid="versions-table">
          <caption className="sr-only">Versions of {pinned.name}, newest first</caption>
          <thead className="border-b border-neutral-300 dark:border-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Version
              </th>
              <th scope="col" className="py-2 pr-4">
                Created
              </th>
              <th scope="col" className="py-2 pr-4">
                Expires
              </th>
              <th scope="col" className="py-2 pr-4">
                Thumbprint
              </th>
              <th scope="col" className="py-2">
                Used by the snippets
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.loading && !versions.data && (
              <tr>
                <td colSpan={5} className="py-3">
                  Loading versions…
                </td>
              </tr>
            )}
            {list.map((v) => {
              const exp = v.expiresOn ? Date.parse(v.expiresOn) : null;
              const days = exp ? Math.floor((exp - now) / DAY) : null;
              const isPinned = v.version === pinned.version;
              return (
                <tr
                  key={v.version}
                  className={`border-b border-neutral-200 dark:border-neutral-800 ${isPinned ? 'bg-azure-50 dark:bg-azure-900/30' : ''}`}
                  data-testid="version-row"
                  data-version={v.version}
                >
                  <td className="py-2 pr-4 font-mono text-xs">
                    {v.version} {v.isLatest && <StatusBadge status="info" label="Latest" />}
                  </td>
                  <td className="py-2 pr-4">{v.createdOn ? v.createdOn.replace('T', ' ').slice(0, 16) : '—'}</td>
                  <td className="py-2 pr-4">
                    {v.expiresOn ? v.expiresOn.slice(0, 10) : '—'}{' '}
                    {days !== null && (
                      <StatusBadge
                        status={days < 0 ? 'fail' : days < 30 ? 'warn' : 'pass'}
                        label={days < 0 ? 'Expired' : `${days} days`}
                      />
                    )}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs break-all">{v.thumbprint}</td>
                  <td className="py-2">
                    {isPinned ? (
                      <StatusBadge status="pass" label="Pinned" testId="pinned-badge" />
                    ) : (
                      <Button
                        variant="secondary"
                        onClick={() => update({ certificate: { name: v.name, version: v.version } })}
                      >
                        {/* Its name starts with what it shows (WCAG 2.5.3), then says which version. */}
                        Pin this version<span className="sr-only"> {v.version}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => goTo('certificate', state, { intent: 'new-version' })}>Import a new version</Button>
        <Button variant="secondary" onClick={() => goTo('secret-identifier')}>
          See the pinned outputs
        </Button>
      </div>
      <StepNav step="versions" />
    </div>
  );
}
