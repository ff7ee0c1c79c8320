import type { ComponentType } from 'react';
import type { StepId } from '@/lib/wizard/steps';
import { VaultStep } from './vault-step';
import { AccessStep } from './access-step';
import { CertificateStep } from './certificate-step';
import { PreflightStep } from './preflight-step';
import { ServiceConfigurationStep } from './service-configuration-step';
import { SecretIdentifierStep } from './secret-identifier-step';
import { VersionsStep } from './versions-step';

export const STEP_COMPONENTS: Record<StepId, ComponentType> = {
  vault: VaultStep,
  access: AccessStep,
  certificate: CertificateStep,
  preflight: PreflightStep,
  'service-configuration': ServiceConfigurationStep,
  'secret-identifier': SecretIdentifierStep,
  versions: VersionsStep,
};
