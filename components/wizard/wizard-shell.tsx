import { Suspense } from 'react';
import { SignedInOnly } from '@/components/auth/signed-in-only';
import { stepIndex, stepMeta, WIZARD_STEPS, type StepId } from '@/lib/wizard/steps';
import { Breadcrumbs, CommandBar } from './blade-chrome';
import { Stepper } from './stepper';
import { StepBody } from './step-body';

/** The portal-style blade around every step: breadcrumbs, title, command bar, stepper, then the step's own content. */
export function WizardShell({ step }: { step: StepId }) {
  const meta = stepMeta(step);
  return (
    <div className="mx-auto max-w-7xl px-4 py-4">
      <Suspense fallback={<p className="text-sm">Home</p>}>
        <Breadcrumbs step={step} />
      </Suspense>
      <div className="mt-4 grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <Suspense>
          <Stepper current={step} />
        </Suspense>
        <main className="min-w-0 rounded border border-neutral-200 bg-white shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
          <div className="border-b border-neutral-200 px-5 pt-4 dark:border-neutral-800">
            <p className="text-xs text-neutral-700 dark:text-neutral-300">
              Cloud Services (extended support) certificate
              <SignedInOnly>
                {' '}
                · Step {stepIndex(step) + 1} of {WIZARD_STEPS.length}
              </SignedInOnly>
            </p>
            <h1 className="text-2xl font-semibold">{meta.title}</h1>
            <SignedInOnly>
              <div className="mt-2">
                <Suspense>
                  <CommandBar />
                </Suspense>
              </div>
            </SignedInOnly>
          </div>
          <div className="p-5 pt-1">
            <Suspense fallback={<p className="mt-4 text-sm">Loading…</p>}>
              <StepBody step={step} />
            </Suspense>
          </div>
        </main>
      </div>
    </div>
  );
}
