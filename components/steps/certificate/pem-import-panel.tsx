'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { CertificateSummary } from '@/lib/api/types';
import type { PemFile } from '@/lib/certs/pem-sources';
import type { PemInspectResult } from '@/lib/certs/pem-inspect';
import type { WizardVault } from '@/lib/wizard/state';
import { ApiError } from '@/lib/api/client';
import { certificateApiPath } from '@/lib/wizard/paths';
import { useAuth } from '@/components/auth/auth-context';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS } from '@/components/ui/field';
import { FileDrop } from '@/components/ui/file-drop';
import { Progress } from '@/components/ui/progress';
import { StatusBadge } from '@/components/ui/status-badge';
import { useInputError } from '@/components/ui/use-input-error';
import { uploadWithProgress } from '@/components/wizard/upload';
import { CertificateNameField, type NameDecision } from './name-field';
import { PfxInspection } from './pfx-inspection';
import { isCertificateRefusal } from './refusal-advice';

type Phase = { kind: 'idle' } | { kind: 'building' } | { kind: 'uploading'; fraction: number } | { kind: 'importing' };

async function readFiles(certs: File[], key: File | null): Promise<PemFile[]> {
  const all = key ? [...certs, key] : certs;
  return Promise.all(all.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
}

const wipe = (files: PemFile[]) => files.forEach((f) => typeof f.data !== 'string' && f.data.fill(0));

/** What the PEM files held and how they fit together: the part a PFX inspection does not have. */
function PemDetails({ result }: { result: PemInspectResult }) {
  const { pem } = result;
  const mismatch = result.findings.some((f) => f.code === 'key-mismatch');
  const keyOk = Boolean(pem.key?.readable && result.leaf && !mismatch);
  return (
    <section aria-label="What the files hold" className="space-y-2 text-sm" data-testid="pem-details">
      <ul className="space-y-1">
        {pem.files.map((f, i) => (
          <li key={`${f.name}-${i}`} data-testid="pem-file">
            <strong>{f.name}</strong>: {f.certificates} certificate{f.certificates === 1 ? '' : 's'}, {f.keys} private
            key{f.keys === 1 ? '' : 's'} (
            {f.encoding === 'unknown' ? 'not a certificate or key' : f.encoding.toUpperCase()})
          </li>
        ))}
      </ul>
      <p className="flex items-center gap-2" data-testid="pem-key-match">
        <StatusBadge status={keyOk ? 'pass' : 'fail'} label={keyOk ? 'Key matches' : 'No matching key'} />
        {keyOk
          ? `The private key (${pem.key!.format}${pem.key!.encryption ? `, encrypted with ${pem.key!.encryption}` : ''}) belongs to the leaf certificate.`
          : pem.key
            ? 'The private key given does not belong to any certificate given, or could not be read.'
            : 'No private key was given.'}
      </p>
      {result.leaf && (
        <p data-testid="pem-order">
          {pem.inOrder
            ? 'The certificates are in order: leaf first, then each issuer.'
            : 'The certificates were not in order; the PFX puts the leaf first, then each issuer.'}
          {pem.missingIssuer && (
            <>
              {' '}
              <span data-testid="pem-missing-issuer">
                The files stop before <strong>{pem.missingIssuer}</strong>: if that is an intermediate CA, add it (the
                CA’s chain file) so every instance can build the chain; a root is not needed.
              </span>
            </>
          )}
        </p>
      )}
    </section>
  );
}

/**
 * PEM/CRT/CER certificate (with or without its chain, any order) and its private key — separate files or one combined
 * PEM, encrypted key with its passphrase — inspected in a Web Worker, turned into a PFX there under a random password,
 * and imported through the same route as a PFX. The key never leaves the worker unencrypted.
 */
export function PemImportPanel({
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
  const [certFiles, setCertFiles] = useState<File[]>([]);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [inspection, setInspection] = useState<PemInspectResult | null>(null);
  const [inspecting, setInspecting] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  // About the name, files and passphrase it was given: changing any of them clears it (a refusal stays).
  const [error, setError] = useInputError([name, certFiles, keyFile, passphrase], isCertificateRefusal);

  const pending = useRef<{ key: string; promise: Promise<PemInspectResult | null> } | null>(null);
  const inspect = useCallback((certs: File[], key: File | null, pw: string) => {
    const id = [...certs, ...(key ? [key] : [])].map((f) => `${f.name}:${f.size}:${f.lastModified}`).join('|');
    const cacheKey = `${id}:${pw}`;
    if (pending.current?.key === cacheKey) return pending.current.promise;
    const promise = (async () => {
      try {
        const files = await readFiles(certs, key);
        const { inspectPemInWorker } = await import('@/lib/certs/inspect-in-worker');
        const result = await inspectPemInWorker(files, pw === '' ? null : pw);
        wipe(files);
        return result;
      } catch {
        return null;
      }
    })();
    pending.current = { key: cacheKey, promise };
    return promise;
  }, []);

  // Inspect whenever the files or the passphrase change (debounced for typing); the handlers below clear the last
  // result at once, so a stale inspection never shows next to new files.
  useEffect(() => {
    if (certFiles.length === 0 && !keyFile) return;
    let cancelled = false;
    const t = setTimeout(() => {
      void inspect(certFiles, keyFile, passphrase).then((result) => {
        if (cancelled) return;
        setInspection(result);
        setInspecting(false);
      });
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [certFiles, keyFile, passphrase, inspect]);

  const changed = (any: boolean) => {
    setInspection(null);
    setInspecting(any);
  };

  const busy = phase.kind !== 'idle';
  const chosen = certFiles.length > 0 || keyFile !== null;
  const canImport = Boolean(chosen && decision.usable && !busy && (inspecting || !inspection || inspection.importable));

  const refuse = (message: string, action: string) =>
    setError(new ApiError(0, { code: 'pfx_rejected', message, action: `${action} Nothing was sent to Key Vault.` }));

  const submit = async () => {
    if (!canImport) return;
    setError(null);
    const result = await inspect(certFiles, keyFile, passphrase);
    if (result && !result.importable) {
      const blocking = result.findings.find((f) => f.severity === 'error');
      refuse(
        blocking?.message ?? 'These files cannot be imported.',
        blocking?.action ?? 'Choose the certificate and its private key.',
      );
      return;
    }
    setPhase({ kind: 'building' });
    let pfx: Uint8Array | null = null;
    try {
      const files = await readFiles(certFiles, keyFile);
      const { buildPfxInWorker, randomPfxPassword } = await import('@/lib/certs/inspect-in-worker');
      const password = randomPfxPassword();
      const built = await buildPfxInWorker(files, { password, keyPassphrase: passphrase === '' ? null : passphrase });
      wipe(files);
      if (!built.ok) {
        setInspection(built.inspection);
        refuse(built.error.message, built.error.action);
        return;
      }
      pfx = built.pfx;
      const form = new FormData();
      form.set('file', new Blob([pfx as BlobPart], { type: 'application/x-pkcs12' }), 'from-pem.pfx');
      form.set('password', password);
      setPhase({ kind: 'uploading', fraction: 0 });
      const token = await getToken();
      const imported = await uploadWithProgress<CertificateSummary>(
        certificateApiPath(vault, name),
        form,
        token,
        (fraction) => setPhase({ kind: 'uploading', fraction }),
        () => setPhase({ kind: 'importing' }),
      );
      setPassphrase('');
      onDone(imported, { newVersion: decision.status?.status === 'exists' });
    } catch (e) {
      setError(e);
    } finally {
      pfx?.fill(0);
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
        id="pem-cert-files"
        label="Certificate files"
        help="The certificate with its chain, in any order: fullchain.pem (Let’s Encrypt), a .crt or .cer (PEM or DER) with the CA’s chain or .p7b — or one combined PEM that also holds the key."
        accept=".pem,.crt,.cer,.der,.p7b,.p7c,.key,application/x-pem-file,application/x-x509-ca-cert"
        multiple
        chosen={certFiles}
        onFiles={(list) => {
          setCertFiles(list);
          changed(list.length > 0 || keyFile !== null);
        }}
        testId="drop-zone-pem-certificates"
      />
      <FileDrop
        id="pem-key-file"
        label="Private key file"
        help="privkey.pem or the .key file from the certificate request (PKCS#8, PKCS#1 or EC, plain or encrypted). Leave empty when the certificate file above holds the key. It is read in your browser only."
        accept=".pem,.key,.der,.p8"
        chosen={keyFile ? [keyFile] : []}
        onFiles={(list) => {
          const f = list[0] ?? null;
          setKeyFile(f);
          changed(f !== null || certFiles.length > 0);
        }}
        testId="drop-zone-pem-key"
      />
      <div className="flex max-w-md flex-col text-sm">
        <label htmlFor="pem-key-passphrase" className="font-semibold">
          Key passphrase
        </label>
        <input
          id="pem-key-passphrase"
          type="password"
          className={INPUT_CLASS}
          value={passphrase}
          onChange={(e) => {
            setPassphrase(e.target.value);
            changed(certFiles.length > 0 || keyFile !== null);
          }}
          maxLength={1024}
          autoComplete="off"
          aria-describedby="pem-key-passphrase-help"
        />
        <span id="pem-key-passphrase-help" className="mt-1 text-xs text-neutral-700 dark:text-neutral-300">
          Only for an encrypted key (BEGIN ENCRYPTED PRIVATE KEY). Used in your browser to read the key; never sent.
        </span>
      </div>
      <div aria-live="polite">{inspecting && <p className="text-sm">Inspecting the files in your browser…</p>}</div>
      {inspection && (
        <>
          <PemDetails result={inspection} />
          <PfxInspection result={inspection} />
        </>
      )}
      <div className="space-y-2">
        <Button type="submit" disabled={!canImport}>
          {busy
            ? 'Importing…'
            : decision.status?.status === 'exists'
              ? `Build the PFX and import as a new version of ${name}`
              : 'Build the PFX and import into Key Vault'}
        </Button>
        {phase.kind === 'building' && (
          <Progress label="Building the PFX in your browser…" value={null} testId="import-progress" />
        )}
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
