import type { HealthStatus, RowStatus } from '@/lib/cloud-services';
import { StatusBadge } from '@/components/ui/status-badge';

const HEALTH: Record<HealthStatus, 'pass' | 'warn' | 'fail' | 'info'> = {
  healthy: 'pass',
  expiring: 'warn',
  attention: 'warn',
  broken: 'fail',
};

export function HealthBadge({ status, label, testId }: { status: HealthStatus; label: string; testId?: string }) {
  return <StatusBadge status={HEALTH[status]} label={label} testId={testId} />;
}

const ROW: Record<RowStatus, { badge: 'pass' | 'warn' | 'fail' | 'info'; label: string }> = {
  ok: { badge: 'pass', label: 'OK' },
  expiring: { badge: 'warn', label: 'Expiring' },
  expired: { badge: 'fail', label: 'Expired' },
  missing: { badge: 'fail', label: 'Missing in osProfile' },
  disabled: { badge: 'fail', label: 'Version disabled' },
  'not-certificate': { badge: 'warn', label: 'Plain secret' },
  unverified: { badge: 'info', label: 'Not verified' },
  'vault-blocked': { badge: 'warn', label: 'Vault gate' },
};

export function RowBadge({ status }: { status: RowStatus }) {
  const r = ROW[status];
  return <StatusBadge status={r.badge} label={r.label} />;
}
