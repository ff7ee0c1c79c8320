import 'server-only';
import type {
  CertificateSummary,
  ConvertSecretRequest,
  UnbackedSecret,
  UnbackedSecretList,
  VaultRef,
} from '@/lib/api/types';
import { inspectPfx } from '@/lib/certs';
import { AppError } from '@/lib/errors';
import { importPfxCertificate, listAllCertificateVersions } from './certificates';
import { mapLimit } from './cloud-service-facts';
import { secretClient } from './clients';
import { errorContext, toAppError } from './errors';
import type { AuditInfo, AzureContext } from './types';
import { vaultForDataPlane } from './vaults';

/**
 * The classic → CSES migration leaves certificates as plain PKCS#12 secrets (cses-field-failures §6.1), which the
 * platform refuses (CertificateImproperlyFormatted) and the portal, PowerShell and this wizard cannot find as
 * certificates. Listing reads each such secret on the server to show its thumbprint, subject and expiry; converting
 * reads it again and imports it as a certificate — the bytes never reach the browser or the disk (decision 047).
 */
const PKCS12 = 'application/x-pkcs12';
const PARALLEL = 8;

const base64Bytes = (value: string) => new Uint8Array(Buffer.from(value, 'base64'));

/** Decoded PKCS#12 of a secret value, or why it is not one (the value is base64 of the PFX for this content type). */
async function readPfx(value: string | undefined) {
  const text = (value ?? '').trim();
  if (!text || !/^[A-Za-z0-9+/=\r\n]+$/.test(text)) return { bytes: null, inspection: null };
  const bytes = base64Bytes(text);
  return { bytes, inspection: await inspectPfx(bytes, null) };
}

function notPkcs12(name: string, vaultName: string, detail?: string) {
  return {
    code: 'secret-not-pkcs12',
    message: `Secret ${name} in ${vaultName} is not a PKCS#12 (PFX) file without a password${detail ? `: ${detail}` : ''}.`,
    action:
      'Nothing was changed. If it holds a certificate, import the original PFX (or PEM files and key) as a certificate in the certificate step instead.',
  };
}

/** Every PKCS#12 secret of the vault that no certificate backs, with what its PFX holds. */
export async function listUnbackedSecrets(ctx: AzureContext, ref: VaultRef): Promise<UnbackedSecretList> {
  const vault = await vaultForDataPlane(ctx, ref);
  const client = secretClient(ctx.credential, ctx.config, vault.vaultUri);
  const found: Array<{ name: string; enabled: boolean; updatedOn: string | null }> = [];
  try {
    for await (const p of client.listPropertiesOfSecrets()) {
      if (p.managed === true || (p.contentType ?? '').toLowerCase() !== PKCS12) continue;
      found.push({ name: p.name, enabled: p.enabled !== false, updatedOn: p.updatedOn?.toISOString() ?? null });
    }
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'list-secrets'));
  }
  // Certificates already holding the same certificate (converted before, or imported by hand).
  const versions = found.length ? await listAllCertificateVersions(ctx, ref).catch(() => []) : [];
  const secrets = await mapLimit(found, PARALLEL, async (s): Promise<UnbackedSecret> => {
    const row: UnbackedSecret = {
      name: s.name,
      version: '',
      secretId: '',
      enabled: s.enabled,
      updatedOn: s.updatedOn,
      status: 'unreadable',
      thumbprint: null,
      subject: null,
      notAfter: null,
      certificate: null,
      problem: null,
    };
    let bytes: Uint8Array | null = null;
    try {
      const secret = await client.getSecret(s.name);
      row.version = secret.properties.version ?? '';
      row.secretId = secret.properties.id ?? '';
      const read = await readPfx(secret.value);
      bytes = read.bytes;
      const leaf = read.inspection?.leaf ?? null;
      const blocking = read.inspection?.findings.find((f) => f.severity === 'error');
      if (!read.inspection || !leaf) {
        row.status = 'not-pkcs12';
        row.problem = notPkcs12(s.name, vault.name, blocking?.message);
        return row;
      }
      row.thumbprint = leaf.thumbprint;
      row.subject = leaf.subject;
      row.notAfter = leaf.notAfter;
      const same = versions.find((v) => v.thumbprint === leaf.thumbprint);
      if (same) {
        row.status = 'certificate';
        row.certificate = { name: same.name, version: same.version };
      } else if (blocking) {
        row.status = 'not-pkcs12';
        row.problem = { code: blocking.code, message: blocking.message, action: blocking.action };
      } else row.status = 'convertible';
      return row;
    } catch (error) {
      const e = toAppError(error, errorContext(ctx, vault, 'get-secret'));
      row.problem = { code: e.reason ?? e.code, message: e.message, action: e.action };
      return row;
    } finally {
      bytes?.fill(0);
    }
  });
  return { vault: { id: vault.id, name: vault.name, location: vault.location }, secrets };
}

/** Read a PKCS#12 secret on behalf of the user and import it as a certificate (the secret itself stays as it is). */
export async function convertSecretToCertificate(
  ctx: AzureContext,
  ref: VaultRef & { secretName: string },
  req: ConvertSecretRequest,
  who: AuditInfo,
): Promise<CertificateSummary> {
  const vault = await vaultForDataPlane(ctx, ref);
  const client = secretClient(ctx.credential, ctx.config, vault.vaultUri);
  let secret;
  try {
    secret = await client.getSecret(ref.secretName, req.version ? { version: req.version } : {});
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'get-secret'));
  }
  if (secret.properties.managed === true) {
    throw new AppError({
      code: 'conflict',
      reason: 'secret-is-certificate',
      message: `${ref.secretName} in ${vault.name} already is a Key Vault certificate.`,
      action: 'Nothing to convert: use the certificate itself.',
    });
  }
  const { bytes, inspection } = await readPfx(secret.value);
  const blocking = inspection?.findings.find((f) => f.severity === 'error');
  if (!bytes || !inspection?.leaf || blocking) {
    bytes?.fill(0);
    const p =
      !bytes || !inspection?.leaf
        ? notPkcs12(ref.secretName, vault.name, blocking?.message)
        : { code: blocking!.code, message: blocking!.message, action: `${blocking!.action} Nothing was changed.` };
    throw new AppError({ code: 'pfx_rejected', reason: p.code, message: p.message, action: p.action });
  }
  // importPfxCertificate inspects again, imports, checks Key Vault's thumbprint against the leaf and wipes the bytes.
  return importPfxCertificate(
    ctx,
    { vault: ref, certificateName: req.certificateName, pfx: bytes, password: null },
    who,
  );
}
