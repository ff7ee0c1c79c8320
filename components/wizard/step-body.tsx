'use client';

import Link from 'next/link';
import { useAuth } from '@/components/auth/auth-context';
import { SignInPanel } from '@/components/auth/sign-in-panel';
import { Callout } from '@/components/ui/callout';
import { STEP_COMPONENTS } from '@/components/steps';
import { stepPath, WIZARD_STEPS, type StepId } from '@/lib/wizard/steps';
import { useWizardState } from './wizard-state';

const PROVIDER: Record<string, StepId> = { vault: 'vault', certificate: 'certificate' };

export function StepBody({ step }: { step: StepId }) {
  const auth = useAuth();
  const { state } = useWizardState();
  if (auth.status === 'loading') return <p className="mt-4 text-sm">Checking your sign-in…</p>;
  if (auth.status === 'signed-out') return <SignInPanel />;
  const meta = WIZARD_STEPS.find((s) => s.id === step);
  const missing = (meta?.needs ?? []).filter((need) => !state[need]);
  const first = missing[0];
  if (first) {
    const provider = PROVIDER[first] ?? 'vault';
    return (
      <div className="mt-4">
        <Callout
          tone="info"
          title={first === 'vault' ? 'Choose a key vault first.' : 'Import or choose a certificate first.'}
          testId="needs-state"
        >
          <Link className="font-semibold text-azure-700 underline dark:text-azure-100" href={stepPath(provider)}>
            Go to {WIZARD_STEPS.find((s) => s.id === provider)?.label}
          </Link>
        </Callout>
      </div>
    );
  }
  const Component = STEP_COMPONENTS[step];
  return <Component />;
}
