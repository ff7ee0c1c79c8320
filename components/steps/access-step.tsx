'use client';

import { useState } from 'react';
import type { VaultPermissions, VaultSummary } from '@/lib/api/types';
import { ApiError } from '@/lib/api/client';
import { accessAdvice } from '@/lib/wizard/access';
import { vaultApiPath } from '@/lib/wizard/paths';
import { regionLabel } from '@/lib/wizard/regions';
import { useAuth } from '@/components/auth/auth-context';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { CommandTabs } from '@/components/ui/command-tabs';
import { ErrorCallout } from '@/components/ui/error-callout';
import { StatusBadge } from '@/components/ui/status-badge';
import { useApi, useApiCall } from '@/components/wizard/use-api';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';

const FLAGS = [
  {
    key: 'enabledForDeployment',
    label: 'Azure Virtual Machines for deployment',
    help: 'Lets the compute platform read certificates stored as secrets when a deployment references the vault. Cloud Services (extended support) requires it.',
    required: true,
  },
  {
    key: 'enabledForTemplateDeployment',
    label: 'Azure Resource Manager for template deployment',
    help: 'Lets ARM templates read secrets from the vault during a deployment (reference() of a secret). Not needed for osProfile.secrets.',
    required: false,
  },
  {
    key: 'enabledForDiskEncryption',
    label: 'Azure Disk Encryption for volume encryption',
    help: 'Lets Azure Disk Encryption read secrets and unwrap keys. Not used by Cloud Services.',
    required: false,
  },
] as const;

export function AccessStep() {
  const { state } = useWizardState();
  const { account } = useAuth();
  const vaultRef = state.vault!;
  const vault = useApi<VaultSummary>(vaultApiPath(vaultRef));
  // Asked up front: may this user change the vault's settings at all? (A hint: the button still lets them try.)
  const permissions = useApi<VaultPermissions>(`${vaultApiPath(vaultRef)}/permissions`);
  const call = useApiCall();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const enable = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await call<VaultSummary>(vaultApiPath(vaultRef), {
        method: 'PATCH',
        body: JSON.stringify({ enabledForDeployment: true }),
      });
      vault.setData(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const v = vault.data;
  const refused = error instanceof ApiError && error.code === 'forbidden';
  const upn = account?.username;
  const mayNot = permissions.data?.changeSettings.allowed === false;
  const flagAdvice = v ? accessAdvice('vault-settings', { vault: v, upn }) : null;
  return (
    <div className="mt-4 space-y-5">
      <ErrorCallout error={vault.error} onRetry={vault.reload} />
      {v && (
        <>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="font-semibold">Vault</dt>
            <dd data-testid="vault-name">{v.name}</dd>
            <dt className="font-semibold">Resource group</dt>
            <dd>{v.resourceGroup}</dd>
            <dt className="font-semibold">Region</dt>
            <dd>{regionLabel(v.location)}</dd>
            <dt className="font-semibold">Permission model</dt>
            <dd data-testid="permission-model">
              {v.rbac ? 'Azure role-based access control (RBAC)' : 'Vault access policy'}
            </dd>
          </dl>
          <section aria-labelledby="resource-access-title" className="space-y-3">
            <h2 id="resource-access-title" className="text-lg font-semibold">
              Resource access
            </h2>
            <p className="text-sm text-neutral-700 dark:text-neutral-300">
              Three switches let Azure services (not people) read this vault. Only the first matters for Cloud Services
              (extended support).
            </p>
            <ul className="space-y-2">
              {FLAGS.map((f) => (
                <li
                  key={f.key}
                  className="flex items-start gap-3 rounded border border-neutral-200 p-3 dark:border-neutral-800"
                >
                  <StatusBadge
                    status={v[f.key] ? 'pass' : f.required ? 'fail' : 'info'}
                    label={v[f.key] ? 'Enabled' : 'Disabled'}
                    testId={`flag-${f.key}`}
                  />
                  <div>
                    <p className="font-semibold">
                      {f.label} {f.required && <span className="text-xs font-normal">(required for CSES)</span>}
                    </p>
                    <p className="text-sm text-neutral-700 dark:text-neutral-300">{f.help}</p>
                  </div>
                </li>
              ))}
            </ul>
          </section>
          {v.enabledForDeployment ? (
            <Callout
              tone="success"
              title="Azure Virtual Machines for deployment is enabled."
              testId="deployment-enabled"
            />
          ) : (
            <div className="space-y-2">
              <Callout tone="warning" title="Cloud Services cannot read certificates from this vault yet.">
                Enable “Azure Virtual Machines for deployment” to let the platform install the certificate on your role
                instances.
              </Callout>
              {mayNot && !refused && flagAdvice && (
                <Callout
                  tone="warning"
                  title={`You can't turn this on: ask for the '${flagAdvice.role}' role on the vault.`}
                  testId="precheck-flag"
                >
                  <p>
                    Your Azure roles on {v.name} do not include {flagAdvice.action}. You can still try: a role given a
                    moment ago can take a few minutes to show.
                  </p>
                  <div className="mt-2">
                    <CommandTabs advice={flagAdvice} testId="precheck-flag-command" showAsk={false} />
                  </div>
                </Callout>
              )}
              <Button onClick={enable} disabled={busy || refused} variant={mayNot || refused ? 'secondary' : 'primary'}>
                {busy
                  ? 'Enabling…'
                  : refused
                    ? "Refused: you may not change this vault's settings"
                    : 'Enable Azure Virtual Machines for deployment'}
              </Button>
            </div>
          )}
          <ErrorCallout error={error} onRetry={refused ? undefined : enable} />
          <details className="rounded border border-neutral-200 p-3 text-sm dark:border-neutral-800">
            <summary className="cursor-pointer font-semibold">
              Rights on certificates this wizard needs ({v.rbac ? 'Azure RBAC' : 'access policy'})
            </summary>
            <div className="mt-3">
              <CommandTabs advice={accessAdvice('certificates', { vault: v, upn })} testId="cert-rights" />
            </div>
          </details>
        </>
      )}
      <StepNav step="access" nextDisabled={!v} />
    </div>
  );
}
