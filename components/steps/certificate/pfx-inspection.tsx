'use client';

import { useId, type ReactNode } from 'react';
import type { CertInfo, Finding, InspectResult } from '@/lib/certs/types';
import { StatusBadge } from '@/components/ui/status-badge';

const DAY = 86_400_000;
const fmt = (iso: string) => iso.slice(0, 10);
const cn = (dn: string) => /CN=([^,]+)/.exec(dn)?.[1] ?? dn;

function keyText(c: CertInfo) {
  const k = c.publicKey;
  return k.type === 'RSA' ? `RSA ${k.bits ?? '?'} bits` : k.type === 'EC' ? `EC ${k.curve ?? ''}` : 'other key';
}

function CertNode({ cert, role }: { cert: CertInfo; role: string }) {
  return (
    <div className="rounded border border-neutral-300 p-2 text-sm dark:border-neutral-700">
      <p className="font-semibold">
        <span className="mr-2 rounded bg-neutral-200 px-1.5 py-0.5 text-xs font-bold text-neutral-900 dark:bg-neutral-700 dark:text-neutral-100">
          {role}
        </span>
        {cn(cert.subject)}
      </p>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-4 text-xs">
        <dt className="font-semibold">Subject</dt>
        <dd className="break-all">{cert.subject}</dd>
        <dt className="font-semibold">Issuer</dt>
        <dd className="break-all">{cert.selfSigned ? 'Self-signed' : cert.issuer}</dd>
        <dt className="font-semibold">Thumbprint</dt>
        <dd className="font-mono break-all" data-testid={role === 'Leaf' ? 'inspect-thumbprint' : undefined}>
          {cert.thumbprint}
        </dd>
        <dt className="font-semibold">Key, signature</dt>
        <dd>
          {keyText(cert)}, {cert.signatureAlgorithm}
        </dd>
        {cert.sans.dns.length > 0 && (
          <>
            <dt className="font-semibold">DNS names</dt>
            <dd className="break-all">{cert.sans.dns.join(', ')}</dd>
          </>
        )}
        <dt className="font-semibold">Valid</dt>
        <dd>
          {fmt(cert.notBefore)} to {fmt(cert.notAfter)}
        </dd>
      </dl>
    </div>
  );
}

/** Leaf first, then its issuers: each one nested under the certificate it signed. */
function ChainTree({ leaf, chain }: { leaf: CertInfo; chain: CertInfo[] }) {
  const nodes = [
    { cert: leaf, role: 'Leaf' },
    ...chain.map((c) => ({ cert: c, role: c.selfSigned ? 'Root' : 'Intermediate' })),
  ];
  const render = (i: number): ReactNode => {
    const n = nodes[i];
    if (!n) return null;
    return (
      <li>
        <CertNode cert={n.cert} role={n.role} />
        {i + 1 < nodes.length && (
          <ul className="ml-4 mt-2 border-l-2 border-neutral-300 pl-4 dark:border-neutral-700">{render(i + 1)}</ul>
        )}
      </li>
    );
  };
  return (
    <ul aria-label="Certificate chain, leaf first" data-testid="chain-tree">
      {render(0)}
    </ul>
  );
}

/** Each certificate's validity as a bar on one time axis, with today marked. */
export function ValidityTimeline({
  certs,
  now = new Date(),
}: {
  certs: Array<{ label: string; notBefore: string; notAfter: string }>;
  now?: Date;
}) {
  if (certs.length === 0) return null;
  const starts = certs.map((c) => Date.parse(c.notBefore));
  const ends = certs.map((c) => Date.parse(c.notAfter));
  const min = Math.min(...starts, now.getTime() - 30 * DAY);
  const max = Math.max(...ends, now.getTime() + 30 * DAY);
  const pos = (t: number) => ((t - min) / (max - min)) * 100;
  const today = pos(now.getTime());
  return (
    <figure className="space-y-1" data-testid="validity-timeline">
      <figcaption className="text-sm font-semibold">Validity (today: {now.toISOString().slice(0, 10)})</figcaption>
      <div className="relative space-y-2 rounded border border-neutral-300 p-3 pt-6 dark:border-neutral-700">
        <div
          className="absolute top-0 bottom-0 w-0.5 bg-red-700 dark:bg-red-400"
          style={{ left: `calc(${today}% )` }}
          aria-hidden="true"
        >
          <span className="absolute -top-0 left-1 text-xs font-bold text-red-800 dark:text-red-300">Today</span>
        </div>
        {certs.map((c, i) => {
          const s = starts[i]!;
          const e = ends[i]!;
          const expired = e < now.getTime();
          const daysLeft = Math.floor((e - now.getTime()) / DAY);
          const tone = expired || s > now.getTime() ? 'bg-red-600' : daysLeft < 30 ? 'bg-amber-400' : 'bg-green-600';
          return (
            <div key={`${c.label}-${i}`} className="text-xs">
              <span className="relative z-10 bg-white pr-1 dark:bg-neutral-900">
                <span className="font-semibold">{c.label}</span> {fmt(c.notBefore)} → {fmt(c.notAfter)} (
                {expired ? 'expired' : s > now.getTime() ? 'not yet valid' : `${daysLeft} days left`})
              </span>
              <div className="relative mt-0.5 h-2 rounded bg-neutral-200 dark:bg-neutral-700" aria-hidden="true">
                <div
                  className={`absolute h-2 rounded ${tone}`}
                  style={{ left: `${pos(s)}%`, width: `${Math.max(1, pos(e) - pos(s))}%` }}
                />
              </div>
            </div>
          );
        })}
      </div>
    </figure>
  );
}

const SEVERITY = [
  { key: 'error', title: 'Errors — must be fixed before import', badge: 'fail' },
  { key: 'warning', title: 'Warnings', badge: 'warn' },
  { key: 'info', title: 'Information', badge: 'info' },
] as const;

export function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0)
    return <p className="text-sm">No findings: the file looks ready for Key Vault and CSES.</p>;
  return (
    <div className="space-y-3" data-testid="findings">
      {SEVERITY.map((s) => {
        const list = findings.filter((f) => f.severity === s.key);
        if (list.length === 0) return null;
        return (
          <section key={s.key} aria-label={s.title}>
            <h3 className="text-sm font-semibold">
              {s.title} ({list.length})
            </h3>
            <ul className="mt-1 space-y-1">
              {list.map((f, i) => (
                <li
                  key={`${f.code}-${i}`}
                  className="flex items-start gap-2 text-sm"
                  data-testid={`finding-${f.severity}`}
                  data-code={f.code}
                >
                  <StatusBadge status={s.badge} />
                  <span>
                    {f.message} <span className="text-neutral-700 dark:text-neutral-300">Fix: {f.action}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** What the browser found in the file, before anything is sent. */
export function PfxInspection({ result }: { result: InspectResult }) {
  // Straight under the step's title (h1); the PFX and PEM tabs can both hold one, so the id is per instance.
  const titleId = useId();
  return (
    <section
      aria-labelledby={titleId}
      className="space-y-4 rounded border border-neutral-300 p-4 dark:border-neutral-700"
      data-testid="inspection"
    >
      <h2 id={titleId} className="text-base font-semibold">
        Inspection (in your browser — nothing has been sent){' '}
        <StatusBadge
          status={result.importable ? 'pass' : 'fail'}
          label={result.importable ? 'Ready to import' : 'Cannot be imported'}
          testId="inspection-verdict"
        />
      </h2>
      <Findings findings={result.findings} />
      {result.leaf && (
        <>
          <ChainTree leaf={result.leaf} chain={result.chain} />
          <ValidityTimeline
            certs={[result.leaf, ...result.chain].map((c, i) => ({
              label: i === 0 ? `Leaf ${cn(c.subject)}` : cn(c.subject),
              notBefore: c.notBefore,
              notAfter: c.notAfter,
            }))}
          />
        </>
      )}
    </section>
  );
}
