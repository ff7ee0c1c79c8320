/** Findings about how a PFX opened (password, damage, budget) and how it is protected (MAC, encryption). */
import type { Finding, PfxInfo } from './types';
import type { PfxStructure } from './pkcs12';
import type { OpenedPfx } from './decrypt';
import { err, warn, info, LEGACY_REEXPORT } from './findings';
import { MAX_ITERATIONS, MAX_TOTAL_ITERATIONS } from './limits';

const CHECK_PASSWORD =
  'Check the password (it is case-sensitive; watch keyboard layouts and trailing spaces) and try again.';

/**
 * Unsupported algorithms, excessive iterations, a wrong password, damage, the legacy password form. Returns false
 * when the password is wrong: nothing else can be said about the file then.
 */
export function openingFindings(
  pfx: PfxStructure,
  opened: OpenedPfx,
  password: string | null,
  findings: Finding[],
): boolean {
  const {
    info: pfxInfo,
    bags,
    keys,
    mac: st,
    macForm,
    usedForms,
    wrongPassword,
    unsupported,
    corruptDetail,
    excessive,
  } = opened;
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
      return false;
    }
  }
  if (corruptDetail)
    findings.push(
      err('corrupt', `The PFX is damaged: ${corruptDetail}.`, 'Export the PFX again from the original source.'),
    );
  const legacyUsed = macForm?.legacy || usedForms.some((f) => f.legacy);
  if (legacyUsed)
    findings.push(
      warn(
        'legacy-password-encoding',
        'The password only works in the byte-wise form old OpenSSL 1.x used for non-ASCII characters; Windows and Key Vault may not accept it.',
        'Export the PFX again with OpenSSL 3 (or Windows), or use an ASCII-only password.',
      ),
    );
  return true;
}

/** PBMAC1, no MAC, AES or weak legacy encryption, no password, ignored bags. May mark the file as passwordless. */
export function protectionFindings(
  pfx: PfxStructure,
  pfxInfo: PfxInfo,
  bags: OpenedPfx['bags'],
  password: string | null,
  findings: Finding[],
): void {
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
}
