'use client';

import { useEffect, useMemo, useState } from 'react';
import type { ResourceGroupSummary, VaultNameAvailability, VaultSummary } from '@/lib/api/types';
import { resourceGroupSchema, vaultNameSchema } from '@/lib/api/schemas';
import { REGIONS } from '@/lib/wizard/regions';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { SelectField, TextField } from '@/components/ui/field';
import { Progress } from '@/components/ui/progress';
import { useInputError } from '@/components/ui/use-input-error';
import { useApi, useApiCall } from '@/components/wizard/use-api';

const NEW_RG = '__new__';

/** "Create key vault" in the flow: name availability, resource group pick or create, region, permission model; deployment flag on. */
export function VaultCreatePanel({
  subscriptionId,
  onCreated,
  onCancel,
  initialLocation = 'westeurope',
}: {
  subscriptionId: string;
  /** The region to propose (the cloud service's, when the vault must be next to it). */
  initialLocation?: string;
  onCreated: (v: VaultSummary) => void;
  onCancel: () => void;
}) {
  const call = useApiCall();
  const sub = encodeURIComponent(subscriptionId);
  const groups = useApi<{ resourceGroups: ResourceGroupSummary[] }>(`/api/subscriptions/${sub}/resource-groups`);
  const [name, setName] = useState('');
  const [rg, setRg] = useState('');
  const [newRg, setNewRg] = useState('');
  const [location, setLocation] = useState(initialLocation);
  const [rbac, setRbac] = useState(true);
  const [availability, setAvailability] = useState<VaultNameAvailability | null>(null);
  const [availabilityError, setAvailabilityError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // About the name, group, region and model it was given: changing any of them clears it.
  const [error, setError] = useInputError([name, rg, newRg, location, rbac]);

  useEffect(() => {
    if (!rg && groups.data) setRg(groups.data.resourceGroups[0]?.name ?? NEW_RG);
    if (!rg && groups.error) setRg(NEW_RG);
  }, [groups.data, groups.error, rg]);

  const nameCheck = name ? vaultNameSchema.safeParse(name) : null;
  const nameError =
    nameCheck && !nameCheck.success ? `Name ${nameCheck.error.issues[0]?.message ?? 'is not valid'}.` : null;
  useEffect(() => {
    setAvailability(null);
    setAvailabilityError(null);
    if (!name || nameError) return;
    const t = setTimeout(() => {
      call<VaultNameAvailability>(`/api/subscriptions/${sub}/vaults/name-availability?name=${encodeURIComponent(name)}`)
        .then(setAvailability)
        .catch(setAvailabilityError);
    }, 350);
    return () => clearTimeout(t);
  }, [name, nameError, call, sub]);

  const creatingRg = rg === NEW_RG;
  const rgName = creatingRg ? newRg : rg;
  const rgCheck = creatingRg && newRg ? resourceGroupSchema.safeParse(newRg) : null;
  const rgError =
    rgCheck && !rgCheck.success ? `Resource group name ${rgCheck.error.issues[0]?.message ?? 'is not valid'}.` : null;
  const rgLocation = useMemo(() => groups.data?.resourceGroups.find((g) => g.name === rg)?.location, [groups.data, rg]);
  const ready = Boolean(name && !nameError && availability?.available && rgName && !rgError && !busy);

  const create = async () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const vault = await call<VaultSummary>(`/api/subscriptions/${sub}/vaults`, {
        method: 'POST',
        body: JSON.stringify({
          resourceGroup: rgName,
          vaultName: name,
          location,
          rbac,
          createResourceGroup: creatingRg,
        }),
      });
      onCreated(vault);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const nameHelp = availabilityError
    ? null
    : availability
      ? availability.available
        ? `✓ ${name} is available.`
        : `${availability.message ?? `${name} is already taken.`} Vault names are global: choose another.`
      : '3–24 letters, digits and hyphens. Vault names are global DNS names.';

  return (
    <section
      aria-labelledby="create-vault-title"
      className="space-y-4 rounded border border-azure-500 p-4"
      data-testid="create-vault-panel"
    >
      <h2 id="create-vault-title" className="text-lg font-semibold">
        Create a key vault
      </h2>
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <TextField
          label="Key vault name"
          value={name}
          onChange={(e) => setName(e.target.value.trim())}
          error={nameError ?? (availability && !availability.available ? nameHelp : null)}
          help={nameHelp}
          autoComplete="off"
          maxLength={24}
          required
        />
        <SelectField
          label="Region"
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          help="Use the cloud service’s region: CSES reads only from a vault in its own region."
        >
          {REGIONS.map((r) => (
            <option key={r.name} value={r.name}>
              {r.displayName} ({r.name})
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Resource group"
          value={rg}
          onChange={(e) => setRg(e.target.value)}
          disabled={!groups.data && !groups.error}
          help={rgLocation ? `Existing group in ${rgLocation}.` : undefined}
        >
          {groups.data?.resourceGroups.map((g) => (
            <option key={g.name} value={g.name}>
              {g.name}
            </option>
          ))}
          <option value={NEW_RG}>Create new…</option>
        </SelectField>
        {creatingRg && (
          <TextField
            label="New resource group name"
            value={newRg}
            onChange={(e) => setNewRg(e.target.value)}
            error={rgError}
            help={`Created in ${location}.`}
            autoComplete="off"
            maxLength={90}
            required
          />
        )}
        <fieldset className="text-sm sm:col-span-2">
          <legend className="font-semibold">Permission model</legend>
          <label className="mt-1 flex items-start gap-2">
            <input
              type="radio"
              name="permission-model"
              checked={rbac}
              onChange={() => setRbac(true)}
              className="mt-1"
            />
            <span>
              Azure role-based access control (recommended) — rights come from roles such as Key Vault Certificates
              Officer.
            </span>
          </label>
          <label className="mt-1 flex items-start gap-2">
            <input
              type="radio"
              name="permission-model"
              checked={!rbac}
              onChange={() => setRbac(false)}
              className="mt-1"
            />
            <span>Vault access policy — you get certificate and secret permissions on the new vault.</span>
          </label>
        </fieldset>
        <div className="flex items-start gap-2 text-sm sm:col-span-2">
          <input id="create-vault-deploy" type="checkbox" checked readOnly aria-readonly="true" className="mt-1" />
          <label htmlFor="create-vault-deploy">
            <span className="font-semibold">Azure Virtual Machines for deployment</span> — on, so Cloud Services
            (extended support) can read the certificate. Soft delete is on (90 days).
          </label>
        </div>
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={!ready}>
            {busy ? 'Creating…' : 'Create key vault'}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
      {busy && <Progress label={`Creating ${name} in ${location}…`} value={null} />}
      <ErrorCallout error={availabilityError} />
      <ErrorCallout error={groups.error} onRetry={groups.reload} />
      <ErrorCallout error={error} onRetry={create} />
      {groups.error ? (
        <Callout tone="info" title="You can still type a new resource group name: choose “Create new…”." />
      ) : null}
    </section>
  );
}
