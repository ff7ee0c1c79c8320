import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { WizardShell } from '@/components/wizard/wizard-shell';
import { isStepId, WIZARD_STEPS } from '@/lib/wizard/steps';

export function generateStaticParams() {
  return WIZARD_STEPS.map((s) => ({ step: s.id }));
}

export async function generateMetadata({ params }: { params: Promise<{ step: string }> }): Promise<Metadata> {
  const { step } = await params;
  // An unknown step renders the not-found page: its title says so.
  return { title: WIZARD_STEPS.find((s) => s.id === step)?.label ?? 'Page not found' };
}

export default async function StepPage({ params }: { params: Promise<{ step: string }> }) {
  const { step } = await params;
  if (!isStepId(step)) notFound();
  return <WizardShell step={step} />;
}
