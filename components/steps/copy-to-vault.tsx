'use client';

import { useId, useState } from 'react';
import type { CertificateSummary, VaultSummary } from '@/lib/api/types';
import { ApiError } from '@/lib/api/client';
import { regionLabel, sameRegion } from '@/lib/wizard/regions';
import type { WizardTarget, WizardVault } from '@/lib/wizard/state';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useApi, useApiCall } from '@/components/wizard/use-api';
import { VaultCreatePanel } from './vault-create';

/**
 * The certificate's vault is in the wrong place for the cloud service (another region or subscription, or no
 * deployment flag): copy it — its exportable secret, the whole chain — into a vault in the right place, chosen or
 * created here, on behalf of the user. Every output then follows the copy. A non-exportable key cannot be copied: the
 * page says so and offers the re-import.
 */
export function CopyToVault({
  vault,
  certificate,
  target,
  needsDeployment,
  onCopied,
  onReimport,
  headingLevel = 3,
}: {
  vault: Pick<VaultSummary, 'id' | 'name' | 'subscriptionId' | 'resourceGroup'>;
  certificate: Pick<CertificateSummary, 'name' | 'version' | 'exportable'>;
  target: WizardTarget;
  /** True when the certificate's own vault only lacks the deployment flag. */
  needsDeployment: boolean;
  onCopied: (vault: WizardVault, certificate: CertificateSummary) => void;
  onReimport: (vault: WizardVault) => void;
  /** 2 straight under the page's title (the preflight step), 3 inside a section of its own. */
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const call = useApiCall();
  // One panel per row on the service page: ids and the radio group's name must be this panel's own.
  const id = useId();
  const list = useApi<{ vaults: VaultSummary[] }>(
    `/api/subscriptions/${encodeURIComponent(target.subscriptionId)}/vaults`,
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<VaultSummary[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const candidates = [...created, ...(list.data?.vaults ?? [])].filter(
    (v, i, all) =>
      all.findIndex((x) => x.id === v.id) === i &&
      v.id.toLowerCase() !== vault.id.toLowerCase() &&
      sameRegion(v.location, target.location),
  );
  const pick = candidates.find((v) => v.name === chosen) ?? null;
  const ref = (v: VaultSummary): WizardVault => ({
    subscriptionId: v.subscriptionId,
    resourceGroup: v.resourceGroup,
    vaultName: v.name,
  });

  const copy = async () => {
    if (!pick) return;
    setBusy(true);
    setError(null);
    try {
      const copied = await call<CertificateSummary>(
        `${certificateApiPath({ subscriptionId: vault.subscriptionId, resourceGroup: vault.resourceGroup, vaultName: vault.name }, certificate.name)}/copy`,
        {
          method: 'POST',
          body: JSON.stringify({ target: ref(pick), version: certificate.version }),
        },
      );
      onCopied(ref(pick), copied);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const notExportable = error instanceof ApiError && error.body.reason === 'key-not-exportable';

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="space-y-3 rounded border border-azure-500 p-4"
      data-testid="copy-to-vault"
    >
      <Heading id={`${id}-title`} className="text-base font-semibold">
        Copy {certificate.name} into a vault in {regionLabel(target.location)}
      </Heading>
      <p className="text-sm">
        {needsDeployment
          ? `${vault.name} does not let the platform read certificates, and you may not be able to change that.`
          : `Cloud Services (extended support) read certificates only from a vault in their own subscription and region.`}{' '}
        This app can copy the certificate — its private key and whole chain, read from Key Vault on the server on your
        behalf, never sent to your browser — into a vault in {regionLabel(target.location)} of the cloud service’s
        subscription. The original stays in {vault.name}.
        {certificate.exportable === false &&
          ' Its key is not exportable, so Key Vault will refuse to hand it out: re-import the PFX into the new vault instead.'}
      </p>
      <ErrorCallout error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <p className="text-sm">Reading the subscription’s vaults…</p>}
      {list.data && (
        <fieldset className="space-y-1 text-sm">
          <legend className="font-semibold">Vault in {regionLabel(target.location)}</legend>
          {candidates.length === 0 && <p>None yet in this region: create one.</p>}
          {candidates.map((v) => (
            <label key={v.id} className="flex items-center gap-2">
              <input
                type="radio"
                name={`${id}-target`}
                value={v.name}
                checked={chosen === v.name}
                onChange={() => setChosen(v.name)}
              />
              {v.name}{' '}
              <span className="text-xs text-neutral-700 dark:text-neutral-300">
                ({v.resourceGroup}; deployment {v.enabledForDeployment ? 'enabled' : 'disabled'})
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {creating ? (
        <VaultCreatePanel
          subscriptionId={target.subscriptionId}
          initialLocation={target.location}
          onCancel={() => setCreating(false)}
          onCreated={(v) => {
            setCreating(false);
            setCreated((c) => [v, ...c]);
            setChosen(v.name);
          }}
        />
      ) : (
        <Button variant="secondary" onClick={() => setCreating(true)}>
          Create a vault in {regionLabel(target.location)}
        </Button>
      )}
      <div>
        <Button onClick={() => void copy()} disabled={!pick || busy}>
          {busy ? 'Copying…' : pick ? `Copy ${certificate.name} into ${pick.name}` : 'Choose or create a vault first'}
        </Button>
      </div>
      <ErrorCallout error={error} onRetry={notExportable ? undefined : () => void copy()} />
      {notExportable && pick && (
        <Callout tone="info" title={`Re-import ${certificate.name} into ${pick.name}`}>
          <p>Import the original PFX (or PEM files and key) into {pick.name}; every output then uses that version.</p>
          <Button className="mt-2" variant="secondary" onClick={() => onReimport(ref(pick))}>
            Re-import into {pick.name}
          </Button>
        </Callout>
      )}
    </section>
  );
}
