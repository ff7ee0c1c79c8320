'use client';

import { ApiError } from '@/lib/api/client';
import { certificateRightsAdvice } from '@/lib/wizard/access';
import type { WizardVault } from '@/lib/wizard/state';
import { useAuth } from '@/components/auth/auth-context';
import { CommandTabs } from '../command-tabs';

/** True for a refusal by the vault's data plane (a missing access-policy permission or RBAC role). */
export function isCertificateRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'forbidden' && refusalModel(error) !== null;
}

function refusalModel(error: ApiError): 'policy' | 'rbac' | null {
  if (error.body.reason === 'ForbiddenByPolicy' || error.body.message.startsWith('The access policies of'))
    return 'policy';
  if (error.body.reason === 'ForbiddenByRbac' || error.body.message.startsWith('Your Azure roles on')) return 'rbac';
  return null;
}

/** After a certificate refusal: what to ask for on this vault's permission model, with the signed-in user's name filled in. */
export function RefusalAdvice({ error, vault }: { error: unknown; vault: WizardVault }) {
  const { account } = useAuth();
  if (!isCertificateRefusal(error)) return null;
  const v = {
    id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${vault.vaultName}`,
    name: vault.vaultName,
    resourceGroup: vault.resourceGroup,
    rbac: refusalModel(error) === 'rbac',
  };
  return (
    <section
      aria-label="What to ask for"
      className="rounded border border-amber-500 p-4"
      data-testid="certificate-refusal"
    >
      <CommandTabs advice={certificateRightsAdvice(v, account?.username)} testId="cert-refusal" />
    </section>
  );
}
