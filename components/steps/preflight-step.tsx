'use client';

import Link from 'next/link';
import type { SubscriptionSummary, VaultSummary } from '@/lib/api/types';
import { preflightChecks, preflightVerdict } from '@/lib/wizard/preflight';
import { vaultApiPath } from '@/lib/wizard/paths';
import { REGIONS, regionLabel } from '@/lib/wizard/regions';
import { stateToSearch } from '@/lib/wizard/state';
import { stepMeta, stepPath } from '@/lib/wizard/steps';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { SelectField } from '@/components/ui/field';
import { StatusBadge } from '@/components/ui/status-badge';
import { useApi } from '@/components/wizard/use-api';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';
import { useState } from 'react';
import { CopyToVault } from './copy-to-vault';
import { useWizardCertificate } from './use-certificate';

export function PreflightStep() {
  const { state, update, goTo } = useWizardState();
  const vault = useApi<VaultSummary>(vaultApiPath(state.vault!));
  const cert = useWizardCertificate();
  const subs = useApi<{ subscriptions: SubscriptionSummary[] }>('/api/subscriptions');
  const v = vault.data;
  const c = cert.data;
  const target = state.target ?? (v ? { subscriptionId: v.subscriptionId, location: v.location } : null);
  const checks = v && c && target ? preflightChecks(v, c, target) : null;
  const verdict = checks ? preflightVerdict(checks) : null;
  const [copied, setCopied] = useState<{ from: string; to: string; name: string } | null>(null);
  const failing = (id: string) => checks?.some((x) => x.id === id && x.status === 'fail') ?? false;
  const misplaced = failing('region') || failing('subscription');
  const offerCopy = Boolean(v && c && target && (misplaced || failing('deployment-flag')));
  const regions =
    REGIONS.some((r) => r.name === target?.location) || !target
      ? REGIONS
      : [...REGIONS, { name: target.location, displayName: target.location }];

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Tell us where the cloud service runs. Everything Cloud Services (extended support) checks when it deploys is
        checked here first.
      </p>
      <ErrorCallout error={vault.error} onRetry={vault.reload} />
      <ErrorCallout error={cert.error} onRetry={cert.reload} />
      <ErrorCallout error={subs.error} onRetry={subs.reload} />
      {target && (
        <div className="flex flex-wrap gap-4">
          <SelectField
            label="Cloud service subscription"
            className="min-w-64"
            value={target.subscriptionId}
            onChange={(e) => update({ target: { ...target, subscriptionId: e.target.value } })}
          >
            {(subs.data?.subscriptions ?? []).map((s) => (
              <option key={s.subscriptionId} value={s.subscriptionId}>
                {s.displayName}
              </option>
            ))}
            {!subs.data?.subscriptions.some((s) => s.subscriptionId === target.subscriptionId) && (
              <option value={target.subscriptionId}>{target.subscriptionId}</option>
            )}
          </SelectField>
          <SelectField
            label="Cloud service region"
            value={target.location}
            onChange={(e) => update({ target: { ...target, location: e.target.value } })}
          >
            {regions.map((r) => (
              <option key={r.name} value={r.name}>
                {r.displayName}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {copied && (
        <Callout
          tone="success"
          title={`Copied ${copied.name} from ${copied.from} into ${copied.to}.`}
          testId="copy-success"
        >
          Every output (thumbprint, certificateUrl, snippets) now uses the copy in {copied.to}.
        </Callout>
      )}
      {checks && verdict && (
        <>
          <Callout
            tone={verdict === 'pass' ? 'success' : verdict === 'warn' ? 'warning' : 'error'}
            title={
              verdict === 'pass'
                ? 'Ready for Cloud Services (extended support).'
                : verdict === 'warn'
                  ? 'Deployable, with warnings to review.'
                  : `${checks.filter((x) => x.status === 'fail').length} check(s) would make the deployment fail.`
            }
            testId="preflight-verdict"
          />
          <ul className="space-y-2" aria-label="Preflight checks">
            {checks.map((x) => (
              <li
                key={x.id}
                className="flex items-start gap-3 rounded border border-neutral-200 p-3 text-sm dark:border-neutral-800"
                data-testid={`check-${x.id}`}
                data-status={x.status}
              >
                <StatusBadge status={x.status} />
                <div className="min-w-0">
                  <p className="font-semibold">{x.label}</p>
                  <p>{x.detail}</p>
                  {x.fix && (
                    <p className="mt-1">
                      <span className="font-semibold">Fix:</span> {x.fix}{' '}
                      {x.fixStep && (
                        <Link
                          href={`${stepPath(x.fixStep)}${stateToSearch(state)}`}
                          className="font-semibold text-azure-700 underline dark:text-azure-100"
                        >
                          Go to {stepMeta(x.fixStep).label}
                        </Link>
                      )}
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {offerCopy && v && c && target && (
            <CopyToVault
              key={`${v.id}/${target.subscriptionId}/${target.location}`}
              vault={v}
              certificate={c}
              target={target}
              needsDeployment={!misplaced}
              headingLevel={2}
              onCopied={(to, copy) => {
                setCopied({ from: v.name, to: to.vaultName, name: copy.name });
                update({ vault: to, certificate: { name: copy.name, version: copy.version }, target });
              }}
              onReimport={(to) =>
                goTo('certificate', { vault: to, target, ...(state.service ? { service: state.service } : {}) })
              }
            />
          )}
          {v && target && (
            <p className="text-xs text-neutral-700 dark:text-neutral-300">
              Vault {v.name}: {regionLabel(v.location)}. Cloud service: {regionLabel(target.location)}.
            </p>
          )}
        </>
      )}
      <StepNav step="preflight" nextDisabled={!c} />
    </div>
  );
}
