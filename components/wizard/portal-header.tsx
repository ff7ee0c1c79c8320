import Link from 'next/link';
import { AccountMenu } from '@/components/auth/account-menu';

export function PortalHeader({ mode, showAccount = true }: { mode: 'sandbox' | 'azure'; showAccount?: boolean }) {
  return (
    <header className="flex h-12 items-center gap-3 bg-[#1b1a19] px-4 text-white">
      <Link href="/wizard/vault" className="flex items-center gap-2 text-sm font-semibold tracking-tight">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5 fill-azure-500">
          <path d="M12 2 3 6v6c0 5 3.8 9.4 9 10 5.2-.6 9-5 9-10V6l-9-4Zm-1 13.6-3.3-3.3 1.4-1.4 1.9 1.9 4.9-4.9 1.4 1.4-6.3 6.3Z" />
        </svg>
        CSES Certificate Wizard
      </Link>
      <nav aria-label="Main" className="flex items-center gap-1 text-sm">
        <Link href="/wizard/vault" className="rounded px-2 py-1 hover:bg-white/10">
          Certificate wizard
        </Link>
        <Link href="/cloud-services" className="rounded px-2 py-1 hover:bg-white/10">
          Cloud services
        </Link>
      </nav>
      {mode === 'sandbox' && (
        <span
          className="rounded-sm bg-amber-400 px-2 py-0.5 text-xs font-bold uppercase tracking-wide text-black"
          title="Running against the local sandbox: no real Azure resources are touched."
          data-testid="sandbox-badge"
        >
          Sandbox
        </span>
      )}
      <div className="ml-auto">{showAccount && <AccountMenu />}</div>
    </header>
  );
}
