import type { ComponentType } from 'react';
import type { StepId } from '@/lib/wizard/steps';
import { VaultStep } from './vault-step';
import { AccessStep } from './access-step';
import { CertificateStep } from './certificate-step';
import { ServiceConfigurationStep } from './service-configuration-step';
import { SecretIdentifierStep } from './secret-identifier-step';

export const STEP_COMPONENTS: Record<StepId, ComponentType> = {
  vault: VaultStep,
  access: AccessStep,
  certificate: CertificateStep,
  'service-configuration': ServiceConfigurationStep,
  'secret-identifier': SecretIdentifierStep,
};
