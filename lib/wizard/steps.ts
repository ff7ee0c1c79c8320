/**
 * The one step registry: the stepper, next/back navigation, the page router and the e2e tests all read it.
 * `needs` lists the wizard state a step requires; a deep link without it sends the user to the step that provides it.
 */
export const WIZARD_STEPS = [
  { id: 'vault', label: 'Vault', title: 'Choose a key vault', needs: [] },
  { id: 'access', label: 'Access configuration', title: 'Access configuration', needs: ['vault'] },
  { id: 'certificate', label: 'Certificate', title: 'Certificate', needs: ['vault'] },
  {
    id: 'preflight',
    label: 'Preflight for CSES',
    title: 'Preflight for Cloud Services (extended support)',
    needs: ['vault', 'certificate'],
  },
  {
    id: 'service-configuration',
    label: 'Service configuration',
    title: 'Service configuration',
    needs: ['vault', 'certificate'],
  },
  { id: 'secret-identifier', label: 'Secret identifier', title: 'Secret identifier', needs: ['vault', 'certificate'] },
  { id: 'versions', label: 'Versions and rotation', title: 'Versions and rotation', needs: ['vault', 'certificate'] },
] as const;

export type StepId = (typeof WIZARD_STEPS)[number]['id'];
export type StepRequirement = (typeof WIZARD_STEPS)[number]['needs'][number];

export function stepIndex(id: string): number {
  return WIZARD_STEPS.findIndex((s) => s.id === id);
}

export function isStepId(id: string): id is StepId {
  return stepIndex(id) >= 0;
}

export function stepMeta(id: StepId) {
  return WIZARD_STEPS[stepIndex(id)]!;
}

export function stepPath(id: StepId): string {
  return `/wizard/${id}`;
}

export function nextStep(id: StepId): StepId | undefined {
  return WIZARD_STEPS[stepIndex(id) + 1]?.id;
}

export function previousStep(id: StepId): StepId | undefined {
  const i = stepIndex(id);
  return i > 0 ? WIZARD_STEPS[i - 1]?.id : undefined;
}

export interface StepLink {
  step: StepId;
  label: string;
}

/** Back and Next for a step, from the registry: the neighbours and the labels the buttons show. */
export function stepNavigation(id: StepId): { back: StepLink | null; next: StepLink | null } {
  const back = previousStep(id);
  const next = nextStep(id);
  return {
    back: back ? { step: back, label: 'Back' } : null,
    next: next ? { step: next, label: `Next: ${stepMeta(next).label}` } : null,
  };
}
