import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { azError, badParameter } from '../errors.js';
import { sendJson } from '../http.js';
import type { Certificate, Secret, Vault } from '../model.js';
import { authorizeCert } from './auth.js';
import { nameInUse } from './lifecycle.js';
import { certObject, findCert, rejectIfDeleted } from './lookup.js';
import type { KvRequest } from './request.js';
import { authorizeSecret, findSecret, plainBundle } from './secrets.js';
import { currentBundleJson, jsonBody, kvHeaders, unissuedOf } from './wire.js';

// Backup and restore of certificates and secrets. Key Vault's blob is opaque and protected so that it restores only
// into a vault of the same subscription and the same Azure geography; elsewhere restore fails with
// "Cannot decrypt backup blob." (Azure/azure-cli#8767, MicrosoftDocs/azure-docs#107520). The sandbox does the same
// honestly: the blob is AES-256-GCM under a key derived from the subscription and geography, so any other vault
// simply cannot open it. The status and code of that refusal are UNVERIFIED (400 BadParameter here).

/** Azure geographies of the regions the sandbox knows (a backup moves only within one). */
const GEOGRAPHY: Record<string, string> = {
  westeurope: 'europe',
  northeurope: 'europe',
  uksouth: 'unitedkingdom',
  swedencentral: 'sweden',
  eastus: 'unitedstates',
  eastus2: 'unitedstates',
  westus: 'unitedstates',
  westus2: 'unitedstates',
  centralus: 'unitedstates',
};

type Payload = { kind: 'certificate'; certificate: Certificate } | { kind: 'secret'; secret: Secret };

function keyFor(vault: Vault): Buffer {
  const geo = GEOGRAPHY[vault.location] ?? vault.location;
  return createHash('sha256').update(`sandbox-backup|${vault.subscriptionId.toLowerCase()}|${geo}`).digest();
}

function seal(vault: Vault, payload: Payload): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(vault), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from('SBX1'), iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(vault: Vault, blob: unknown): Payload {
  const cannot = badParameter('Cannot decrypt backup blob.');
  if (typeof blob !== 'string' || blob.length === 0) throw badParameter('Property value is required.');
  const buf = Buffer.from(blob, 'base64url');
  // A blob that is not a backup at all (wrong header, too short) is Key Vault's "invalid or corrupt version" (the
  // SDK's live test restores 4728 zero bytes and expects that text); one of another subscription or geography cannot
  // be decrypted.
  if (buf.length < 33 || buf.subarray(0, 4).toString() !== 'SBX1')
    throw badParameter('Backup blob contains invalid or corrupt version.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(vault), buf.subarray(4, 16));
    decipher.setAuthTag(buf.subarray(16, 32));
    const text = Buffer.concat([decipher.update(buf.subarray(32)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Payload;
  } catch {
    throw cannot;
  }
}

/** UNVERIFIED wording: restoring over a live object of the same name. */
function alreadyExists(kind: 'Certificate' | 'Secret', name: string) {
  return azError(409, 'Conflict', `${kind} ${name} already exists in this key vault and cannot be restored.`);
}

/** POST /certificates/{name}/backup */
export async function backupCertificate(r: KvRequest, name: string): Promise<void> {
  authorizeCert(r.d, r.vault, r.caller, 'backup', name);
  // A certificate whose first version is still pending is backed up too (the SDK's backup sample backs up right after
  // beginCreateCertificate); its pending operation goes into the blob and carries on once restored.
  const cert = certObject(r.d, r.vault, name);
  sendJson(r.ctx, 200, { value: seal(r.vault, { kind: 'certificate', certificate: cert }) }, kvHeaders(r.vault));
}

/** POST /certificates/restore */
export async function restoreCertificate(r: KvRequest): Promise<void> {
  authorizeCert(r.d, r.vault, r.caller, 'restore');
  const payload = open(r.vault, (await jsonBody(r.ctx)).value);
  if (payload.kind !== 'certificate') throw badParameter('Cannot decrypt backup blob.');
  const cert = payload.certificate;
  const existing = findCert(r.d, r.vault, cert.name);
  rejectIfDeleted(existing, cert.name);
  if (existing && (existing.versions.length > 0 || unissuedOf(existing))) throw alreadyExists('Certificate', cert.name);
  if (findSecret(r, cert.name)) throw alreadyExists('Secret', cert.name);
  const restored: Certificate = {
    name: cert.name,
    versions: cert.versions,
    policy: cert.policy,
    ...(cert.pending ? { pending: cert.pending } : {}),
    ...(cert.unissued ? { unissued: cert.unissued } : {}),
  };
  r.d.store.vaultCerts(r.vault.name)[cert.name.toLowerCase()] = restored;
  r.d.store.save();
  sendJson(r.ctx, 200, currentBundleJson(r.ctx.origin, r.vault, restored), kvHeaders(r.vault));
}

/** POST /secrets/{name}/backup (a plain secret; a certificate's managed secret is backed up with the certificate) */
export async function backupSecret(r: KvRequest, name: string): Promise<void> {
  authorizeSecret(r, 'backup', name);
  const s = findSecret(r, name);
  if (!s || s.deleted || s.versions.length === 0) {
    if (findCert(r.d, r.vault, name)) {
      throw azError(
        403,
        'Forbidden',
        `Operation "backup" is not allowed as this object's lifetime is managed by Key Vault.`,
        'SecretManagedByKeyVault',
      );
    }
    throw azError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  }
  sendJson(r.ctx, 200, { value: seal(r.vault, { kind: 'secret', secret: s }) }, kvHeaders(r.vault));
}

/** POST /secrets/restore */
export async function restoreSecret(r: KvRequest): Promise<void> {
  authorizeSecret(r, 'restore');
  const payload = open(r.vault, (await jsonBody(r.ctx)).value);
  if (payload.kind !== 'secret') throw badParameter('Cannot decrypt backup blob.');
  const s = payload.secret;
  const existing = findSecret(r, s.name);
  if (existing?.deleted) throw nameInUse('Secret', s.name, existing.deleted);
  if (existing || findCert(r.d, r.vault, s.name)) throw alreadyExists('Secret', s.name);
  const restored: Secret = { name: s.name, versions: s.versions };
  r.d.store.vaultSecrets(r.vault.name)[s.name.toLowerCase()] = restored;
  r.d.store.save();
  sendJson(
    r.ctx,
    200,
    plainBundle(r, restored, restored.versions[restored.versions.length - 1]!, false),
    kvHeaders(r.vault),
  );
}
