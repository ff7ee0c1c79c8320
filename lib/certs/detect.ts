/**
 * What a file is when it is not a PFX: text (UTF-8/Latin-1 or UTF-16 as PowerShell writes it), base64 of a PFX, a DER
 * certificate, a truncated or damaged PFX, a PKCS#7 bundle or a lone key.
 */
import type { InspectResult } from './types';
import { DerError, parse, T, oid as oidOf } from './der';
import { parseCertificate } from './x509';
import { err, emptyResult, sortFindings } from './findings';
import { assemble } from './chain';

/**
 * Bytes → text. UTF-16 (Windows PowerShell 5 writes it with `>` and Out-File) is recognised by its BOM or by NUL
 * bytes in every other position; anything else is read as Latin-1 (PEM and base64 are ASCII).
 */
export function decodeText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let enc: 'utf-16le' | 'utf-16be' | null = null;
  if (b0 === 0xff && b1 === 0xfe) enc = 'utf-16le';
  else if (b0 === 0xfe && b1 === 0xff) enc = 'utf-16be';
  else if (bytes.length >= 4 && bytes.length % 2 === 0) {
    let evenNul = 0;
    let oddNul = 0;
    const n = Math.min(bytes.length, 512);
    for (let i = 0; i < n; i++) {
      if (bytes[i] !== 0) continue;
      if (i % 2) oddNul++;
      else evenNul++;
    }
    if (oddNul > n / 2 - 4 && evenNul === 0) enc = 'utf-16le';
    else if (evenNul > n / 2 - 4 && oddNul === 0) enc = 'utf-16be';
  }
  if (enc) {
    try {
      return new TextDecoder(enc).decode(bytes).replace(/^\ufeff/, '');
    } catch {
      /* fall through */
    }
  }
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

export function classifyNonPfx(bytes: Uint8Array, e: unknown, now: Date): InspectResult {
  // A certificate (.cer/.crt in DER)?
  try {
    const c = parseCertificate(bytes);
    const r = assemble([c], [], [], now, null, { pem: true });
    r.findings = sortFindings([
      err(
        'not-pkcs12',
        'Detected: der-certificate. This is a certificate alone (.cer/.crt, DER), without its private key — not a PFX.',
        'Export a PFX with the private key: on the Windows machine that created the request, certlm.msc → the certificate → All Tasks → Export → "Yes, export the private key"; or combine certificate and key with `openssl pkcs12 -export -in cert.crt -inkey key.pem -out cert.pfx`.',
      ),
      ...r.findings.filter((f) => f.code !== 'no-private-key'),
    ]);
    r.importable = false;
    r.detected = { format: 'der-certificate', canBuildPfx: false };
    return r;
  } catch {
    /* not a certificate */
  }
  if (e instanceof DerError && e.kind === 'truncated' && looksLikePfxStart(bytes))
    return emptyResult(
      [
        err(
          'corrupt',
          `The file is truncated: it ends before the PFX data does (${bytes.length} bytes present).`,
          'Copy or download the file again (use binary mode for FTP; do not open and save it in a text editor).',
        ),
      ],
      'pkcs12',
    );
  if (looksLikePfxStart(bytes))
    return emptyResult(
      [
        err(
          'corrupt',
          `The PFX structure is damaged (${e instanceof Error ? e.message : 'unreadable'}).`,
          'Export the PFX again from the original source.',
        ),
      ],
      'pkcs12',
    );
  const what = describeDer(bytes);
  return emptyResult(
    [
      err(
        'not-pkcs12',
        `Detected: unknown. This binary file is not a PFX/PKCS#12 (nor a DER certificate)${what ? `; it looks like ${what}` : ''}.`,
        what?.includes('PKCS#7')
          ? 'A .p7b holds certificates only. Export a PFX with the private key (Windows: certlm.msc → Export → "Yes, export the private key"), or combine the certificate and its key with `openssl pkcs12 -export`.'
          : 'Choose the .pfx (or .p12) file that contains the certificate and its private key.',
      ),
    ],
    'unknown',
  );
}

/** Name a few common non-PFX DER structures. */
function describeDer(bytes: Uint8Array): string | null {
  try {
    const n = parse(bytes);
    const first = n.children[0];
    if (first && first.tag === T.OID && first.cls === 0) {
      const o = oidOf(first);
      if (o === '1.2.840.113549.1.7.2')
        return 'a PKCS#7 certificate bundle (.p7b/.p7c: certificates only, no private key)';
    }
    const second = n.children[1];
    if (
      first &&
      second &&
      first.tag === T.INTEGER &&
      second.tag === T.SEQUENCE &&
      n.children[2]?.tag === T.OCTET_STRING
    )
      return 'a private key alone (PKCS#8 DER, no certificate)';
    if (first && second && first.tag === T.SEQUENCE && second.tag === T.OCTET_STRING)
      return 'an encrypted private key alone (PKCS#8 DER, no certificate)';
  } catch {
    return null;
  }
  return null;
}

/** SEQUENCE { INTEGER 3, SEQUENCE { OID data … } } at the start. */
function looksLikePfxStart(b: Uint8Array): boolean {
  let p = 1;
  const lb = b[p++];
  if (lb === undefined) return false;
  if (lb > 0x80) p += lb & 0x7f;
  return b[p] === 0x02 && b[p + 1] === 0x01 && b[p + 2] === 0x03 && b[p + 3] === 0x30;
}
