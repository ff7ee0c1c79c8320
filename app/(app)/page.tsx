import { redirect } from 'next/navigation';
import { stepPath, WIZARD_STEPS } from '@/lib/wizard/steps';

export default function Home() {
  redirect(stepPath(WIZARD_STEPS[0].id));
}
