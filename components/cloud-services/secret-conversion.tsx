'use client';

import { useCallback, useEffect, useState } from 'react';
import type {
  CertificateSummary,
  CloudServiceDetail,
  RepointPlanRequest,
  RotationPlanResponse,
  UnbackedSecret,
  UnbackedSecretList,
} from '@/lib/api/types';
import { certificateNameSchema } from '@/lib/api/schemas';
import { parseVaultId, type CertificateRow } from '@/lib/cloud-services';
import type { ServiceLocator } from '@/lib/cloud-services/paths';
import type { WizardVault } from '@/lib/wizard/state';
import { vaultApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS } from '@/components/ui/field';
import { useApi, useApiCall } from '@/components/wizard/use-api';
import { useRepointPlan } from './use-repoint-plan';

const e = encodeURIComponent;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'unknown');

/** A readable certificate name from the subject's CN (migration secrets are named by thumbprint). */
export function suggestedName(s: UnbackedSecret): string {
  const cn = /CN=([^,]+)/.exec(s.subject ?? '')?.[1] ?? s.name;
  const name = cn
    .replace(/^\*\./, 'wildcard-')
    .replace(/[^0-9A-Za-z-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 127);
  return name || s.name;
}

type Converted = Record<string, { name: string; version: string; thumbprint: string }>;

function SecretRow({
  vault,
  secret,
  converted,
  onConverted,
}: {
  vault: WizardVault;
  secret: UnbackedSecret;
  converted: Converted[string] | undefined;
  onConverted: (c: CertificateSummary) => void;
}) {
  const call = useApiCall();
  const [name, setName] = useState(() => suggestedName(secret));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const parsed = certificateNameSchema.safeParse(name);
  const nameError = parsed.success ? null : `Name ${parsed.error.issues[0]?.message ?? 'is not valid'}.`;
  const inputId = `convert-name-${secret.name}`;

  const convert = async () => {
    setBusy(true);
    setError(null);
    try {
      const c = await call<CertificateSummary>(`${vaultApiPath(vault)}/secrets/${e(secret.name)}/convert`, {
        method: 'POST',
        body: JSON.stringify({ certificateName: name, ...(secret.version ? { version: secret.version } : {}) }),
      });
      onConverted(c);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      className="space-y-2 rounded border border-neutral-300 p-3 text-sm dark:border-neutral-700"
      data-testid="unbacked-secret"
      data-secret={secret.name}
      data-status={converted ? 'converted' : secret.status}
    >
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 text-xs">
        <dt className="font-semibold">Secret</dt>
        <dd className="break-all">{secret.name}</dd>
        <dt className="font-semibold">Subject</dt>
        <dd className="break-all">{secret.subject ?? 'unknown'}</dd>
        <dt className="font-semibold">Thumbprint</dt>
        <dd className="font-mono break-all">{secret.thumbprint ?? 'unknown'}</dd>
        <dt className="font-semibold">Expires</dt>
        <dd>{day(secret.notAfter)}</dd>
      </dl>
      {converted ? (
        <p data-testid="converted">
          ✓ Now certificate <strong>{converted.name}</strong>, version {converted.version}.
        </p>
      ) : secret.status === 'certificate' ? (
        <p>
          Already a certificate: {secret.certificate!.name} (version {secret.certificate!.version}) has this thumbprint.
        </p>
      ) : secret.status === 'convertible' ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="flex flex-col">
            <label htmlFor={inputId} className="font-semibold">
              Certificate name
            </label>
            <input
              id={inputId}
              className={INPUT_CLASS}
              value={name}
              maxLength={127}
              onChange={(ev) => setName(ev.target.value)}
              aria-invalid={nameError ? true : undefined}
            />
          </div>
          <Button onClick={() => void convert()} disabled={busy || nameError !== null}>
            {busy ? 'Converting…' : `Convert ${secret.name.slice(0, 8)}… to a certificate`}
          </Button>
          {nameError && <p className="w-full text-red-800 dark:text-red-300">{nameError}</p>}
        </div>
      ) : (
        <Callout tone="error" title={secret.problem?.message ?? 'This secret could not be read.'}>
          {secret.problem?.action}
        </Callout>
      )}
      <ErrorCallout error={error} onRetry={() => void convert()} />
    </li>
  );
}

function VaultSecrets({
  vault,
  converted,
  onConverted,
  onList,
}: {
  vault: WizardVault;
  converted: Converted;
  onConverted: (secret: UnbackedSecret, c: CertificateSummary) => void;
  onList: (list: UnbackedSecretList) => void;
}) {
  const list = useApi<UnbackedSecretList>(`${vaultApiPath(vault)}/unbacked-secrets`);
  // The parent matches entries to these secrets by thumbprint; told once per answer, after rendering.
  useEffect(() => {
    if (list.data) onList(list.data);
  }, [list.data, onList]);
  return (
    <div className="space-y-2">
      <h3 className="text-base font-semibold">{vault.vaultName}</h3>
      <ErrorCallout error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <p className="text-sm">Reading the vault’s PKCS#12 secrets on the server…</p>}
      {list.data && list.data.secrets.length === 0 && (
        <p className="text-sm">No PKCS#12 secret without a certificate in this vault.</p>
      )}
      <ul className="space-y-2">
        {list.data?.secrets.map((s) => (
          <SecretRow
            key={s.name}
            vault={vault}
            secret={s}
            converted={converted[`${vault.vaultName}/${s.name}`.toLowerCase()]}
            onConverted={(c) => onConverted(s, c)}
          />
        ))}
      </ul>
    </div>
  );
}

/**
 * The migration's plain PKCS#12 secrets (§6.1) behind this service's osProfile entries: listed with what they hold
 * (read on the server), converted to certificates on the server, then one plan that points every such entry at its
 * certificate version — applied like a rotation, with roll back.
 */
export function SecretConversion({
  locator,
  detail,
  onPlanned,
}: {
  locator: ServiceLocator;
  detail: CloudServiceDetail;
  onPlanned: (response: RotationPlanResponse, request: RepointPlanRequest) => void;
}) {
  const [converted, setConverted] = useState<Converted>({});
  const [lists, setLists] = useState<Record<string, UnbackedSecretList>>({});
  const { plan: requestPlan, planning, error } = useRepointPlan(locator, onPlanned);
  const onList = useCallback(
    (l: UnbackedSecretList) => setLists((m) => ({ ...m, [l.vault.name.toLowerCase()]: l })),
    [],
  );
  const plain = detail.report.rows.filter((r): r is CertificateRow & { entry: NonNullable<CertificateRow['entry']> } =>
    Boolean(r.status === 'not-certificate' && r.entry),
  );
  if (plain.length === 0) return null;
  const vaults = new Map<string, WizardVault>();
  for (const r of plain) {
    const p = parseVaultId(r.entry.vaultId);
    if (p)
      vaults.set(p.id.toLowerCase(), {
        subscriptionId: p.subscriptionId,
        resourceGroup: p.resourceGroup,
        vaultName: p.name,
      });
  }
  // Each plain entry and the certificate version with its thumbprint (converted now, or found in the vault).
  const entries = [...new Map(plain.map((r) => [r.entry.certificateUrl, r])).values()].map((r) => {
    const vault = [...vaults.values()].find((v) => v.vaultName.toLowerCase() === r.entry.vaultName.toLowerCase());
    const list = vault ? lists[vault.vaultName.toLowerCase()] : undefined;
    const secret = list?.secrets.find((s) => s.thumbprint === r.normalizedThumbprint);
    const done = Object.values(converted).find((c) => c.thumbprint === r.normalizedThumbprint);
    const target = done ?? (secret?.certificate ? { ...secret.certificate, thumbprint: secret.thumbprint! } : null);
    return { row: r, vault, target };
  });
  const ready = entries.every((x) => x.vault && x.target);

  const plan = () =>
    requestPlan({
      moves: entries.map((x) => ({
        from: x.row.entry.certificateUrl,
        to: { vault: x.vault!, certificateName: x.target!.name, version: x.target!.version },
      })),
    });

  return (
    <section aria-labelledby="convert-title" className="space-y-3" data-testid="secret-conversion">
      <h2 id="convert-title" className="text-lg font-semibold">
        Certificates the migration left as secrets
      </h2>
      <p className="text-sm">
        {plain.length === 1 ? 'One osProfile entry points' : `${plain.length} osProfile entries point`} at plain PKCS#12
        secrets, as the classic migration stored them. The next update is refused until they point at Key Vault
        certificates. Convert each secret (this app reads it and imports it as a certificate on the server, on your
        behalf; its bytes never reach your browser or a disk; the secret stays as it is), then plan the change of
        osProfile.secrets and apply it. For the RemoteAccess PasswordEncryption certificate this only keeps the service
        updatable until the next package removes it (see RemoteAccess leftovers).
      </p>
      {[...vaults.values()].map((v) => (
        <VaultSecrets
          key={v.vaultName}
          vault={v}
          converted={converted}
          onList={onList}
          onConverted={(s, c) =>
            setConverted((m) => ({
              ...m,
              [`${v.vaultName}/${s.name}`.toLowerCase()]: {
                name: c.name,
                version: c.version,
                thumbprint: c.thumbprint,
              },
            }))
          }
        />
      ))}
      <div className="space-y-2">
        <Button onClick={() => void plan()} disabled={!ready || planning} data-testid="plan-repoint">
          {planning ? 'Planning…' : 'Plan: point osProfile.secrets at the certificates'}
        </Button>
        {!ready && (
          <p className="text-sm text-neutral-700 dark:text-neutral-300">
            Convert every secret listed above first ({entries.filter((x) => x.target).length} of {entries.length}{' '}
            ready).
          </p>
        )}
        <ErrorCallout error={error} />
      </div>
    </section>
  );
}
