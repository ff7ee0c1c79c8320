'use client';

import type { CertificateSummary } from '@/lib/api/types';
import { wizardCertificatePath } from '@/lib/wizard/paths';
import { useApi } from '@/components/wizard/use-api';
import { useWizardState } from '@/components/wizard/wizard-state';

/** The certificate version the wizard is pinned to (from the URL/session), as Key Vault reports it. */
export function useWizardCertificate() {
  const { state } = useWizardState();
  return useApi<CertificateSummary>(
    state.vault && state.certificate ? wizardCertificatePath(state.vault, state.certificate) : null,
  );
}
