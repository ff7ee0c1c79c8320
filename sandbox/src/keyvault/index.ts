import { VAULT_DNS_SUFFIX } from '../ids.js';
import type { Ctx } from '../http.js';
import { azError, badParameter, notImplemented } from '../errors.js';
import type { Vault } from '../state.js';
import { authenticate, checkFirewall } from './auth.js';
import {
  getCertificate,
  importCertificate,
  listCertificates,
  listVersions,
  updateCertificate,
} from './certificates.js';
import { deleteCertificate, getDeleted, listDeleted, purgeDeleted, recoverDeleted } from './deleted.js';
import { cancelPending, createCertificate, deletePending, getPending, mergeCertificate } from './pending.js';
import { getPolicy, updatePolicy } from './policy.js';
import { KV_API_VERSIONS, KV_LATEST, NAME_RE, type KeyVaultDeps, type KvRequest } from './request.js';
import { getSecret, listSecrets } from './secrets.js';

export type { Caller, KeyVaultDeps } from './request.js';

/** The Key Vault data plane of every sandbox vault: `{vault}.vault.localhost`. */
export class KeyVault {
  constructor(private readonly d: KeyVaultDeps) {}

  /** Vault for a Host name like kv-contoso-prod.vault.localhost; undefined if not a vault host. */
  vaultForHost(hostname: string): Vault | null | undefined {
    const suffix = `.${VAULT_DNS_SUFFIX}`;
    if (!hostname.endsWith(suffix)) return undefined;
    const name = hostname.slice(0, -suffix.length);
    return this.d.store.state.vaults.find((v) => v.name.toLowerCase() === name) ?? null;
  }

  async handle(ctx: Ctx, vault: Vault | null): Promise<void> {
    if (!vault) {
      // The real service's DNS would not resolve; the closest HTTP answer is a 404 without a body shape.
      throw azError(404, 'VaultNotFound', `The vault host '${ctx.hostname}' does not exist in the sandbox.`);
    }
    // 1. Authentication comes first, before reading the body (keyvault-wire.md §3, §13.1).
    const caller = await authenticate(this.d, ctx, vault);
    // 2. Network rules (firewall): public access disabled, or default action Deny without a matching IP rule.
    checkFirewall(vault, caller);
    // 3. api-version
    const apiVersion = ctx.query.get('api-version');
    if (!apiVersion) {
      throw badParameter('The api-version query parameter is missing.');
    }
    if (!KV_API_VERSIONS.has(apiVersion)) {
      throw badParameter(
        `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${KV_LATEST}).`,
      );
    }
    // 4. Route
    const r: KvRequest = { d: this.d, ctx, vault, caller };
    const segs = ctx.pathname
      .split('/')
      .slice(1)
      .map((x) => decodeURIComponent(x));
    const m = ctx.method;
    const [collection, name, third] = segs;
    const n = segs.length;
    const isVersion = (x: string | undefined) => x !== undefined && /^[0-9a-f]{32}$/i.test(x);
    if (collection === 'certificates') {
      if (n === 1 || (n === 2 && name === '')) {
        if (m === 'GET') return listCertificates(r);
      } else if (name !== undefined) {
        if (name === '') throw azError(405, 'MethodNotAllowed', `HTTP ${m} not allowed`);
        if (name === 'restore' && n === 2 && m === 'POST') throw notImplemented(m, ctx.pathname);
        if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
        if (n === 2 || (n === 3 && (third === '' || isVersion(third)))) {
          const version = n === 3 && third ? third : undefined;
          if (m === 'GET') return getCertificate(r, name, version);
          if (m === 'PATCH') return updateCertificate(r, name, version);
          if (m === 'DELETE' && n === 2) return deleteCertificate(r, name);
        }
        if (n === 3) {
          if (third === 'import' && m === 'POST') return importCertificate(r, name);
          if (third === 'create' && m === 'POST') return createCertificate(r, name);
          if (third === 'versions' && m === 'GET') return listVersions(r, name);
          if (third === 'policy' && m === 'GET') return getPolicy(r, name);
          if (third === 'policy' && m === 'PATCH') return updatePolicy(r, name);
          if (third === 'pending' && m === 'GET') return getPending(r, name);
          if (third === 'pending' && m === 'PATCH') return cancelPending(r, name);
          if (third === 'pending' && m === 'DELETE') return deletePending(r, name);
        }
      }
    }
    if (
      collection === 'certificates' &&
      n === 4 &&
      name &&
      NAME_RE.test(name) &&
      third === 'pending' &&
      segs[3] === 'merge' &&
      m === 'POST'
    ) {
      return mergeCertificate(r, name);
    }
    if (collection === 'deletedcertificates') {
      if ((n === 1 || (n === 2 && name === '')) && m === 'GET') return listDeleted(r);
      if (name && NAME_RE.test(name)) {
        if (n === 2 && m === 'GET') return getDeleted(r, name);
        if (n === 2 && m === 'DELETE') return purgeDeleted(r, name);
        if (n === 3 && third === 'recover' && m === 'POST') return recoverDeleted(r, name);
      }
    }
    if (collection === 'secrets' && m === 'GET' && (n === 1 || (n === 2 && name === ''))) return listSecrets(r);
    if (collection === 'secrets' && m === 'GET' && n === 3 && name && third === 'versions') return listSecrets(r, name);
    if (
      collection === 'secrets' &&
      name &&
      (n === 2 || (n === 3 && (third === '' || isVersion(third)))) &&
      m === 'GET'
    ) {
      return getSecret(r, name, third || undefined);
    }
    throw notImplemented(m, ctx.pathname);
  }
}
