import 'server-only';
import { randomBytes } from 'node:crypto';
import type { CertificateSummary, CopyCertificateRequest, VaultRef } from '@/lib/api/types';
import { BuildPfxError, buildPfxFromPem } from '@/lib/certs';
import { AppError } from '@/lib/errors';
import { importPfxCertificate } from './certificates';
import { certificateClient, secretClient } from './clients';
import { errorContext, toAppError } from './errors';
import type { AuditInfo, AzureContext } from './types';
import { vaultForDataPlane } from './vaults';

/**
 * Copy a certificate into another vault on behalf of the user — the way out when its vault is in another region or
 * subscription than the cloud service (cses-field-failures §1.4) or lacks the deployment flag. Key Vault hands out
 * an exportable certificate's key only as its secret (the PFX, or PEM, with the whole chain as imported); that is
 * read on the server and imported into the target with the same checks as an upload. Never to the browser or disk
 * (decision 048).
 */
export async function copyCertificate(
  ctx: AzureContext,
  ref: VaultRef & { certificateName: string },
  req: CopyCertificateRequest,
  who: AuditInfo,
): Promise<CertificateSummary> {
  const [source, target] = await Promise.all([vaultForDataPlane(ctx, ref), vaultForDataPlane(ctx, req.target)]);
  if (source.id.toLowerCase() === target.id.toLowerCase()) {
    throw new AppError({
      code: 'validation_failed',
      reason: 'same-vault',
      message: `${ref.certificateName} is already in ${target.name}.`,
      action: 'Choose a vault in the cloud service’s subscription and region.',
    });
  }
  let policy;
  let version = req.version;
  try {
    const cert = await certificateClient(ctx.credential, ctx.config, source.vaultUri).getCertificate(
      ref.certificateName,
    );
    policy = cert.policy;
    version ??= cert.properties.version;
  } catch (error) {
    throw toAppError(error, errorContext(ctx, source, 'get-certificate', ref.certificateName));
  }
  if (policy?.exportable === false) {
    throw new AppError({
      code: 'validation_failed',
      reason: 'key-not-exportable',
      message: `The private key of ${ref.certificateName} in ${source.name} is not exportable: Key Vault never hands it out, so the certificate cannot be copied to ${target.name}.`,
      action: `Import the original PFX (or PEM files and key) into ${target.name} instead (Re-import), or create a new certificate there. Nothing was changed.`,
    });
  }
  let value: string;
  try {
    const secret = await secretClient(ctx.credential, ctx.config, source.vaultUri).getSecret(
      ref.certificateName,
      version ? { version } : {},
    );
    value = secret.value ?? '';
  } catch (error) {
    throw toAppError(error, errorContext(ctx, source, 'get-secret', ref.certificateName));
  }
  let pfx: Uint8Array;
  let password: string | null = null;
  if (policy?.contentType === 'application/x-pem-file' || value.trimStart().startsWith('-----BEGIN')) {
    // A PEM certificate: the same chain and key as a PFX for the import (lib/certs builds it; the key is wiped).
    password = randomBytes(24).toString('base64url');
    try {
      pfx = (await buildPfxFromPem([{ name: `${ref.certificateName}.pem`, data: value }], password)).pfx;
    } catch (e) {
      if (!(e instanceof BuildPfxError)) throw e;
      throw new AppError({ code: 'pfx_rejected', reason: e.code, message: e.message, action: e.action });
    }
  } else {
    pfx = new Uint8Array(Buffer.from(value, 'base64'));
  }
  // Inspected again (a secret without its key is refused by name), imported, thumbprint checked, bytes wiped.
  return importPfxCertificate(
    ctx,
    { vault: req.target, certificateName: req.certificateName ?? ref.certificateName, pfx, password },
    who,
  );
}
