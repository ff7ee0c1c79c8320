'use client';

import { useState } from 'react';
import { renderAllSnippets, type SnippetKind } from '@/lib/snippets';
import { Callout } from '@/components/ui/callout';
import { CopyField } from '@/components/ui/copy-field';
import { DownloadButton } from '@/components/ui/download-button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { Tabs } from '@/components/ui/tabs';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';
import { useWizardCertificate } from './use-certificate';

type Kind = Exclude<SnippetKind, 'cscfg' | 'csdef'>;
const TABS: ReadonlyArray<{ id: Kind; label: string; file: string; mime: string }> = [
  { id: 'arm', label: 'ARM (cloudServices)', file: 'cloudservice-ossecrets.json', mime: 'application/json' },
  { id: 'vmss', label: 'ARM (VMSS)', file: 'vmss-ossecrets.json', mime: 'application/json' },
  { id: 'bicep', label: 'Bicep', file: 'cloudservice-ossecrets.bicep', mime: 'text/plain' },
  { id: 'az', label: 'Azure CLI', file: 'cloudservice-ossecrets.sh', mime: 'text/x-shellscript' },
  { id: 'powershell', label: 'PowerShell', file: 'cloudservice-ossecrets.ps1', mime: 'text/plain' },
];

export function SecretIdentifierStep() {
  const { state } = useWizardState();
  const cert = useWizardCertificate();
  const [tab, setTab] = useState<Kind>('arm');
  const c = cert.data;
  const svc = state.service;
  const snippets = c
    ? renderAllSnippets({
        vaultId: c.vaultId,
        certificateUrl: c.secretId,
        certificateName: svc?.name || c.name,
        thumbprint: c.thumbprint,
        ...(svc?.roles.length ? { roleNames: svc.roles } : {}),
        ...(svc?.storeLocation ? { storeLocation: svc.storeLocation } : {}),
        ...(svc?.storeName ? { storeName: svc.storeName } : {}),
      })
    : null;
  const current = snippets?.[tab];
  const meta = TABS.find((t) => t.id === tab)!;

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        The cloud service’s <code>osProfile.secrets</code> names the vault and the certificate’s versioned{' '}
        <strong>Secret Identifier</strong> as <code>certificateUrl</code>. It pins this exact version: a renewed
        certificate gets a new one, and the <code>.cscfg</code> thumbprint must change with it.
      </p>
      <ErrorCallout error={cert.error} onRetry={cert.reload} />
      {c && (
        <>
          <CopyField label="certificateUrl (Secret Identifier)" value={c.secretId} testId="certificate-url" />
          <CopyField label="sourceVault.id (vault resource id)" value={c.vaultId} testId="vault-id" />
          <CopyField label="Thumbprint for the .cscfg" value={c.thumbprint} testId="secret-thumbprint" />
          <Tabs label="Deployment snippet format" tabs={TABS} selected={tab} onSelect={setTab}>
            {current?.ok ? (
              <div className="space-y-2">
                <CopyField label={meta.label} value={current.text} multiline testId={`snippet-${tab}`} />
                <DownloadButton filename={meta.file} text={current.text} mime={meta.mime} testId={`download-${tab}`} />
              </div>
            ) : current ? (
              <Callout tone="error" title={current.error.message}>
                {current.error.action}
              </Callout>
            ) : null}
          </Tabs>
        </>
      )}
      <StepNav step="secret-identifier" nextDisabled={!c} />
    </div>
  );
}
