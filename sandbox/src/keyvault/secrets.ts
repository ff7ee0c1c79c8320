import { azError, badParameter, secretNotFound } from '../errors.js';
import { sendEmpty, sendJson } from '../http.js';
import { newVersion, nowSeconds } from '../ids.js';
import { buildPasswordlessPkcs12, buildPem } from '../pkcs12.js';
import type { Certificate, CertVersion, Secret, SecretVersion, Vault } from '../model.js';
import { authorize } from './auth.js';
import { isSettledDeleted, nameInUse, softDeletedNow, startRecovery } from './lifecycle.js';
import { findCert } from './lookup.js';
import { NAME_RE, type KvRequest } from './request.js';
import { attributesJson, jsonBody, kvHeaders, latest, pageOf, recoveryOf } from './wire.js';

// The secrets API (`@azure/keyvault-secrets`): plain secrets (set, get, list, versions, update, delete, recover,
// purge) and the managed secrets behind certificates, which Key Vault serves read-only under the same names
// (`/secrets/{name}/{version}` of a certificate version is its PFX or PEM, `managed: true`, with the key's `kid`).
// Backup and restore: backup.ts.

const DATA = 'Microsoft.KeyVault/vaults/secrets';
type SecretPerm = 'get' | 'list' | 'set' | 'delete' | 'recover' | 'purge' | 'backup' | 'restore';
const DATA_ACTION: Record<SecretPerm, string> = {
  get: `${DATA}/getSecret/action`,
  list: `${DATA}/readMetadata/action`,
  set: `${DATA}/setSecret/action`,
  delete: `${DATA}/delete`,
  recover: `${DATA}/recover/action`,
  purge: `${DATA}/purge/action`,
  backup: `${DATA}/backup/action`,
  restore: `${DATA}/restore/action`,
};

export function authorizeSecret(r: KvRequest, perm: SecretPerm, name?: string): void {
  authorize(r.d, r.vault, r.caller, 'secrets', perm, DATA_ACTION[perm], name);
}

export function findSecret(r: KvRequest, name: string): Secret | undefined {
  return r.d.store.vaultSecrets(r.vault.name)[name.toLowerCase()];
}

/** A managed secret is read-only: Key Vault refuses set, update and delete on it. */
function managedRefusal(operation: string) {
  return azError(
    403,
    'Forbidden',
    `Operation "${operation}" is not allowed as this object's lifetime is managed by Key Vault.`,
    'SecretManagedByKeyVault',
  );
}

function deletedSecretNotFound(name: string) {
  return azError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
}

// ---- wire shapes --------------------------------------------------------------------------------------------

function plainAttributes(vault: Vault, v: SecretVersion): Record<string, unknown> {
  return {
    enabled: v.enabled,
    ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
    ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created,
    updated: v.updated,
    ...recoveryOf(vault),
  };
}

function tagsOf(tags: Record<string, string> | undefined): Record<string, unknown> {
  return tags && Object.keys(tags).length ? { tags } : {};
}

/** SecretBundle of a plain secret version; `withValue` false for update/delete/recover answers. */
export function plainBundle(r: KvRequest, s: Secret, v: SecretVersion, withValue = true): Record<string, unknown> {
  return {
    ...(withValue ? { value: v.value } : {}),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    id: `${r.ctx.origin}/secrets/${s.name}/${v.version}`,
    attributes: plainAttributes(r.vault, v),
    ...tagsOf(v.tags),
  };
}

function plainItem(r: KvRequest, s: Secret, v: SecretVersion, withVersion: boolean): Record<string, unknown> {
  return {
    id: `${r.ctx.origin}/secrets/${s.name}${withVersion ? `/${v.version}` : ''}`,
    attributes: plainAttributes(r.vault, v),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    ...tagsOf(v.tags),
  };
}

function managedItem(r: KvRequest, c: Certificate, v: CertVersion, withVersion: boolean): Record<string, unknown> {
  return {
    id: `${r.ctx.origin}/secrets/${c.name}${withVersion ? `/${v.version}` : ''}`,
    attributes: attributesJson(r.vault, v),
    contentType: v.contentType,
    managed: true,
    ...tagsOf(v.tags),
  };
}

function deletedFields(r: KvRequest, s: Secret): Record<string, unknown> {
  return {
    recoveryId: `${r.ctx.origin}/deletedsecrets/${s.name}`,
    deletedDate: s.deleted!.deletedDate,
    scheduledPurgeDate: s.deleted!.scheduledPurgeDate,
  };
}

function latestVersion(s: Secret): SecretVersion {
  return s.versions[s.versions.length - 1]!;
}

/** The live plain secret, or Key Vault's 404. */
function liveSecret(r: KvRequest, name: string): Secret {
  const s = findSecret(r, name);
  if (!s || s.deleted || s.versions.length === 0) throw secretNotFound(name);
  return s;
}

function liveManaged(r: KvRequest, name: string): Certificate | undefined {
  const c = findCert(r.d, r.vault, name);
  return c && !c.deleted && c.versions.length > 0 ? c : undefined;
}

// ---- attributes and tags from a request ----------------------------------------------------------------------

interface SecretFields {
  contentType?: string;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  tags?: Record<string, string>;
}

function fieldsOf(body: Record<string, unknown>): SecretFields {
  const out: SecretFields = {};
  if (body.contentType !== undefined && body.contentType !== null) {
    if (typeof body.contentType !== 'string') throw badParameter('Property contentType has invalid value.');
    out.contentType = body.contentType;
  }
  const attrs = body.attributes;
  if (attrs !== undefined && attrs !== null) {
    if (typeof attrs !== 'object' || Array.isArray(attrs)) throw badParameter('Property attributes has invalid value.');
    const a = attrs as Record<string, unknown>;
    if (a.enabled !== undefined && a.enabled !== null) {
      if (typeof a.enabled !== 'boolean') throw badParameter('Property attributes.enabled has invalid value.');
      out.enabled = a.enabled;
    }
    for (const k of ['nbf', 'exp'] as const) {
      if (a[k] === undefined || a[k] === null) continue;
      if (!Number.isInteger(a[k])) throw badParameter(`Property attributes.${k} has invalid value.`);
      out[k] = a[k] as number;
    }
  }
  if (body.tags !== undefined && body.tags !== null) {
    const t = body.tags;
    if (typeof t !== 'object' || Array.isArray(t) || Object.values(t).some((x) => typeof x !== 'string'))
      throw badParameter('Property tags has invalid value.');
    if (Object.keys(t).length > 15) throw badParameter('The number of tags exceeds the maximum of 15.');
    out.tags = t as Record<string, string>;
  }
  return out;
}

// ---- handlers -----------------------------------------------------------------------------------------------

/** PUT /secrets/{name}: a new version of a plain secret. */
export async function setSecret(r: KvRequest, name: string): Promise<void> {
  if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
  authorizeSecret(r, 'set', name);
  const body = await jsonBody(r.ctx);
  if (typeof body.value !== 'string') throw badParameter('Property value is required.');
  // Key Vault's limit is 25 KiB for a secret value.
  if (Buffer.byteLength(body.value, 'utf8') > 25 * 1024)
    throw badParameter('The secret value exceeds the maximum allowed size of 25600 bytes.');
  const f = fieldsOf(body);
  if (findCert(r.d, r.vault, name)) throw managedRefusal('set');
  const secrets = r.d.store.vaultSecrets(r.vault.name);
  const existing = secrets[name.toLowerCase()];
  if (existing?.deleted) throw nameInUse('Secret', name, existing.deleted);
  const now = nowSeconds();
  const v: SecretVersion = {
    version: newVersion(),
    value: body.value,
    ...(f.contentType !== undefined ? { contentType: f.contentType } : {}),
    enabled: f.enabled ?? true,
    ...(f.nbf !== undefined ? { nbf: f.nbf } : {}),
    ...(f.exp !== undefined ? { exp: f.exp } : {}),
    created: now,
    updated: now,
    ...(f.tags ? { tags: f.tags } : {}),
  };
  const s: Secret = existing ?? { name, versions: [] };
  s.versions.push(v);
  secrets[name.toLowerCase()] = s;
  r.d.store.save();
  sendJson(r.ctx, 200, plainBundle(r, s, v), kvHeaders(r.vault));
}

/** GET /secrets/{name}[/{version}]: a plain secret's value, or a certificate's PFX/PEM (managed). */
export async function getSecret(r: KvRequest, name: string, version?: string): Promise<void> {
  authorizeSecret(r, 'get', name);
  const cert = liveManaged(r, name);
  if (cert) return sendManaged(r, cert, version);
  const s = liveSecret(r, name);
  const v = version ? s.versions.find((x) => x.version === version.toLowerCase()) : latestVersion(s);
  if (!v) throw secretNotFound(name);
  if (!v.enabled)
    throw azError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
  sendJson(r.ctx, 200, plainBundle(r, s, v), kvHeaders(r.vault));
}

function sendManaged(r: KvRequest, cert: Certificate, version?: string): void {
  const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : latest(cert);
  if (!v) throw secretNotFound(cert.name);
  if (!v.enabled)
    throw azError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
  // A non-exportable key never leaves the vault: the secret then carries the certificates only (UNVERIFIED detail).
  const exportable = ((v.policy.key_props ?? {}) as Record<string, unknown>).exportable !== false;
  const key = exportable ? Buffer.from(v.keyPkcs8, 'base64') : null;
  const chain = v.chain.map((c) => Buffer.from(c, 'base64'));
  const value =
    v.contentType === 'application/x-pem-file'
      ? buildPem(key, chain)
      : buildPasswordlessPkcs12(key, chain, 0).toString('base64');
  const origin = r.ctx.origin;
  sendJson(
    r.ctx,
    200,
    {
      value,
      contentType: v.contentType,
      id: `${origin}/secrets/${cert.name}/${v.version}`,
      managed: true,
      attributes: attributesJson(r.vault, v),
      ...tagsOf(v.tags),
      kid: `${origin}/keys/${cert.name}/${v.version}`,
    },
    kvHeaders(r.vault),
  );
}

/** GET /secrets: the latest version of every live secret, plain and managed, without values. */
export async function listSecrets(r: KvRequest): Promise<void> {
  authorizeSecret(r, 'list');
  const managed = Object.values(r.d.store.vaultCerts(r.vault.name))
    .filter((c) => !c.deleted && c.versions.length > 0)
    .map((c) => ({ name: c.name, item: managedItem(r, c, latest(c)!, false) }));
  const plain = Object.values(r.d.store.vaultSecrets(r.vault.name))
    .filter((s) => !s.deleted && s.versions.length > 0)
    .map((s) => ({ name: s.name, item: plainItem(r, s, latestVersion(s), false) }));
  const items = [...managed, ...plain]
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((x) => x.item);
  sendJson(r.ctx, 200, pageOf(r.ctx, items, '/secrets'), kvHeaders(r.vault));
}

/** GET /secrets/{name}/versions */
export async function listSecretVersions(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'list', name);
  const cert = liveManaged(r, name);
  const s = findSecret(r, name);
  const items = cert
    ? cert.versions.map((v) => managedItem(r, cert, v, true))
    : s && !s.deleted
      ? s.versions.map((v) => plainItem(r, s, v, true))
      : [];
  sendJson(r.ctx, 200, pageOf(r.ctx, items, `/secrets/${encodeURIComponent(name)}/versions`), kvHeaders(r.vault));
}

/** PATCH /secrets/{name}/{version}: contentType, enabled/nbf/exp and tags of one version (no value back). */
export async function updateSecret(r: KvRequest, name: string, version?: string): Promise<void> {
  authorizeSecret(r, 'set', name);
  if (liveManaged(r, name)) throw managedRefusal('update');
  const s = liveSecret(r, name);
  const v = version ? s.versions.find((x) => x.version === version.toLowerCase()) : latestVersion(s);
  if (!v) throw secretNotFound(name);
  const f = fieldsOf(await jsonBody(r.ctx));
  if (f.contentType !== undefined) v.contentType = f.contentType;
  if (f.enabled !== undefined) v.enabled = f.enabled;
  if (f.nbf !== undefined) v.nbf = f.nbf;
  if (f.exp !== undefined) v.exp = f.exp;
  if (f.tags !== undefined) v.tags = f.tags;
  v.updated = nowSeconds();
  r.d.store.save();
  sendJson(r.ctx, 200, plainBundle(r, s, v, false), kvHeaders(r.vault));
}

/** DELETE /secrets/{name}: soft delete (all versions) per the vault's settings. */
export async function deleteSecret(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'delete', name);
  if (liveManaged(r, name)) throw managedRefusal('delete');
  const s = liveSecret(r, name);
  const secrets = r.d.store.vaultSecrets(r.vault.name);
  const body = plainBundle(r, s, latestVersion(s), false);
  if (!r.vault.properties.enableSoftDelete) {
    delete secrets[name.toLowerCase()];
    r.d.store.save();
    sendJson(r.ctx, 200, body, kvHeaders(r.vault));
    return;
  }
  s.deleted = softDeletedNow(r.vault);
  r.d.store.save();
  sendJson(r.ctx, 200, { ...deletedFields(r, s), ...body }, kvHeaders(r.vault));
}

function deletedOr404(r: KvRequest, name: string): Secret {
  const s = findSecret(r, name);
  // 404 while the deletion (or a recovery) is still in progress, as for certificates.
  if (!s || !isSettledDeleted(s.deleted)) throw deletedSecretNotFound(name);
  return s;
}

/** GET /deletedsecrets/{name} */
export async function getDeletedSecret(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'list', name);
  const s = deletedOr404(r, name);
  sendJson(r.ctx, 200, { ...deletedFields(r, s), ...plainBundle(r, s, latestVersion(s), false) }, kvHeaders(r.vault));
}

/** GET /deletedsecrets */
export async function listDeletedSecrets(r: KvRequest): Promise<void> {
  authorizeSecret(r, 'list');
  const items = Object.values(r.d.store.vaultSecrets(r.vault.name))
    .filter((s) => isSettledDeleted(s.deleted) && s.versions.length > 0)
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((s) => ({ ...deletedFields(r, s), ...plainItem(r, s, latestVersion(s), false) }));
  sendJson(r.ctx, 200, pageOf(r.ctx, items, '/deletedsecrets'), kvHeaders(r.vault));
}

/** POST /deletedsecrets/{name}/recover */
export async function recoverDeletedSecret(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'recover', name);
  const s = deletedOr404(r, name);
  startRecovery(s);
  r.d.store.save();
  sendJson(r.ctx, 200, plainBundle(r, s, latestVersion(s), false), kvHeaders(r.vault));
}

/** DELETE /deletedsecrets/{name}: 204, refused with purge protection. */
export async function purgeDeletedSecret(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'purge', name);
  deletedOr404(r, name);
  if (r.vault.properties.enablePurgeProtection) {
    throw azError(
      403,
      'Forbidden',
      'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
      'PurgeProtectionEnabled',
    );
  }
  delete r.d.store.vaultSecrets(r.vault.name)[name.toLowerCase()];
  r.d.store.save();
  sendEmpty(r.ctx, 204, kvHeaders(r.vault));
}
