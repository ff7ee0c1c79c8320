'use client';

import { useId, useState } from 'react';
import { cscfgCertificateElement, csdefCertificateElement, ServiceConfigError } from '@/lib/service-config';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { CopyField } from '@/components/ui/copy-field';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useWizardState } from '@/components/wizard/wizard-state';
import { useWizardCertificate } from './use-certificate';

export function ServiceConfigurationStep() {
  const { goTo } = useWizardState();
  const cert = useWizardCertificate();
  const nameId = useId();
  const [elementName, setElementName] = useState<string | null>(null);
  const c = cert.data;
  const name = elementName ?? c?.name ?? '';

  let cscfg = '';
  let csdef = '';
  let inputError: ServiceConfigError | null = null;
  if (c) {
    try {
      cscfg = cscfgCertificateElement({ name, thumbprint: c.thumbprint });
      csdef = csdefCertificateElement({ name });
    } catch (e) {
      if (e instanceof ServiceConfigError) inputError = e;
      else throw e;
    }
  }

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Put the first line in the role’s <code>&lt;Certificates&gt;</code> section of your <code>.cscfg</code>, and the second in the same
        role of your <code>.csdef</code>. The names must match; the thumbprint is the SHA-1 of the certificate Key Vault holds.
      </p>
      <ErrorCallout error={cert.error} onRetry={cert.reload} />
      {c && (
        <>
          <div className="flex max-w-md flex-col text-sm">
            <label htmlFor={nameId} className="font-semibold">
              Certificate name in the service configuration
            </label>
            <input
              id={nameId}
              className="mt-1 rounded border border-neutral-400 bg-white px-2 py-1.5 dark:border-neutral-600 dark:bg-neutral-900"
              value={name}
              onChange={(e) => setElementName(e.target.value)}
            />
          </div>
          {inputError ? (
            <Callout tone="error" title={inputError.message}>
              {inputError.action}
            </Callout>
          ) : (
            <>
              <CopyField label=".cscfg certificate" value={cscfg} testId="cscfg-line" />
              <CopyField label=".csdef certificate" value={csdef} testId="csdef-line" />
            </>
          )}
        </>
      )}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => goTo('certificate')}>
          Back
        </Button>
        <Button onClick={() => goTo('secret-identifier')} disabled={!c}>
          Next: Secret identifier
        </Button>
      </div>
    </div>
  );
}
