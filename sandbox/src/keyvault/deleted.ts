import { azError } from '../errors.js';
import { sendEmpty, sendJson } from '../http.js';
import { authorizeCert } from './auth.js';
import { isSettledDeleted, softDeletedNow, startRecovery } from './lifecycle.js';
import { certObject, deletedOr404 } from './lookup.js';
import { settleUnissued } from './pending.js';
import { type KvRequest } from './request.js';
import { currentBundleJson, deletedJson, kvHeaders, pageOf, unissuedOf } from './wire.js';

export async function deleteCertificate(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'delete', name);
  // A certificate whose first version is still pending can be deleted too; its operation goes with it.
  const cert = certObject(d, vault, name);
  const origin = ctx.origin;
  settleUnissued(cert);
  delete cert.pending;
  if (!vault.properties.enableSoftDelete) {
    const body = currentBundleJson(origin, vault, cert);
    delete d.store.vaultCerts(vault.name)[name.toLowerCase()];
    d.store.save();
    sendJson(ctx, 200, body, kvHeaders(vault));
    return;
  }
  cert.deleted = softDeletedNow(vault);
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
    .filter((c) => isSettledDeleted(c.deleted) && (c.versions.length > 0 || unissuedOf(c)))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((c) => deletedJson(origin, vault, c, true));
  sendJson(ctx, 200, pageOf(ctx, items, '/deletedcertificates'), kvHeaders(vault));
}

export async function recoverDeleted(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'recover', name);
  const cert = deletedOr404(d, vault, name);
  // Recovery takes a while: the certificate answers 404 until it is live again (the SDK's poller waits for that).
  startRecovery(cert);
  d.store.save();
  sendJson(ctx, 200, currentBundleJson(ctx.origin, vault, cert), kvHeaders(vault));
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
