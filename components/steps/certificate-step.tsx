'use client';

import { useState } from 'react';
import type { CertificateSummary, VaultPermissions } from '@/lib/api/types';
import { accessAdvice, vaultResourceId } from '@/lib/wizard/access';
import { vaultApiPath } from '@/lib/wizard/paths';
import { useAuth } from '@/components/auth/auth-context';
import { Callout } from '@/components/ui/callout';
import { CommandTabs } from '@/components/ui/command-tabs';
import { ShownAdviceProvider } from '@/components/ui/shown-advice';
import { useApi } from '@/components/wizard/use-api';
import { Tabs } from '@/components/ui/tabs';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';
import { stepMeta, stepNavigation } from '@/lib/wizard/steps';
import { CertificateResult } from './certificate/certificate-result';
import { ExistingPanel } from './certificate/existing-panel';
import { GeneratePanel } from './certificate/generate-panel';
import { ImportPanel } from './certificate/import-panel';
import { PemImportPanel } from './certificate/pem-import-panel';

type Mode = 'import' | 'pem' | 'generate' | 'existing';
const MODES: ReadonlyArray<{ id: Mode; label: string }> = [
  { id: 'import', label: 'Import a PFX' },
  { id: 'pem', label: 'Import PEM / CRT + key' },
  { id: 'generate', label: 'Generate self-signed' },
  { id: 'existing', label: 'Use a certificate in the vault' },
];

export function CertificateStep() {
  const { state, update, search, goTo } = useWizardState();
  const vault = state.vault!;
  const intent = search.get('intent');
  const [mode, setModeState] = useState<Mode>('import');
  const [pemVisited, setPemVisited] = useState(false);
  const setMode = (m: Mode) => {
    if (m === 'pem') setPemVisited(true);
    setModeState(m);
  };
  // After a success the result takes the forms' place; "… another" brings fresh forms back (a new round).
  const [done, setDone] = useState<{
    cert: CertificateSummary;
    how: Mode;
    newVersion: boolean;
    fromVersions: boolean;
  } | null>(null);
  const [round, setRound] = useState(0);
  const { account } = useAuth();
  // Asked up front: may this user add certificates here? A hint only (a group's access policy cannot be seen), so
  // the forms stay usable.
  const permissions = useApi<VaultPermissions>(`${vaultApiPath(vault)}/permissions`);
  const p = permissions.data;
  const precheck =
    p?.addCertificates.allowed === false
      ? accessAdvice('certificates', {
          vault: {
            id: vaultResourceId(vault.subscriptionId, vault.resourceGroup, vault.vaultName),
            name: vault.vaultName,
            resourceGroup: vault.resourceGroup,
            rbac: p.rbac,
          },
          upn: account?.username,
        })
      : null;

  const finish =
    (how: Mode) =>
    (cert: CertificateSummary, info: { newVersion: boolean } = { newVersion: false }) => {
      // The URL loses `intent` here (update writes the state only): read it first.
      setDone({ cert, how, newVersion: info.newVersion, fromVersions: intent === 'new-version' });
      update({ certificate: { name: cert.name, version: cert.version } });
    };
  const again = () => {
    setDone(null);
    setRound((r) => r + 1);
  };
  const nextStep = done?.fromVersions ? 'versions' : stepNavigation('certificate').next?.step;

  return (
    <ShownAdviceProvider value={precheck ? [precheck.az] : []}>
      <div className="mt-4 space-y-4">
        <p className="text-sm text-neutral-700 dark:text-neutral-300">
          Put the certificate into <strong>{vault.vaultName}</strong>: import a PFX (PKCS#12) file with its private key,
          or PEM/CRT files and their key (made into a PFX in your browser), let Key Vault generate a self-signed one, or
          use one the vault already holds. Passwords and keys are used once and never stored.
        </p>
        {intent === 'new-version' && state.certificate && !done && (
          <Callout tone="info" title={`Import a new version of ${state.certificate.name}.`} testId="new-version-intent">
            After the import every output (thumbprint, certificateUrl, snippets) moves to the new version.
          </Callout>
        )}
        {precheck && p && (
          <Callout
            tone="warning"
            title={`You can't add certificates to ${vault.vaultName}: ${precheck.role ? `ask for the '${precheck.role}' role` : 'ask for an access policy with Import and Create'}.`}
            testId="precheck-certificates"
          >
            <p>
              {precheck.ask}{' '}
              {p.addCertificates.basis === 'access-policy'
                ? 'No access policy gives you Import and Create here; one given to a group you are in would not show, so you can still try.'
                : 'You can still try: a role given a moment ago can take a few minutes to show.'}
            </p>
            <div className="mt-2">
              <CommandTabs advice={precheck} testId="precheck-certificates-command" showAsk={false} />
            </div>
          </Callout>
        )}
        {done && nextStep && (
          <CertificateResult
            cert={done.cert}
            how={done.how}
            newVersion={done.newVersion}
            vaultName={vault.vaultName}
            next={done.fromVersions ? `Back to ${stepMeta(nextStep).label}` : `Continue to ${stepMeta(nextStep).label}`}
            onNext={() => goTo(nextStep)}
            onAgain={again}
          />
        )}
        {!done && (
          <Tabs label="How to get the certificate" tabs={MODES} selected={mode} onSelect={setMode}>
            {/* The import form stays mounted (hidden), so switching tabs keeps the chosen file and what was typed. */}
            <div hidden={mode !== 'import'}>
              <ImportPanel
                key={`import-${round}`}
                vault={vault}
                initialName={intent === 'new-version' ? (state.certificate?.name ?? '') : ''}
                newVersion={intent === 'new-version'}
                onDone={finish('import')}
              />
            </div>
            {/* Mounted once visited (then kept, hidden, like the PFX form), so the page has one name field until then. */}
            {pemVisited && (
              <div hidden={mode !== 'pem'}>
                <PemImportPanel
                  key={`pem-${round}`}
                  vault={vault}
                  initialName={intent === 'new-version' ? (state.certificate?.name ?? '') : ''}
                  newVersion={intent === 'new-version'}
                  onDone={finish('pem')}
                />
              </div>
            )}
            {mode === 'generate' && (
              <GeneratePanel key={`generate-${round}`} vault={vault} initialName="" onDone={finish('generate')} />
            )}
            {mode === 'existing' && (
              <ExistingPanel vault={vault} current={state.certificate?.name} onDone={finish('existing')} />
            )}
          </Tabs>
        )}
        <StepNav step="certificate" nextDisabled={!state.certificate} />
      </div>
    </ShownAdviceProvider>
  );
}
