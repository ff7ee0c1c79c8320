import 'server-only';
import type { KeyVaultCertificateWithPolicy } from '@azure/keyvault-certificates';
import { AppError } from '@/lib/api/errors';
import { inspectPfx } from '@/lib/certs';
import { certificateClient } from './clients';
import { toAppError } from './errors';
import { audit } from '@/lib/log';
import { getVault, type AuditInfo, type AzureContext } from './vaults';
import type { CertificateSummary, VaultRef, VaultSummary } from './types';

export type { CertificateSummary };

function summarize(cert: KeyVaultCertificateWithPolicy, vault: VaultSummary): CertificateSummary {
  const p = cert.properties;
  return {
    name: cert.name,
    version: p.version ?? '',
    thumbprint: (p.x509ThumbprintString ?? '').toUpperCase(),
    certificateId: cert.id ?? p.id ?? '',
    secretId: cert.secretId ?? '',
    vaultId: vault.id,
    vaultUri: vault.vaultUri,
    subject: cert.policy?.subject ?? '',
    notBefore: p.notBefore?.toISOString() ?? null,
    expiresOn: p.expiresOn?.toISOString() ?? null,
    enabled: p.enabled !== false,
    contentType: cert.policy?.contentType ?? null,
    exportable: cert.policy?.exportable ?? null,
  };
}

export interface ImportRequest {
  vault: VaultRef;
  certificateName: string;
  /** The PFX bytes; zeroed when the import ends, whatever the outcome. */
  pfx: Uint8Array;
  /** null when the user gave no password. */
  password: string | null;
}

/**
 * Imports a PFX: inspects it first (so a wrong password or a file without its key gets a precise answer before
 * anything is sent), imports it, then checks that Key Vault's thumbprint is the leaf's — never a silently wrong one.
 */
export async function importPfxCertificate(ctx: AzureContext, req: ImportRequest, who: AuditInfo): Promise<CertificateSummary> {
  try {
    const inspection = await inspectPfx(req.pfx, req.password);
    const firstError = inspection.findings.find((f) => f.severity === 'error');
    if (firstError || !inspection.leaf) {
      throw new AppError({
        code: 'pfx_rejected',
        reason: firstError?.code ?? 'no-leaf',
        message: firstError?.message ?? 'No certificate with a private key was found in this file.',
        action: firstError?.action ?? 'Export the certificate again as a PFX that includes its private key.',
      });
    }
    const vault = await getVault(ctx, req.vault);
    const errorContext = { operation: 'import-certificate' as const, vaultName: vault.name, vaultId: vault.id, certificateName: req.certificateName, rbac: vault.rbac };
    let imported: KeyVaultCertificateWithPolicy;
    try {
      imported = await certificateClient(ctx.credential, ctx.config, vault.vaultUri).importCertificate(req.certificateName, req.pfx, {
        ...(req.password ? { password: req.password } : {}),
      });
    } catch (error) {
      throw toAppError(error, errorContext);
    }
    const summary = summarize(imported, vault);
    if (summary.thumbprint !== inspection.leaf.thumbprint) {
      throw new AppError({
        code: 'conflict',
        reason: 'thumbprint-mismatch',
        message: `Key Vault reports thumbprint ${summary.thumbprint || '(none)'} but the file's leaf certificate is ${inspection.leaf.thumbprint}.`,
        action: `Do not use version ${summary.version} in a deployment; check which certificate the PFX holds and import again.`,
      });
    }
    audit('certificate.imported', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      vault: vault.id,
      certificate: summary.name,
      version: summary.version,
      thumbprint: summary.thumbprint,
    });
    return summary;
  } finally {
    req.pfx.fill(0);
  }
}

/** Route adapter: reads the uploaded file into memory (never to disk) and imports it. */
export async function importPfxUpload(
  ctx: AzureContext,
  params: VaultRef & { certificateName: string },
  form: { file: File; password?: string },
  who: AuditInfo,
): Promise<CertificateSummary> {
  const pfx = new Uint8Array(await form.file.arrayBuffer());
  return importPfxCertificate(ctx, { vault: params, certificateName: params.certificateName, pfx, password: form.password ? form.password : null }, who);
}

/** The latest version of a certificate, or the given version (`getCertificateVersion` carries no policy). */
export async function getCertificate(ctx: AzureContext, vault: VaultRef, certificateName: string, version?: string): Promise<CertificateSummary> {
  const summary = await getVault(ctx, vault);
  try {
    const client = certificateClient(ctx.credential, ctx.config, summary.vaultUri);
    if (!version) return summarize(await client.getCertificate(certificateName), summary);
    const [pinned, latest] = await Promise.all([client.getCertificateVersion(certificateName, version), client.getCertificate(certificateName)]);
    return summarize({ ...pinned, policy: latest.policy }, summary);
  } catch (error) {
    throw toAppError(error, { operation: 'get-certificate', vaultName: summary.name, vaultId: summary.id, certificateName, rbac: summary.rbac });
  }
}
