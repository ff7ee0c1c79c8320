'use client';

import { useMemo, useState } from 'react';
import type { CertificateVersionItem } from '@/lib/api/types';
import { KNOWN_STORE_NAMES, STORE_LOCATIONS } from '@/lib/service-config';
import { vaultApiPath } from '@/lib/wizard/paths';
import { deriveServiceConfiguration, type ServiceFile } from '@/lib/wizard/service-configuration';
import { Callout } from '@/components/ui/callout';
import { CopyField } from '@/components/ui/copy-field';
import { DownloadButton } from '@/components/ui/download-button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS, SelectField, TextField } from '@/components/ui/field';
import { FileDrop } from '@/components/ui/file-drop';
import { StatusBadge } from '@/components/ui/status-badge';
import { useApi } from '@/components/wizard/use-api';
import { StepNav } from '@/components/wizard/step-nav';
import { useWizardState } from '@/components/wizard/wizard-state';
import { DiffView } from './service/diff-view';
import { LeftoversCleanup } from './service/leftovers-cleanup';
import { ThumbprintTable } from './service/thumbprint-table';
import { useWizardCertificate } from './use-certificate';

const SERVICE_FILE_MAX = 5 * 1024 * 1024;

export function ServiceConfigurationStep() {
  const { state, update } = useWizardState();
  const cert = useWizardCertificate();
  const c = cert.data;
  const svc = state.service;
  const [rolesText, setRolesText] = useState((svc?.roles ?? []).join(', '));
  const [alias, setAlias] = useState(svc?.name ?? '');
  const storeLocation = svc?.storeLocation ?? 'LocalMachine';
  const storeName = svc?.storeName ?? 'My';
  const [cscfg, setCscfg] = useState<ServiceFile | null>(null);
  const [csdef, setCsdef] = useState<ServiceFile | null>(null);
  const [pasted, setPasted] = useState('');
  const serviceFiles = useMemo(() => [cscfg, csdef].filter((f): f is ServiceFile => f !== null), [cscfg, csdef]);
  const versions = useApi<{ versions: CertificateVersionItem[] }>(
    cscfg || pasted.trim() ? `${vaultApiPath(state.vault!)}/certificates?include=versions` : null,
  );
  const d = useMemo(
    () =>
      deriveServiceConfiguration({
        certificate: c ?? null,
        rolesText,
        alias,
        storeLocation,
        storeName,
        cscfg,
        csdef,
        pasted,
        vaultVersions: versions.data?.versions ?? null,
      }),
    [c, rolesText, alias, storeLocation, storeName, cscfg, csdef, pasted, versions.data],
  );
  const { lines, cscfgSnippet, csdefSnippet, patchedCscfg, patchedCsdef, thumbprintChecks, pastedChecks, consistency } =
    d;

  const save = (patch: { roles?: string[]; name?: string; storeLocation?: string; storeName?: string }) =>
    update({ service: { roles: d.typedRoles, ...(alias ? { name: alias } : {}), storeLocation, storeName, ...patch } });

  const read = (set: (u: ServiceFile | null) => void) => async (files: File[]) => {
    const file = files[0];
    set(file ? { name: file.name, text: await file.text() } : null);
  };
  const shown = (f: ServiceFile | null) => (f ? [{ name: f.name, size: new TextEncoder().encode(f.text).length }] : []);

  return (
    <div className="mt-4 space-y-5">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        The <code>.cscfg</code> names the certificate by thumbprint in each role; the <code>.csdef</code> declares the
        same name with the store it goes into. Upload your files to have them patched, or copy the lines.
      </p>
      <ErrorCallout error={cert.error} onRetry={cert.reload} />
      {c && (
        <>
          <div className="grid max-w-4xl gap-4 sm:grid-cols-2">
            <TextField
              label="Role names"
              value={rolesText}
              onChange={(e) => setRolesText(e.target.value)}
              onBlur={() => save({})}
              help={d.rolesHelp}
            />
            <TextField
              label="Certificate name in the service files"
              value={alias}
              placeholder={c.name}
              onChange={(e) => setAlias(e.target.value)}
              onBlur={() => save({})}
              help={`Default: ${c.name}. Must match in .cscfg and .csdef.`}
            />
            <SelectField
              label="Store location"
              value={storeLocation}
              onChange={(e) => save({ storeLocation: e.target.value })}
            >
              {STORE_LOCATIONS.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </SelectField>
            <SelectField
              label="Store name"
              value={storeName}
              onChange={(e) => save({ storeName: e.target.value })}
              help="My (Personal) is where IIS and RDP look."
            >
              {KNOWN_STORE_NAMES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </SelectField>
          </div>
          {lines && (
            <div className="grid gap-3">
              <CopyField label=".cscfg line" value={lines.cscfg} testId="cscfg-line" />
              <CopyField label=".csdef line" value={lines.csdef} testId="csdef-line" />
            </div>
          )}
          <h2 className="text-lg font-semibold">In context, per role</h2>
          {cscfgSnippet && 'text' in cscfgSnippet ? (
            <CopyField
              label=".cscfg certificate"
              value={cscfgSnippet.text.trimEnd()}
              multiline
              testId="cscfg-snippet"
            />
          ) : cscfgSnippet ? (
            <Callout tone="error" title={cscfgSnippet.error.message}>
              {cscfgSnippet.error.action}
            </Callout>
          ) : null}
          {csdefSnippet && 'text' in csdefSnippet ? (
            <CopyField
              label=".csdef certificate"
              value={csdefSnippet.text.trimEnd()}
              multiline
              testId="csdef-snippet"
            />
          ) : csdefSnippet ? (
            <Callout tone="error" title={csdefSnippet.error.message}>
              {csdefSnippet.error.action}
            </Callout>
          ) : null}

          <section aria-labelledby="upload-title" className="space-y-4">
            <h2 id="upload-title" className="text-lg font-semibold">
              Patch your files
            </h2>
            <div className="grid max-w-4xl gap-4 sm:grid-cols-2">
              <FileDrop
                id="upload-cscfg"
                label="Service configuration (.cscfg)"
                accept=".cscfg,.xml,text/xml"
                maxBytes={SERVICE_FILE_MAX}
                chosen={shown(cscfg)}
                onFiles={(files) => void read(setCscfg)(files)}
                testId="drop-zone-cscfg"
              />
              <FileDrop
                id="upload-csdef"
                label="Service definition (.csdef)"
                accept=".csdef,.xml,text/xml"
                maxBytes={SERVICE_FILE_MAX}
                chosen={shown(csdef)}
                onFiles={(files) => void read(setCsdef)(files)}
                testId="drop-zone-csdef"
              />
            </div>
            <p className="text-xs text-neutral-700 dark:text-neutral-300">
              The files are read and patched in your browser; they are not uploaded anywhere.
            </p>
            {d.noRoleToPatch && <Callout tone="warning" title="No role to patch: type the role names above." />}
            {[
              { file: cscfg, patched: patchedCscfg, label: '.cscfg', id: 'cscfg' },
              { file: csdef, patched: patchedCsdef, label: '.csdef', id: 'csdef' },
            ].map(({ file, patched, label, id }) =>
              file && patched ? (
                'error' in patched ? (
                  <Callout
                    key={id}
                    tone="error"
                    title={`${file.name}: ${patched.error.message}`}
                    testId={`patch-error-${id}`}
                  >
                    {patched.error.action}
                  </Callout>
                ) : (
                  <div key={id} className="space-y-2">
                    <DiffView
                      before={file.text}
                      after={patched.text}
                      label={`${file.name} (${label})`}
                      testId={`diff-${id}`}
                    />
                    <DownloadButton
                      filename={file.name}
                      text={patched.text}
                      mime="application/xml"
                      label={`Download patched ${file.name}`}
                      testId={`download-${id}`}
                    />
                  </div>
                )
              ) : null,
            )}
            <LeftoversCleanup
              files={serviceFiles}
              onUse={(f, kind) => (kind === 'cscfg' ? setCscfg(f) : setCsdef(f))}
              note="Continue with the cleaned file to have the certificate patched into it as well; the download above holds only the removal."
            />
            {consistency && consistency.length > 0 && (
              <section aria-label=".cscfg and .csdef consistency" className="space-y-1">
                <h3 className="text-sm font-semibold">.cscfg ↔ .csdef</h3>
                <ul className="space-y-1 text-sm">
                  {consistency.map((i, k) => (
                    <li key={k} className="flex items-start gap-2">
                      <StatusBadge status={i.severity === 'error' ? 'fail' : 'warn'} />
                      <span>
                        {i.message} <span className="text-neutral-700 dark:text-neutral-300">Fix: {i.action}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </section>

          {cscfg && (
            <section aria-labelledby="check-title" className="space-y-2">
              <h2 id="check-title" className="text-lg font-semibold">
                Thumbprints in {cscfg.name} against {state.vault!.vaultName}
              </h2>
              <ErrorCallout error={versions.error} onRetry={versions.reload} />
              {versions.loading && !versions.data && (
                <p className="text-sm">Reading the vault’s certificate versions…</p>
              )}
              {thumbprintChecks && 'error' in thumbprintChecks ? (
                <Callout tone="error" title={thumbprintChecks.error.message}>
                  {thumbprintChecks.error.action}
                </Callout>
              ) : thumbprintChecks ? (
                <ThumbprintTable checks={thumbprintChecks.certificates} />
              ) : null}
            </section>
          )}

          <section aria-labelledby="paste-check-title" className="space-y-2">
            <h2 id="paste-check-title" className="text-lg font-semibold">
              Check thumbprints without a file
            </h2>
            <div className="flex max-w-3xl flex-col text-sm">
              <label htmlFor="paste-thumbprints" className="font-semibold">
                Thumbprints to check against {state.vault!.vaultName}
              </label>
              <textarea
                id="paste-thumbprints"
                rows={4}
                className={`${INPUT_CLASS} font-mono text-xs`}
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                aria-describedby="paste-thumbprints-help"
              />
              <span id="paste-thumbprints-help" className="mt-1 text-xs text-neutral-700 dark:text-neutral-300">
                One per line (or separated by commas), as copied from the certificate dialog, a pipeline or a .cscfg
                line. Checked in your browser against every version in the vault, as the uploaded .cscfg is.
              </span>
            </div>
            {!cscfg && <ErrorCallout error={versions.error} onRetry={versions.reload} />}
            {pasted.trim() && versions.loading && !versions.data && (
              <p className="text-sm">Reading the vault’s certificate versions…</p>
            )}
            {pastedChecks && <ThumbprintTable checks={pastedChecks} source="pasted" />}
          </section>
        </>
      )}
      <StepNav step="service-configuration" nextDisabled={!c} />
    </div>
  );
}
