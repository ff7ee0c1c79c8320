'use client';

import { useMemo, useState } from 'react';
import type { SubscriptionSummary, VaultSummary } from '@/lib/azure/types';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useApi } from '@/components/wizard/use-api';
import { useWizardState } from '@/components/wizard/wizard-state';

export function VaultStep() {
  const { state, goTo } = useWizardState();
  const subs = useApi<{ subscriptions: SubscriptionSummary[] }>('/api/subscriptions');
  const [chosenSub, setChosenSub] = useState<string | null>(null);
  const subscriptionId = chosenSub ?? state.vault?.subscriptionId ?? subs.data?.subscriptions[0]?.subscriptionId ?? null;
  const vaults = useApi<{ vaults: VaultSummary[] }>(subscriptionId ? `/api/subscriptions/${encodeURIComponent(subscriptionId)}/vaults` : null);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(state.vault?.vaultName ?? null);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (vaults.data?.vaults ?? []).filter((v) => !f || v.name.toLowerCase().includes(f) || v.resourceGroup.toLowerCase().includes(f) || v.location.includes(f));
  }, [vaults.data, filter]);
  const chosen = vaults.data?.vaults.find((v) => v.name === selected && v.subscriptionId === subscriptionId);

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Pick the key vault that will hold the certificate. Cloud Services (extended support) reads certificates only from a vault in the same
        subscription and region as the cloud service.
      </p>
      <ErrorCallout error={subs.error} onRetry={subs.reload} />
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col text-sm font-semibold">
          Subscription
          <select
            className="mt-1 min-w-64 rounded border border-neutral-400 bg-white px-2 py-1.5 font-normal dark:border-neutral-600 dark:bg-neutral-900"
            value={subscriptionId ?? ''}
            onChange={(e) => {
              setChosenSub(e.target.value);
              setSelected(null);
            }}
            disabled={!subs.data}
          >
            {subs.data?.subscriptions.map((s) => (
              <option key={s.subscriptionId} value={s.subscriptionId}>
                {s.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm font-semibold">
          Filter vaults
          <input
            type="search"
            className="mt-1 rounded border border-neutral-400 bg-white px-2 py-1.5 font-normal dark:border-neutral-600 dark:bg-neutral-900"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Name, resource group or region"
          />
        </label>
      </div>
      <ErrorCallout error={vaults.error} onRetry={vaults.reload} />
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Key vaults in the subscription</caption>
          <thead className="border-b border-neutral-300 dark:border-neutral-700">
            <tr>
              <th scope="col" className="py-2 pr-2">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col" className="py-2 pr-4">Name</th>
              <th scope="col" className="py-2 pr-4">Resource group</th>
              <th scope="col" className="py-2 pr-4">Region</th>
              <th scope="col" className="py-2 pr-4">Permission model</th>
              <th scope="col" className="py-2">VMs for deployment</th>
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
                  No vaults match.
                </td>
              </tr>
            )}
            {shown.map((v) => (
              <tr key={v.id} className="border-b border-neutral-200 dark:border-neutral-800">
                <td className="py-2 pr-2">
                  <input
                    type="radio"
                    name="vault"
                    id={`vault-${v.name}`}
                    checked={selected === v.name}
                    onChange={() => setSelected(v.name)}
                  />
                </td>
                <td className="py-2 pr-4 font-semibold">
                  <label htmlFor={`vault-${v.name}`}>{v.name}</label>
                </td>
                <td className="py-2 pr-4">{v.resourceGroup}</td>
                <td className="py-2 pr-4">{v.location}</td>
                <td className="py-2 pr-4">{v.rbac ? 'Azure RBAC' : 'Vault access policy'}</td>
                <td className="py-2">{v.enabledForDeployment ? 'Enabled' : 'Disabled'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex justify-end">
        <Button
          disabled={!chosen}
          onClick={() =>
            chosen &&
            goTo('access', { vault: { subscriptionId: chosen.subscriptionId, resourceGroup: chosen.resourceGroup, vaultName: chosen.name } })
          }
        >
          Next: Access configuration
        </Button>
      </div>
    </div>
  );
}
