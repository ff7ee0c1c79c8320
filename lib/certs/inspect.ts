/**
 * inspectPfx: read a PFX/PKCS#12 file and say whether Key Vault (and the Cloud Services guest) will accept it.
 * Never throws for bad input; every problem is a finding with a stable code. This file only routes the input: a PFX
 * (inspect-pfx.ts: decrypt.ts, pfx-findings.ts, chain.ts, checks.ts), PEM text (pem-input.ts), base64 of a PFX, or
 * something else (detect.ts).
 */
import type { InspectResult } from './types';
import { err, emptyResult, sortFindings } from './findings';
import { base64ToBytes } from './pem';
import { MAX_PFX_BYTES } from './limits';
import { decodeText } from './detect';
import { inspectDer } from './inspect-pfx';
import { inspectPemText } from './pem-input';

export { MAX_PFX_BYTES, MAX_ITERATIONS, MAX_TOTAL_ITERATIONS, KEY_VAULT_MAX_CHARS } from './limits';

export interface InspectOptions {
  /** Clock for validity checks (tests). */
  now?: Date;
}

export async function inspectPfx(
  bytes: Uint8Array,
  password: string | null,
  options: InspectOptions = {},
): Promise<InspectResult> {
  try {
    let input: unknown = bytes;
    if (input instanceof ArrayBuffer) input = new Uint8Array(input);
    if (!(input instanceof Uint8Array)) {
      return emptyResult([err('empty-file', 'No file content was given.', 'Choose the .pfx file again.')]);
    }
    return await inspectBytes(input, typeof password === 'string' ? password : null, options.now ?? new Date(), 0);
  } catch (e) {
    const msg = e instanceof Error ? e.message : 'unexpected error';
    return emptyResult([
      err('corrupt', `The file could not be read (${msg}).`, 'Export the PFX again from the original source.'),
    ]);
  }
}

async function inspectBytes(
  bytes: Uint8Array,
  password: string | null,
  now: Date,
  depth: number,
): Promise<InspectResult> {
  if (bytes.length === 0)
    return emptyResult([
      err(
        'empty-file',
        'The file is empty (0 bytes).',
        'Choose the .pfx file itself; if it was copied or downloaded, copy it again.',
      ),
    ]);
  if (bytes.length > MAX_PFX_BYTES)
    return emptyResult([
      err(
        'too-large',
        `The file is ${formatSize(bytes.length)}; the limit is ${formatSize(MAX_PFX_BYTES)} (${MAX_PFX_BYTES} bytes). A certificate PFX is normally 2–20 KiB.`,
        'Make sure this is the certificate PFX (not a backup or archive); export only the certificate, its key and its chain.',
      ),
    ]);
  if (bytes[0] === 0x30) return inspectDer(bytes, password, now);
  return inspectText(bytes, password, now, depth);
}

function formatSize(n: number): string {
  return n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} KiB` : `${n} bytes`;
}

async function inspectText(
  bytes: Uint8Array,
  password: string | null,
  now: Date,
  depth: number,
): Promise<InspectResult> {
  const text = decodeText(bytes);
  if (text.includes('-----BEGIN ')) return inspectPemText(text, now);
  const trimmed = text.replace(/^\ufeff|^\xef\xbb\xbf/, '').trim();
  if (depth === 0 && trimmed.length >= 64 && /^[A-Za-z0-9+/=\s_-]+$/.test(trimmed)) {
    let decoded: Uint8Array | null = null;
    try {
      decoded = base64ToBytes(trimmed.replace(/-/g, '+').replace(/_/g, '/'));
    } catch {
      decoded = null;
    }
    if (decoded && decoded[0] === 0x30) {
      const inner = await inspectBytes(decoded, password, now, depth + 1);
      const what = inner.detected?.format === 'pkcs12' ? 'a PFX' : 'binary data';
      inner.findings = sortFindings([
        err(
          'not-pkcs12',
          `Detected: base64. The file is base64 text that encodes ${what} (as Key Vault secrets and some portals hand it out), not the binary PFX.`,
          'Decode it first: `base64 -d cert.txt > cert.pfx` (Linux/macOS) or `[IO.File]::WriteAllBytes("cert.pfx", [Convert]::FromBase64String((Get-Content cert.txt -Raw)))` (PowerShell), then choose cert.pfx.',
        ),
        ...inner.findings,
      ]);
      inner.importable = false;
      inner.detected = { format: 'base64', canBuildPfx: false };
      return inner;
    }
  }
  return emptyResult(
    [
      err(
        'not-pkcs12',
        'Detected: unknown. This is not a PFX/PKCS#12 file (nor a PEM or DER certificate).',
        'Choose the .pfx (or .p12) file that contains the certificate and its private key.',
      ),
    ],
    'unknown',
  );
}
