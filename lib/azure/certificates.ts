import 'server-only';
import { randomUUID } from 'node:crypto';
import type {
  CertificateClient,
  CertificatePolicy,
  KeyVaultCertificate,
  KeyVaultCertificateWithPolicy,
} from '@azure/keyvault-certificates';
import { AppError } from '@/lib/errors';
import { inspectPfx } from '@/lib/certs';
import { certificateFacts } from '@/lib/certs/x509';
import { certificateClient, importRequestsSent } from './clients';
import { errorContext, toAppError } from './errors';
import { audit } from '@/lib/log';
import type { AuditInfo, AzureContext } from './types';
import { vaultForDataPlane } from './vaults';
import type {
  CertificateListItem,
  CertificateNameStatus,
  CertificateOperationSummary,
  CertificateSummary,
  CertificateVersionItem,
  SelfSignedRequest,
  VaultRef,
  VaultSummary,
} from '@/lib/api/types';

const NO_FACTS = {
  issuer: '',
  subject: '',
  keyType: null,
  keySize: null,
  curve: null,
  signatureAlgorithm: null,
  dnsNames: [] as string[],
};

/** Facts only the certificate itself carries (Key Vault's policy may describe a different, later key). */
function parsedFacts(cer: Uint8Array | undefined) {
  if (!cer || cer.length === 0) return { ...NO_FACTS, dnsNames: [] };
  try {
    const facts = certificateFacts(cer);
    return {
      issuer: facts.issuer,
      subject: facts.subject,
      keyType: facts.publicKey.type,
      keySize: facts.publicKey.bits ?? null,
      curve: facts.publicKey.curve ?? null,
      signatureAlgorithm: facts.signatureAlgorithm,
      dnsNames: facts.sans.dns,
    };
  } catch {
    return { ...NO_FACTS, dnsNames: [] };
  }
}

function summarize(cert: KeyVaultCertificateWithPolicy, vault: VaultSummary): CertificateSummary {
  const p = cert.properties;
  const { subject, ...facts } = parsedFacts(cert.cer);
  return {
    ...facts,
    createdOn: p.createdOn?.toISOString() ?? null,
    name: cert.name,
    version: p.version ?? '',
    thumbprint: (p.x509ThumbprintString ?? '').toUpperCase(),
    certificateId: cert.id ?? p.id ?? '',
    secretId: cert.secretId ?? '',
    vaultId: vault.id,
    vaultUri: vault.vaultUri,
    subject: cert.policy?.subject || subject,
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
export async function importPfxCertificate(
  ctx: AzureContext,
  req: ImportRequest,
  who: AuditInfo,
): Promise<CertificateSummary> {
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
    const vault = await vaultForDataPlane(ctx, req.vault);
    const importContext = errorContext(ctx, vault, 'import-certificate', req.certificateName);
    const client = certificateClient(ctx.credential, ctx.config, vault.vaultUri);
    // Key Vault's import is not idempotent: a retried POST (the SDK retries a connection lost after Key Vault stored
    // the version) stores another version. Each import is tagged with its own id, so the versions this request made
    // — and only those — can be found afterwards (decision 050).
    const importId = randomUUID();
    const sentBefore = importRequestsSent(client);
    let imported: KeyVaultCertificateWithPolicy;
    try {
      imported = await client.importCertificate(req.certificateName, req.pfx, {
        ...(req.password ? { password: req.password } : {}),
        tags: { [IMPORT_TAG]: importId },
      });
    } catch (error) {
      const stored = mayHaveStored(error)
        ? await ownLatestVersion(client, req.certificateName, importId, inspection.leaf.thumbprint).catch(
            () => undefined,
          )
        : undefined;
      if (!stored) throw toAppError(error, importContext);
      imported = stored;
    }
    // Sent once and answered: no retry, so no duplicate to look for (one Key Vault call saved per import). Sent
    // more than once (or not counted), the versions are read and this request's duplicates disabled.
    const collapsed =
      importRequestsSent(client) - sentBefore === 1
        ? []
        : await collapseDuplicates(client, req.certificateName, importId, imported).catch(() => [] as string[]);
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
      ...(collapsed.length && { duplicatesDisabled: collapsed }),
    });
    return summary;
  } finally {
    req.pfx.fill(0);
  }
}

/** The tag every import carries: a random id per import request (never anything about the user or the file). */
const IMPORT_TAG = 'cses-import-id';

/** A failure after which Key Vault may still have stored the version: no answer, a timeout, or a 5xx. */
function mayHaveStored(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}

async function ownVersions(client: CertificateClient, name: string, importId: string) {
  const out = [];
  for await (const p of client.listPropertiesOfCertificateVersions(name))
    if (p.tags?.[IMPORT_TAG] === importId && p.version) out.push(p);
  return out;
}

/**
 * After an import failed without an answer: the version this request stored anyway, if any (the newest of its own,
 * preferring the certificate's current version), or undefined.
 */
async function ownLatestVersion(
  client: CertificateClient,
  name: string,
  importId: string,
  thumbprint: string,
): Promise<KeyVaultCertificateWithPolicy | undefined> {
  const own = (await ownVersions(client, name, importId)).filter(
    (p) => (p.x509ThumbprintString ?? '').toUpperCase() === thumbprint,
  );
  if (own.length === 0) return undefined;
  const latest = await client.getCertificate(name);
  if (own.some((p) => p.version === latest.properties.version)) return latest;
  own.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
  return { ...(await client.getCertificateVersion(name, own[0]!.version!)), policy: latest.policy };
}

/**
 * The other versions this very request stored (same import id, same thumbprint) are disabled — Key Vault cannot
 * delete a single version — and tagged with the version that stands for the import, so the user sees one. Versions
 * of other imports, even of the same file, are never touched. Returns the versions disabled.
 */
async function collapseDuplicates(
  client: CertificateClient,
  name: string,
  importId: string,
  kept: KeyVaultCertificateWithPolicy,
): Promise<string[]> {
  const thumbprint = kept.properties.x509ThumbprintString;
  const duplicates = (await ownVersions(client, name, importId)).filter(
    (p) => p.version !== kept.properties.version && p.x509ThumbprintString === thumbprint && p.enabled !== false,
  );
  for (const d of duplicates) {
    await client.updateCertificateProperties(name, d.version!, {
      enabled: false,
      tags: { ...d.tags, 'cses-duplicate-of': kept.properties.version ?? '' },
    });
  }
  return duplicates.map((d) => d.version!);
}

/** Route adapter: reads the uploaded file into memory (never to disk) and imports it. */
export async function importPfxUpload(
  ctx: AzureContext,
  params: VaultRef & { certificateName: string },
  form: { file: File; password?: string },
  who: AuditInfo,
): Promise<CertificateSummary> {
  const pfx = new Uint8Array(await form.file.arrayBuffer());
  return importPfxCertificate(
    ctx,
    { vault: params, certificateName: params.certificateName, pfx, password: form.password ? form.password : null },
    who,
  );
}

/** The latest version of a certificate, or the given version (`getCertificateVersion` carries no policy). */
export async function getCertificate(
  ctx: AzureContext,
  vault: VaultRef,
  certificateName: string,
  version?: string,
): Promise<CertificateSummary> {
  const summary = await vaultForDataPlane(ctx, vault);
  try {
    const client = certificateClient(ctx.credential, ctx.config, summary.vaultUri);
    if (!version) return summarize(await client.getCertificate(certificateName), summary);
    const [pinned, latest] = await Promise.all([
      client.getCertificateVersion(certificateName, version),
      client.getCertificate(certificateName),
    ]);
    return summarize({ ...pinned, policy: latest.policy }, summary);
  } catch (error) {
    throw toAppError(error, {
      operation: 'get-certificate',
      vaultName: summary.name,
      vaultId: summary.id,
      certificateName,
      rbac: summary.rbac,
      upn: ctx.upn,
    });
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

/** The vault's certificates (latest version's attributes), by name. */
export async function listCertificates(ctx: AzureContext, ref: VaultRef): Promise<CertificateListItem[]> {
  const vault = await vaultForDataPlane(ctx, ref);
  try {
    const out: CertificateListItem[] = [];
    for await (const p of certificateClient(
      ctx.credential,
      ctx.config,
      vault.vaultUri,
    ).listPropertiesOfCertificates()) {
      out.push({
        name: p.name ?? '',
        enabled: p.enabled !== false,
        thumbprint: (p.x509ThumbprintString ?? '').toUpperCase(),
        notBefore: p.notBefore?.toISOString() ?? null,
        expiresOn: p.expiresOn?.toISOString() ?? null,
        updatedOn: p.updatedOn?.toISOString() ?? null,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'list-certificates'));
  }
}

async function versionsOf(ctx: AzureContext, vault: VaultSummary, name: string): Promise<CertificateVersionItem[]> {
  const client = certificateClient(ctx.credential, ctx.config, vault.vaultUri);
  const [latest, all] = await Promise.all([
    client.getCertificate(name),
    (async () => {
      const out = [];
      for await (const p of client.listPropertiesOfCertificateVersions(name)) out.push(p);
      return out;
    })(),
  ]);
  const latestVersion = latest.properties.version;
  return all
    .map((p) => ({
      name,
      version: p.version ?? '',
      enabled: p.enabled !== false,
      thumbprint: (p.x509ThumbprintString ?? '').toUpperCase(),
      notBefore: p.notBefore?.toISOString() ?? null,
      expiresOn: p.expiresOn?.toISOString() ?? null,
      createdOn: p.createdOn?.toISOString() ?? null,
      isLatest: p.version === latestVersion,
    }))
    .sort((a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? '') || Number(b.isLatest) - Number(a.isLatest));
}

/** Every version of one certificate, newest first, with the latest marked. */
export async function listCertificateVersions(
  ctx: AzureContext,
  ref: VaultRef,
  name: string,
): Promise<CertificateVersionItem[]> {
  const vault = await vaultForDataPlane(ctx, ref);
  try {
    return await versionsOf(ctx, vault, name);
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'list-certificate-versions', name));
  }
}

/** Every version of every certificate in the vault: what a .cscfg's thumbprints are checked against. */
export async function listAllCertificateVersions(ctx: AzureContext, ref: VaultRef): Promise<CertificateVersionItem[]> {
  const vault = await vaultForDataPlane(ctx, ref);
  const names: string[] = [];
  try {
    for await (const p of certificateClient(ctx.credential, ctx.config, vault.vaultUri).listPropertiesOfCertificates())
      if (p.name) names.push(p.name);
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'list-certificates'));
  }
  const out: CertificateVersionItem[] = [];
  for (const name of names) {
    try {
      out.push(...(await versionsOf(ctx, vault, name)));
    } catch (error) {
      throw toAppError(error, errorContext(ctx, vault, 'list-certificate-versions', name));
    }
  }
  return out;
}

/** Whether `name` is free, taken (a new import adds a version) or held by a deleted, recoverable certificate. */
export async function certificateNameStatus(
  ctx: AzureContext,
  ref: VaultRef,
  name: string,
): Promise<CertificateNameStatus> {
  const vault = await vaultForDataPlane(ctx, ref);
  const client = certificateClient(ctx.credential, ctx.config, vault.vaultUri);
  try {
    const c = await client.getCertificate(name);
    return {
      status: 'exists',
      name,
      version: c.properties.version ?? '',
      expiresOn: c.properties.expiresOn?.toISOString() ?? null,
      thumbprint: (c.properties.x509ThumbprintString ?? '').toUpperCase(),
    };
  } catch (error) {
    if (statusOf(error) !== 404) throw toAppError(error, errorContext(ctx, vault, 'get-certificate', name));
  }
  try {
    const d = await client.getDeletedCertificate(name);
    return {
      status: 'deleted-recoverable',
      name,
      deletedOn: d.deletedOn?.toISOString() ?? null,
      scheduledPurgeDate: d.scheduledPurgeDate?.toISOString() ?? null,
    };
  } catch (error) {
    const status = statusOf(error);
    // 404: nothing deleted under that name. 403: we cannot see deleted certificates; the import will say so if it matters.
    if (status === 404 || status === 403) return { status: 'available', name };
    throw toAppError(error, errorContext(ctx, vault, 'get-deleted-certificate', name));
  }
}

function selfSignedPolicy(req: SelfSignedRequest): CertificatePolicy {
  return {
    issuerName: 'Self',
    subject: req.subject,
    ...(req.dnsNames.length ? { subjectAlternativeNames: { dnsNames: req.dnsNames } } : {}),
    validityInMonths: req.validityMonths,
    keyType: req.keyType,
    ...(req.keyType === 'RSA' ? { keySize: req.keySize ?? 2048 } : { keyCurveName: req.curve ?? 'P-256' }),
    exportable: true,
    reuseKey: false,
    contentType: 'application/x-pkcs12',
    keyUsage: req.keyType === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'],
    enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
  } as CertificatePolicy;
}

async function operationSummary(
  ctx: AzureContext,
  vault: VaultSummary,
  name: string,
  op: { status?: string; statusDetails?: string; error?: { message?: string } } | undefined,
): Promise<CertificateOperationSummary> {
  const status = op?.status ?? 'inProgress';
  const out: CertificateOperationSummary = {
    name,
    status,
    statusDetails: op?.statusDetails ?? null,
    error: op?.error?.message ?? null,
  };
  if (status.toLowerCase() === 'completed') {
    out.status = 'completed';
    out.certificate = summarize(
      await certificateClient(ctx.credential, ctx.config, vault.vaultUri).getCertificate(name),
      vault,
    );
  }
  return out;
}

/** Starts a self-signed certificate (exportable key, PKCS#12 secret); returns at once with the operation's state. */
export async function startSelfSigned(
  ctx: AzureContext,
  ref: VaultRef,
  name: string,
  req: SelfSignedRequest,
  who: AuditInfo,
): Promise<CertificateOperationSummary> {
  const vault = await vaultForDataPlane(ctx, ref);
  try {
    const client = certificateClient(ctx.credential, ctx.config, vault.vaultUri);
    await client.beginCreateCertificate(name, selfSignedPolicy(req));
    audit('certificate.create.started', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      vault: vault.id,
      certificate: name,
    });
    const op = await client.getCertificateOperation(name);
    return await operationSummary(ctx, vault, name, op.getOperationState().certificateOperation);
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'create-certificate', name));
  }
}

/** The state of a pending create (poll until `completed`). */
export async function getCreateOperation(
  ctx: AzureContext,
  ref: VaultRef,
  name: string,
): Promise<CertificateOperationSummary> {
  const vault = await vaultForDataPlane(ctx, ref);
  try {
    const poller = await certificateClient(ctx.credential, ctx.config, vault.vaultUri).getCertificateOperation(name);
    return await operationSummary(ctx, vault, name, poller.getOperationState().certificateOperation);
  } catch (error) {
    throw toAppError(error, errorContext(ctx, vault, 'get-certificate-operation', name));
  }
}

/** Recovers a deleted (soft-deleted) certificate with all its versions. */
export async function recoverCertificate(
  ctx: AzureContext,
  ref: VaultRef,
  name: string,
  who: AuditInfo,
): Promise<CertificateSummary> {
  const vault = await vaultForDataPlane(ctx, ref);
  try {
    const client = certificateClient(ctx.credential, ctx.config, vault.vaultUri);
    // The SDK's recover poller GETs the certificate first and, if it exists, reports success without asking Key
    // Vault. Ask for the deleted certificate first, so a certificate that is not deleted gets Key Vault's 404.
    try {
      await client.getDeletedCertificate(name);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404)
        throw new AppError({
          code: 'not_found',
          reason: 'CertificateNotFound',
          message: `The certificate '${name}' is not deleted, so there is nothing to recover.`,
          action: 'Use the certificate as it is, or pick the deleted certificate you meant.',
        });
      throw error;
    }
    const poller = await client.beginRecoverDeletedCertificate(name, { intervalInMs: 500 });
    await poller.pollUntilDone();
    const summary = summarize(await client.getCertificate(name), vault);
    audit('certificate.recovered', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      vault: vault.id,
      certificate: name,
    });
    return summary;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw toAppError(error, errorContext(ctx, vault, 'recover-certificate', name));
  }
}

export type { KeyVaultCertificate };
