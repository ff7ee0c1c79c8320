'use client';

import { useEffect, useRef, useState } from 'react';
import type { CertificateOperationSummary, CertificateSummary } from '@/lib/api/types';
import type { WizardVault } from '@/lib/wizard/state';
import { dnsNameSchema } from '@/lib/api/schemas';
import { certificateApiPath } from '@/lib/wizard/paths';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { ErrorCallout } from '@/components/ui/error-callout';
import { SelectField, TextField } from '@/components/ui/field';
import { Progress } from '@/components/ui/progress';
import { useInputError } from '@/components/ui/use-input-error';
import { useApiCall } from '@/components/wizard/use-api';
import { CertificateNameField, type NameDecision } from './name-field';
import { isCertificateRefusal } from './refusal-advice';

/** A self-signed certificate made by Key Vault (exportable key, PKCS#12), with progress while it works. */
export function GeneratePanel({
  vault,
  initialName,
  onDone,
}: {
  vault: WizardVault;
  initialName: string;
  onDone: (c: CertificateSummary, info: { newVersion: boolean }) => void;
}) {
  const call = useApiCall();
  const [name, setName] = useState(initialName);
  const [decision, setDecision] = useState<NameDecision>({ name: initialName, usable: false, status: null });
  const [dns, setDns] = useState('www.contoso.com');
  const [subject, setSubject] = useState('');
  const [months, setMonths] = useState(12);
  const [keyType, setKeyType] = useState<'RSA' | 'EC'>('RSA');
  const [keySize, setKeySize] = useState(2048);
  const [curve, setCurve] = useState<'P-256' | 'P-384'>('P-256');
  const [op, setOp] = useState<CertificateOperationSummary | null>(null);
  const [elapsed, setElapsed] = useState(0);
  // About the values it was given: changing any of them clears it (a refusal stays).
  const [error, setError] = useInputError([name, dns, subject, months, keyType, keySize, curve], isCertificateRefusal);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const dnsNames = dns.split(/[\s,]+/).filter(Boolean);
  const badDns = dnsNames.find((d) => !dnsNameSchema.safeParse(d).success);
  const effectiveSubject = subject || `CN=${dnsNames[0] ?? name}`;
  const ready = Boolean(decision.usable && !badDns && months >= 1 && months <= 120 && !busy);

  const poll = (started: number) => {
    timer.current = setTimeout(async () => {
      try {
        const next = await call<CertificateOperationSummary>(`${certificateApiPath(vault, name)}/operation`);
        setOp(next);
        setElapsed(Math.round((Date.now() - started) / 1000));
        if (next.status === 'completed' && next.certificate) {
          setBusy(false);
          onDone(next.certificate, { newVersion: decision.status?.status === 'exists' });
        } else if (next.status === 'inProgress') poll(started);
        else setBusy(false);
      } catch (e) {
        setError(e);
        setBusy(false);
      }
    }, 1000);
  };

  const create = async () => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    setOp(null);
    try {
      const body = {
        subject: effectiveSubject,
        dnsNames,
        validityMonths: months,
        keyType,
        ...(keyType === 'RSA' ? { keySize } : { curve }),
      };
      const first = await call<CertificateOperationSummary>(`${certificateApiPath(vault, name)}/operation`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      setOp(first);
      if (first.status === 'completed' && first.certificate) {
        setBusy(false);
        onDone(first.certificate, { newVersion: decision.status?.status === 'exists' });
      } else if (first.status === 'inProgress') poll(Date.now());
      else setBusy(false);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form
      className="grid max-w-3xl gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
    >
      <CertificateNameField vault={vault} name={name} onName={setName} onDecision={setDecision} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="DNS names"
          value={dns}
          onChange={(e) => setDns(e.target.value)}
          error={badDns ? `“${badDns}” is not a DNS name.` : null}
          help="Comma or space separated; the first one is the default subject."
        />
        <TextField
          label="Subject"
          value={subject}
          placeholder={effectiveSubject}
          onChange={(e) => setSubject(e.target.value)}
          help={`Default: ${effectiveSubject}`}
        />
        <TextField
          label="Validity (months)"
          type="number"
          min={1}
          max={120}
          value={months}
          onChange={(e) => setMonths(Number(e.target.value))}
        />
        <SelectField
          label="Key type"
          value={keyType}
          onChange={(e) => setKeyType(e.target.value as 'RSA' | 'EC')}
          help="RSA is what Remote Desktop and most CSES roles expect."
        >
          <option value="RSA">RSA</option>
          <option value="EC">EC (elliptic curve)</option>
        </SelectField>
        {keyType === 'RSA' ? (
          <SelectField label="Key size" value={keySize} onChange={(e) => setKeySize(Number(e.target.value))}>
            <option value={2048}>2048 bits</option>
            <option value={3072}>3072 bits</option>
            <option value={4096}>4096 bits</option>
          </SelectField>
        ) : (
          <SelectField label="Curve" value={curve} onChange={(e) => setCurve(e.target.value as 'P-256' | 'P-384')}>
            <option value="P-256">P-256</option>
            <option value="P-384">P-384</option>
          </SelectField>
        )}
      </div>
      <Callout tone="info" title="Exportable private key · content type PKCS#12 (application/x-pkcs12)">
        Both are what Cloud Services (extended support) needs; they are fixed here. Self-signed certificates suit test
        and internal endpoints, not public sites.
      </Callout>
      <div className="space-y-2">
        <Button type="submit" disabled={!ready}>
          {busy
            ? 'Creating…'
            : decision.status?.status === 'exists'
              ? `Create a new version of ${name}`
              : 'Create self-signed certificate'}
        </Button>
        {busy && (
          <Progress
            label={`Key Vault is creating the certificate… (${op?.status ?? 'starting'}${elapsed ? `, ${elapsed} s` : ''})`}
            value={null}
            testId="create-progress"
          />
        )}
        {op && op.status !== 'inProgress' && op.status !== 'completed' && (
          <Callout tone="error" title={`Key Vault reports the operation as ${op.status}.`}>
            {op.error ?? op.statusDetails ?? 'Try again, or choose another name.'}
          </Callout>
        )}
      </div>
      <ErrorCallout
        error={error}
        onRetry={ready && !isCertificateRefusal(error) ? create : undefined}
        hideAdvice={isCertificateRefusal(decision.error)}
      />
    </form>
  );
}
