/** A DER input: a PFX opened, its findings made, its certificates and keys assembled; otherwise what else it is. */
import type { Finding, InspectResult } from './types';
import { type ParsedCert, parseCertificate } from './x509';
import { type PfxStructure, UnsupportedError, parsePfx } from './pkcs12';
import { err, warn, emptyResult, LEGACY_REEXPORT } from './findings';
import { KEY_VAULT_MAX_CHARS } from './limits';
import { openPfx } from './decrypt';
import { openingFindings, protectionFindings } from './pfx-findings';
import { assembleChecked } from './chain';
import { classifyNonPfx } from './detect';

export async function inspectDer(bytes: Uint8Array, password: string | null, now: Date): Promise<InspectResult> {
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

  for (const p of pfx.parts)
    if (p.type === 'enveloped' || p.type === 'other')
      findings.push(
        err(
          'unsupported-algorithm',
          'Part of this PFX is encrypted to a public key (PKCS#12 public-key privacy mode), which Key Vault cannot read.',
          `Export the PFX again with password protection. ${LEGACY_REEXPORT}`,
        ),
      );

  const opened = await openPfx(pfx, password);
  const { info: pfxInfo, bags, keys, mac: st, unsupported, corruptDetail, excessive } = opened;
  if (!openingFindings(pfx, opened, password, findings)) {
    const r = emptyResult(findings, 'pkcs12');
    r.pfx = pfxInfo;
    return r;
  }
  protectionFindings(pfx, pfxInfo, bags, password, findings);

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
