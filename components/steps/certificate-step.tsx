'use client';

import { useId, useState } from 'react';
import type { CertificateSummary } from '@/lib/azure/types';
import { certificateNameSchema, PFX_PASSWORD_MAX } from '@/lib/api/schemas';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useApiCall } from '@/components/wizard/use-api';
import { useWizardState } from '@/components/wizard/wizard-state';
import { CertificateSummaryList } from './certificate-summary';

export function CertificateStep() {
  const { state, update, goTo } = useWizardState();
  const vault = state.vault!;
  const call = useApiCall();
  const ids = { name: useId(), file: useId(), password: useId(), nameHelp: useId() };
  const [name, setName] = useState(state.certificate?.name ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<CertificateSummary | null>(null);

  const nameCheck = name ? certificateNameSchema.safeParse(name) : null;
  const nameError = nameCheck && !nameCheck.success ? `Name ${nameCheck.error.issues[0]?.message ?? 'is not valid'}.` : null;
  const canImport = Boolean(file && name && !nameError && !busy);

  const submit = async () => {
    if (!file || !canImport) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const form = new FormData();
      form.set('file', file);
      if (password) form.set('password', password);
      const result = await call<CertificateSummary>(certificateApiPath(vault, name), { method: 'POST', body: form });
      setImported(result);
      setPassword('');
      update({ certificate: { name: result.name, version: result.version } });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mt-4 space-y-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Import a PFX (PKCS#12) file with its private key into <strong>{vault.vaultName}</strong>. The password is used once for the import and
        is not stored by this app or by Key Vault.
      </p>
      <form
        className="grid max-w-xl gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="flex flex-col text-sm">
          <label htmlFor={ids.name} className="font-semibold">
            Certificate name in Key Vault
          </label>
          <input
            id={ids.name}
            name="certificateName"
            className="mt-1 rounded border border-neutral-400 bg-white px-2 py-1.5 dark:border-neutral-600 dark:bg-neutral-900"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={Boolean(nameError)}
            aria-describedby={ids.nameHelp}
            autoComplete="off"
            maxLength={127}
            required
          />
          <span id={ids.nameHelp} className={`mt-1 text-xs ${nameError ? 'text-red-700 dark:text-red-300' : 'text-neutral-600 dark:text-neutral-400'}`}>
            {nameError ?? '1–127 letters, digits and hyphens. Importing to an existing name adds a new version.'}
          </span>
        </div>
        <div className="flex flex-col text-sm">
          <label htmlFor={ids.file} className="font-semibold">
            PFX file
          </label>
          <input
            id={ids.file}
            name="file"
            type="file"
            accept=".pfx,.p12,application/x-pkcs12"
            className="mt-1 text-sm file:mr-3 file:rounded file:border file:border-neutral-400 file:bg-white file:px-3 file:py-1 dark:file:bg-neutral-900"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setImported(null);
              setError(null);
            }}
            required
          />
          {file && <span className="mt-1 text-xs text-neutral-600 dark:text-neutral-400">Chosen: {file.name} ({file.size.toLocaleString()} bytes)</span>}
        </div>
        <div className="flex flex-col text-sm">
          <label htmlFor={ids.password} className="font-semibold">
            PFX password
          </label>
          <input
            id={ids.password}
            name="pfxPassword"
            type="password"
            className="mt-1 rounded border border-neutral-400 bg-white px-2 py-1.5 dark:border-neutral-600 dark:bg-neutral-900"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            maxLength={PFX_PASSWORD_MAX}
            autoComplete="off"
          />
          <span className="mt-1 text-xs text-neutral-600 dark:text-neutral-400">Leave empty if the file has no password.</span>
        </div>
        <div>
          <Button type="submit" disabled={!canImport}>
            {busy ? 'Importing…' : 'Import into Key Vault'}
          </Button>
        </div>
      </form>
      <ErrorCallout error={error} />
      {imported && (
        <div className="space-y-3">
          <Callout tone="success" title={`Imported ${imported.name}, version ${imported.version}.`} testId="import-success" />
          <CertificateSummaryList cert={imported} />
        </div>
      )}
      <div className="flex justify-between">
        <Button variant="secondary" onClick={() => goTo('access')}>
          Back
        </Button>
        <Button onClick={() => goTo('service-configuration')} disabled={!state.certificate}>
          Next: Service configuration
        </Button>
      </div>
    </div>
  );
}
