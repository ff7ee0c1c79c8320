/**
 * `osProfile.secrets` helpers: versioned secret URLs, vault ids, and a fingerprint of a service's certificate state.
 */
import type { Problem, SecretGroup } from './types';

export interface ParsedSecretUrl {
  url: string;
  /** Lowercase host without a default port (`kv.vault.azure.net`, `kv.vault.localhost:8443`). */
  host: string;
  vaultName: string;
  name: string;
  version: string;
  /** `vault/name/version`, lowercase: two URLs for the same version compare equal. */
  key: string;
}

const VERSION = /^[0-9a-fA-F]{32}$/;
const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** The RP's words for a URL that is not a versioned secret URL (cses-field-failures §1.2). */
export function notVersionedText(url: string): string {
  return `${url} is not a valid versioned Key Vault Secret URL. It should be in the format https://<vaultEndpoint>/secrets/<secretName>/<secretVersion>.`;
}

export function parseSecretUrl(url: string): ParsedSecretUrl | { problem: Problem } {
  const bad = (): { problem: Problem } => ({
    problem: {
      code: 'InvalidParameter',
      message: notVersionedText(url),
      action:
        "Use the version's Secret Identifier (https://{vault}.vault.azure.net/secrets/{name}/{32-hex version}), not the certificate identifier or a URL without a version.",
    },
  });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return bad();
  }
  const parts = u.pathname.split('/');
  if (u.protocol !== 'https:' || u.search || u.hash || parts.length !== 4 || parts[1]?.toLowerCase() !== 'secrets')
    return bad();
  const name = parts[2] ?? '';
  const version = parts[3] ?? '';
  if (!NAME.test(name) || !VERSION.test(version)) return bad();
  const hostname = u.hostname.toLowerCase();
  const host = u.port && u.port !== '443' ? `${hostname}:${u.port}` : hostname;
  const vaultName = hostname.split('.')[0] ?? '';
  return { url, host, vaultName, name, version, key: `${vaultName}/${name}/${version}`.toLowerCase() };
}

export function isParsed(p: ParsedSecretUrl | { problem: Problem }): p is ParsedSecretUrl {
  return 'key' in p;
}

export interface ParsedVaultId {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const VAULT_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i;

export function parseVaultId(id: string): ParsedVaultId | null {
  const m = VAULT_ID.exec(id);
  return m ? { id, subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : null;
}

export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Every certificate URL with the group it sits in, in order. */
export function secretEntries(groups: SecretGroup[]): Array<{ vaultId: string; certificateUrl: string }> {
  return groups.flatMap((g) =>
    g.vaultCertificates.map((c) => ({ vaultId: g.sourceVault.id, certificateUrl: c.certificateUrl })),
  );
}

/** A copy with the same structure (arrays and objects cloned, values kept as they are). */
export function cloneSecrets(groups: SecretGroup[]): SecretGroup[] {
  return groups.map((g) => ({
    ...g,
    sourceVault: { ...g.sourceVault },
    vaultCertificates: g.vaultCertificates.map((c) => ({ ...c })),
  }));
}

/** The secrets as readable, stable JSON (for the diff and the fingerprint). */
export function secretsJson(groups: SecretGroup[]): string {
  return `${JSON.stringify(groups, null, 2)}\n`;
}

/**
 * A short fingerprint of a service's certificate state (.cscfg text and osProfile.secrets): a plan or a roll back
 * says which state it was made for, and the server refuses to send it when the live service no longer has that
 * state. FNV-1a over both, 2 × 32 bits; it detects change, it is no security boundary (the server always re-reads).
 */
export function serviceFingerprint(configuration: string, secrets: SecretGroup[]): string {
  const text = `${configuration}\u0000${JSON.stringify(secrets)}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    h2 = (h2 ^ (h2 >>> 15)) >>> 0;
  }
  return `${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
