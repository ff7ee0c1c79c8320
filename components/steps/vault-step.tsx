'use client';

import { useMemo, useState } from 'react';
import type { SubscriptionSummary, VaultSummary } from '@/lib/api/types';
import { regionLabel } from '@/lib/wizard/regions';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS, SelectField } from '@/components/ui/field';
import { StatusBadge } from '@/components/ui/status-badge';
import { useApi } from '@/components/wizard/use-api';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';
import { VaultCreatePanel } from './vault-create';

export function VaultStep() {
  const { state } = useWizardState();
  const subs = useApi<{ subscriptions: SubscriptionSummary[] }>('/api/subscriptions');
  const [chosenSub, setChosenSub] = useState<string | null>(null);
  const subscriptionId =
    chosenSub ?? state.vault?.subscriptionId ?? subs.data?.subscriptions[0]?.subscriptionId ?? null;
  const vaults = useApi<{ vaults: VaultSummary[] }>(
    subscriptionId ? `/api/subscriptions/${encodeURIComponent(subscriptionId)}/vaults` : null,
  );
  const [filter, setFilter] = useState('');
  const [region, setRegion] = useState('');
  const [selected, setSelected] = useState<string | null>(state.vault?.vaultName ?? null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const all = useMemo(() => vaults.data?.vaults ?? [], [vaults.data]);
  const regions = useMemo(() => [...new Set(all.map((v) => v.location))].sort(), [all]);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return all.filter(
      (v) =>
        (!region || v.location === region) &&
        (!f || v.name.toLowerCase().includes(f) || v.resourceGroup.toLowerCase().includes(f)),
    );
  }, [all, filter, region]);
  const chosen = all.find(
    (v) => v.name === selected && v.subscriptionId.toLowerCase() === subscriptionId?.toLowerCase(),
  );

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Pick the key vault that will hold the certificate, or create one. Cloud Services (extended support) reads
        certificates only from a vault in the <strong>same subscription and region</strong> as the cloud service, with
        “Azure Virtual Machines for deployment” on.
      </p>
      <ErrorCallout error={subs.error} onRetry={subs.reload} />
      <div className="flex flex-wrap items-end gap-4">
        <SelectField
          label="Subscription"
          className="min-w-64"
          value={subscriptionId ?? ''}
          onChange={(e) => {
            setChosenSub(e.target.value);
            setSelected(null);
            setCreating(false);
          }}
          disabled={!subs.data}
        >
          {subs.data?.subscriptions.map((s) => (
            <option key={s.subscriptionId} value={s.subscriptionId}>
              {s.displayName}
            </option>
          ))}
        </SelectField>
        {/* Wide enough for its placeholder at every width the app supports (390 px phones up). */}
        <div className="flex w-full flex-col text-sm sm:w-64">
          <label htmlFor="vault-search" className="font-semibold">
            Search vaults
          </label>
          <input
            id="vault-search"
            type="search"
            className={`${INPUT_CLASS} w-full`}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Name or resource group"
          />
        </div>
        <SelectField label="Region" value={region} onChange={(e) => setRegion(e.target.value)}>
          <option value="">All regions</option>
          {regions.map((r) => (
            <option key={r} value={r}>
              {regionLabel(r)}
            </option>
          ))}
        </SelectField>
        <Button
          variant="secondary"
          onClick={() => setCreating(true)}
          disabled={!subscriptionId || creating}
          aria-expanded={creating}
        >
          <span aria-hidden="true">+</span> Create key vault
        </Button>
      </div>
      {creating && subscriptionId && (
        <VaultCreatePanel
          subscriptionId={subscriptionId}
          onCancel={() => setCreating(false)}
          onCreated={(v) => {
            setCreating(false);
            setCreated(v.name);
            setSelected(v.name);
            setFilter('');
            setRegion('');
            vaults.setData({
              vaults: [...all.filter((x) => x.id !== v.id), v].sort((a, b) => a.name.localeCompare(b.name)),
            });
          }}
        />
      )}
      {created && (
        <Callout
          tone="success"
          title={`Created ${created} with Azure Virtual Machines for deployment on.`}
          testId="vault-created"
        />
      )}
      <ErrorCallout error={vaults.error} onRetry={vaults.reload} />
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Key vaults in the subscription</caption>
          <thead className="border-b border-neutral-300 dark:border-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-2">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col" className="py-2 pr-4">
                Name
              </th>
              <th scope="col" className="py-2 pr-4">
                Resource group
              </th>
              <th scope="col" className="py-2 pr-4">
                Region
              </th>
              <th scope="col" className="py-2 pr-4">
                Permission model
              </th>
              <th scope="col" className="py-2">
                VMs for deployment
              </th>
            </tr>
          </thead>
          <tbody>
            {vaults.loading && !vaults.data && (
              <tr>
                <td colSpan={6} className="py-3">
                  Loading vaults…
                </td>
              </tr>
            )}
            {vaults.data && shown.length === 0 && (
              <tr>
                <td colSpan={6} className="py-3">
                  {all.length === 0
                    ? 'No vaults you can see in this subscription. Create one above.'
                    : 'No vaults match.'}
                </td>
              </tr>
            )}
            {shown.map((v) => (
              <tr
                key={v.id}
                className={`border-b border-neutral-200 dark:border-neutral-800 ${selected === v.name ? 'bg-azure-50 dark:bg-azure-900/30' : ''}`}
              >
                <td className="py-2 pr-2">
                  <input
                    type="radio"
                    name="vault"
                    id={`vault-${v.name}`}
                    checked={selected === v.name}
                    onChange={() => setSelected(v.name)}
                  />
                </td>
                <td className="py-2 pr-4 font-semibold whitespace-nowrap">
                  <label htmlFor={`vault-${v.name}`}>{v.name}</label>
                </td>
                <td className="py-2 pr-4">{v.resourceGroup}</td>
                <td className="py-2 pr-4">{regionLabel(v.location)}</td>
                <td className="py-2 pr-4">{v.rbac ? 'Azure RBAC' : 'Vault access policy'}</td>
                <td className="py-2">
                  <StatusBadge
                    status={v.enabledForDeployment ? 'pass' : 'warn'}
                    label={v.enabledForDeployment ? 'Enabled' : 'Disabled'}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <StepNav
        step="vault"
        nextDisabled={!chosen}
        nextState={() =>
          chosen && {
            ...(state.vault?.vaultName === chosen.name ? state : {}),
            vault: {
              subscriptionId: chosen.subscriptionId,
              resourceGroup: chosen.resourceGroup,
              vaultName: chosen.name,
            },
          }
        }
      />
    </div>
  );
}
