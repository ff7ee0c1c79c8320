import 'server-only';
import type { Vault } from '@azure/arm-keyvault';
import { inspectPfx, type CertInfo } from '@/lib/certs';
import {
  isParsed,
  parseSecretUrl,
  parseVaultId,
  sameId,
  CLOUD_SERVICE_WRITE,
  isActionAllowed,
  VAULT_DEPLOY,
  type LiveService,
  type Problem,
  type SecretFacts,
  type ServiceFacts,
  type ServiceRights,
  type VaultFacts,
  type VersionFacts,
} from '@/lib/cloud-services';
import { certificateClient, keyVaultManagementClient, secretClient } from './clients';
import { permissionsAt } from './cloud-services';
import { toAppError, type Operation } from './errors';
import type { AzureContext } from './types';

/**
 * What the vaults say about the certificates services use, read on behalf of the user: one ARM read per vault, one
 * version list per certificate (it carries every version's thumbprint, dates and state, so the pinned version and any
 * newer one come from the same read), with bounded parallelism. Requests are shared across the services of one call.
 */
const PARALLEL = 32;

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A failed read as a row's problem: the mapper's code, message and action. */
export function problemOf(
  ctx: Pick<AzureContext, 'upn'>,
  error: unknown,
  operation: Operation,
  vaultName?: string,
  certificateName?: string,
): Problem {
  const e = toAppError(error, {
    operation,
    upn: ctx.upn,
    ...(vaultName && { vaultName }),
    ...(certificateName && { certificateName }),
  });
  return { code: e.reason ?? e.code, message: e.message, action: e.action };
}

/**
 * The certificate a plain PKCS#12 secret holds (its leaf, or the first certificate when none has a key), read in
 * memory: the decoded bytes are zeroed before this returns. Throws when the value is not a PFX without a password.
 */
export async function certificateOfPfxSecret(value: string | undefined): Promise<CertInfo | null> {
  const bytes = new Uint8Array(Buffer.from(value ?? '', 'base64'));
  try {
    const result = await inspectPfx(bytes, null);
    return result.leaf ?? result.chain[0] ?? null;
  } finally {
    bytes.fill(0);
  }
}

const outcome = (error: unknown): 'not-found' | 'forbidden' | 'error' => {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return status === 404 ? 'not-found' : status === 403 ? 'forbidden' : 'error';
};

function vaultFacts(id: string, vault: Vault): VaultFacts {
  const p = vault.properties;
  const parsed = parseVaultId(vault.id ?? id);
  return {
    id,
    name: vault.name ?? parsed?.name ?? '',
    subscriptionId: parsed?.subscriptionId ?? '',
    resourceGroup: parsed?.resourceGroup ?? '',
    read: 'ok',
    trueId: vault.id ?? null,
    location: vault.location ?? null,
    vaultUri: p.vaultUri ?? null,
    enabledForDeployment: p.enabledForDeployment === true,
    publicNetworkAccess: p.publicNetworkAccess ?? 'Enabled',
    networkDefaultAction: p.networkAcls?.defaultAction ?? null,
    networkBypass: p.networkAcls?.bypass ?? null,
    rbac: p.enableRbacAuthorization === true,
  };
}

async function readVault(ctx: AzureContext, id: string): Promise<VaultFacts> {
  const parsed = parseVaultId(id);
  const base: VaultFacts = {
    id,
    name: parsed?.name ?? id,
    subscriptionId: parsed?.subscriptionId ?? '',
    resourceGroup: parsed?.resourceGroup ?? '',
    read: 'not-found',
    trueId: null,
    location: null,
    vaultUri: null,
    enabledForDeployment: null,
    publicNetworkAccess: null,
    networkDefaultAction: null,
    networkBypass: null,
    rbac: null,
  };
  if (!parsed)
    return {
      ...base,
      error: {
        code: 'InvalidVaultId',
        message: `${id} is not a Key Vault resource id.`,
        action: 'Use the vault’s Resource ID.',
      },
    };
  try {
    const v = await keyVaultManagementClient(ctx.credential, ctx.config, parsed.subscriptionId).vaults.get(
      parsed.resourceGroup,
      parsed.name,
    );
    return vaultFacts(id, v);
  } catch (error) {
    return { ...base, read: outcome(error), error: problemOf(ctx, error, 'get-vault', parsed.name) };
  }
}

const upper = (s: string | undefined) => (s ?? '').toUpperCase() || null;

/** Every version of one certificate (or, for a name that is no certificate, of the plain secret). */
async function readVersions(
  ctx: AzureContext,
  origin: string,
  vaultName: string,
  name: string,
  pinned: string[],
  pfxCertificates?: Map<string, CertInfo>,
): Promise<{ versions: VersionFacts[]; read: SecretFacts['read']; error?: Problem }> {
  const url = (version: string) => `${origin}/secrets/${name}/${version}`;
  try {
    const versions: VersionFacts[] = [];
    for await (const p of certificateClient(ctx.credential, ctx.config, origin).listPropertiesOfCertificateVersions(
      name,
    )) {
      versions.push({
        vaultName,
        name,
        version: p.version ?? '',
        secretUrl: url(p.version ?? ''),
        thumbprint: upper(p.x509ThumbprintString),
        enabled: p.enabled !== false,
        notBefore: p.notBefore?.toISOString() ?? null,
        expiresOn: p.expiresOn?.toISOString() ?? null,
        createdOn: p.createdOn?.toISOString() ?? null,
        certificateBacked: true,
        contentType: null,
      });
    }
    if (versions.length) return { versions, read: 'ok' };
  } catch (error) {
    if (outcome(error) !== 'not-found')
      return {
        versions: [],
        read: outcome(error),
        error: problemOf(ctx, error, 'list-certificate-versions', vaultName, name),
      };
  }
  // No certificate of that name: maybe a plain secret (the classic migration leaves PKCS#12 secrets named after the
  // thumbprint). Its thumbprint is in its value only, which is read for the pinned versions when the user may.
  try {
    const client = secretClient(ctx.credential, ctx.config, origin);
    const versions: VersionFacts[] = [];
    for await (const p of client.listPropertiesOfSecretVersions(name)) {
      versions.push({
        vaultName,
        name,
        version: p.version ?? '',
        secretUrl: url(p.version ?? ''),
        thumbprint: null,
        enabled: p.enabled !== false,
        notBefore: p.notBefore?.toISOString() ?? null,
        expiresOn: p.expiresOn?.toISOString() ?? null,
        createdOn: p.createdOn?.toISOString() ?? null,
        certificateBacked: p.managed === true,
        contentType: p.contentType ?? null,
      });
    }
    if (!versions.length)
      return {
        versions,
        read: 'not-found',
        error: {
          code: 'SecretNotFound',
          message: `There is no certificate or secret ${name} in ${vaultName}.`,
          action: 'Rotate this entry to a certificate that exists.',
        },
      };
    for (const v of versions) {
      if (!pinned.includes(v.version.toLowerCase()) || v.contentType !== 'application/x-pkcs12') continue;
      try {
        const secret = await client.getSecret(name, { version: v.version });
        const cert = await certificateOfPfxSecret(secret.value);
        if (cert) {
          pfxCertificates?.set(v.secretUrl, cert);
          v.thumbprint = cert.thumbprint;
          v.notBefore ??= cert.notBefore;
          v.expiresOn ??= cert.notAfter;
        }
      } catch {
        // Not allowed to read the value (or not a PFX): the thumbprint stays unknown, and the row says why.
      }
    }
    return { versions, read: 'ok' };
  } catch (error) {
    return {
      versions: [],
      read: outcome(error),
      error: problemOf(ctx, error, 'list-secret-versions', vaultName, name),
    };
  }
}

/** The content type of each certificate's secrets, from its policy (one read per certificate; for plans). */
async function readContentType(ctx: AzureContext, origin: string, name: string): Promise<string | null> {
  try {
    const c = await certificateClient(ctx.credential, ctx.config, origin).getCertificate(name);
    return c.policy?.contentType ?? null;
  } catch {
    return null;
  }
}

export interface FactsOptions {
  /** Also read each certificate's policy (content type): the plan's preflight needs it, the list does not. */
  contentTypes?: boolean;
  /** URLs to read besides the services' own (the version a rotation goes to). */
  extraUrls?: Array<{ url: string; vaultId: string }>;
  /**
   * Filled with the certificate of each plain PKCS#12 secret version whose value was read (by versioned URL), so a
   * caller that needs more of it than the thumbprint (the migration: key and signature) does not read it again.
   */
  pfxCertificates?: Map<string, CertInfo>;
}

/** Facts for every vault and certificate URL of the given services. */
export async function collectFacts(
  ctx: AzureContext,
  services: LiveService[],
  options: FactsOptions = {},
): Promise<ServiceFacts> {
  const entries = [
    ...services.flatMap((s) =>
      s.secrets.flatMap((g) => g.vaultCertificates.map((c) => ({ url: c.certificateUrl, vaultId: g.sourceVault.id }))),
    ),
    ...(options.extraUrls ?? []),
  ];
  const vaultIds = [...new Map(entries.map((e) => [e.vaultId.toLowerCase(), e.vaultId])).values()];
  const byCertificate = new Map<string, { origin: string; vaultName: string; name: string; pinned: Set<string> }>();
  const invalid: SecretFacts[] = [];
  for (const e of entries) {
    const p = parseSecretUrl(e.url);
    if (!isParsed(p)) {
      invalid.push({ url: e.url, read: 'invalid-url', siblings: [], error: p.problem });
      continue;
    }
    const origin = `https://${p.host}`;
    const key = `${p.host}/${p.name}`.toLowerCase();
    const hit = byCertificate.get(key) ?? { origin, vaultName: p.vaultName, name: p.name, pinned: new Set<string>() };
    hit.pinned.add(p.version.toLowerCase());
    byCertificate.set(key, hit);
  }
  const certs = [...byCertificate.values()];
  const vaultsRead = mapLimit(vaultIds, PARALLEL, (id) => readVault(ctx, id));
  const [vaults, versionLists, contentTypes] = await Promise.all([
    vaultsRead,
    mapLimit(certs, PARALLEL, async (c) => {
      try {
        return await readVersions(ctx, c.origin, c.vaultName, c.name, [...c.pinned], options.pfxCertificates);
      } catch (error) {
        // An untrusted vault host (checkVaultUrl) or the like: reported on the entry, never sent a token.
        return {
          versions: [],
          read: 'error' as const,
          error: problemOf(ctx, error, 'list-certificate-versions', c.vaultName, c.name),
        };
      }
    }),
    options.contentTypes
      ? mapLimit(certs, PARALLEL, (c) => readContentType(ctx, c.origin, c.name).catch(() => null))
      : Promise.resolve([]),
  ]);
  const secrets: SecretFacts[] = [...invalid];
  const seen = new Set(invalid.map((s) => s.url));
  for (const e of entries) {
    if (seen.has(e.url)) continue;
    seen.add(e.url);
    const p = parseSecretUrl(e.url);
    if (!isParsed(p)) continue;
    const i = certs.findIndex(
      (c) => `${c.origin}/${c.name}`.toLowerCase() === `https://${p.host}/${p.name}`.toLowerCase(),
    );
    const list = versionLists[i]!;
    const contentType = contentTypes[i] ?? null;
    const all = list.versions.map((v) => (v.certificateBacked && contentType ? { ...v, contentType } : v));
    const version = all.find((v) => v.version.toLowerCase() === p.version.toLowerCase());
    const sorted = [...all].sort((a, b) => (b.createdOn ?? '').localeCompare(a.createdOn ?? ''));
    secrets.push({
      url: e.url,
      read: list.read === 'ok' && !version ? 'not-found' : list.read,
      ...(version && { version }),
      siblings: sorted.filter((v) => v !== version),
      ...(list.error
        ? { error: list.error }
        : !version && {
            error: {
              code: 'VersionNotFound',
              message: `Version ${p.version} of ${p.name} is not in ${p.vaultName}.`,
              action: 'Rotate this entry to a version that exists.',
            },
          }),
    });
  }
  return { vaults, secrets };
}

/**
 * The user's rights for a change: cloudServices/write on the service, vaults/deploy/action on each vault. When the
 * permissions at a resource cannot be read, those at its resource group stand in (they miss only assignments made
 * on the resource itself); when neither can be read, the right is unknown (null) and Azure decides on Apply.
 */
export async function readRights(ctx: AzureContext, service: LiveService, vaultIds: string[]): Promise<ServiceRights> {
  const ids = [...new Map(vaultIds.map((v) => [v.toLowerCase(), v])).values()];
  const group = (scope: string) => scope.split('/providers/')[0]!;
  const read = (s: string) => permissionsAt(ctx, s).catch(() => null);
  // Both scopes at once: the group's answer is there without a second round trip when the resource's is not.
  const allowed = async (scope: string, action: string): Promise<boolean | null> => {
    const [own, parent] = await Promise.all([read(scope), read(group(scope))]);
    const entries = own ?? parent;
    return entries ? isActionAllowed(entries, action) : null;
  };
  const [write, ...deploy] = await mapLimit([service.id, ...ids], PARALLEL, (scope) =>
    allowed(scope, scope === service.id ? CLOUD_SERVICE_WRITE : VAULT_DEPLOY),
  );
  return {
    write: write ?? null,
    deploy: Object.fromEntries(ids.map((id, i) => [id.toLowerCase(), deploy[i] ?? null])),
  };
}

export { sameId };
