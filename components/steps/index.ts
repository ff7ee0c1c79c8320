import dynamic from 'next/dynamic';
import type { ComponentType } from 'react';
import type { StepId } from '@/lib/wizard/steps';
import { StepLoading } from './step-loading';

// Each step is its own chunk: a page loads the code of the step it shows (the XML toolkit only on the service
// configuration step, snippets only where they are rendered), not all seven.

export const STEP_COMPONENTS: Record<StepId, ComponentType> = {
  vault: dynamic(() => import('./vault-step').then((m) => m.VaultStep), { loading: StepLoading }),
  access: dynamic(() => import('./access-step').then((m) => m.AccessStep), { loading: StepLoading }),
  certificate: dynamic(() => import('./certificate-step').then((m) => m.CertificateStep), { loading: StepLoading }),
  preflight: dynamic(() => import('./preflight-step').then((m) => m.PreflightStep), { loading: StepLoading }),
  'service-configuration': dynamic(
    () => import('./service-configuration-step').then((m) => m.ServiceConfigurationStep),
    { loading: StepLoading },
  ),
  'secret-identifier': dynamic(() => import('./secret-identifier-step').then((m) => m.SecretIdentifierStep), {
    loading: StepLoading,
  }),
  versions: dynamic(() => import('./versions-step').then((m) => m.VersionsStep), { loading: StepLoading }),
};
