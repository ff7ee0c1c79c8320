'use client';

import { useMemo, useState } from 'react';
import {
  isServiceConfigError,
  removeCsesLeftovers,
  type RemoveResult,
  type ServiceFileKind,
} from '@/lib/service-config';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { DownloadButton } from '@/components/ui/download-button';
import { DiffView } from './diff-view';

export interface ServiceFileText {
  name: string;
  text: string;
}

/** Where Remote Desktop comes from on Cloud Services (extended support): the RDP extension, which needs no certificate. */
export function RdpExtensionPointer() {
  return (
    <p className="text-sm" data-testid="rdp-extension">
      Cloud Services (extended support) give Remote Desktop through the <strong>RDP extension</strong> (publisher
      Microsoft.Windows.Azure.Extensions, type RDP), which takes a user name, password and expiry — no certificate and
      nothing in Key Vault. Add it in the portal (Remote Desktop) or with{' '}
      <code>New-AzCloudServiceRemoteDesktopExtensionObject</code> when you need Remote Desktop; do not import a
      certificate for it.
    </p>
  );
}

function cleaned(file: ServiceFileText): { result: RemoveResult } | { error: { message: string; action: string } } {
  try {
    return { result: removeCsesLeftovers(file.text) };
  } catch (e) {
    if (isServiceConfigError(e)) return { error: { message: e.message, action: e.action } };
    return { error: { message: 'The file could not be read.', action: 'Check that it is a .cscfg or .csdef file.' } };
  }
}

/**
 * The classic RemoteAccess / RemoteForwarder leftovers in service files (§5.1): what is there, and on request the
 * files without them — as a diff and a download, every other byte kept. Nothing is sent anywhere.
 */
export function LeftoversCleanup({
  files,
  onUse,
  note,
  listed = true,
}: {
  files: ServiceFileText[];
  /** Offer "use the cleaned file" (e.g. as the file the wizard then patches). */
  onUse?: (file: ServiceFileText, kind: ServiceFileKind) => void;
  note?: string;
  /** False where the page lists the leftovers itself. */
  listed?: boolean;
}) {
  const [shown, setShown] = useState(false);
  const results = useMemo(() => files.map((f) => ({ file: f, out: cleaned(f) })), [files]);
  const withLeftovers = results.filter((r) => 'result' in r.out && r.out.result.removed.length > 0);
  if (withLeftovers.length === 0) return null;
  return (
    <section aria-label="RemoteAccess leftovers cleanup" className="space-y-3" data-testid="leftovers-cleanup">
      {listed && (
        <h3 id="leftovers-title" className="text-base font-semibold">
          RemoteAccess leftovers
        </h3>
      )}
      {listed && (
        <Callout tone="warning" title="The classic Remote Desktop plugin is still configured.">
          <ul className="list-disc space-y-1 pl-5">
            {withLeftovers.flatMap(({ file, out }) =>
              'result' in out
                ? out.result.removed.map((i, k) => (
                    <li key={`${file.name}-${i.code}-${k}`}>
                      {file.name}: {i.message}
                    </li>
                  ))
                : [],
            )}
          </ul>
          <p className="mt-2">
            While the PasswordEncryption certificate stays in the .cscfg, the RP wants it in osProfile.secrets; the
            plugin imports in the .csdef are not supported. Remove them with the next package.
          </p>
        </Callout>
      )}
      {listed && <RdpExtensionPointer />}
      {!shown ? (
        <Button variant="secondary" onClick={() => setShown(true)}>
          Remove the RemoteAccess leftovers
        </Button>
      ) : (
        <div className="space-y-4">
          {withLeftovers.map(({ file, out }) =>
            'result' in out ? (
              <div key={file.name} className="space-y-2">
                <DiffView
                  before={file.text}
                  after={out.result.text}
                  label={`${file.name} without the leftovers`}
                  testId={`leftovers-diff-${out.result.kind}`}
                />
                <div className="flex flex-wrap gap-2">
                  <DownloadButton
                    filename={file.name}
                    text={out.result.text}
                    mime="application/xml"
                    label={`Download ${file.name} without the leftovers`}
                    testId={`leftovers-download-${out.result.kind}`}
                  />
                  {onUse && (
                    <Button
                      variant="secondary"
                      onClick={() => onUse({ name: file.name, text: out.result.text }, out.result.kind)}
                    >
                      Continue with the cleaned {file.name}
                    </Button>
                  )}
                </div>
              </div>
            ) : null,
          )}
          {note && <p className="text-sm">{note}</p>}
        </div>
      )}
      {results.map(({ file, out }) =>
        'error' in out ? (
          <Callout key={file.name} tone="error" title={`${file.name}: ${out.error.message}`}>
            {out.error.action}
          </Callout>
        ) : null,
      )}
    </section>
  );
}
