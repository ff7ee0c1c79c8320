import { azError } from '../errors.js';
import { sendEmpty, sendJson } from '../http.js';
import { nowSeconds } from '../ids.js';
import { authorizeCert } from './auth.js';
import { deletedOr404, liveCert } from './lookup.js';
import { type KvRequest } from './request.js';
import { bundleJson, deletedJson, kvHeaders, latest, pageOf } from './wire.js';

export async function deleteCertificate(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'delete', name);
  const cert = liveCert(d, vault, name);
  const origin = ctx.origin;
  delete cert.pending;
  if (!vault.properties.enableSoftDelete) {
    const body = bundleJson(origin, vault, cert, latest(cert)!);
    delete d.store.vaultCerts(vault.name)[name.toLowerCase()];
    d.store.save();
    sendJson(ctx, 200, body, kvHeaders(vault));
    return;
  }
  const now = nowSeconds();
  cert.deleted = {
    deletedDate: now,
    scheduledPurgeDate: now + (vault.properties.softDeleteRetentionInDays ?? 90) * 86400,
  };
  d.store.save();
  sendJson(ctx, 200, deletedJson(origin, vault, cert, false), kvHeaders(vault));
}

export async function getDeleted(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'get', name);
  const cert = deletedOr404(d, vault, name);
  sendJson(ctx, 200, deletedJson(ctx.origin, vault, cert, false), kvHeaders(vault));
}

export async function listDeleted(r: KvRequest): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'list');
  const origin = ctx.origin;
  const items = Object.values(d.store.vaultCerts(vault.name))
    .filter((c) => c.deleted && c.versions.length > 0)
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((c) => deletedJson(origin, vault, c, true));
  sendJson(ctx, 200, pageOf(ctx, items, '/deletedcertificates'), kvHeaders(vault));
}

export async function recoverDeleted(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'recover', name);
  const cert = deletedOr404(d, vault, name);
  delete cert.deleted;
  d.store.save();
  sendJson(ctx, 200, bundleJson(ctx.origin, vault, cert, latest(cert)!), kvHeaders(vault));
}

export async function purgeDeleted(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'purge', name);
  const cert = deletedOr404(d, vault, name);
  if (vault.properties.enablePurgeProtection) {
    throw azError(
      403,
      'Forbidden',
      'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
      'PurgeProtectionEnabled',
    );
  }
  void cert;
  delete d.store.vaultCerts(vault.name)[name.toLowerCase()];
  d.store.save();
  sendEmpty(ctx, 204, kvHeaders(vault));
}
