import { azError, certNotFound } from '../errors.js';
import type { Certificate, Vault } from '../model.js';
import { type KeyVaultDeps } from './request.js';

export function findCert(d: KeyVaultDeps, vault: Vault, name: string): Certificate | undefined {
  return d.store.vaultCerts(vault.name)[name.toLowerCase()];
}

export function liveCert(d: KeyVaultDeps, vault: Vault, name: string): Certificate {
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted || cert.versions.length === 0) throw certNotFound(name);
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
  if (!cert?.deleted) throw azError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
  return cert;
}

export function rejectIfDeleted(cert: Certificate | undefined, name: string): void {
  if (cert?.deleted) {
    throw azError(
      409,
      'Conflict',
      `Certificate ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.`,
      'ObjectIsDeletedButRecoverable',
    );
  }
}
