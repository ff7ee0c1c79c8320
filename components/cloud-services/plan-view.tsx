'use client';

import type { RotationPlanResponse } from '@/lib/api/types';
import { secretsJson, type PreflightCheck } from '@/lib/cloud-services';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { DownloadButton } from '@/components/ui/download-button';
import { StatusBadge } from '@/components/ui/status-badge';
import { DiffView } from '@/components/steps/service/diff-view';

function CheckItem({ c }: { c: PreflightCheck }) {
  const status = c.ok ? 'pass' : c.severity === 'error' ? 'fail' : 'warn';
  return (
    <li className="flex items-start gap-2" data-testid="preflight-check" data-check={c.id} data-ok={String(c.ok)}>
      <StatusBadge status={status} />
      <span>
        <span className="font-semibold">{c.title}.</span> <span data-testid="preflight-message">{c.message}</span>
        {!c.ok && (
          <span className="block text-neutral-700 dark:text-neutral-300">
            Fix: {c.fix}
            {c.rpCode && <span className="ml-1 font-mono text-xs">(the RP would answer {c.rpCode})</span>}
          </span>
        )}
      </span>
    </li>
  );
}

/** A plan: both diffs, the preflight, then Apply (when nothing refuses it) or Export (for someone who may apply). */
const VERB: Record<RotationPlanResponse['plan']['kind'], string> = {
  rotate: 'Rotate',
  repair: 'Repair',
  repoint: 'Repoint',
  rollback: 'Roll back',
};

export function PlanView({
  response,
  canWrite,
  applying,
  onApply,
  onCancel,
}: {
  response: RotationPlanResponse;
  canWrite: boolean | null;
  applying: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  const { plan, exports } = response;
  const p = plan.preflight;
  const failing = p.checks.filter((c) => !c.ok);
  const verb = VERB[plan.kind];
  return (
    <section aria-labelledby="plan-title" className="space-y-4 rounded border border-azure-500 p-4" data-testid="plan">
      <h3 id="plan-title" className="text-lg font-semibold">
        {plan.title}
      </h3>
      <p className="text-sm">
        {plan.edits.length > 0
          ? `Thumbprint ${plan.edits[0]!.before} → ${plan.edits[0]!.after} in ${plan.edits.map((e) => `${e.role}/${e.name}`).join(', ')}. `
          : 'The .cscfg stays as it is. '}
        {plan.from.urls.length > 0 ? `osProfile.secrets: ${plan.from.urls.join(', ')} → ${plan.to.url}.` : ''} Nothing
        changes on the service until you apply.
      </p>
      <DiffView
        before={plan.configuration.before}
        after={plan.configuration.after}
        label="Service configuration (.cscfg)"
        testId="plan-cscfg-diff"
      />
      <DiffView
        before={secretsJson(plan.secrets.before)}
        after={secretsJson(plan.secrets.after)}
        label="osProfile.secrets"
        testId="plan-secrets-diff"
      />
      <section aria-labelledby="preflight-title" data-testid="preflight">
        <h4 id="preflight-title" className="text-base font-semibold">
          Preflight: everything the Cloud Services RP checks{' '}
          <StatusBadge
            status={p.canApply ? 'pass' : p.canExport ? 'warn' : 'fail'}
            label={p.canApply ? 'Ready to apply' : p.canExport ? 'Export only' : 'Would be refused'}
            testId="preflight-verdict"
          />
        </h4>
        <ul className="mt-2 space-y-1 text-sm">
          {[...failing, ...p.checks.filter((c) => c.ok)].map((c) => (
            <CheckItem key={c.id + c.title} c={c} />
          ))}
        </ul>
      </section>
      {!p.canExport && (
        <Callout tone="error" title="Not sent: the RP would refuse this." testId="plan-refused">
          {failing.find((c) => c.severity === 'error')?.fix}
        </Callout>
      )}
      {p.canExport && !p.canApply && (
        <Callout
          tone="info"
          title="You cannot apply this yourself: export it for someone who can."
          testId="export-only"
        >
          The change is sound. {failing.find((c) => c.kind === 'rights')?.message}
        </Callout>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {p.canApply && canWrite !== false && (
          <Button onClick={onApply} disabled={applying} data-testid="apply">
            {applying ? 'Applying…' : `${verb}: apply to the service`}
          </Button>
        )}
        <Button variant="secondary" onClick={onCancel} disabled={applying}>
          Cancel
        </Button>
      </div>
      {exports.length > 0 && (
        <section aria-labelledby="export-title" className="space-y-2" data-testid="exports">
          <h4 id="export-title" className="text-base font-semibold">
            Export
          </h4>
          <p className="text-sm">
            The same change for a pipeline or for someone with write rights: an ARM template with its parameters, an
            Update-AzCloudService script, or one az rest call.
          </p>
          <div className="flex flex-wrap gap-2">
            {exports.map((e) => (
              <DownloadButton
                key={e.kind}
                filename={e.fileName}
                text={e.text}
                mime={e.fileName.endsWith('.json') ? 'application/json' : 'text/plain'}
                testId={`export-${e.kind}`}
              />
            ))}
          </div>
        </section>
      )}
    </section>
  );
}
