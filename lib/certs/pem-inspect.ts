/**
 * inspectPem: a certificate (with or without its chain, in any order, PEM or DER) and its private key (PKCS#8, PKCS#1,
 * SEC1, or encrypted with a passphrase), as separate files or one combined PEM, inspected the way a PFX is: the leaf
 * that belongs to the key, the chain in order with a missing intermediate named, validity, and the same findings.
 * `result.pem.canBuildPfx` says whether `buildPfxFromPem` can turn it into a PFX Key Vault imports. Never throws.
 */
import type { Finding, InspectResult } from './types';
import { equalBytes } from './der';
import { type ParsedCert, parseCertificate, parsePrivateKey } from './x509';
import { err, info, sortFindings } from './findings';
import { type Assembly, type KeyEntry, assembleChecked } from './chain';
import { describe } from './checks';
import { decryptPkcs8, decryptTraditional } from './key-decrypt';
import { type KeyFormat, type KeySource, type PemFile, type SourceFileInfo, readSources } from './pem-sources';
import { MAX_ITERATIONS } from './limits';

export interface PemInspectOptions {
  /** Passphrase of an encrypted private key (null or empty: none given). */
  keyPassphrase?: string | null;
  /** Clock for validity checks (tests). */
  now?: Date;
}

export interface PemDetails {
  /** What each file held. */
  files: SourceFileInfo[];
  /** The private key used: its file, format and encryption, and whether it could be read. */
  key: { file: string; format: KeyFormat; encryption: string | null; readable: boolean } | null;
  /** False when the certificates were not given leaf first, then each issuer (the PFX puts them in order). */
  inOrder: boolean;
  /** The issuer (subject name) the chain needs next when the files stop before a root: the missing intermediate. */
  missingIssuer: string | null;
  /** True when a PFX can be built: a leaf, its key, and no error. */
  canBuildPfx: boolean;
}

export interface PemInspectResult extends InspectResult {
  pem: PemDetails;
}

/** The inspection plus what a PFX is built from (kept inside lib/certs: the key never leaves it unencrypted). */
export interface PemMaterial {
  result: PemInspectResult;
  leaf: ParsedCert | null;
  issuers: ParsedCert[];
  pkcs8: Uint8Array | null;
}

const LE_KEY = 'for Let’s Encrypt the privkey.pem from the same live/<domain>/ folder as fullchain.pem';

export async function inspectPem(files: PemFile[], options: PemInspectOptions = {}): Promise<PemInspectResult> {
  return (await readPemMaterial(files, options)).result;
}

export async function readPemMaterial(files: PemFile[], options: PemInspectOptions = {}): Promise<PemMaterial> {
  try {
    return await read(Array.isArray(files) ? files : [], options);
  } catch (e) {
    const result = failed([
      err(
        'corrupt',
        `The files could not be read (${e instanceof Error ? e.message : 'unexpected error'}).`,
        'Choose the certificate and key files again, as they came from the CA.',
      ),
    ]);
    return { result, leaf: null, issuers: [], pkcs8: null };
  }
}

function failed(findings: Finding[], files: SourceFileInfo[] = []): PemInspectResult {
  return {
    importable: false,
    leaf: null,
    chain: [],
    key: null,
    pfx: null,
    findings: sortFindings(findings),
    detected: { format: 'pem', canBuildPfx: false },
    pem: { files, key: null, inOrder: true, missingIssuer: null, canBuildPfx: false },
  };
}

const FORMAT_NAMES: Record<KeyFormat, string> = {
  pkcs8: 'PKCS#8',
  pkcs1: 'PKCS#1 (RSA PRIVATE KEY)',
  sec1: 'SEC1 (EC PRIVATE KEY)',
  'encrypted-pkcs8': 'encrypted PKCS#8',
  'encrypted-pkcs1': 'encrypted PKCS#1 (RSA PRIVATE KEY)',
  'encrypted-sec1': 'encrypted SEC1 (EC PRIVATE KEY)',
};

interface ReadKey {
  source: KeySource;
  entry: KeyEntry | null;
  pkcs8: Uint8Array | null;
  encryption: string | null;
}

/** Read (and if needed decrypt) one key. Problems become findings; the key's bytes are never in a message. */
async function readKey(source: KeySource, passphrase: string | null, findings: Finding[]): Promise<ReadKey> {
  const out: ReadKey = { source, entry: null, pkcs8: null, encryption: null };
  const where = `the private key in ${source.file}`;
  let pkcs8 = source.der;
  if (source.format.startsWith('encrypted-')) {
    if (!passphrase) {
      findings.push(
        err(
          'key-passphrase-required',
          `The private key in ${source.file} is encrypted (${FORMAT_NAMES[source.format]}).`,
          'Give its passphrase (the wizard’s key passphrase field, or cses-cert --key-passphrase-file): the key is decrypted on this device only and goes into the PFX encrypted again.',
        ),
      );
      return out;
    }
    const d =
      source.format === 'encrypted-pkcs8'
        ? await decryptPkcs8(source.der, passphrase)
        : await decryptTraditional(source.block!, passphrase);
    out.encryption = d.algorithm;
    if (!d.ok) {
      if (d.reason === 'wrong-passphrase')
        findings.push(
          err(
            'wrong-key-passphrase',
            `The passphrase does not decrypt ${where} (${d.algorithm}).`,
            'Check the passphrase (it is case-sensitive): it is the one chosen when the key was created or exported, not a PFX password.',
          ),
        );
      else if (d.reason === 'excessive-iterations')
        findings.push(
          err(
            'excessive-iterations',
            `${cap(where)} asks for ${d.iterations?.toLocaleString('en-US')} key-derivation iterations; the limit here is ${MAX_ITERATIONS.toLocaleString('en-US')}.`,
            `Decrypt it on your machine and choose the plain key: \`openssl pkey -in ${source.file} -out key-plain.pem\` (delete key-plain.pem afterwards).`,
          ),
        );
      else if (d.reason === 'unsupported')
        findings.push(
          err(
            'unsupported-algorithm',
            `${cap(where)} is encrypted with ${d.algorithm}, which this tool cannot decrypt.`,
            `Decrypt it on your machine and choose the plain key: \`openssl pkey -in ${source.file} -out key-plain.pem\` (delete key-plain.pem afterwards).`,
          ),
        );
      else findings.push(unreadableKey(source.file));
      return out;
    }
    pkcs8 = d.pkcs8;
  }
  try {
    out.entry = { parsed: await parsePrivateKey(pkcs8), localKeyId: null, friendlyName: null };
    out.pkcs8 = pkcs8;
  } catch {
    findings.push(unreadableKey(source.file));
  }
  return out;
}

function unreadableKey(file: string): Finding {
  return err(
    'corrupt',
    `The private key in ${file} could not be read.`,
    `Copy ${file} again as it was created (do not edit it); check that the BEGIN and END lines are intact.`,
  );
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const fileList = (names: string[]) => [...new Set(names)].join(', ');

async function read(files: PemFile[], options: PemInspectOptions): Promise<PemMaterial> {
  const now = options.now ?? new Date();
  const passphrase = options.keyPassphrase || null;
  const src = readSources(files);
  const findings: Finding[] = [...src.findings];
  if (!files.length)
    findings.push(err('empty-file', 'No file was given.', 'Choose the certificate file and its private key file.'));

  // Certificates, without duplicates (fullchain.pem and chain.pem both hold the intermediate).
  const certs: ParsedCert[] = [];
  const certFile = new Map<ParsedCert, string>();
  for (const c of src.certs) {
    if (certs.some((x) => equalBytes(x.der, c.der))) continue;
    try {
      const parsed = parseCertificate(c.der);
      certs.push(parsed);
      certFile.set(parsed, c.file);
    } catch {
      findings.push(
        err(
          'corrupt',
          `A certificate in ${c.file} could not be read.`,
          `Copy ${c.file} again as it came from the CA (do not edit it); check that the BEGIN and END lines are intact.`,
        ),
      );
    }
  }
  const keys = await Promise.all(src.keys.map((k) => readKey(k, passphrase, findings)));
  const readable = keys.filter((k) => k.entry);

  const assembly: Assembly = { leaf: null, key: null, issuers: [], missingIssuer: null };
  const result = await assembleChecked(
    certs,
    readable.map((k) => k.entry!),
    findings,
    now,
    null,
    { pem: true, incomplete: true, files: true },
    assembly,
  );
  const chosen = readable.find((k) => k.entry === assembly.key) ?? null;
  let out = result.findings;
  const replace = (code: string, f: Finding | null) => {
    const i = out.findIndex((x) => x.code === code);
    out = i < 0 ? (f ? [...out, f] : out) : f ? out.map((x, j) => (j === i ? f : x)) : out.filter((_, j) => j !== i);
  };

  // The files' own wording for what the PFX path says about one file.
  if (keys.length > 1) {
    const where = keys.map((k) => k.source.file);
    const counts = [...new Set(where)].map((f) => `${where.filter((x) => x === f).length} in ${f}`).join(', ');
    replace(
      'multiple-private-keys',
      err(
        'multiple-private-keys',
        `${keys.length} private keys were given (${counts}); a PFX holds the one key of its certificate.${chosen ? ` The key in ${chosen.source.file} (number ${keys.indexOf(chosen) + 1}) belongs to the certificate.` : ''}`,
        chosen
          ? `Keep only that key: remove the other key block${keys.length > 2 ? 's' : ''} (or file${keys.length > 2 ? 's' : ''}) and choose the files again.`
          : `Keep only the key made with this certificate's request (${LE_KEY}) and choose the files again.`,
      ),
    );
  }
  const caOnly = certs.length > 0 && certs.every((c) => c.info.isCA) && !assembly.leaf;
  if (caOnly) {
    replace('key-mismatch', null);
    replace(
      'leaf-missing',
      err(
        'leaf-missing',
        `The files hold only CA certificates (${certs.map((c) => `"${c.info.subject}"`).join(', ')}), not the certificate issued to your server (the leaf)${readable.length ? ', so the private key belongs to none of them' : ''}.`,
        'Add the server certificate: for Let’s Encrypt choose fullchain.pem (or cert.pem), not chain.pem; for other CAs the .crt/.cer issued for your domain. A CA certificate alone cannot be a Key Vault certificate: Key Vault needs a certificate with its private key.',
      ),
    );
  } else if (result.key && !result.key.matchesLeaf && result.leaf) {
    const k = readable[0]!;
    const leafFile = certFile.get(certs.find((c) => c.info.thumbprint === result.leaf!.thumbprint)!) ?? 'the files';
    replace(
      'key-mismatch',
      err(
        'key-mismatch',
        `The private key in ${k.source.file} does not belong to the certificate ${describe(result.leaf)} from ${leafFile} (their public keys differ).`,
        `Choose the key made with this certificate's request: ${LE_KEY} (a renewal replaces both); for other CAs the .key file from when the CSR was made.`,
      ),
    );
  }
  if (!keys.length && result.leaf)
    out.push(
      err(
        'no-private-key',
        `${fileList(src.certs.map((c) => c.file))} hold${new Set(src.certs.map((c) => c.file)).size === 1 ? 's' : ''} the certificate ${describe(result.leaf)} but no private key. Key Vault stores a certificate together with its private key — Cloud Services installs it from there with the key, for HTTPS or decryption — so a certificate alone cannot be imported.`,
        `Add the private key file made with the certificate request: ${LE_KEY}; for other CAs the .key file from when the CSR was made (or export a PFX with its private key from the Windows machine that made the request). If this is only an intermediate or root certificate for a role's CA or Root store: Key Vault cannot import it as a certificate and Cloud Services (extended support) documents no way to install it from Key Vault — add it to the chain of your server certificate instead.`,
      ),
    );
  if (keys.length && !certs.length)
    out.push(
      err(
        'no-certificate',
        `${fileList(src.keys.map((k) => k.file))} hold${new Set(src.keys.map((k) => k.file)).size === 1 ? 's' : ''} a private key but no certificate.`,
        'Add the certificate file: for Let’s Encrypt fullchain.pem; for other CAs the .crt/.cer issued for your domain (with the intermediate certificates if they came separately).',
      ),
    );

  // Order as given versus leaf first, then its issuers.
  const leaf = assembly.leaf;
  const wanted = leaf ? [leaf, ...assembly.issuers] : [];
  const given = certs.filter((c) => wanted.includes(c));
  const inOrder = given.every((c, i) => c === wanted[i]);
  if (leaf && !inOrder)
    out.push(
      info(
        'chain-reordered',
        `The certificates were not in chain order (leaf first, then each issuer); the PFX lists them in order: ${wanted.map((c) => `"${c.info.subject}"`).join(' → ')}.`,
        'None needed.',
      ),
    );

  out = sortFindings(out);
  const importable = !out.some((f) => f.severity === 'error');
  const canBuildPfx = importable && !!leaf && !!chosen;
  const keyInfo = chosen ?? keys[0] ?? null;
  const pem: PemDetails = {
    files: src.files,
    key: keyInfo
      ? {
          file: keyInfo.source.file,
          format: keyInfo.source.format,
          encryption: keyInfo.encryption,
          readable: !!keyInfo.entry,
        }
      : null,
    inOrder,
    missingIssuer: leaf ? assembly.missingIssuer : null,
    canBuildPfx,
  };
  // For the PFX, only the leaf and its issuers (unrelated certificates were reported and are left out).
  return {
    result: { ...result, findings: out, importable, detected: { format: 'pem', canBuildPfx }, pem },
    leaf,
    issuers: assembly.issuers,
    pkcs8: canBuildPfx ? (chosen?.pkcs8 ?? null) : null,
  };
}
