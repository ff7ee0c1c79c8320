import { Suspense } from 'react';
import { WIZARD_STEPS, type StepId } from '@/lib/wizard/steps';
import { Stepper } from './stepper';
import { StepBody } from './step-body';

/** The portal-style blade around every step: breadcrumbs, title, stepper, then the step's own content. */
export function WizardShell({ step }: { step: StepId }) {
  const meta = WIZARD_STEPS.find((s) => s.id === step);
  return (
    <div className="mx-auto max-w-6xl px-4 py-4">
      <nav aria-label="Breadcrumb" className="text-sm text-neutral-600 dark:text-neutral-400">
        <ol className="flex flex-wrap gap-1">
          <li>Home</li>
          <li aria-hidden="true">›</li>
          <li>Cloud Services (extended support) certificate</li>
          <li aria-hidden="true">›</li>
          <li aria-current="page" className="text-neutral-900 dark:text-neutral-100">
            {meta?.label}
          </li>
        </ol>
      </nav>
      <div className="mt-4 grid gap-6 md:grid-cols-[14rem_1fr]">
        <Suspense>
          <Stepper current={step} />
        </Suspense>
        <main className="min-w-0 rounded border border-neutral-200 bg-white p-5 shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
          <h1 className="text-2xl font-semibold">{meta?.title}</h1>
          <Suspense fallback={<p className="mt-4 text-sm">Loading…</p>}>
            <StepBody step={step} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
