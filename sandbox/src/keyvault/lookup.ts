import { azError, certNotFound } from '../errors.js';
import type { Certificate, Vault } from '../model.js';
import { isSettledDeleted, nameInUse } from './lifecycle.js';
import { type KeyVaultDeps } from './request.js';
import { unissuedOf } from './wire.js';

export function findCert(d: KeyVaultDeps, vault: Vault, name: string): Certificate | undefined {
  return d.store.vaultCerts(vault.name)[name.toLowerCase()];
}

export function liveCert(d: KeyVaultDeps, vault: Vault, name: string): Certificate {
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted || cert.versions.length === 0) throw certNotFound(name);
  return cert;
}

/** A live certificate object: issued, or not yet (pending, or its operation deleted). */
export function certObject(d: KeyVaultDeps, vault: Vault, name: string): Certificate {
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted || (cert.versions.length === 0 && !unissuedOf(cert))) throw certNotFound(name);
  return cert;
}

export function pendingOr404(d: KeyVaultDeps, vault: Vault, name: string): Certificate {
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted || !cert.pending) {
    throw azError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
  }
  return cert;
}

export function deletedOr404(d: KeyVaultDeps, vault: Vault, name: string): Certificate {
  const cert = findCert(d, vault, name);
  // While the deletion is in progress (or a recovery is) Key Vault answers 404 here (keyvault-wire.md §4.5).
  if (!cert || !isSettledDeleted(cert.deleted))
    throw azError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
  return cert;
}

export function rejectIfDeleted(cert: Certificate | undefined, name: string): void {
  if (cert?.deleted) throw nameInUse('Certificate', name, cert.deleted);
}
