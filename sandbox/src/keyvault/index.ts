import { VAULT_DNS_SUFFIX } from '../ids.js';
import type { Ctx } from '../http.js';
import { azError, badParameter, notImplemented } from '../errors.js';
import type { Vault } from '../model.js';
import { authenticate, checkFirewall } from './auth.js';
import { KV_API_VERSIONS, KV_LATEST, type KeyVaultDeps, type KvRequest } from './request.js';
import { runDueWork } from './pending.js';
import { keyVaultRoutes } from './routes.js';

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
    runDueWork(r);
    if (!(await keyVaultRoutes.dispatch(ctx.method, ctx.pathname, r))) throw notImplemented(ctx.method, ctx.pathname);
  }
}
