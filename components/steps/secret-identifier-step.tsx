'use client';

import { useState } from 'react';
import { renderAllSnippets, type SnippetKind } from '@/lib/snippets';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { CopyField } from '@/components/ui/copy-field';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useWizardState } from '@/components/wizard/wizard-state';
import { useWizardCertificate } from './use-certificate';

const TABS: Array<{ kind: Exclude<SnippetKind, 'cscfg' | 'csdef'>; label: string }> = [
  { kind: 'arm', label: 'ARM (cloudServices)' },
  { kind: 'vmss', label: 'ARM (VMSS)' },
  { kind: 'bicep', label: 'Bicep' },
  { kind: 'az', label: 'Azure CLI' },
  { kind: 'powershell', label: 'PowerShell' },
];

export function SecretIdentifierStep() {
  const { goTo } = useWizardState();
  const cert = useWizardCertificate();
  const [tab, setTab] = useState<(typeof TABS)[number]['kind']>('arm');
  const c = cert.data;
  const snippets = c ? renderAllSnippets({ vaultId: c.vaultId, certificateUrl: c.secretId, certificateName: c.name, thumbprint: c.thumbprint }) : null;
  const current = snippets?.[tab];

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        The cloud service’s <code>osProfile.secrets</code> names the vault and the certificate’s versioned <strong>Secret Identifier</strong>{' '}
        as <code>certificateUrl</code>. It pins this exact version: a renewed certificate gets a new one.
      </p>
      <ErrorCallout error={cert.error} onRetry={cert.reload} />
      {c && (
        <>
          <CopyField label="certificateUrl (Secret Identifier)" value={c.secretId} testId="certificate-url" />
          <CopyField label="sourceVault.id (vault resource id)" value={c.vaultId} testId="vault-id" />
          <div>
            <div role="tablist" aria-label="Deployment snippet format" className="flex flex-wrap gap-1 border-b border-neutral-300 dark:border-neutral-700">
              {TABS.map((t) => (
                <button
                  key={t.kind}
                  type="button"
                  role="tab"
                  id={`tab-${t.kind}`}
                  aria-selected={tab === t.kind}
                  aria-controls={`panel-${t.kind}`}
                  onClick={() => setTab(t.kind)}
                  className={`rounded-t px-3 py-1.5 text-sm ${tab === t.kind ? 'border-b-2 border-azure-500 font-semibold' : 'text-neutral-700 dark:text-neutral-300'}`}
                >
                  {t.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="pt-3">
              {current?.ok ? (
                <CopyField label={TABS.find((t) => t.kind === tab)?.label ?? tab} value={current.text} multiline testId={`snippet-${tab}`} />
              ) : current ? (
                <Callout tone="error" title={current.error.message}>
                  {current.error.action}
                </Callout>
              ) : null}
            </div>
          </div>
        </>
      )}
      <div className="flex justify-start">
        <Button variant="secondary" onClick={() => goTo('service-configuration')}>
          Back
        </Button>
      </div>
    </div>
  );
}
