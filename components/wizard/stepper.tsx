'use client';

import Link from 'next/link';
import { useWizardState } from './wizard-state';
import { stateToSearch } from '@/lib/wizard/state';
import { stepPath, WIZARD_STEPS, type StepId } from '@/lib/wizard/steps';

export function Stepper({ current }: { current: StepId }) {
  const { state, goTo } = useWizardState();
  const currentIndex = WIZARD_STEPS.findIndex((s) => s.id === current);
  return (
    <nav aria-label="Wizard steps">
      <ol className="space-y-1">
        {WIZARD_STEPS.map((step, i) => {
          const available = step.needs.every((need) => Boolean(state[need]));
          const isCurrent = step.id === current;
          const done = i < currentIndex && available;
          const body = (
            <span className="flex items-center gap-3">
              <span
                aria-hidden="true"
                className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-full border text-xs font-bold ${
                  isCurrent
                    ? 'border-azure-500 bg-azure-500 text-white'
                    : done
                      ? 'border-green-700 bg-green-700 text-white'
                      : 'border-neutral-500'
                }`}
              >
                {done ? '✓' : i + 1}
              </span>
              <span>{step.label}</span>
            </span>
          );
          return (
            <li key={step.id}>
              {available && !isCurrent ? (
                <Link
                  href={`${stepPath(step.id)}${stateToSearch(state)}`}
                  // A plain click goes with the newest state: a change made a moment ago (an import that moved the
                  // certificate to its new version) is written to the URL by a navigation that may not have finished,
                  // so this href can still carry the state before it. Modified clicks (new tab) use the href.
                  onClick={(event) => {
                    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                    event.preventDefault();
                    goTo(step.id);
                  }}
                  className="block rounded px-2 py-1.5 text-sm hover:bg-neutral-200 dark:hover:bg-neutral-800"
                >
                  {body}
                </Link>
              ) : (
                <span
                  aria-current={isCurrent ? 'step' : undefined}
                  aria-disabled={!available || undefined}
                  className={`block rounded px-2 py-1.5 text-sm ${isCurrent ? 'bg-azure-50 font-semibold dark:bg-azure-900/40' : 'text-neutral-500 dark:text-neutral-400'}`}
                >
                  {body}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
