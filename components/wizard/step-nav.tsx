'use client';

import type { WizardState } from '@/lib/wizard/state';
import { stepNavigation, type StepId } from '@/lib/wizard/steps';
import { Button } from '@/components/ui/button';
import { useWizardState } from './wizard-state';

/**
 * Back and Next for a step, from the step registry (decision 020): the targets and labels are the registry's. Next
 * carries the latest saved state, so a field that saves on blur (the click on Next is what blurs it) is not lost.
 */
export function StepNav({
  step,
  nextDisabled = false,
  nextState,
}: {
  step: StepId;
  nextDisabled?: boolean;
  /** The state to carry to the next step, when the step decides it at the click (the vault step's choice). */
  nextState?: () => WizardState | undefined;
}) {
  const { goTo } = useWizardState();
  const { back, next } = stepNavigation(step);
  return (
    <div className={`flex ${back && next ? 'justify-between' : back ? 'justify-start' : 'justify-end'}`}>
      {back && (
        <Button variant="secondary" onClick={() => goTo(back.step)}>
          {back.label}
        </Button>
      )}
      {next && (
        <Button
          onClick={() => {
            const carried = nextState ? nextState() : undefined;
            if (nextState && !carried) return;
            goTo(next.step, carried);
          }}
          disabled={nextDisabled}
        >
          {next.label}
        </Button>
      )}
    </div>
  );
}
