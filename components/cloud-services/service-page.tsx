'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  ApplyRequest,
  ApplyResponse,
  CloudServiceDetail,
  CloudServiceOperation,
  RepointPlanRequest,
  RotationPlanRequest,
  RotationPlanResponse,
} from '@/lib/api/types';
import type { CertificateRow, RollbackRecord } from '@/lib/cloud-services';
import { cloudServicesPage, rollbackStorageKey, serviceApi, type ServiceLocator } from '@/lib/cloud-services/paths';
import { ApiError } from '@/lib/api/client';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { DownloadButton } from '@/components/ui/download-button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { FileDrop, type ChosenFile } from '@/components/ui/file-drop';
import { Progress } from '@/components/ui/progress';
import { useApi, useApiCall } from '@/components/wizard/use-api';
import { Blade, COMMAND } from './blade';
import { CertificateTable } from './certificate-table';
import { HealthBadge } from './health-badge';
import { PlanView } from './plan-view';
import { RotatePanel } from './rotate-panel';
import { SecretConversion } from './secret-conversion';
import { ServiceCopy } from './service-copy';
import { VaultGates } from './vault-gate';
import { MigratePanel } from './migrate-panel';
import { Tabs } from '@/components/ui/tabs';
import {
  LeftoversCleanup,
  RdpExtensionPointer,
  type ServiceFileText,
} from '@/components/steps/service/leftovers-cleanup';

type Pending =
  | { kind: 'rotate'; request: RotationPlanRequest }
  | { kind: 'repoint'; request: RepointPlanRequest }
  | { kind: 'rollback'; record: RollbackRecord };
type Phase =
  | { kind: 'idle' }
  | { kind: 'applying' }
  | { kind: 'running'; operation: string; started: number; seconds: number }
  | { kind: 'done'; status: CloudServiceOperation['status']; what: RotationPlanResponse['plan']['kind'] };

function loadRecord(serviceId: string): RollbackRecord | null {
  try {
    const raw = sessionStorage.getItem(rollbackStorageKey(serviceId));
    return raw ? (JSON.parse(raw) as RollbackRecord) : null;
  } catch {
    return null;
  }
}

function saveRecord(serviceId: string, record: RollbackRecord | null) {
  try {
    if (record) sessionStorage.setItem(rollbackStorageKey(serviceId), JSON.stringify(record));
    else sessionStorage.removeItem(rollbackStorageKey(serviceId));
  } catch {
    // storage unavailable: the record is still offered as a download
  }
}

/** One running cloud service: its certificates, vault gate, leftovers; rotate, apply, follow, roll back, export. */
export function ServicePage({ locator }: { locator: ServiceLocator }) {
  const api = serviceApi(locator);
  const detail = useApi<CloudServiceDetail>(api);
  const call = useApiCall();
  const [rotating, setRotating] = useState<CertificateRow | null>(null);
  const [plan, setPlan] = useState<{ response: RotationPlanResponse; pending: Pending } | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(null);
  const [record, setRecord] = useState<RollbackRecord | null>(null);
  const [view, setView] = useState<'certificates' | 'migrate'>('certificates');
  const [migrateOpened, setMigrateOpened] = useState(false);
  const [csdef, setCsdef] = useState<ServiceFileText | null>(null);
  // The roll-back record file last chosen, and why it could not be used: shown with the file input, gone on the next choice.
  const [rollbackFile, setRollbackFile] = useState<ChosenFile | null>(null);
  const [rollbackFileError, setRollbackFileError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pendingRecord = useRef<RollbackRecord | null>(null);
  const serviceId = detail.data?.report.service.id;

  useEffect(() => {
    if (serviceId) setRecord(loadRecord(serviceId));
  }, [serviceId]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const poll = useCallback(
    function follow(operation: string, started: number, what: RotationPlanResponse['plan']['kind'], first = false) {
      timer.current = setTimeout(
        async () => {
          try {
            const op = await call<CloudServiceOperation>(`${api}/operations/${operation}`);
            if (op.status === 'InProgress') {
              setPhase({ kind: 'running', operation, started, seconds: Math.round((Date.now() - started) / 1000) });
              follow(operation, started, what);
              return;
            }
            if (op.detail) detail.setData(op.detail);
            setPhase({ kind: 'done', status: op.status, what });
            if (op.status !== 'Succeeded' && pendingRecord.current) {
              if (serviceId) saveRecord(serviceId, record);
              pendingRecord.current = null;
            }
            if (op.status === 'Succeeded') {
              setPlan(null);
              setRotating(null);
              if (pendingRecord.current && serviceId) {
                saveRecord(serviceId, pendingRecord.current);
                setRecord(pendingRecord.current);
              }
              if (what === 'rollback' && serviceId) {
                saveRecord(serviceId, null);
                setRecord(null);
              }
            } else if (op.error) {
              setError(new ApiError(400, { ...op.error, code: op.error.code as never }));
            }
          } catch (e) {
            setError(e);
            setPhase({ kind: 'idle' });
          }
        },
        first ? 500 : 1000,
      );
    },
    [api, call, detail, serviceId, record],
  );

  const apply = async () => {
    if (!plan || !serviceId) return;
    setError(null);
    setPhase({ kind: 'applying' });
    const expect = plan.response.plan.fingerprint.before;
    const body: ApplyRequest =
      plan.pending.kind === 'rollback'
        ? { kind: 'rollback', record: plan.pending.record, expect }
        : plan.pending.kind === 'repoint'
          ? { kind: 'repoint', request: plan.pending.request, expect }
          : { kind: 'rotate', request: plan.pending.request, expect };
    try {
      const r = await call<ApplyResponse>(`${api}/apply`, { method: 'POST', body: JSON.stringify(body) });
      // The record is kept once the change is in place (a failed operation leaves the service as it was).
      pendingRecord.current = plan.pending.kind === 'rollback' ? null : r.rollback;
      // Stored at once, so a tab closed mid-operation still has it; put back if the operation fails.
      if (pendingRecord.current) saveRecord(serviceId, pendingRecord.current);
      const started = Date.now();
      setPhase({ kind: 'running', operation: r.operation, started, seconds: 0 });
      poll(r.operation, started, plan.response.plan.kind, true);
    } catch (e) {
      setError(e);
      setPhase({ kind: 'idle' });
    }
  };

  // A repoint plan from the copy or the secret-conversion panel replaces whatever rotation was being prepared.
  const planned = (response: RotationPlanResponse, request: RepointPlanRequest) => {
    setRotating(null);
    setError(null);
    setPhase({ kind: 'idle' });
    setPlan({ response, pending: { kind: 'repoint', request } });
  };

  const planRollback = async (r: RollbackRecord) => {
    setError(null);
    setRotating(null);
    try {
      const response = await call<RotationPlanResponse>(`${api}/rollback-plan`, {
        method: 'POST',
        body: JSON.stringify({ record: r }),
      });
      setPlan({ response, pending: { kind: 'rollback', record: r } });
      setPhase({ kind: 'idle' });
    } catch (e) {
      setError(e);
    }
  };

  const loadFile = async (file: File | undefined) => {
    setRollbackFileError(null);
    setRollbackFile(file ? { name: file.name, size: file.size } : null);
    if (!file || !serviceId) return;
    try {
      const r = JSON.parse(await file.text()) as RollbackRecord;
      if (typeof r.serviceId !== 'string' || r.serviceId.toLowerCase() !== serviceId.toLowerCase()) {
        throw new Error('other service');
      }
      saveRecord(serviceId, r);
      setRecord(r);
    } catch {
      setRollbackFileError(
        `${file.name} is not a roll-back record of this cloud service. Choose the cses-rollback JSON file that was downloaded after applying a change to this service.`,
      );
    }
  };

  const readCsdef = async (file: File | undefined) => {
    setCsdef(file ? { name: file.name, text: await file.text() } : null);
  };

  const busy = phase.kind === 'applying' || phase.kind === 'running';
  const d = detail.data;
  const r = d?.report;
  // The files the RemoteAccess cleanup reads, kept while they are the same so it parses them only when they change.
  const configuration = r?.service.configuration;
  const cleanupFiles = useMemo(
    () => [
      ...(typeof configuration === 'string'
        ? [{ name: `${locator.cloudServiceName}.cscfg`, text: configuration }]
        : []),
      ...(csdef ? [csdef] : []),
    ],
    [configuration, locator.cloudServiceName, csdef],
  );
  return (
    <Blade
      crumbs={[
        { label: 'Home', href: '/wizard/vault' },
        { label: 'Cloud services', href: cloudServicesPage(locator.subscriptionId) },
        { label: locator.cloudServiceName },
      ]}
      title={locator.cloudServiceName}
      subtitle={`Cloud service (extended support) · ${locator.resourceGroup}`}
      commands={
        <button type="button" className={COMMAND} onClick={detail.reload} disabled={detail.loading || busy}>
          <span aria-hidden="true">↻</span> Refresh
        </button>
      }
    >
      <div className="space-y-6">
        <ErrorCallout error={detail.error} onRetry={detail.reload} />
        {detail.loading && !d && (
          <p className="text-sm" role="status">
            Reading the service, its vaults and your rights…
          </p>
        )}
        {d && r && (
          <>
            <section
              aria-label="Summary"
              className="flex flex-wrap items-center gap-3 text-sm"
              data-testid="service-summary"
            >
              <HealthBadge status={r.health.status} label={r.health.label} testId="service-health" />
              <span>{r.health.summary}</span>
              <span className="text-neutral-700 dark:text-neutral-300">
                {r.service.location} · provisioning {r.service.provisioningState ?? 'unknown'} · roles{' '}
                {r.service.roles.join(', ')}
              </span>
            </section>
            {d.canWrite === false && (
              <Callout tone="info" title="You can read this service but not update it." testId="read-only">
                Plan a rotation to see exactly what would change, then use Export to hand it to someone with the
                Contributor role on the service (and deploy rights on its vaults).
              </Callout>
            )}
            {r.configurationError && (
              <Callout tone="error" title={r.configurationError.message}>
                {r.configurationError.action}
              </Callout>
            )}
            <Tabs
              label="Service views"
              tabs={[
                { id: 'certificates', label: 'Certificates' },
                { id: 'migrate', label: 'Migrate' },
              ]}
              selected={view}
              onSelect={(v) => {
                setView(v);
                if (v === 'migrate') setMigrateOpened(true);
              }}
            >
              {/* Both views stay mounted once opened: a tab switch keeps what was uploaded, chosen and read. */}
              {migrateOpened && (
                <div hidden={view !== 'migrate'}>
                  <MigratePanel api={api} serviceName={locator.cloudServiceName} />
                </div>
              )}
              {
                <div hidden={view !== 'certificates'} className="space-y-6">
                  <section aria-labelledby="certs-title" className="space-y-2">
                    <h2 id="certs-title" className="text-lg font-semibold">
                      Certificates by role
                    </h2>
                    <p className="text-sm text-neutral-700 dark:text-neutral-300">
                      Each .cscfg certificate is matched to the osProfile.secrets entry whose Key Vault version has the
                      same thumbprint — never by name.
                    </p>
                    <CertificateTable
                      rows={r.rows}
                      busy={busy}
                      onRotate={(row) => {
                        setPlan(null);
                        setError(null);
                        setPhase({ kind: 'idle' });
                        setRotating(row);
                      }}
                    />
                    {r.unused.length > 0 && (
                      <Callout tone="info" title="osProfile.secrets entries no .cscfg certificate uses">
                        <ul className="list-disc pl-5">
                          {r.unused.map((u) => (
                            <li key={u.certificateUrl} className="break-all">
                              {u.certificateUrl} {u.thumbprint ? `(thumbprint ${u.thumbprint})` : ''}
                            </li>
                          ))}
                        </ul>
                        They are installed on every instance but nothing refers to them; a rotation keeps them.
                      </Callout>
                    )}
                  </section>
                  {!plan && <ServiceCopy locator={locator} detail={d} onPlanned={planned} />}
                  {!plan && <SecretConversion locator={locator} detail={d} onPlanned={planned} />}
                  {rotating && !plan && (
                    <RotatePanel
                      key={`${rotating.role}/${rotating.name}`}
                      detail={d}
                      row={rotating}
                      onPlanned={(response, request) => setPlan({ response, pending: { kind: 'rotate', request } })}
                      onCancel={() => setRotating(null)}
                    />
                  )}
                  {plan && (
                    <PlanView
                      response={plan.response}
                      canWrite={d.canWrite}
                      applying={busy}
                      onApply={() => void apply()}
                      onCancel={() => {
                        setPlan(null);
                        setPhase({ kind: 'idle' });
                      }}
                    />
                  )}
                  <div aria-live="polite">
                    {phase.kind === 'applying' && (
                      <Progress label="Sending the update to Azure…" value={null} testId="apply-progress" />
                    )}
                    {phase.kind === 'running' && (
                      <Progress
                        label={`Azure is updating the cloud service… (${phase.seconds} s; the roles pick up the change as it rolls through the update domains)`}
                        value={null}
                        testId="apply-progress"
                      />
                    )}
                    {phase.kind === 'done' && phase.status === 'Succeeded' && (
                      <Callout
                        tone="success"
                        title={
                          phase.what === 'rollback'
                            ? 'Rolled back: the service has its previous certificates again.'
                            : 'Applied: the service now uses the new version.'
                        }
                        testId="apply-success"
                      >
                        The table above was read again from Azure.
                      </Callout>
                    )}
                  </div>
                  <ErrorCallout error={error} />
                  <section aria-labelledby="rollback-title" className="space-y-2" data-testid="rollback">
                    <h2 id="rollback-title" className="text-lg font-semibold">
                      Roll back
                    </h2>
                    {record ? (
                      <div className="space-y-2 text-sm">
                        <p data-testid="rollback-description">
                          Last change from this tab: {record.description} (
                          {record.createdAt.slice(0, 16).replace('T', ' ')} UTC)
                        </p>
                        <div className="flex flex-wrap gap-2">
                          <Button variant="secondary" onClick={() => void planRollback(record)} disabled={busy}>
                            Roll back this change…
                          </Button>
                          <DownloadButton
                            filename={`cses-rollback-${locator.cloudServiceName}.json`}
                            text={`${JSON.stringify(record, null, 2)}\n`}
                            mime="application/json"
                            label="Download the roll-back record"
                          />
                        </div>
                      </div>
                    ) : (
                      <p className="text-sm">
                        No change was applied from this tab. A downloaded roll-back record can be loaded:
                      </p>
                    )}
                    <FileDrop
                      id="rollback-file"
                      label="Load a roll-back record"
                      accept="application/json,.json"
                      maxBytes={1024 * 1024}
                      chosen={rollbackFile ? [rollbackFile] : []}
                      onFiles={(files) => void loadFile(files[0])}
                      error={rollbackFileError}
                      testId="drop-zone-rollback"
                    />
                  </section>
                  <section aria-labelledby="gate-title" className="space-y-2">
                    <h2 id="gate-title" className="text-lg font-semibold">
                      Vault gate
                    </h2>
                    <VaultGates gates={r.gates} />
                  </section>
                  <section aria-labelledby="rdp-title" className="space-y-2" data-testid="remote-access">
                    <h2 id="rdp-title" className="text-lg font-semibold">
                      RemoteAccess leftovers
                    </h2>
                    {r.remoteAccess.length === 0 ? (
                      <p className="text-sm">
                        None: no RemoteAccess or RemoteForwarder plugin settings or certificate.
                      </p>
                    ) : (
                      <Callout
                        tone="warning"
                        title="The classic Remote Desktop plugin is still configured."
                        testId="remote-access-leftovers"
                      >
                        <ul className="list-disc space-y-1 pl-5">
                          {r.remoteAccess.map((x, i) => (
                            <li key={`${x.code}-${i}`}>{x.message}</li>
                          ))}
                        </ul>
                        <p className="mt-2">
                          While the PasswordEncryption certificate stays in the .cscfg, the RP still wants it in
                          osProfile.secrets, and the plugin imports in the .csdef are not supported. Remove them with
                          the next package (below, or cses-cert cscfg remove-leftovers); never import a certificate for
                          RDP.
                        </p>
                      </Callout>
                    )}
                    {r.remoteAccess.length > 0 && r.service.configuration && (
                      <>
                        <RdpExtensionPointer />
                        <FileDrop
                          id="leftovers-csdef"
                          label="The service definition (.csdef) of the package, to clean it too (optional)"
                          help="ARM keeps only the .cscfg; the .csdef is in your package. Read in your browser, never uploaded."
                          accept=".csdef,.xml,text/xml"
                          maxBytes={5 * 1024 * 1024}
                          chosen={
                            csdef ? [{ name: csdef.name, size: new TextEncoder().encode(csdef.text).length }] : []
                          }
                          onFiles={(files) => void readCsdef(files[0])}
                          testId="drop-zone-leftovers-csdef"
                        />
                        <LeftoversCleanup
                          listed={false}
                          files={cleanupFiles}
                          note="Deploy the cleaned files with your next package (with the RDP extension if you need Remote Desktop); the PasswordEncryption entry can then leave osProfile.secrets."
                        />
                      </>
                    )}
                  </section>
                </div>
              }
            </Tabs>
          </>
        )}
      </div>
    </Blade>
  );
}
