'use client';

import { useMemo, useState } from 'react';
import {
  migrationReportFileName,
  migrationReportHtml,
  migrationReportMarkdown,
  planMigration,
  type MigrationOptions,
  type MigrationPlan,
  type MigrationSource,
} from '@/lib/cloud-services';
import {
  MIGRATION_FORMAT_LABELS,
  MIGRATION_FORMAT_MIME,
  MIGRATION_FORMATS,
  MIGRATION_TARGET_LABELS,
  MIGRATION_TARGETS,
  migrationFileName,
  type MigrationFormat,
  type MigrationTarget,
} from '@/lib/snippets';
import { Callout } from '@/components/ui/callout';
import { DownloadButton } from '@/components/ui/download-button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { FileDrop } from '@/components/ui/file-drop';
import { Tabs } from '@/components/ui/tabs';
import { useApi } from '@/components/wizard/use-api';

const SEVERITY: Record<MigrationPlan['blockers'][number]['severity'], { label: string; className: string }> = {
  blocker: { label: 'Blocker', className: 'bg-red-700 text-white' },
  warning: { label: 'Check', className: 'bg-amber-300 text-amber-950' },
  drop: { label: 'Drop', className: 'bg-neutral-300 text-neutral-900' },
};
const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function FileField({
  id,
  label,
  file,
  onFile,
}: {
  id: string;
  label: string;
  file: { name: string; text: string } | null;
  onFile: (f: { name: string; text: string } | null) => void;
}) {
  return (
    <FileDrop
      id={id}
      label={label}
      accept=".csdef,.cscfg,.xml,text/xml"
      maxBytes={5 * 1024 * 1024}
      chosen={file ? [{ name: file.name, size: new TextEncoder().encode(file.text).length }] : []}
      onFiles={(files) => {
        const f = files[0];
        if (!f) return onFile(null);
        void f.text().then((text) => onFile({ name: f.name, text }));
      }}
      testId={`drop-zone-${id}`}
    />
  );
}

/** The Migrate tab: every certificate of the service mapped to a successor, its blockers, checklist and outputs. */
export function MigratePanel({ api, serviceName }: { api: string; serviceName: string }) {
  const source = useApi<MigrationSource>(`${api}/migration`);
  const [target, setTarget] = useState<MigrationTarget>('vmss');
  const [format, setFormat] = useState<MigrationFormat>('arm');
  const [csdef, setCsdef] = useState<{ name: string; text: string } | null>(null);
  const [cscfg, setCscfg] = useState<{ name: string; text: string } | null>(null);
  const [polling, setPolling] = useState('3600');
  const [linkOnRenewal, setLinkOnRenewal] = useState(true);
  const [client, setClient] = useState('');
  const [clientBy, setClientBy] = useState<'thumbprint' | 'commonName'>('thumbprint');

  const pollingOk = /^\d{1,6}$/.test(polling) && Number(polling) >= 60;
  const plan = useMemo(() => {
    if (!source.data) return null;
    const [role, name] = client ? client.split('\n') : [];
    const options: MigrationOptions = {
      target,
      csdef: csdef?.text ?? null,
      cscfg: cscfg?.text ?? null,
      pollingIntervalInS: pollingOk ? Number(polling) : 3600,
      linkOnRenewal,
      clientCertificate: role && name ? { role, name, by: clientBy } : null,
    };
    return planMigration(source.data, options);
  }, [source.data, target, csdef, cscfg, polling, pollingOk, linkOnRenewal, client, clientBy]);

  const must = plan?.blockers.filter((b) => b.severity === 'blocker').length ?? 0;
  return (
    <section aria-labelledby="migrate-title" className="space-y-4" data-testid="migrate-panel">
      <div>
        <h2 id="migrate-title" className="text-lg font-semibold">
          Migrate off Cloud Services (extended support)
        </h2>
        <p className="text-sm text-neutral-700 dark:text-neutral-300">
          Cloud Services (extended support) retire on 2027-03-31 and there is no one-click migration. Pick the
          successor: each certificate is carried with the store the .csdef gives it, and the identities and access it
          needs are listed in the order to create them.
        </p>
      </div>
      <ErrorCallout error={source.error} onRetry={source.reload} />
      {source.loading && !source.data && (
        <p className="text-sm" role="status">
          Reading the certificates’ keys and signatures…
        </p>
      )}
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Successor</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {MIGRATION_TARGETS.map((t) => (
            <label key={t} className="flex items-center gap-1">
              <input
                type="radio"
                name="migration-target"
                value={t}
                checked={target === t}
                onChange={() => setTarget(t)}
              />
              {MIGRATION_TARGET_LABELS[t]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid max-w-4xl gap-4 sm:grid-cols-2">
        <FileField id="migrate-csdef" label="Service definition (.csdef)" file={csdef} onFile={setCsdef} />
        <FileField id="migrate-cscfg" label="Other .cscfg (optional)" file={cscfg} onFile={setCscfg} />
      </div>
      {target === 'kv-extension' && (
        <div className="flex flex-wrap items-center gap-6 text-sm">
          <label className="flex items-center gap-2">
            <span className="font-semibold">Polling interval (seconds)</span>
            <input
              className="w-24 rounded border border-neutral-500 px-1 dark:bg-neutral-900"
              value={polling}
              inputMode="numeric"
              aria-invalid={!pollingOk}
              aria-describedby="polling-help"
              onChange={(e) => setPolling(e.target.value.trim())}
            />
          </label>
          <span id="polling-help" className={pollingOk ? 'text-neutral-700 dark:text-neutral-300' : 'text-red-700'}>
            {pollingOk
              ? 'How often the extension checks the vaults.'
              : 'Give whole seconds, at least 60; 3600 is used.'}
          </span>
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={linkOnRenewal} onChange={(e) => setLinkOnRenewal(e.target.checked)} />
            linkOnRenewal (IIS bindings follow the renewed certificate)
          </label>
        </div>
      )}
      {target === 'sf-managed' && plan && (
        <div className="flex flex-wrap items-center gap-4 text-sm">
          <label className="flex items-center gap-2">
            <span className="font-semibold">Cluster client certificate</span>
            <select
              className="rounded border border-neutral-500 px-1 dark:bg-neutral-900"
              value={client}
              onChange={(e) => setClient(e.target.value)}
            >
              <option value="">None yet</option>
              {plan.certificates
                .filter((c) => c.included)
                .map((c) => (
                  <option key={`${c.role}/${c.name}`} value={`${c.role}\n${c.name}`}>
                    {c.role}/{c.name}
                  </option>
                ))}
            </select>
          </label>
          <fieldset className="flex items-center gap-3">
            <legend className="sr-only">Trust the client certificate by</legend>
            {(['thumbprint', 'commonName'] as const).map((b) => (
              <label key={b} className="flex items-center gap-1">
                <input
                  type="radio"
                  name="client-by"
                  checked={clientBy === b}
                  onChange={() => setClientBy(b)}
                  disabled={!client}
                />
                by {b === 'thumbprint' ? 'thumbprint' : 'common name'}
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {plan && (
        <>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Certificates to carry">
            <table className="w-full text-left text-sm" data-testid="migration-table">
              <caption className="sr-only">Every certificate of every role and where the successor puts it</caption>
              <thead className="border-b border-neutral-300 dark:border-neutral-700">
                <tr>
                  {['Role', 'Certificate', 'Store (.csdef)', 'Vault / version', 'Expires', 'Key', 'Mapping'].map(
                    (h) => (
                      <th key={h} scope="col" className="py-2 pr-3">
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {plan.certificates.map((c) => (
                  <tr
                    key={`${c.role}/${c.name}`}
                    className="border-b border-neutral-200 align-top dark:border-neutral-800"
                    data-testid="migration-row"
                    data-role={c.role}
                    data-certificate={c.name}
                    data-included={c.included}
                  >
                    <td className="py-2 pr-3 font-semibold">{c.role}</td>
                    <td className="py-2 pr-3 break-all">{c.name}</td>
                    <td className="py-2 pr-3" data-testid="migration-store">
                      {c.storeLocation}/{c.storeName}
                      {c.storeFrom === 'default' && <span className="block text-xs">assumed (no .csdef)</span>}
                    </td>
                    <td className="py-2 pr-3">
                      {c.vaultName ?? '—'} / {c.secretName ?? '—'}
                      <span className="block font-mono text-xs break-all">{c.version ?? '—'}</span>
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      {date(c.expiresOn)}
                      {c.daysLeft !== null && <span className="block text-xs">{c.daysLeft} days</span>}
                    </td>
                    <td className="py-2 pr-3 text-xs">
                      {c.key ?? '—'}
                      {c.signatureAlgorithm && <span className="block">{c.signatureAlgorithm}</span>}
                    </td>
                    <td className="max-w-sm py-2 pr-3 [overflow-wrap:anywhere]" data-testid="migration-mapping">
                      {c.mapping}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <section aria-labelledby="blockers-title" className="space-y-2">
            <h3 id="blockers-title" className="font-semibold" data-testid="migration-verdict">
              {must ? `${must} blocker${must === 1 ? '' : 's'} before the move` : 'No blockers'}
            </h3>
            {plan.blockers.length > 0 && (
              <ul className="space-y-1 text-sm">
                {plan.blockers.map((b, i) => (
                  <li
                    key={`${b.id}-${i}`}
                    data-testid="migration-blocker"
                    data-blocker={b.id}
                    data-severity={b.severity}
                    data-certificate={b.certificate ? `${b.role}/${b.certificate}` : ''}
                  >
                    <span
                      className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY[b.severity].className}`}
                    >
                      {SEVERITY[b.severity].label}
                    </span>
                    {b.message} <span className="text-neutral-700 dark:text-neutral-300">Fix: {b.fix}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="access-title" className="space-y-1 text-sm">
            <h3 id="access-title" className="font-semibold">
              Identities and access
            </h3>
            {plan.identities.length === 0 ? (
              <p>
                No identity: the platform reads the vaults itself (they need “Azure Virtual Machines for deployment”).
              </p>
            ) : (
              <ul className="list-disc pl-5" data-testid="migration-grants">
                {plan.identities.map((i) => (
                  <li key={i.name}>
                    <span className="font-semibold">{i.name}</span> — {i.note}
                  </li>
                ))}
                {plan.grants.map((g) => (
                  <li key={`${g.principal}/${g.vaultId}`} data-testid="migration-grant" data-how={g.how}>
                    {g.principal} on {g.vaultName}: {g.how === 'rbac' ? `role ${g.what}` : `access policy ${g.what}`}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="checklist-title" className="space-y-1 text-sm">
            <h3 id="checklist-title" className="font-semibold">
              Checklist, in order
            </h3>
            <ol className="list-decimal space-y-1 pl-5" data-testid="migration-checklist">
              {plan.checklist.map((c) => (
                <li key={c.title}>
                  <span className="font-semibold">{c.title}.</span> {c.detail}
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="output-title" className="space-y-2">
            <h3 id="output-title" className="font-semibold">
              Output for {plan.targetLabel}
            </h3>
            {plan.outputError && (
              <Callout tone="warning" title={plan.outputError.message} testId="migration-output-error">
                {plan.outputError.action}
              </Callout>
            )}
            {plan.outputs && (
              <Tabs
                label="Output format"
                tabs={MIGRATION_FORMATS.map((f) => ({ id: f, label: MIGRATION_FORMAT_LABELS[f] }))}
                selected={format}
                onSelect={setFormat}
              >
                <div className="mb-2 flex flex-wrap gap-2">
                  <DownloadButton
                    filename={migrationFileName(serviceName, target, format)}
                    text={plan.outputs[format]}
                    mime={MIGRATION_FORMAT_MIME[format]}
                    testId="migration-download-output"
                  />
                </div>
                <pre
                  className="max-h-[28rem] overflow-auto rounded border border-neutral-300 bg-neutral-50 p-2 text-xs dark:border-neutral-700 dark:bg-neutral-900"
                  data-testid="migration-output"
                  data-format={format}
                  tabIndex={0}
                >
                  {plan.outputs[format]}
                </pre>
              </Tabs>
            )}
          </section>

          <section aria-labelledby="report-title" className="space-y-2">
            <h3 id="report-title" className="font-semibold">
              Migration report
            </h3>
            <p className="text-sm">
              Every certificate with its health and mapping, the blockers, access and checklist, and the{' '}
              {MIGRATION_FORMAT_LABELS[format]} output — to attach to the change request.
            </p>
            <div className="flex flex-wrap gap-2">
              <DownloadButton
                filename={migrationReportFileName(plan, 'markdown')}
                text={migrationReportMarkdown(plan, format)}
                mime="text/markdown"
                label="Download the report (Markdown)"
                testId="migration-report-markdown"
              />
              <DownloadButton
                filename={migrationReportFileName(plan, 'html')}
                text={migrationReportHtml(plan, format)}
                mime="text/html"
                label="Download the printable report (HTML)"
                testId="migration-report-html"
              />
            </div>
          </section>
        </>
      )}
    </section>
  );
}
