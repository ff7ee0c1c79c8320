'use client';

import { useEffect, useState } from 'react';
import type { CertificateNameStatus, CertificateSummary } from '@/lib/api/types';
import type { WizardVault } from '@/lib/wizard/state';
import { certificateNameSchema } from '@/lib/api/schemas';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { TextField } from '@/components/ui/field';
import { useInputError } from '@/components/ui/use-input-error';
import { useApiCall } from '@/components/wizard/use-api';

export interface NameDecision {
  name: string;
  /** True when the name may be used now: free, or taken and the user chose "add a new version". */
  usable: boolean;
  status: CertificateNameStatus | null;
  /** Why the availability check failed (e.g. a refusal), when it did. */
  error?: unknown;
}

/**
 * The certificate name with validation and availability: a taken name asks "add a new version or choose another";
 * a deleted-but-recoverable name offers recovery.
 */
export function CertificateNameField({
  vault,
  name,
  onName,
  onDecision,
  preferNewVersion = false,
}: {
  vault: WizardVault;
  name: string;
  onName: (n: string) => void;
  onDecision: (d: NameDecision) => void;
  preferNewVersion?: boolean;
}) {
  const call = useApiCall();
  const [status, setStatus] = useState<CertificateNameStatus | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [newVersion, setNewVersion] = useState(preferNewVersion);
  const [recovering, setRecovering] = useState(false);
  const [recoverError, setRecoverError] = useInputError([name]);
  const [nonce, setNonce] = useState(0);

  const parsed = name ? certificateNameSchema.safeParse(name) : null;
  const nameError = parsed && !parsed.success ? `Name ${parsed.error.issues[0]?.message ?? 'is not valid'}.` : null;

  useEffect(() => {
    setStatus(null);
    setError(null);
    if (!name || nameError) return;
    let cancelled = false;
    setChecking(true);
    const t = setTimeout(() => {
      call<CertificateNameStatus>(`${certificateApiPath(vault, name)}/availability`)
        .then((s) => !cancelled && setStatus(s))
        .catch((e: unknown) => !cancelled && setError(e))
        .finally(() => !cancelled && setChecking(false));
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [name, nameError, vault, call, nonce]);

  useEffect(() => {
    const usable = Boolean(
      name &&
      !nameError &&
      (status?.status === 'available' || (status?.status === 'exists' && newVersion) || (!status && error)),
    );
    onDecision({ name, usable, status, error });
  }, [name, nameError, status, newVersion, error, onDecision]);

  const recover = async () => {
    setRecovering(true);
    setRecoverError(null);
    try {
      await call<CertificateSummary>(`${certificateApiPath(vault, name)}/recover`, { method: 'POST' });
      setNewVersion(false);
      setNonce((n) => n + 1);
    } catch (e) {
      setRecoverError(e);
    } finally {
      setRecovering(false);
    }
  };

  const help = checking
    ? 'Checking the name…'
    : status?.status === 'available'
      ? `✓ ${name} is free in ${vault.vaultName}.`
      : '1–127 letters, digits and hyphens.';

  return (
    <div className="space-y-2">
      <TextField
        label="Certificate name in Key Vault"
        name="certificateName"
        value={name}
        onChange={(e) => onName(e.target.value)}
        error={nameError}
        help={help}
        autoComplete="off"
        maxLength={127}
        required
      />
      <div aria-live="polite">
        {status?.status === 'exists' && (
          <fieldset className="rounded border border-amber-500 p-3 text-sm" data-testid="name-exists">
            <legend className="px-1 font-semibold">
              {name} already exists
              {status.expiresOn ? ` (current version expires ${status.expiresOn.slice(0, 10)})` : ''}.
            </legend>
            <label className="mt-1 flex items-start gap-2">
              <input
                type="radio"
                name="existing-name"
                checked={newVersion}
                onChange={() => setNewVersion(true)}
                className="mt-1"
              />
              <span>Add a new version of {name} (the current version stays; deployments pin versions)</span>
            </label>
            <label className="mt-1 flex items-start gap-2">
              <input
                type="radio"
                name="existing-name"
                checked={!newVersion}
                onChange={() => {
                  setNewVersion(false);
                  onName('');
                }}
                className="mt-1"
              />
              <span>Choose another name</span>
            </label>
          </fieldset>
        )}
        {status?.status === 'deleted-recoverable' && (
          <div className="space-y-2 rounded border border-amber-500 p-3 text-sm" data-testid="name-deleted">
            <p className="font-semibold">
              A deleted certificate named {name} is still held by the vault
              {status.scheduledPurgeDate ? ` until ${status.scheduledPurgeDate.slice(0, 10)}` : ''}, so the name cannot
              be reused yet.
            </p>
            <p>Recover it (with all its versions) and then add a new version, or choose another name.</p>
            <Button variant="secondary" onClick={recover} disabled={recovering}>
              {recovering ? 'Recovering…' : `Recover ${name}`}
            </Button>
          </div>
        )}
      </div>
      <ErrorCallout error={error} onRetry={() => setNonce((n) => n + 1)} />
      <ErrorCallout error={recoverError} onRetry={recover} />
    </div>
  );
}
