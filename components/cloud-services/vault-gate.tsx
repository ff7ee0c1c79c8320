import type { VaultGate } from '@/lib/cloud-services';
import { StatusBadge } from '@/components/ui/status-badge';

/** What the platform needs of each vault: found, same subscription and region, deployment flag, firewall, true id. */
export function VaultGates({ gates }: { gates: VaultGate[] }) {
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="vault-gates">
      {gates.map((g) => (
        <section
          key={g.vaultId}
          aria-label={`Vault gate of ${g.vaultName}`}
          className="rounded border border-neutral-300 p-3 dark:border-neutral-700"
          data-testid="vault-gate"
          data-vault={g.vaultName}
        >
          <h3 className="flex items-center gap-2 text-sm font-semibold">
            {g.vaultName}
            <StatusBadge status={g.ok ? 'pass' : 'fail'} label={g.ok ? 'Eligible' : 'Blocks the platform'} />
          </h3>
          <ul className="mt-2 space-y-1 text-sm">
            {g.checks.map((c) => (
              <li key={c.id} className="flex items-start gap-2" data-check={c.id} data-ok={String(c.ok)}>
                <StatusBadge
                  status={c.ok === true ? 'pass' : c.ok === false ? 'fail' : 'info'}
                  label={c.ok === null ? 'Unknown' : undefined}
                />
                <span>
                  <span className="font-semibold">{c.label}:</span> {c.message}
                  {c.ok !== true && <span className="block text-neutral-700 dark:text-neutral-300">Fix: {c.fix}</span>}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
