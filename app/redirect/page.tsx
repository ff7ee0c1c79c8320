import { RedirectBridge } from '@/components/auth/redirect-bridge';

// The redirect bridge MSAL v5 needs for silent (iframe) and popup flows. It renders nothing visible.
export default function RedirectPage() {
  return <RedirectBridge />;
}
