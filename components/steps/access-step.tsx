'use client';

import { useState } from 'react';
import type { VaultSummary } from '@/lib/azure/types';
import { vaultApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useApi, useApiCall } from '@/components/wizard/use-api';
import { useWizardState } from '@/components/wizard/wizard-state';

const FLAGS = [
  {
    key: 'enabledForDeployment',
    label: 'Azure Virtual Machines for deployment',
    help: 'Lets the compute platform read certificates stored as secrets when a deployment references the vault. Cloud Services (extended support) requires it.',
  },
  {
    key: 'enabledForTemplateDeployment',
    label: 'Azure Resource Manager for template deployment',
    help: 'Lets ARM templates read secrets from the vault during a deployment. Not needed for osProfile.secrets.',
  },
  {
    key: 'enabledForDiskEncryption',
    label: 'Azure Disk Encryption for volume encryption',
    help: 'Lets Azure Disk Encryption read secrets and unwrap keys. Not used by Cloud Services.',
  },
] as const;

export function AccessStep() {
  const { state, goTo } = useWizardState();
  const vaultRef = state.vault!;
  const vault = useApi<VaultSummary>(vaultApiPath(vaultRef));
  const call = useApiCall();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await call<VaultSummary>(vaultApiPath(vaultRef), { method: 'PATCH', body: JSON.stringify({ enabledForDeployment: true }) });
      vault.setData(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const v = vault.data;
  return (
    <div className="mt-4 space-y-4">
      <ErrorCallout error={vault.error} onRetry={vault.reload} />
      {v && (
        <>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="font-semibold">Vault</dt>
            <dd data-testid="vault-name">{v.name}</dd>
            <dt className="font-semibold">Resource group</dt>
            <dd>{v.resourceGroup}</dd>
            <dt className="font-semibold">Region</dt>
            <dd>{v.location}</dd>
            <dt className="font-semibold">Permission model</dt>
            <dd data-testid="permission-model">{v.rbac ? 'Azure role-based access control (RBAC)' : 'Vault access policy'}</dd>
          </dl>
          <p className="text-sm text-neutral-700 dark:text-neutral-300">
            {v.rbac
              ? 'Rights on certificates come from Azure roles (for example Key Vault Certificates Officer) assigned on the vault or above.'
              : 'Rights on certificates come from the vault’s access policies: each user needs certificate permissions such as Get, List and Import.'}
          </p>
          <fieldset className="space-y-3">
            <legend className="text-lg font-semibold">Resource access</legend>
            {FLAGS.map((f) => (
              <div key={f.key} className="flex items-start gap-3 rounded border border-neutral-200 p-3 dark:border-neutral-800">
                <span
                  className={`mt-0.5 rounded px-2 py-0.5 text-xs font-bold ${v[f.key] ? 'bg-green-700 text-white' : 'bg-neutral-300 text-neutral-900 dark:bg-neutral-700 dark:text-neutral-100'}`}
                  data-testid={`flag-${f.key}`}
                >
                  {v[f.key] ? 'Enabled' : 'Disabled'}
                </span>
                <div>
                  <p className="font-semibold">{f.label}</p>
                  <p className="text-sm text-neutral-700 dark:text-neutral-300">{f.help}</p>
                </div>
              </div>
            ))}
          </fieldset>
          {v.enabledForDeployment ? (
            <Callout tone="success" title="Azure Virtual Machines for deployment is enabled." testId="deployment-enabled" />
          ) : (
            <div className="space-y-2">
              <Callout tone="warning" title="Cloud Services cannot read certificates from this vault yet.">
                Enable “Azure Virtual Machines for deployment” to let the platform install the certificate on your role instances.
              </Callout>
              <Button onClick={enable} disabled={busy}>
                {busy ? 'Enabling…' : 'Enable Azure Virtual Machines for deployment'}
              </Button>
            </div>
          )}
          <ErrorCallout error={error} onRetry={enable} />
        </>
      )}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => goTo('vault')}>
          Back
        </Button>
        <Button onClick={() => goTo('certificate')} disabled={!v}>
          Next: Certificate
        </Button>
      </div>
    </div>
  );
}
