'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { CloudServiceDetail, RepointPlanRequest, RotationPlanResponse } from '@/lib/api/types';
import { parseVaultId, sameId, type CertificateRow } from '@/lib/cloud-services';
import type { ServiceLocator } from '@/lib/cloud-services/paths';
import { stateToSearch, type WizardVault } from '@/lib/wizard/state';
import { stepPath } from '@/lib/wizard/steps';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { CopyToVault } from '@/components/steps/copy-to-vault';
import { useRepointPlan } from './use-repoint-plan';

const MISPLACED = ['region', 'subscription', 'deployment'];

/**
 * Entries whose vault the platform may not use (another region or subscription, no deployment flag): copy each
 * certificate into a vault in the service's region, then one plan points the entries at the copies (decision 048).
 */
export function ServiceCopy({
  locator,
  detail,
  onPlanned,
}: {
  locator: ServiceLocator;
  detail: CloudServiceDetail;
  onPlanned: (response: RotationPlanResponse, request: RepointPlanRequest) => void;
}) {
  const router = useRouter();
  const [copies, setCopies] = useState<Record<string, RepointPlanRequest['moves'][number]>>({});
  const { plan: requestPlan, planning, error } = useRepointPlan(locator, onPlanned);
  const { service, gates } = detail.report;
  const blocked = (r: CertificateRow) =>
    r.status === 'vault-blocked' &&
    r.entry !== null &&
    gates
      .find((g) => sameId(g.vaultId, r.entry!.vaultId))
      ?.checks.some((c) => c.ok === false && MISPLACED.includes(c.id));
  const rows = [...new Map(detail.report.rows.filter(blocked).map((r) => [r.entry!.certificateUrl, r])).values()];
  if (rows.length === 0) return null;
  const target = { subscriptionId: service.subscriptionId, location: service.location };
  const ready = rows.every((r) => copies[r.entry!.certificateUrl]);

  const plan = () => requestPlan({ moves: rows.map((r) => copies[r.entry!.certificateUrl]!) });

  return (
    <section aria-labelledby="copy-service-title" className="space-y-3" data-testid="service-copy">
      <h2 id="copy-service-title" className="text-lg font-semibold">
        Certificates in a vault the service cannot use
      </h2>
      {rows.map((r) => {
        const e = r.entry!;
        const p = parseVaultId(e.vaultId);
        if (!p) return null;
        return copies[e.certificateUrl] ? (
          <p key={e.certificateUrl} className="text-sm" data-testid="service-copied">
            ✓ {r.name}: copied into {copies[e.certificateUrl]!.to.vault.vaultName}.
          </p>
        ) : (
          <CopyToVault
            key={e.certificateUrl}
            vault={{ id: e.vaultId, name: p.name, subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup }}
            certificate={{ name: e.secretName, version: e.version, exportable: null }}
            target={target}
            needsDeployment={
              !gates
                .find((g) => sameId(g.vaultId, e.vaultId))
                ?.checks.some((c) => c.ok === false && (c.id === 'region' || c.id === 'subscription'))
            }
            onCopied={(to: WizardVault, copy) =>
              setCopies((m) => ({
                ...m,
                [e.certificateUrl]: {
                  from: e.certificateUrl,
                  to: { vault: to, certificateName: copy.name, version: copy.version },
                },
              }))
            }
            onReimport={(to) => router.push(`${stepPath('certificate')}${stateToSearch({ vault: to, target })}`)}
          />
        );
      })}
      <Button onClick={() => void plan()} disabled={!ready || planning} data-testid="plan-copies">
        {planning ? 'Planning…' : 'Plan: point osProfile.secrets at the copies'}
      </Button>
      <ErrorCallout error={error} />
    </section>
  );
}
