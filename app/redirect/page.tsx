import { RedirectBridge } from '@/components/auth/redirect-bridge';

// Rendered per request so its scripts carry the CSP nonce the proxy sets (a prerendered page has none); MSAL also
// asks that the bridge is never cached.
export const dynamic = 'force-dynamic';

// The redirect bridge MSAL v5 needs for silent (iframe) and popup flows. It renders nothing visible.
export default function RedirectPage() {
  return <RedirectBridge />;
}
