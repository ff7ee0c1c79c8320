/**
 * The one model every snippet is rendered from, and its validation.
 */
import {
  ServiceConfigError,
  resolveCsdefCertificate,
  validateCertificateName,
  validateRoleName,
  validateThumbprint,
  type PermissionLevel,
  type StoreLocation,
} from '../service-config';

export type SnippetErrorCode =
  | 'invalid-snippet-kind'
  | 'invalid-vault-id'
  | 'invalid-certificate-url'
  | 'certificate-url-not-secret'
  | 'certificate-url-unversioned'
  | 'certificate-url-unknown-host'
  | 'vault-mismatch'
  | 'thumbprint-required'
  | 'vmss-store-location-unsupported'
  | 'service-update-required'
  | 'invalid-resource-name'
  // validation codes shared with lib/service-config:
  | 'invalid-certificate-name'
  | 'invalid-role-name'
  | 'invalid-thumbprint'
  | 'invalid-store-location'
  | 'invalid-store-name'
  | 'invalid-permission-level';

export class SnippetError extends Error {
  readonly code: SnippetErrorCode;
  readonly action: string;
  constructor(code: SnippetErrorCode, message: string, action: string) {
    super(message);
    this.name = 'SnippetError';
    this.code = code;
    this.action = action;
  }
  toJSON(): { code: string; message: string; action: string } {
    return { code: this.code, message: this.message, action: this.action };
  }
}

export interface SnippetModel {
  /** ARM id of the Key Vault: `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}`. */
  vaultId: string;
  /** Versioned Secret Identifier: `https://{vault}.vault.azure.net/secrets/{name}/{version}`. */
  certificateUrl: string;
  /** Name of the certificate in .cscfg/.csdef; defaults to the Key Vault certificate name. */
  certificateName?: string;
  /** SHA-1 thumbprint; needed for the .cscfg snippet. */
  thumbprint?: string;
  roleNames?: string[];
  storeLocation?: string;
  storeName?: string;
  permissionLevel?: string;
  /**
   * A running cloud service's change (rotation, repair, roll back): its id and the PUT body this app would send
   * (configuration and osProfile.secrets changed, every other property as ARM returned it). Needed by the
   * `update-*` outputs (service-update.ts).
   */
  serviceUpdate?: {
    serviceId: string;
    body: Record<string, unknown>;
    armEndpoint?: string;
    description?: string;
  };
}

export interface ParsedVaultId {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
}

export interface ParsedCertificateUrl {
  url: string;
  host: string;
  vaultName: string;
  dnsSuffix: string;
  port: string | null;
  secretName: string;
  version: string;
  sandbox: boolean;
}

export interface ResolvedSnippetModel {
  vault: ParsedVaultId;
  certificate: ParsedCertificateUrl;
  certificateName: string;
  thumbprint: string | null;
  roleNames: string[];
  storeLocation: StoreLocation;
  storeName: string;
  permissionLevel?: PermissionLevel;
}

/** Key Vault DNS suffixes of the Azure clouds (public, China, US Gov, Germany legacy) and the local sandbox. */
export const KEY_VAULT_DNS_SUFFIXES = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
  'vault.microsoftazure.de',
] as const;
export const SANDBOX_DNS_SUFFIX = 'vault.localhost';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RESOURCE_GROUP = /^[-\w.()\p{L}\p{N}]{1,90}$/u;
const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-fA-F]{32}$/;
const INVISIBLE_OR_SPACE = /[\s\p{Cf}\p{Cc}]/u;

const VAULT_ID_ACTION =
  'Copy the vault\'s "Resource ID" (Key Vault → Properties, or `az keyvault show -n NAME --query id -o tsv`): /subscriptions/{subscription-id}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{vault}.';
const URL_ACTION =
  'Use the certificate version\'s "Secret Identifier" (Key Vault → Certificates → the certificate → the version, or `az keyvault certificate show --vault-name VAULT -n NAME --query sid -o tsv`): https://{vault}.vault.azure.net/secrets/{name}/{version}.';

function isVaultName(name: string): boolean {
  return VAULT_NAME.test(name) && !name.includes('--');
}

export function parseVaultId(input: unknown): ParsedVaultId {
  const fail = (why: string): never => {
    throw new SnippetError('invalid-vault-id', `The Key Vault resource id is not valid: ${why}`, VAULT_ID_ACTION);
  };
  if (typeof input !== 'string' || input.trim() === '') return fail('it is empty.');
  const id = input.trim();
  if (INVISIBLE_OR_SPACE.test(id)) return fail('it contains spaces or invisible characters.');
  if (/^https?:/i.test(id)) return fail('this is a URL; the resource id starts with /subscriptions/.');
  const parts = id.split('/');
  // ['', 'subscriptions', sub, 'resourceGroups', rg, 'providers', 'Microsoft.KeyVault', 'vaults', name]
  if (
    parts.length !== 9 ||
    parts[0] !== '' ||
    parts[1]?.toLowerCase() !== 'subscriptions' ||
    parts[3]?.toLowerCase() !== 'resourcegroups' ||
    parts[5]?.toLowerCase() !== 'providers' ||
    parts[6]?.toLowerCase() !== 'microsoft.keyvault' ||
    parts[7]?.toLowerCase() !== 'vaults'
  ) {
    return fail(
      'expected /subscriptions/{subscription-id}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{vault}.',
    );
  }
  const subscriptionId = parts[2] ?? '';
  const resourceGroup = parts[4] ?? '';
  const vaultName = parts[8] ?? '';
  if (!GUID.test(subscriptionId)) return fail(`subscription id "${subscriptionId}" is not a GUID.`);
  if (!RESOURCE_GROUP.test(resourceGroup) || resourceGroup.endsWith('.'))
    return fail(`resource group name "${resourceGroup}" is not valid.`);
  if (!isVaultName(vaultName))
    return fail(
      `vault name "${vaultName}" is not valid (3-24 letters, digits and single hyphens, starting with a letter).`,
    );
  return { id, subscriptionId, resourceGroup, vaultName };
}

export function parseCertificateUrl(input: unknown): ParsedCertificateUrl {
  const fail = (why: string, code: SnippetErrorCode = 'invalid-certificate-url'): never => {
    throw new SnippetError(code, `The certificate URL is not valid: ${why}`, URL_ACTION);
  };
  if (typeof input !== 'string' || input.trim() === '') return fail('it is empty.');
  const raw = input.trim();
  if (INVISIBLE_OR_SPACE.test(raw)) return fail('it contains spaces or invisible characters.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('it is not a URL.');
  }
  if (url.protocol !== 'https:') return fail('it must start with https://.');
  if (url.username || url.password) return fail('it must not contain a user name or password.');
  if (url.search || url.hash || raw.includes('?') || raw.includes('#'))
    return fail('it must not have a query string or fragment (remove "?…" / "#…").');
  const host = url.hostname.toLowerCase();
  const dot = host.indexOf('.');
  const vaultName = dot > 0 ? host.slice(0, dot) : '';
  const dnsSuffix = dot > 0 ? host.slice(dot + 1) : '';
  const sandbox = dnsSuffix === SANDBOX_DNS_SUFFIX;
  if (!sandbox && !(KEY_VAULT_DNS_SUFFIXES as readonly string[]).includes(dnsSuffix)) {
    return fail(
      `"${host}" is not a Key Vault host (expected {vault}.${KEY_VAULT_DNS_SUFFIXES.join(', {vault}.')} or the sandbox's {vault}.${SANDBOX_DNS_SUFFIX}).`,
      'certificate-url-unknown-host',
    );
  }
  if (!isVaultName(vaultName)) return fail(`"${vaultName}" is not a valid vault name.`);
  const segments = url.pathname.split('/');
  // ['', 'secrets', name, version]
  const kind = segments[1]?.toLowerCase();
  if (kind === 'certificates' || kind === 'keys') {
    throw new SnippetError(
      'certificate-url-not-secret',
      `The URL points at /${kind}/, but Cloud Services needs the certificate's Secret Identifier (/secrets/…/{version}).`,
      'Use the version\'s "Secret Identifier" (property `sid`), not the "Certificate Identifier": replace /certificates/ with /secrets/ and keep the version, e.g. https://{vault}.vault.azure.net/secrets/{name}/{version}.',
    );
  }
  if (kind !== 'secrets') return fail('the path must be /secrets/{name}/{version}.');
  const secretName = segments[2] ?? '';
  const version = segments[3] ?? '';
  if (!SECRET_NAME.test(secretName))
    return fail(`"${secretName}" is not a valid certificate name (letters, digits, "-").`);
  if (segments.length === 3 || (segments.length === 4 && version === '')) {
    throw new SnippetError(
      'certificate-url-unversioned',
      'The certificate URL has no version. Cloud Services needs the versioned Secret Identifier.',
      'Append the version (32 hex characters): open the certificate in Key Vault, pick the current version and copy its "Secret Identifier".',
    );
  }
  if (segments.length !== 4) return fail('the path must be exactly /secrets/{name}/{version} (no trailing slash).');
  if (!VERSION.test(version)) return fail(`version "${version}" is not 32 hexadecimal characters.`);
  return {
    url: raw,
    host,
    vaultName,
    dnsSuffix,
    port: url.port === '' ? null : url.port,
    secretName,
    version,
    sandbox,
  };
}

function fromServiceConfig<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ServiceConfigError) {
      throw new SnippetError(e.code as SnippetErrorCode, e.message, e.action);
    }
    throw e;
  }
}

export function resolveSnippetModel(model: SnippetModel): ResolvedSnippetModel {
  if (typeof model !== 'object' || model === null) {
    throw new SnippetError('invalid-vault-id', 'No snippet model was given.', VAULT_ID_ACTION);
  }
  const vault = parseVaultId(model.vaultId);
  const certificate = parseCertificateUrl(model.certificateUrl);
  if (vault.vaultName.toLowerCase() !== certificate.vaultName.toLowerCase()) {
    throw new SnippetError(
      'vault-mismatch',
      `The certificate URL is in vault "${certificate.vaultName}" but the vault id names "${vault.vaultName}".`,
      'Use the resource id of the vault that holds the certificate: sourceVault.id and certificateUrl must name the same vault.',
    );
  }
  return fromServiceConfig(() => {
    const certificateName = validateCertificateName(model.certificateName ?? certificate.secretName);
    const thumbprint =
      model.thumbprint === undefined || model.thumbprint === '' ? null : validateThumbprint(model.thumbprint);
    const roleNames = (model.roleNames ?? []).map((r) => validateRoleName(r));
    const csdef = resolveCsdefCertificate({
      name: certificateName,
      ...(model.storeLocation !== undefined ? { storeLocation: model.storeLocation } : {}),
      ...(model.storeName !== undefined ? { storeName: model.storeName } : {}),
      ...(model.permissionLevel !== undefined ? { permissionLevel: model.permissionLevel } : {}),
    });
    const out: ResolvedSnippetModel = {
      vault,
      certificate,
      certificateName,
      thumbprint,
      roleNames,
      storeLocation: csdef.storeLocation,
      storeName: csdef.storeName,
    };
    if (csdef.permissionLevel) out.permissionLevel = csdef.permissionLevel;
    return out;
  });
}
