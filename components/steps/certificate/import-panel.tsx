'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { CertificateSummary } from '@/lib/api/types';
import type { InspectResult } from '@/lib/certs/types';
import type { WizardVault } from '@/lib/wizard/state';
import { PFX_PASSWORD_MAX } from '@/lib/api/schemas';
import { ApiError } from '@/lib/api/client';
import { certificateApiPath } from '@/lib/wizard/paths';
import { useAuth } from '@/components/auth/auth-context';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS } from '@/components/ui/field';
import { FileDrop } from '@/components/ui/file-drop';
import { Progress } from '@/components/ui/progress';
import { useInputError } from '@/components/ui/use-input-error';
import { uploadWithProgress } from '@/components/wizard/upload';
import { CertificateNameField, type NameDecision } from './name-field';
import { PfxInspection } from './pfx-inspection';
import { isCertificateRefusal } from './refusal-advice';

type Phase = { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'importing' };

/** Drop or choose a .pfx → inspected in a Web Worker (node-forge loads only there) → imported with progress. */
export function ImportPanel({
  vault,
  initialName,
  newVersion,
  onDone,
}: {
  vault: WizardVault;
  initialName: string;
  newVersion: boolean;
  onDone: (c: CertificateSummary, info: { newVersion: boolean }) => void;
}) {
  const { getToken } = useAuth();
  const [name, setName] = useState(initialName);
  const [decision, setDecision] = useState<NameDecision>({ name: initialName, usable: false, status: null });
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [inspection, setInspection] = useState<InspectResult | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  // About the name, file and password it was given: typing or choosing again clears it. A refusal of the user's
  // rights is about none of them and stays.
  const [error, setError] = useInputError([name, file, password], isCertificateRefusal);

  // Inspect whenever the file or password changes (debounced for typing). The bytes stay in this tab; node-forge
  // loads only inside the inspection worker.
  const pending = useRef<{ key: string; promise: Promise<InspectResult | null> } | null>(null);
  const inspect = useCallback((f: File, pw: string) => {
    const key = `${f.name}:${f.size}:${f.lastModified}:${pw}`;
    if (pending.current?.key === key) return pending.current.promise;
    const promise = (async () => {
      try {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const { inspectInWorker } = await import('@/lib/certs/inspect-in-worker');
        const result = await inspectInWorker(bytes, pw === '' ? null : pw);
        bytes.fill(0);
        return result;
      } catch {
        return null;
      }
    })();
    pending.current = { key, promise };
    return promise;
  }, []);
  useEffect(() => {
    setInspection(null);
    if (!file) return;
    let cancelled = false;
    setInspecting(true);
    const t = setTimeout(() => {
      void inspect(file, password).then((result) => {
        if (cancelled) return;
        setInspection(result);
        setInspecting(false);
      });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [file, password, inspect]);

  const busy = phase.kind !== 'idle';
  const canImport = Boolean(file && decision.usable && !busy && (inspecting || !inspection || inspection.importable));

  const submit = async () => {
    if (!file || !canImport) return;
    setError(null);
    // Nothing is sent before the browser's inspection has passed (it may still be running for a just-typed password).
    const result = await inspect(file, password);
    const blocking = result?.findings.find((f) => f.severity === 'error');
    if (result && !result.importable) {
      setError(
        new ApiError(0, {
          code: 'pfx_rejected',
          message: blocking?.message ?? 'This file cannot be imported.',
          action: `${blocking?.action ?? 'Export the certificate again as a PFX with its private key.'} Nothing was sent to Key Vault.`,
        }),
      );
      return;
    }
    setPhase({ kind: 'uploading', fraction: 0 });
    try {
      const form = new FormData();
      form.set('file', file);
      if (password) form.set('password', password);
      const token = await getToken();
      const result = await uploadWithProgress<CertificateSummary>(
        certificateApiPath(vault, name),
        form,
        token,
        (fraction) => setPhase({ kind: 'uploading', fraction }),
        () => setPhase({ kind: 'importing' }),
      );
      setPassword('');
      onDone(result, { newVersion: decision.status?.status === 'exists' });
    } catch (e) {
      setError(e);
    } finally {
      setPhase({ kind: 'idle' });
    }
  };

  return (
    <form
      className="grid max-w-3xl gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <CertificateNameField
        vault={vault}
        name={name}
        onName={setName}
        onDecision={setDecision}
        preferNewVersion={newVersion}
      />
      <FileDrop
        id="pfx-file"
        label="PFX file"
        help="A .pfx or .p12 file with the private key. It is inspected in your browser first; nothing is sent before you import."
        accept=".pfx,.p12,application/x-pkcs12"
        chosen={file ? [file] : []}
        onFiles={(files) => setFile(files[0] ?? null)}
      />
      <div className="flex max-w-md flex-col text-sm">
        <label htmlFor="pfx-password" className="font-semibold">
          PFX password
        </label>
        <input
          id="pfx-password"
          name="pfxPassword"
          type="password"
          className={INPUT_CLASS}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          maxLength={PFX_PASSWORD_MAX}
          autoComplete="off"
          aria-describedby="pfx-password-help"
        />
        <span id="pfx-password-help" className="mt-1 text-xs text-neutral-700 dark:text-neutral-300">
          Leave empty if the file has no password. Used once for the import; never stored.
        </span>
      </div>
      <div aria-live="polite">{inspecting && <p className="text-sm">Inspecting the file in your browser…</p>}</div>
      {inspection && <PfxInspection result={inspection} />}
      <div className="space-y-2">
        <Button type="submit" disabled={!canImport || isCertificateRefusal(error)}>
          {busy
            ? 'Importing…'
            : isCertificateRefusal(error)
              ? `Refused: you may not import into ${vault.vaultName}`
              : decision.status?.status === 'exists'
                ? `Import as a new version of ${name}`
                : 'Import into Key Vault'}
        </Button>
        {phase.kind === 'uploading' && (
          <Progress
            label={`Uploading ${Math.round(phase.fraction * 100)}%`}
            value={phase.fraction * 100}
            testId="import-progress"
          />
        )}
        {phase.kind === 'importing' && (
          <Progress label="Key Vault is importing the certificate…" value={null} testId="import-progress" />
        )}
      </div>
      <ErrorCallout
        error={error}
        onRetry={canImport && !isCertificateRefusal(error) ? submit : undefined}
        hideAdvice={isCertificateRefusal(decision.error)}
      />
    </form>
  );
}
