/**
 * Leaf and chain: which certificate belongs to the private key (by localKeyId and public key, never by position), the
 * chain walked from the leaf's issuer towards the root, and the findings about keys, leaves and chain certificates.
 */
import type { Finding, InspectResult } from './types';
import { equalBytes } from './der';
import { type ParsedCert, type ParsedKey, verifySignedBy } from './x509';
import { err, warn, info, sortFindings } from './findings';
import { checkChainCert, checkKey, checkLeaf, describe, keyTypeOf } from './checks';

export interface KeyEntry {
  parsed: ParsedKey;
  localKeyId: string | null;
  friendlyName?: string | null;
}

/**
 * How the input is read. `pem`: certificates and keys from PEM/DER rather than a PFX (no "no private key" wording for a
 * PFX; a leaf alone without its issuer is reported). `incomplete`: parts could not be read, so a missing key or
 * certificate is not reported. `files`: PEM files, whose own checks name the missing key, certificate or leaf — a
 * lone CA certificate is then not taken as the leaf.
 */
export interface AssembleMode {
  pem: boolean;
  incomplete?: boolean;
  files?: boolean;
}

/** What was chosen, for callers that build from it (a PFX from PEM files). */
export interface Assembly {
  leaf: ParsedCert | null;
  key: KeyEntry | null;
  /** The leaf's issuers in order, as far as the input has them. */
  issuers: ParsedCert[];
  /** The issuer name the chain needs next, when it stops before a root. */
  missingIssuer: string | null;
}

/** assemble(), then check that each issuer in the chain really signed the certificate below it. */
export async function assembleChecked(
  certs: ParsedCert[],
  keys: KeyEntry[],
  findings: Finding[],
  now: Date,
  localIds: Map<ParsedCert, string | null> | null,
  mode: AssembleMode,
  assembly?: Assembly,
): Promise<InspectResult> {
  const links: Array<[ParsedCert, ParsedCert]> = [];
  const result = assemble(certs, keys, findings, now, localIds, mode, links, assembly);
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

export function assemble(
  certs: ParsedCert[],
  keys: KeyEntry[],
  findings: Finding[],
  now: Date,
  localIds: Map<ParsedCert, string | null> | null,
  mode: AssembleMode,
  links: Array<[ParsedCert, ParsedCert]> = [],
  assembly?: Assembly,
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
  if (!leaf && !keys.length && endEntities.length === 0 && certs.length === 1 && !mode.files) leaf = certs[0]!;

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
    if (assembly) {
      assembly.issuers = [...chain];
      assembly.missingIssuer = equalBytes(last.subjectRaw, last.issuerRaw) ? null : last.info.issuer;
    }
    if (!equalBytes(last.subjectRaw, last.issuerRaw) && (chain.length || mode.pem))
      findings.push(
        chain.length
          ? info(
              'chain-incomplete',
              `The chain in the file${mode.files ? 's' : ''} stops at ${describe(last.info)}, which is not a root: its issuer "${last.info.issuer}" is not included. Windows completes it from its own store if it can.`,
              'Usually fine (clients have the root certificates); include the intermediate certificates if clients report an incomplete chain.',
            )
          : info(
              'chain-incomplete',
              `Only the certificate ${describe(last.info)} was given, without its issuer: the intermediate "${last.info.issuer}" is missing. Windows may fetch it; many clients will not trust the certificate without it.`,
              'Add the intermediate certificate from your CA (for Let’s Encrypt choose fullchain.pem rather than cert.pem).',
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
  if (primaryKey) checkKey(primaryKey.parsed, leaf, findings);
  if (assembly) {
    assembly.leaf = leaf;
    assembly.key = matches ? primaryKey : null;
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
