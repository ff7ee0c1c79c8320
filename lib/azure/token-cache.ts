import 'server-only';
import { createHash } from 'node:crypto';
import type { AccessToken } from '@azure/core-auth';

/**
 * The tokens the on-behalf-of exchange returned, per signed-in user token (decision 056). An entry holds the access
 * tokens for ARM and Key Vault that one incoming user token was exchanged for — a few KB — instead of a whole
 * `OnBehalfOfCredential` with its MSAL application and SDK clients (about 250 KB).
 *
 * Isolation: the key is a SHA-256 of the app's client id and the user's exact token (already validated), so an entry
 * is found only by presenting that very token; the entry also records the token's `oid`/`tid`, checked on every
 * lookup. Another token of the same user is another entry. Entries leave when the user token expires, and the
 * least recently used leave first when the cache is full.
 *
 * Cap: `maxEntries` entries and `maxBytes` bytes of token text, whichever is reached first (defaults 5 000 entries,
 * 32 MiB). An entry's size is its key, its claims and its tokens' lengths; `bytes` and `size` report the totals.
 */
export interface CachedToken extends AccessToken {
  refreshAfterTimestamp?: number;
}

export interface UserEntry {
  readonly key: string;
  readonly oid: string;
  readonly tid: string;
  /** When the user token the entry was made for expires (ms since epoch). */
  readonly expiresAt: number;
  readonly tokens: Map<string, CachedToken>;
  /** Exchanges in flight, so concurrent requests of one user share one exchange per scope. */
  readonly pending: Map<string, Promise<CachedToken>>;
  bytes: number;
}

/** A token is used until five minutes before it expires (or until its refresh time), then exchanged again. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const ENTRY_OVERHEAD_BYTES = 512;

function entryKey(clientId: string, assertion: string): string {
  return createHash('sha256').update(clientId).update('\0').update(assertion).digest('base64url');
}

/**
 * The key of a validated user, hashed once per user object: the token check hands every request of one token the
 * same Principal (lib/auth/validate-token.ts), so its requests after the first skip the hash of the whole token.
 */
const keysByUser = new WeakMap<object, { clientId: string; assertion: string; key: string }>();
function keyOf(clientId: string, user: { assertion: string }): string {
  const known = keysByUser.get(user);
  if (known && known.clientId === clientId && known.assertion === user.assertion) return known.key;
  const key = entryKey(clientId, user.assertion);
  keysByUser.set(user, { clientId, assertion: user.assertion, key });
  return key;
}

export function isFresh(token: CachedToken, now = Date.now()): boolean {
  return now < Math.min(token.expiresOnTimestamp - REFRESH_MARGIN_MS, token.refreshAfterTimestamp ?? Infinity);
}

export class TokenCache {
  private readonly entries = new Map<string, UserEntry>();
  private totalBytes = 0;

  constructor(
    readonly maxEntries = 5_000,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /**
   * The entry for this user token, made if there is none. Returns undefined never: an expired or foreign entry
   * under the key (impossible short of a hash collision) is replaced.
   */
  entry(
    clientId: string,
    user: { assertion: string; oid: string; tid: string; expiresAt: number },
    now = Date.now(),
  ): UserEntry {
    const key = keyOf(clientId, user);
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now && hit.oid === user.oid && hit.tid === user.tid) {
      // Most recently used last: Map keeps insertion order, so the first entries are the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    if (hit) this.remove(key);
    const entry: UserEntry = {
      key,
      oid: user.oid,
      tid: user.tid,
      expiresAt: user.expiresAt,
      tokens: new Map(),
      pending: new Map(),
      bytes: ENTRY_OVERHEAD_BYTES + key.length + user.oid.length + user.tid.length,
    };
    this.entries.set(key, entry);
    this.totalBytes += entry.bytes;
    this.trim(now);
    return entry;
  }

  /** Keeps a token the exchange returned for `scope` in the entry (if the entry is still cached). */
  store(entry: UserEntry, scope: string, token: CachedToken, now = Date.now()): void {
    const before = entry.tokens.get(scope);
    const delta = token.token.length + scope.length + 64 - (before ? before.token.length + scope.length + 64 : 0);
    entry.tokens.set(scope, token);
    entry.bytes += delta;
    if (this.entries.get(entry.key) === entry) {
      this.totalBytes += delta;
      this.trim(now);
    }
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.totalBytes -= e.bytes;
  }

  private trim(now: number): void {
    if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) return;
    for (const [key, e] of this.entries) if (e.expiresAt <= now) this.remove(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.remove(key);
    }
  }
}
