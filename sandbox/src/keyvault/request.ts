import type { Ctx } from '../http.js';
import type { Store } from '../state.js';
import type { Vault } from '../model.js';
import type { TokenService } from '../tokens.js';

/** api-versions the certificates/secrets SDKs may send (keyvault-wire.md §1). */
export const KV_API_VERSIONS = new Set([
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6-preview.1',
  '7.6-preview.2',
  '7.6',
  '2025-06-01',
  '2025-07-01',
]);
export const KV_LATEST = '2025-07-01';

export interface KeyVaultDeps {
  store: Store;
  tokens: TokenService;
  authority: () => string;
}

export interface Caller {
  oid: string;
  tid: string;
  appid: string;
  iss: string;
  upn?: string;
}

/** One authenticated request to one vault, as every Key Vault handler receives it. */
export interface KvRequest {
  d: KeyVaultDeps;
  ctx: Ctx;
  vault: Vault;
  caller: Caller;
}

export const NAME_RE = /^[0-9a-zA-Z-]{1,127}$/;
