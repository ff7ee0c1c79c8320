/**
 * inspectPfx: read a PFX/PKCS#12 file and say whether Key Vault (and the Cloud Services guest) will accept it.
 * Never throws for bad input; every problem is a finding with a stable code.
 */
import type { CertInfo, Finding, InspectResult, PfxInfo, DetectedFormat } from './types';
import { DerError, parse, T, equalBytes, oid as oidOf } from './der';
import { type ParsedCert, type ParsedKey, parseCertificate, parsePrivateKey, verifySignedBy } from './x509';
import {
  type Bag,
  type EncAlg,
  type PasswordForm,
  type PfxStructure,
  DecryptError,
  UnsupportedError,
  decryptWith,
  parsePfx,
  parseSafeContents,
  passwordForms,
  verifyMac,
} from './pkcs12';
import { err, warn, info, sortFindings, LEGACY_REEXPORT } from './findings';
import { readPem, CERT_LABELS, KEY_LABELS, toPkcs8, base64ToBytes } from './pem';

/** Largest file inspected. Real certificate PFX files are 2–20 KiB; a long chain stays far below this. */
export const MAX_PFX_BYTES = 256 * 1024;
/** Key-derivation iteration counts above this are refused (a hostile file could otherwise keep a tab busy for hours). */
export const MAX_ITERATIONS = 10_000_000;
/** …and so is a file whose derivations add up to more than this (many encrypted keys, password forms). */
export const MAX_TOTAL_ITERATIONS = 30_000_000;
/** Key Vault refuses passwords and subjects longer than this. */
export const KEY_VAULT_MAX_CHARS = 200;
const SOON_DAYS = 30;
const KEY_ALG_NAMES: Record<string, string> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
};
const DAY = 86_400_000;

export interface InspectOptions {
  /** Clock for validity checks (tests). */
  now?: Date;
}

const CHECK_PASSWORD =
  'Check the password (it is case-sensitive; watch keyboard layouts and trailing spaces) and try again.';

function emptyResult(findings: Finding[], format?: DetectedFormat): InspectResult {
  const r: InspectResult = {
    importable: false,
    leaf: null,
    chain: [],
    key: null,
    pfx: null,
    findings: sortFindings(findings),
  };
  if (format) r.detected = { format, canBuildPfx: false };
  return r;
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

// ------------------------------------------------------------------------------------------------ non-PFX inputs

/**
 * Bytes → text. UTF-16 (Windows PowerShell 5 writes it with `>` and Out-File) is recognised by its BOM or by NUL
 * bytes in every other position; anything else is read as Latin-1 (PEM and base64 are ASCII).
 */
function decodeText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let enc: 'utf-16le' | 'utf-16be' | null = null;
  if (b0 === 0xff && b1 === 0xfe) enc = 'utf-16le';
  else if (b0 === 0xfe && b1 === 0xff) enc = 'utf-16be';
  else if (bytes.length >= 4 && bytes.length % 2 === 0) {
    let evenNul = 0;
    let oddNul = 0;
    const n = Math.min(bytes.length, 512);
    for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 ? oddNul++ : evenNul++;
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

async function inspectPemText(text: string, now: Date): Promise<InspectResult> {
  const blocks = readPem(text);
  const certs: ParsedCert[] = [];
  const findings: Finding[] = [];
  for (const b of blocks) {
    if (!CERT_LABELS.has(b.label)) continue;
    try {
      // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate.
      const der = b.label === 'TRUSTED CERTIFICATE' ? b.der.subarray(0, parse(b.der).end) : b.der;
      certs.push(parseCertificate(der));
    } catch {
      /* reported below through the counts */
    }
  }
  const keyBlocks = blocks.filter((b) => KEY_LABELS.has(b.label));
  let key: ParsedKey | null = null;
  let keyEncrypted = false;
  for (const kb of keyBlocks) {
    try {
      key = await parsePrivateKey(toPkcs8(kb));
      break;
    } catch {
      keyEncrypted ||= kb.encryptedHeaders || kb.label === 'ENCRYPTED PRIVATE KEY';
    }
  }
  const canBuildPfx = certs.length > 0 && key !== null;
  const parts = [
    `${certs.length} certificate${certs.length === 1 ? '' : 's'}`,
    keyBlocks.length ? (keyEncrypted && !key ? 'an encrypted private key' : 'a private key') : 'no private key',
  ];
  let action: string;
  if (canBuildPfx)
    action =
      'A PFX can be built from this certificate and key: use "Build PFX" in the wizard, or run `openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx` (add `-legacy` for older Windows guests).';
  else if (certs.length && keyEncrypted)
    action =
      'Decrypt the key (`openssl pkey -in key.pem -out key-plain.pem`), then build the PFX with `openssl pkcs12 -export -in cert.pem -inkey key-plain.pem -out cert.pfx`.';
  else if (certs.length)
    action =
      'Add the private key: find the .key file created with the CSR and build the PFX with `openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx`, or export a PFX with its private key from the Windows machine that created the request.';
  else action = 'Choose the .pfx file, or a PEM file holding both the certificate and its private key.';
  findings.push(
    err(
      'not-pkcs12',
      `Detected: pem. This is a PEM text file (${parts.join(' and ')}), not a PFX; Cloud Services reads its certificates from Key Vault as PFX (PKCS#12).`,
      action,
    ),
  );
  const result = await assembleChecked(certs, key ? [{ parsed: key, localKeyId: null }] : [], findings, now, null, {
    pem: true,
  });
  result.importable = false;
  result.detected = { format: 'pem', canBuildPfx };
  return result;
}

// ------------------------------------------------------------------------------------------------ DER

async function inspectDer(bytes: Uint8Array, password: string | null, now: Date): Promise<InspectResult> {
  let pfx: PfxStructure;
  try {
    pfx = parsePfx(bytes);
  } catch (e) {
    if (e instanceof UnsupportedError)
      return emptyResult(
        [
          err(
            'unsupported-algorithm',
            `This PFX uses ${e.message}.`,
            `Export it again with password protection. ${LEGACY_REEXPORT}`,
          ),
        ],
        'pkcs12',
      );
    return classifyNonPfx(bytes, e, now);
  }
  const findings: Finding[] = [];
  if (pfx.trailing > 0)
    findings.push(
      warn(
        'trailing-data',
        `The file has ${pfx.trailing} extra bytes after the PFX data.`,
        'Usually harmless; if the import fails, export the PFX again.',
      ),
    );
  if (password !== null && password.length > KEY_VAULT_MAX_CHARS)
    findings.push(
      err(
        'password-too-long',
        `The password has ${password.length} characters; Key Vault accepts at most ${KEY_VAULT_MAX_CHARS}.`,
        'Export the PFX again with a shorter password.',
      ),
    );

  const forms = passwordForms(password);
  const pfxInfo: PfxInfo = {
    macAlgorithm: pfx.mac ? pfx.mac.name : null,
    macIterations: pfx.mac ? pfx.mac.iterations : null,
    encryption: [],
    passwordless: password === null,
  };
  for (const p of pfx.parts)
    if (p.type === 'encrypted' && p.alg)
      pfxInfo.encryption.push({ part: 'certificates', algorithm: p.alg.name, iterations: iterationsOf(p.alg) });
  for (const p of pfx.parts)
    if (p.type === 'enveloped' || p.type === 'other')
      findings.push(
        err(
          'unsupported-algorithm',
          'Part of this PFX is encrypted to a public key (PKCS#12 public-key privacy mode), which Key Vault cannot read.',
          `Export the PFX again with password protection. ${LEGACY_REEXPORT}`,
        ),
      );

  // MAC and decryption run concurrently: PBES2 (PBKDF2 in native code) does not depend on which password form
  // the MAC accepts, so a 600 000-iteration file costs about one derivation, not three.
  let macForm: PasswordForm | null = null;
  let macStatus: 'none' | 'ok' | 'failed' | 'unsupported' = pfx.mac ? 'failed' : 'none';
  let excessive = 0;
  let budget = MAX_TOTAL_ITERATIONS;
  /** Reserve work for one derivation; false (and an `excessive-iterations` error) once the budget is gone. */
  const spend = (iterations: number): boolean => {
    budget -= Math.max(1, iterations);
    if (budget >= 0) return true;
    excessive = Math.max(excessive, MAX_TOTAL_ITERATIONS - budget);
    return false;
  };
  const macPromise = (async () => {
    if (!pfx.mac) return;
    if (!pfx.mac.hash) {
      macStatus = 'unsupported';
      return;
    }
    if (pfx.mac.iterations > MAX_ITERATIONS) {
      excessive = Math.max(excessive, pfx.mac.iterations);
      macStatus = 'unsupported';
      return;
    }
    for (const f of forms) {
      if (!spend(pfx.mac.iterations)) {
        macStatus = 'unsupported';
        return;
      }
      if (await verifyMac(pfx.mac, pfx.authSafe, f)) {
        macForm = f;
        macStatus = 'ok';
        return;
      }
    }
  })();

  let wrongPassword = false;
  let unsupported: string | null = null;
  let corruptDetail: string | null = null;
  const usedForms: PasswordForm[] = [];

  /** Decrypt with the forms in order (the MAC-verified one first once known). Returns null when none works. */
  const tryDecrypt = async (
    alg: EncAlg,
    data: Uint8Array,
    check: (plain: Uint8Array) => void,
  ): Promise<Uint8Array | null> => {
    if (alg.kind === 'unsupported') {
      unsupported ??= alg.name;
      return null;
    }
    if (alg.iterations > MAX_ITERATIONS) {
      excessive = Math.max(excessive, alg.iterations);
      return null;
    }
    let order = forms;
    if (alg.kind === 'pkcs12') {
      await macPromise;
      const mf: PasswordForm | null = macForm;
      if (mf) order = [mf, ...forms.filter((f) => f !== mf)];
    } else {
      // PBES2 uses the UTF-8 bytes, identical in every form: one attempt.
      order = forms.slice(0, 1);
    }
    for (const f of order) {
      if (!spend(alg.iterations)) return null;
      try {
        const plain = await decryptWith(alg, data, f);
        check(plain);
        if (alg.kind === 'pkcs12') usedForms.push(f);
        return plain;
      } catch (e) {
        if (e instanceof UnsupportedError) {
          unsupported ??= e.message;
          return null;
        }
        if (!(e instanceof DecryptError) && !(e instanceof DerError)) throw e;
      }
    }
    wrongPassword = true;
    return null;
  };

  // Results are kept in file order (parts finish decrypting in any order).
  const bagsByPart: Bag[][] = pfx.parts.map(() => []);
  const keySlots: Array<{ order: number; parsed: ParsedKey; localKeyId: string | null; friendlyName: string | null }> =
    [];
  const keyTasks: Promise<void>[] = [];
  const handleBags = (list: Bag[], part: number) => {
    bagsByPart[part] = list;
    list.forEach((b, index) => {
      const order = part * 100_000 + index;
      if (b.type === 'key') {
        keyTasks.push(
          parsePrivateKey(b.bytes).then(
            (parsed) => void keySlots.push({ order, parsed, localKeyId: b.localKeyId, friendlyName: b.friendlyName }),
            () => void (corruptDetail ??= 'a private key could not be read'),
          ),
        );
      } else if (b.type === 'shroudedKey' && b.alg) {
        pfxInfo.encryption.push({ part: 'key', algorithm: b.alg.name, iterations: iterationsOf(b.alg) });
        const alg = b.alg;
        keyTasks.push(
          (async () => {
            let parsed: ParsedKey | null = null;
            const plain = await tryDecrypt(alg, b.bytes, (p) => {
              const n = parse(p);
              if (n.tag !== T.SEQUENCE || n.end !== p.length) throw new DerError('not a PrivateKeyInfo', 'malformed');
            });
            if (!plain) return;
            try {
              parsed = await parsePrivateKey(plain);
            } catch {
              corruptDetail ??= 'the private key could not be read after decryption';
              return;
            }
            keySlots.push({ order, parsed, localKeyId: b.localKeyId, friendlyName: b.friendlyName });
          })(),
        );
      }
    });
  };

  const partTasks = pfx.parts.map(async (p, partIndex) => {
    if (p.type === 'data') {
      try {
        handleBags(parseSafeContents(p.bytes), partIndex);
      } catch {
        corruptDetail ??= 'a section of the PFX could not be read';
      }
    } else if (p.type === 'encrypted' && p.alg) {
      let list: Bag[] | null = null;
      const plain = await tryDecrypt(p.alg, p.bytes, (pl) => {
        list = parseSafeContents(pl);
      });
      if (plain && list) handleBags(list, partIndex);
    }
  });
  await Promise.all([macPromise, ...partTasks]);
  await Promise.all(keyTasks);
  const bags = bagsByPart.flat();
  const keys = keySlots.sort((a, b) => a.order - b.order);

  const st = macStatus as 'none' | 'ok' | 'failed' | 'unsupported';
  const chosen: PasswordForm | null = macForm ?? usedForms[0] ?? null;
  if (chosen) pfxInfo.passwordless = chosen.passwordless;
  else if (password === null && !pfx.mac && !pfxInfo.encryption.length) pfxInfo.passwordless = true;

  if (unsupported)
    findings.push(
      err(
        'unsupported-algorithm',
        `This PFX is encrypted with ${unsupported}, which this tool (and Key Vault) cannot read.`,
        `Export it again with standard encryption. ${LEGACY_REEXPORT}`,
      ),
    );
  if (excessive)
    findings.push(
      err(
        'excessive-iterations',
        `The PFX asks for ${excessive.toLocaleString('en-US')} key-derivation iterations; the limit here is ${MAX_ITERATIONS.toLocaleString('en-US')} per derivation and ${MAX_TOTAL_ITERATIONS.toLocaleString('en-US')} per file (OpenSSL's default is 2 048, hardened exports use up to about 2 000 000).`,
        'Export the PFX again with a normal iteration count (OpenSSL: -iter 2048 or omit -iter).',
      ),
    );
  else if (st === 'unsupported')
    findings.push(
      err(
        'unsupported-algorithm',
        `The PFX integrity check uses ${pfx.mac?.name ?? 'an unknown algorithm'}, which Key Vault cannot verify.`,
        `Export it again with a SHA-1 or SHA-256 MAC. ${LEGACY_REEXPORT}`,
      ),
    );

  if (st === 'failed' || wrongPassword) {
    // Only decrypted content proves the password; with nothing encrypted a MAC failure is a wrong password (or damage).
    const decryptedAll =
      !wrongPassword && !unsupported && pfxInfo.encryption.length > 0 && (bags.length > 0 || keys.length > 0);
    if (st === 'failed' && decryptedAll) {
      findings.push(
        err(
          'corrupt',
          'The PFX integrity check (MAC) does not match although its contents decrypt with this password: the file was modified or damaged after export (or its MAC was made with a different password).',
          'Export the PFX again from the original source.',
        ),
      );
    } else {
      const msg =
        password === null || password === ''
          ? 'This PFX is protected by a password (it does not open with an empty password or without one).'
          : st === 'ok'
            ? 'The password opens the file’s integrity check but not its encrypted key or certificates (the file uses a second password).'
            : pfxInfo.encryption.length
              ? 'The password is wrong: the file’s integrity check and its encrypted parts do not open with it.'
              : 'The password is wrong (or the file was modified after export): the file’s integrity check does not match.';
      findings.push(
        err('wrong-password', msg, password === null || password === '' ? 'Enter the PFX password.' : CHECK_PASSWORD),
      );
      const r = emptyResult(findings, 'pkcs12');
      r.pfx = pfxInfo;
      return r;
    }
  }
  if (corruptDetail)
    findings.push(
      err('corrupt', `The PFX is damaged: ${corruptDetail}.`, 'Export the PFX again from the original source.'),
    );
  const legacyUsed = (macForm as PasswordForm | null)?.legacy || usedForms.some((f) => f.legacy);
  if (legacyUsed)
    findings.push(
      warn(
        'legacy-password-encoding',
        'The password only works in the byte-wise form old OpenSSL 1.x used for non-ASCII characters; Windows and Key Vault may not accept it.',
        'Export the PFX again with OpenSSL 3 (or Windows), or use an ASCII-only password.',
      ),
    );

  // Encryption and integrity findings.
  if (pfx.mac?.pbmac1)
    findings.push(
      warn(
        'pbmac1-mac',
        `The PFX integrity check uses PBMAC1 (RFC 9579, ${pfx.mac.name}), made by OpenSSL 3.4+ with -pbmac1_pbkdf2. Windows and many other tools cannot read it yet.`,
        `Export it again without -pbmac1_pbkdf2 (classic SHA-256 MAC), or for older Windows guests: ${LEGACY_REEXPORT}`,
      ),
    );
  if (!pfx.mac)
    findings.push(
      warn(
        'no-mac',
        'The PFX has no integrity check (MAC), so damage or tampering cannot be detected; some importers refuse such files.',
        'Export the PFX again with a MAC (OpenSSL: drop -nomac).',
      ),
    );
  const algs = pfxInfo.encryption.map((e) => e.algorithm);
  if (algs.some((a) => a.startsWith('PBES2') && a.includes('AES')))
    findings.push(
      warn(
        'aes-encrypted-pfx',
        'The PFX is encrypted with AES (PBES2) — the default of OpenSSL 3, Java and Windows "AES256-SHA256" exports. Windows Server 2016 and older (Cloud Services guest OS families 5 and below) cannot import such a PFX.',
        `If the role runs on an older guest OS, re-export with legacy encryption: ${LEGACY_REEXPORT}`,
      ),
    );
  if (algs.some((a) => /40Bit|RC4|DES-CBC$/.test(a)))
    findings.push(
      info(
        'legacy-pfx-encryption',
        `Parts of the PFX use weak legacy encryption (${[...new Set(algs.filter((a) => /40Bit|RC4|DES-CBC$/.test(a)))].join(', ')}); the file is readable everywhere but its protection rests on the password's secrecy and the file's.`,
        'Keep the file private; delete it once it is in Key Vault.',
      ),
    );
  const unprotected = !pfx.mac && pfxInfo.encryption.length === 0;
  if (unprotected) pfxInfo.passwordless = true;
  if (unprotected || password === null || password === '')
    findings.push(
      info(
        'no-password',
        unprotected
          ? `The PFX is not protected at all (no encryption, no MAC): anyone with the file has the private key${password ? '; the password you entered is not used' : ''}.`
          : pfxInfo.passwordless
            ? 'The PFX has no password: anyone with the file has the private key.'
            : 'The PFX password is empty: anyone with the file has the private key.',
        'Import it into Key Vault and delete the file; leave the password field empty when importing (Azure PowerShell may fail on password-less files: use the portal or az CLI).',
      ),
    );
  const other = bags.filter(
    (b) =>
      b.type === 'crl' || b.type === 'secret' || b.type === 'other' || (b.type === 'cert' && b.certType !== 'x509'),
  );
  if (other.length)
    findings.push(
      info(
        'extra-bags',
        `The PFX holds ${other.length} item(s) other than X.509 certificates and keys (CRLs, secrets or other data); they are ignored.`,
        'None needed.',
      ),
    );

  const certs: ParsedCert[] = [];
  const certLocalIds = new Map<ParsedCert, string | null>();
  let badCerts = 0;
  for (const b of bags) {
    if (b.type !== 'cert' || b.certType !== 'x509') continue;
    try {
      const c = parseCertificate(b.bytes, b.friendlyName ?? undefined);
      if (certs.some((x) => x.info.thumbprint === c.info.thumbprint)) continue;
      certs.push(c);
      certLocalIds.set(c, b.localKeyId);
    } catch {
      badCerts++;
    }
  }
  if (badCerts)
    findings.push(
      err(
        'corrupt',
        `${badCerts} certificate(s) in the PFX could not be read.`,
        'Export the PFX again from the original source.',
      ),
    );
  const incomplete = unsupported !== null || corruptDetail !== null || st === 'unsupported' || excessive > 0;
  const result = await assembleChecked(certs, keys, findings, now, certLocalIds, { pem: false, incomplete });
  result.pfx = pfxInfo;
  result.detected = { format: 'pkcs12', canBuildPfx: false };
  return result;
}

function iterationsOf(alg: EncAlg): number | null {
  return alg.iterations;
}

function classifyNonPfx(bytes: Uint8Array, e: unknown, now: Date): InspectResult {
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

// ------------------------------------------------------------------------------------------------ leaf, chain, checks

interface KeyEntry {
  parsed: ParsedKey;
  localKeyId: string | null;
  friendlyName?: string | null;
}

/** assemble(), then check that each issuer in the chain really signed the certificate below it. */
async function assembleChecked(
  certs: ParsedCert[],
  keys: KeyEntry[],
  findings: Finding[],
  now: Date,
  localIds: Map<ParsedCert, string | null> | null,
  mode: { pem: boolean; incomplete?: boolean },
): Promise<InspectResult> {
  const links: Array<[ParsedCert, ParsedCert]> = [];
  const result = assemble(certs, keys, findings, now, localIds, mode, links);
  const checks = await Promise.all(links.map(([sub, iss]) => verifySignedBy(sub, iss)));
  const extra: Finding[] = [];
  links.forEach(([sub, iss], i) => {
    if (checks[i] === false)
      extra.push(
        warn(
          'chain-signature-invalid',
          `The certificate ${describe(iss.info)} has the issuer name of ${describe(sub.info)} but did not sign it (a different key, e.g. an intermediate from another generation).`,
          "Replace the chain certificate with the issuer that signed this certificate (download it from your CA: the leaf's Authority Information Access URL names it).",
        ),
      );
  });
  if (extra.length) {
    result.findings = sortFindings([...result.findings, ...extra]);
    result.importable = !result.findings.some((f) => f.severity === 'error');
  }
  return result;
}

function assemble(
  certs: ParsedCert[],
  keys: KeyEntry[],
  findings: Finding[],
  now: Date,
  localIds: Map<ParsedCert, string | null> | null,
  mode: { pem: boolean; incomplete?: boolean },
  links: Array<[ParsedCert, ParsedCert]> = [],
): InspectResult {
  const isIssuerOfAnother = (c: ParsedCert) =>
    certs.some((o) => o !== c && equalBytes(o.issuerRaw, c.subjectRaw) && !equalBytes(o.subjectRaw, o.issuerRaw));
  const endEntities = certs.filter((c) => !c.info.isCA && !isIssuerOfAnother(c));

  let leaf: ParsedCert | null = null;
  let primaryKey: KeyEntry | null = null;
  let matches = false;
  const pairs: Array<{ key: KeyEntry; cert: ParsedCert | null; matches: boolean }> = [];
  for (const k of keys) {
    const fp = k.parsed.key?.fingerprint;
    const byId = k.localKeyId && localIds ? (certs.find((c) => localIds.get(c) === k.localKeyId) ?? null) : null;
    const byKey = fp ? (certs.find((c) => c.key.fingerprint === fp) ?? null) : null;
    if (byKey) pairs.push({ key: k, cert: byKey, matches: true });
    else if (!fp && (byId || certs.length === 1))
      pairs.push({ key: k, cert: byId ?? certs[0]!, matches: true }); // public part unknown: trust the pairing
    else pairs.push({ key: k, cert: byId, matches: false });
  }
  const good = pairs.find((p) => p.matches) ?? pairs[0] ?? null;
  if (good) {
    primaryKey = good.key;
    leaf = good.cert;
    matches = good.matches;
  }
  if (!leaf && endEntities.length === 1) leaf = endEntities[0]!;
  if (!leaf && !keys.length && endEntities.length === 0 && certs.length === 1) leaf = certs[0]!;

  // Errors about the key.
  if (!mode.incomplete && (!mode.pem || keys.length || certs.length)) {
    if (!keys.length && certs.length && !mode.pem)
      findings.push(
        err(
          'no-private-key',
          'The PFX contains certificate(s) but no private key. Key Vault needs the private key.',
          'Export the PFX again with its private key: Windows certlm.msc → Export → "Yes, export the private key"; OpenSSL: `openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx`.',
        ),
      );
    if (!certs.length && (keys.length || !mode.pem))
      findings.push(
        err(
          'no-certificate',
          'The file contains no certificate.',
          'Export the PFX again including the certificate (and its chain).',
        ),
      );
  }
  if (keys.length > 1)
    findings.push(
      err(
        'multiple-private-keys',
        `The PFX contains ${keys.length} private keys; Key Vault needs exactly one certificate with its key.`,
        'Export a PFX that holds only the one certificate you need, its key and its chain.',
      ),
    );
  if (primaryKey && certs.length && !matches) {
    findings.push(
      err(
        'key-mismatch',
        leaf
          ? `The private key does not belong to the certificate ${describe(leaf.info)} (their public keys differ).`
          : 'The private key does not belong to any certificate in the file (their public keys differ).',
        'Build the PFX from the key that was used to create the certificate request (the CSR), or export the PFX again from the machine that holds the certificate with its key.',
      ),
    );
  }

  // Chain: walk issuers from the leaf.
  const chain: ParsedCert[] = [];
  if (leaf) {
    let cur: ParsedCert = leaf;
    const used = new Set<ParsedCert>([leaf]);
    for (;;) {
      if (equalBytes(cur.subjectRaw, cur.issuerRaw)) break;
      const c = cur;
      const issuer = certs.find(
        (x) => !used.has(x) && equalBytes(x.subjectRaw, c.issuerRaw) && (!c.aki || !x.ski || c.aki === x.ski),
      );
      if (!issuer) break;
      links.push([c, issuer]);
      chain.push(issuer);
      used.add(issuer);
      cur = issuer;
    }
    const last = chain[chain.length - 1] ?? leaf;
    if (chain.length && !equalBytes(last.subjectRaw, last.issuerRaw))
      findings.push(
        info(
          'chain-incomplete',
          `The chain in the file stops at ${describe(last.info)}, which is not a root; Windows completes it from its own store if it can.`,
          'Usually fine; include the intermediate certificates if clients report an incomplete chain.',
        ),
      );
    const rest = certs.filter((x) => !used.has(x));
    const unrelatedLeaves = rest.filter((x) => !x.info.isCA && !isIssuerOfAnother(x));
    if (unrelatedLeaves.length)
      findings.push(
        err(
          'multiple-leaf-certificates',
          `Besides ${describe(leaf.info)}, the file holds ${unrelatedLeaves.length === 1 ? 'another end-entity certificate' : `${unrelatedLeaves.length} other end-entity certificates`} (${unrelatedLeaves.map((x) => describe(x.info)).join('; ')}) that is not part of its chain.`,
          'Export a PFX with only one certificate, its key and its chain.',
        ),
      );
    const strays = rest.filter((x) => !unrelatedLeaves.includes(x));
    if (strays.length)
      findings.push(
        warn(
          'unrelated-certificate',
          `${strays.length} CA certificate(s) in the file are not part of the leaf's chain: ${strays.map((x) => describe(x.info)).join('; ')}.`,
          'Harmless for Key Vault; remove them to keep the deployment tidy.',
        ),
      );
    chain.push(...rest);
    if (!mode.pem && certs[0] !== leaf && localIds)
      findings.push(
        info(
          'leaf-not-first',
          'The certificate that belongs to the key is not the first in the file; it was found by its key.',
          'None needed: Key Vault reorders the chain on import.',
        ),
      );
  } else {
    if (endEntities.length > 1)
      findings.push(
        err(
          'multiple-leaf-certificates',
          `The file holds ${endEntities.length} unrelated end-entity certificates (${endEntities.map((x) => describe(x.info)).join('; ')}).`,
          'Export a PFX with only one certificate, its key and its chain.',
        ),
      );
    chain.push(...certs);
  }

  if (leaf) checkLeaf(leaf, findings, now);
  for (const c of chain) checkChainCert(c, findings, now);
  const keyInfo = primaryKey?.parsed.key?.info ?? null;
  if (primaryKey) {
    const ki = primaryKey.parsed.key?.info;
    if (!ki && keyTypeOf(primaryKey.parsed.algorithmOid) !== 'other') {
      // RSA/EC key whose public part could not be derived: nothing more to check.
    } else if (
      !ki ||
      ki.type === 'other' ||
      (ki.type === 'EC' && !['P-256', 'P-384', 'P-521', 'P-256K'].includes(ki.curve ?? ''))
    )
      findings.push(
        err(
          'unsupported-key-type',
          `The private key is ${ki?.type === 'EC' ? `an EC key on curve ${ki.curve ?? 'unknown'}` : `of type ${KEY_ALG_NAMES[primaryKey.parsed.algorithmOid] ?? primaryKey.parsed.algorithmOid}`}; Key Vault accepts RSA keys and EC keys on P-256, P-384, P-521 and P-256K.`,
          'Create a new certificate with an RSA (2048 bits or more) or EC P-256/P-384 key.',
        ),
      );
    else if (ki.type === 'RSA' && ki.bits !== undefined && ki.bits < 2048 && !(leaf && leaf.key.info.type === 'RSA'))
      findings.push(
        warn(
          'weak-rsa-key',
          `The RSA key has ${ki.bits} bits; Key Vault and browsers expect at least 2048.`,
          'Create a new certificate with a 2048-bit or larger key.',
        ),
      );
  }
  const out: InspectResult = {
    importable: false,
    leaf: leaf ? leaf.info : null,
    chain: chain.map((c) => c.info),
    key: keyInfo
      ? { ...keyInfo, matchesLeaf: matches }
      : primaryKey
        ? { type: keyTypeOf(primaryKey.parsed.algorithmOid), matchesLeaf: matches }
        : null,
    pfx: null,
    findings: [],
  };
  if (leaf && primaryKey?.friendlyName && !leaf.info.friendlyName)
    out.leaf = { ...leaf.info, friendlyName: primaryKey.friendlyName };
  out.findings = sortFindings(findings);
  out.importable = !out.findings.some((f) => f.severity === 'error');
  return out;
}

function keyTypeOf(algOid: string): 'RSA' | 'EC' | 'other' {
  return algOid === '1.2.840.113549.1.1.1' ? 'RSA' : algOid === '1.2.840.10045.2.1' ? 'EC' : 'other';
}

function describe(c: CertInfo): string {
  return `"${c.subject || '(empty subject)'}" (${c.thumbprint})`;
}

function checkLeaf(leaf: ParsedCert, findings: Finding[], now: Date): void {
  const c = leaf.info;
  const t = now.getTime();
  if (t > leaf.notAfter.getTime())
    findings.push(
      err(
        'expired',
        `The certificate ${describe(c)} expired on ${c.notAfter}. Key Vault refuses expired certificates.`,
        'Renew the certificate with your CA (or create a new one) and export a new PFX.',
      ),
    );
  else if (t < leaf.notBefore.getTime())
    findings.push(
      warn(
        'not-yet-valid',
        `The certificate ${describe(c)} is not valid until ${c.notBefore}.`,
        'Check the clock of the machine that issued it; clients reject it until then.',
      ),
    );
  else if (leaf.notAfter.getTime() - t < SOON_DAYS * DAY) {
    const days = Math.max(0, Math.floor((leaf.notAfter.getTime() - t) / DAY));
    findings.push(
      warn(
        'expires-soon',
        `The certificate ${describe(c)} expires in ${days} day${days === 1 ? '' : 's'} (${c.notAfter}).`,
        'Renew it now and plan the rotation: deploy the new thumbprint before the old certificate expires.',
      ),
    );
  }
  if (c.publicKey.type === 'RSA' && c.publicKey.bits !== undefined && c.publicKey.bits < 2048)
    findings.push(
      warn(
        'weak-rsa-key',
        `The certificate's RSA key has ${c.publicKey.bits} bits; browsers and Key Vault policies expect at least 2048.`,
        'Create a new certificate with a 2048-bit or larger key.',
      ),
    );
  checkSignature(leaf, findings);
  const eku = c.extendedKeyUsage;
  if (leaf.hasEku && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage'))
    findings.push(
      warn(
        'missing-server-auth-eku',
        `The certificate's extended key usage (${eku.join(', ') || 'empty'}) does not include serverAuth (1.3.6.1.5.5.7.3.1), so browsers refuse it for HTTPS.`,
        'Fine for non-TLS uses (e.g. encryption or client authentication); for an HTTPS endpoint request a certificate with the "Server Authentication" EKU.',
      ),
    );
  if (c.keyUsage.length) {
    const okTls =
      c.publicKey.type === 'RSA'
        ? c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('keyEncipherment')
        : c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('keyAgreement');
    if (!okTls)
      findings.push(
        warn(
          'key-usage-not-tls',
          `The certificate's key usage (${c.keyUsage.join(', ')}) allows neither digitalSignature nor keyEncipherment; TLS clients will reject it.`,
          'For an HTTPS endpoint request a certificate with digitalSignature (and keyEncipherment for RSA).',
        ),
      );
  }
  if (c.isCA)
    findings.push(
      warn(
        'leaf-is-ca',
        `The certificate ${describe(c)} is a CA certificate (basicConstraints CA:TRUE), not a server certificate.`,
        'Check that you exported the right certificate; use the end-entity (server) certificate.',
      ),
    );
  if (c.selfSigned)
    findings.push(
      info(
        'self-signed',
        'The certificate is self-signed: fine for internal use (RDP, encryption, tests); browsers will not trust it for a public HTTPS endpoint.',
        'For a public endpoint use a certificate from a public CA.',
      ),
    );
  if (!c.sans.dns.length && !c.sans.ip.length && !c.sans.email.length && !c.sans.uri.length)
    findings.push(
      info(
        'no-subject-alt-name',
        'The certificate has no Subject Alternative Name; browsers ignore the CN and will refuse it for HTTPS.',
        'For an HTTPS endpoint request a certificate with the host names as DNS SANs.',
      ),
    );
  if (c.subject.length > KEY_VAULT_MAX_CHARS)
    findings.push(
      err(
        'subject-too-long',
        `The certificate subject has ${c.subject.length} characters; Key Vault accepts at most ${KEY_VAULT_MAX_CHARS}.`,
        'Request a certificate with a shorter subject.',
      ),
    );
}

function checkSignature(c: ParsedCert, findings: Finding[]): void {
  if (c.info.selfSigned && c.info.isCA) return; // a root's self-signature is not checked by clients
  const alg = c.info.signatureAlgorithm.toLowerCase();
  if (alg.includes('sha1'))
    findings.push(
      warn(
        'sha1-signature',
        `The certificate ${describe(c.info)} is signed with SHA-1 (${c.info.signatureAlgorithm}); browsers and current Windows reject SHA-1 TLS certificates.`,
        'Reissue the certificate with a SHA-256 signature.',
      ),
    );
  else if (alg.includes('md5') || alg.includes('md2'))
    findings.push(
      warn(
        'weak-signature-algorithm',
        `The certificate ${describe(c.info)} is signed with ${c.info.signatureAlgorithm}, which is broken.`,
        'Reissue the certificate with a SHA-256 signature.',
      ),
    );
}

function checkChainCert(c: ParsedCert, findings: Finding[], now: Date): void {
  if (now.getTime() > c.notAfter.getTime())
    findings.push(
      warn(
        'chain-certificate-expired',
        `The chain certificate ${describe(c.info)} expired on ${c.info.notAfter}.`,
        'Replace it with the current intermediate from your CA (clients may fail to build the chain).',
      ),
    );
  if (!c.info.selfSigned) checkSignature(c, findings);
}

// Re-exported for tests.
export { base64ToBytes };
