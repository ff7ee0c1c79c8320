'use client';

import { useState } from 'react';
import type {
  CertificateSummary,
  CertificateVersionItem,
  CloudServiceDetail,
  RotationPlanRequest,
  RotationPlanResponse,
} from '@/lib/api/types';
import { parseVaultId, sameId, type CertificateRow } from '@/lib/cloud-services';
import { serviceApi } from '@/lib/cloud-services/paths';
import type { WizardVault } from '@/lib/wizard/state';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { Tabs } from '@/components/ui/tabs';
import { GeneratePanel } from '@/components/steps/certificate/generate-panel';
import { ImportPanel } from '@/components/steps/certificate/import-panel';
import { useApi, useApiCall } from '@/components/wizard/use-api';

type Source = 'pfx' | 'generate' | 'vault';
const SOURCES: ReadonlyArray<{ id: Source; label: string }> = [
  { id: 'pfx', label: 'Renewed PFX' },
  { id: 'generate', label: 'Self-signed' },
  { id: 'vault', label: 'Version in the vault' },
];

/** Where the new version goes: the vault and certificate the row's osProfile entry (or repair target) uses. */
export function rotationTarget(
  detail: CloudServiceDetail,
  row: CertificateRow,
): { vault: WizardVault; name: string } | null {
  const service = detail.report.service;
  const vaultName = row.entry?.vaultName ?? row.repair?.vaultName;
  const group =
    (row.entry && service.secrets.find((g) => sameId(g.sourceVault.id, row.entry!.vaultId))) ??
    service.secrets.find((g) => parseVaultId(g.sourceVault.id)?.name.toLowerCase() === vaultName?.toLowerCase()) ??
    service.secrets[0];
  const parsed = group ? parseVaultId(group.sourceVault.id) : null;
  if (!parsed) return null;
  const plain = row.status === 'not-certificate' || !row.entry?.secretName;
  const fallback = `${service.name}-${row.name}`
    .toLowerCase()
    .replace(/[^0-9a-z-]+/g, '-')
    .slice(0, 120);
  return {
    vault: { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, vaultName: parsed.name },
    name: plain ? (row.repair?.name ?? fallback) : row.entry!.secretName,
  };
}

function VersionPicker({
  vault,
  name,
  preselect,
  onPick,
}: {
  vault: WizardVault;
  name: string;
  preselect: string | null;
  onPick: (version: string) => void;
}) {
  const versions = useApi<{ versions: CertificateVersionItem[] }>(`${certificateApiPath(vault, name)}/versions`);
  const [selected, setSelected] = useState<string | null>(preselect);
  return (
    <div className="space-y-3">
      <ErrorCallout error={versions.error} onRetry={versions.reload} />
      {versions.loading && !versions.data && <p className="text-sm">Reading the versions of {name}…</p>}
      {versions.data && (
        <fieldset className="space-y-1 text-sm">
          <legend className="font-semibold">
            Versions of {name} in {vault.vaultName}, newest first
          </legend>
          {versions.data.versions.map((v) => (
            <label key={v.version} className="flex items-center gap-2">
              <input
                type="radio"
                name="rotation-version"
                value={v.version}
                checked={selected === v.version}
                disabled={!v.enabled}
                onChange={() => setSelected(v.version)}
              />
              <span className="font-mono text-xs">{v.version}</span>
              <span>
                thumbprint <span className="font-mono text-xs">{v.thumbprint}</span>, valid to{' '}
                {v.expiresOn?.slice(0, 10) ?? '?'}
                {v.isLatest ? ' (latest)' : ''}
                {!v.enabled ? ' (disabled)' : ''}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <Button onClick={() => selected && onPick(selected)} disabled={!selected}>
        Plan with this version
      </Button>
    </div>
  );
}

/** Rotate one certificate: get the new version (renewed PFX, self-signed or one in the vault), then plan. */
export function RotatePanel({
  detail,
  row,
  onPlanned,
  onCancel,
}: {
  detail: CloudServiceDetail;
  row: CertificateRow;
  onPlanned: (response: RotationPlanResponse, request: RotationPlanRequest) => void;
  onCancel: () => void;
}) {
  const call = useApiCall();
  const target = rotationTarget(detail, row);
  const [source, setSource] = useState<Source>(row.repair || row.newerVersion ? 'vault' : 'pfx');
  const [newVersion, setNewVersion] = useState<CertificateSummary | null>(null);
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!target) {
    return (
      <Callout tone="error" title="This service references no vault to rotate into.">
        Add the certificate to a vault in {detail.report.service.location} first.
      </Callout>
    );
  }
  const locator = {
    subscriptionId: detail.report.service.subscriptionId,
    resourceGroup: detail.report.service.resourceGroup,
    cloudServiceName: detail.report.service.name,
  };
  const plan = async (version: string, name = target.name) => {
    setPlanning(true);
    setError(null);
    const request: RotationPlanRequest = {
      from: row.normalizedThumbprint,
      to: { vault: target.vault, certificateName: name, version },
    };
    try {
      const response = await call<RotationPlanResponse>(`${serviceApi(locator)}/rotation-plan`, {
        method: 'POST',
        body: JSON.stringify(request),
      });
      onPlanned(response, request);
    } catch (e) {
      setError(e);
    } finally {
      setPlanning(false);
    }
  };
  const created = (c: CertificateSummary) => {
    setNewVersion(c);
    void plan(c.version, c.name);
  };
  return (
    <section
      aria-labelledby="rotate-title"
      className="space-y-4 rounded border border-neutral-300 p-4 dark:border-neutral-700"
      data-testid="rotate-panel"
    >
      <h3 id="rotate-title" className="text-lg font-semibold">
        {row.repair ? 'Repair' : 'Rotate'} {row.name} ({row.role}
        {detail.report.rows.filter((r) => r.normalizedThumbprint === row.normalizedThumbprint).length > 1
          ? ' and every other role with this thumbprint'
          : ''}
        )
      </h3>
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        The new version goes into <strong>{target.vault.vaultName}</strong> as <strong>{target.name}</strong>. The plan
        then shows both changes and checks them before anything is sent to the service.
      </p>
      {row.repair && (
        <Callout tone="info" title={`Version ${row.repair.version} of ${row.repair.name} has this row's thumbprint.`}>
          Choose it below: the repair points osProfile.secrets at it, the .cscfg stays as it is.
        </Callout>
      )}
      <Tabs label="Where the new version comes from" tabs={SOURCES} selected={source} onSelect={setSource}>
        <div hidden={source !== 'pfx'}>
          <ImportPanel vault={target.vault} initialName={target.name} newVersion onDone={created} />
        </div>
        {source === 'generate' && <GeneratePanel vault={target.vault} initialName={target.name} onDone={created} />}
        {source === 'vault' && (
          <VersionPicker
            vault={target.vault}
            name={row.repair?.name ?? target.name}
            preselect={row.repair?.version ?? row.newerVersion?.version ?? null}
            onPick={(v) => void plan(v, row.repair?.name ?? target.name)}
          />
        )}
      </Tabs>
      {newVersion && (
        <Callout
          tone="success"
          title={`Version ${newVersion.version} of ${newVersion.name} is in ${target.vault.vaultName}.`}
          testId="new-version"
        >
          Thumbprint {newVersion.thumbprint}, valid to {newVersion.expiresOn?.slice(0, 10) ?? '?'}. The running service
          still uses the old one.
        </Callout>
      )}
      {planning && (
        <p className="text-sm" role="status">
          Planning: reading the service, its vaults and the new version…
        </p>
      )}
      <ErrorCallout
        error={error}
        onRetry={newVersion ? () => void plan(newVersion.version, newVersion.name) : undefined}
      />
      <Button variant="secondary" onClick={onCancel}>
        Close
      </Button>
    </section>
  );
}
