import { notImplemented } from '../errors.js';
import { hasAction } from '../rbac.js';
import type { Store } from '../state.js';
import { vaultId, type Vault } from '../model.js';
import { CscfgError, parseCscfg } from './cscfg.js';
import * as E from './errors.js';
import { cloudServiceId, type CloudServiceModel, type CloudServiceRecord, type VaultSecretGroup } from './model.js';
import { readSecretVersion } from './secrets.js';

export interface UpdateRequest {
  store: Store;
  caller: E.Principal;
  cs: CloudServiceRecord;
  /** `properties` of the PUT body, unchecked */
  properties: unknown;
  writeAction: string;
}

/** Key Vault secret identifiers the RP accepts: https://{vault}.{kv dns suffix}[:port]/secrets/{name}/{32 hex}. */
const SECRET_URL =
  /^https:\/\/([0-9a-z-]{3,24})\.(vault\.localhost|vault\.azure\.net)(?::(\d{1,5}))?\/secrets\/([0-9a-z-]{1,127})\/([0-9a-f]{32})$/i;
const VAULT_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i;

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The osProfile.secrets of the request, shape-checked (the SDK mappers send exactly this shape). */
function secretGroups(osProfile: unknown): VaultSecretGroup[] {
  if (osProfile === undefined || osProfile === null) return [];
  if (!isObject(osProfile)) throw E.invalidRequestContent("'osProfile' must be an object");
  const secrets = osProfile.secrets ?? [];
  if (!Array.isArray(secrets)) throw E.invalidRequestContent("'osProfile.secrets' must be an array");
  return secrets.map((g, i) => {
    if (!isObject(g) || !isObject(g.sourceVault) || typeof g.sourceVault.id !== 'string')
      throw E.requiredParameter(`osProfile.secrets[${i}].sourceVault.id`);
    const list = g.vaultCertificates ?? [];
    if (!Array.isArray(list))
      throw E.invalidRequestContent(`'osProfile.secrets[${i}].vaultCertificates' must be an array`);
    return {
      sourceVault: { id: g.sourceVault.id },
      vaultCertificates: list.map((v, j) => {
        if (!isObject(v) || typeof v.certificateUrl !== 'string')
          throw E.requiredParameter(`osProfile.secrets[${i}].vaultCertificates[${j}].certificateUrl`);
        return {
          certificateUrl: v.certificateUrl,
          ...(typeof v.isBootstrapCertificate === 'boolean'
            ? { isBootstrapCertificate: v.isBootstrapCertificate }
            : {}),
        };
      }),
    };
  });
}

function findVaultById(store: Store, id: string): Vault | undefined {
  const m = VAULT_ID.exec(id);
  if (!m) return undefined;
  return store.state.vaults.find((v) => eq(v.subscriptionId, m[1]!) && eq(v.resourceGroup, m[2]!) && eq(v.name, m[3]!));
}

/**
 * Checks a PUT of an existing cloud service the way the RP does (cses-field-failures.md §1) and returns the model to
 * store. Order: shape → linked authorization on every referenced vault → secret URL format → one entry per vault →
 * per vault: subscription, deployment flag and id, region → each secret version: exists, certificate-backed PKCS#12
 * → every cscfg thumbprint of every role has a certificate.
 */
export function validateUpdate(req: UpdateRequest): CloudServiceModel {
  const { store, caller, cs } = req;
  if (!isObject(req.properties)) throw E.requiredParameter('properties');
  const p = req.properties;
  if (typeof p.configuration !== 'string') {
    if (typeof p.configurationUrl === 'string')
      throw notImplemented('PUT', 'cloudServices with properties.configurationUrl (send properties.configuration)');
    throw E.requiredParameter('configuration');
  }
  let roles;
  try {
    roles = parseCscfg(p.configuration).roles;
  } catch (e) {
    if (e instanceof CscfgError) throw E.invalidConfiguration(e.message);
    throw e;
  }
  const roleProfile = p.roleProfile === undefined ? cs.model.roleProfile : p.roleProfile;
  if (!isObject(roleProfile) || !Array.isArray(roleProfile.roles))
    throw E.invalidRequestContent("'roleProfile.roles' must be an array");
  const known = (roleProfile.roles as { name?: unknown }[]).map((r) => String(r?.name ?? ''));
  for (const r of roles) {
    // UNVERIFIED text: a role of the cscfg that the cloud service does not have.
    if (!known.some((k) => eq(k, r.name)))
      throw E.invalidParameter(
        `The role '${r.name}' in the service configuration is not a role of cloud service '${cs.name}'.`,
      );
  }
  const groups = secretGroups(p.osProfile);

  // Linked access (§7.1): the caller needs vaults/deploy/action on every vault the secrets come from.
  const denied = [...new Set(groups.map((g) => g.sourceVault.id))].filter(
    (id) => !hasAction(store.state, caller.oid, id, 'Microsoft.KeyVault/vaults/deploy/action'),
  );
  if (denied.length) throw E.linkedAuthorizationFailed(caller, req.writeAction, cloudServiceId(cs), denied);

  // §1.2: versioned /secrets/ URLs only.
  for (const g of groups)
    for (const v of g.vaultCertificates)
      if (!SECRET_URL.test(v.certificateUrl)) throw E.notVersionedSecretUrl(v.certificateUrl);

  // §1.5: one entry per vault.
  const seen = new Set<string>();
  for (const g of groups) {
    const key = g.sourceVault.id.toLowerCase();
    if (seen.has(key)) throw E.vaultListedTwice(g.sourceVault.id);
    seen.add(key);
  }

  const thumbprints = new Set<string>();
  for (const g of groups) {
    const idMatch = VAULT_ID.exec(g.sourceVault.id);
    // §1.4: same subscription as the cloud service.
    if (idMatch && !eq(idMatch[1]!, cs.subscriptionId))
      throw E.vaultInOtherSubscription(cs.subscriptionId, idMatch[1]!);
    const vault = findVaultById(store, g.sourceVault.id);
    for (const v of g.vaultCertificates) {
      const m = SECRET_URL.exec(v.certificateUrl)!;
      // §1.3: the URL's vault is the sourceVault, and it is enabled for deployment.
      if (
        !vault ||
        m[2]!.toLowerCase() !== 'vault.localhost' ||
        !eq(m[1]!, vault.name) ||
        !vault.properties.enabledForDeployment
      )
        throw E.keyVaultAccessForbidden(v.certificateUrl, g.sourceVault.id);
    }
    if (!vault) continue;
    // §1.4: same region as the cloud service.
    if (!eq(vault.location, cs.location)) throw E.vaultInOtherRegion(vaultId(vault), vault.location, cs.location);
    for (const v of g.vaultCertificates) {
      const m = SECRET_URL.exec(v.certificateUrl)!;
      const sv = readSecretVersion(store.state, vault, m[4]!, m[5]!);
      if (!sv || !sv.enabled) throw E.secretNotFound(v.certificateUrl, vaultId(vault));
      // §1.6: a PKCS#12 that a certificate backs (plain secrets refused: the conservative reading, README).
      if (sv.format === 'pem') throw E.notPfx(v.certificateUrl);
      if (!sv.certificateBacked) throw E.notCertificateBacked(v.certificateUrl);
      if (sv.format !== 'pfx' || !sv.thumbprint) throw E.notPfx(v.certificateUrl);
      thumbprints.add(sv.thumbprint);
    }
  }

  // §1.1: every certificate of every role (RemoteAccess PasswordEncryption included) has its secret.
  const missing = roles.flatMap((r) =>
    r.certificates.filter((c) => !thumbprints.has(c.thumbprint.toUpperCase())).map((c) => `${r.name}|${c.thumbprint}`),
  );
  if (missing.length) throw E.missingThumbprints(missing);

  const { configuration, upgradeMode, roleProfile: _rp, osProfile: _op, networkProfile, extensionProfile } = p;
  void _rp;
  void _op;
  return {
    configuration,
    upgradeMode: typeof upgradeMode === 'string' ? upgradeMode : cs.model.upgradeMode,
    roleProfile: roleProfile as CloudServiceModel['roleProfile'],
    osProfile: { secrets: groups },
    ...(isObject(networkProfile)
      ? { networkProfile }
      : cs.model.networkProfile
        ? { networkProfile: cs.model.networkProfile }
        : {}),
    ...(isObject(extensionProfile) ? { extensionProfile } : {}),
  };
}
