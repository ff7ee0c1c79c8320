import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';
import { oboCredential, userScope } from './credentials';
import { TokenCache, type CachedToken } from './token-cache';

/** The exchange, replaced: records who was exchanged for what, answers with a token naming both. */
const exchanges: Array<{ assertion: string; scope: string; claims?: string }> = [];
let lifetimeMs = 3_600_000;
let failNext = false;
vi.mock('@azure/identity', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@azure/identity')>()),
  OnBehalfOfCredential: class {
    constructor(private readonly options: { userAssertionToken: string }) {}
    async getToken(scope: string, options?: { claims?: string }) {
      await new Promise((r) => setTimeout(r, 5));
      if (failNext) {
        failNext = false;
        throw new Error('AADSTS50013: assertion failed signature validation');
      }
      exchanges.push({
        assertion: this.options.userAssertionToken,
        scope,
        ...(options?.claims && { claims: options.claims }),
      });
      return { token: `obo(${this.options.userAssertionToken}|${scope})`, expiresOnTimestamp: Date.now() + lifetimeMs };
    }
  },
}));
beforeEach(() => {
  exchanges.length = 0;
  lifetimeMs = 3_600_000;
  failNext = false;
});

const config: ServerConfig = {
  mode: 'azure',
  tenantId: '11111111-2222-4333-8444-555555555555',
  clientId: '22222222-3333-4444-8555-666666666666',
  clientSecret: 's',
  authorityHost: 'https://login.microsoftonline.com',
  issuer: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/v2.0',
  jwksUri: 'https://login.microsoftonline.com/11111111-2222-4333-8444-555555555555/discovery/v2.0/keys',
  apiScope: 'api://22222222-3333-4444-8555-666666666666/user_impersonation',
  armEndpoint: 'https://management.azure.com',
  armAudience: 'https://management.azure.com',
  keyVaultAudience: 'https://vault.azure.net',
  keyVaultDnsSuffix: 'vault.azure.net',
};

function principal(oid: string, assertion: string, expiresIn = 3_600_000): Principal {
  return { oid, tid: config.tenantId, name: '', username: '', expiresAt: Date.now() + expiresIn, assertion };
}

describe('oboCredential: exchanged tokens are kept per user token, never shared', () => {
  it('every request gets its own small credential over the same cache entry for the same user token', () => {
    const a = principal('oid-a', 'token-a-1');
    const first = oboCredential(a, config);
    const again = oboCredential({ ...a }, config);
    expect(again).not.toBe(first);
    expect(again.entry).toBe(first.entry);
    expect(userScope(again)).toBe(userScope(first));
  });

  it('another user, another token of the same user, or another app registration gets its own entry', () => {
    const a1 = oboCredential(principal('oid-a', 'token-a-2'), config).entry;
    const a2 = oboCredential(principal('oid-a', 'token-a-3'), config).entry;
    const b = oboCredential(principal('oid-b', 'token-b-1'), config).entry;
    const otherApp = oboCredential(principal('oid-a', 'token-a-2'), {
      ...config,
      clientId: '99999999-3333-4444-8555-666666666666',
    }).entry;
    expect(new Set([a1, a2, b, otherApp]).size).toBe(4);
  });

  it('an expired entry is not reused', () => {
    const p = principal('oid-c', 'token-c-1', -1);
    expect(oboCredential(p, config).entry).not.toBe(oboCredential(p, config).entry);
  });

  it('a token is served only to the user token it was exchanged for; one exchange per scope, shared by concurrent requests', async () => {
    const alice = principal('oid-alice', 'token-alice');
    const bob = principal('oid-bob', 'token-bob');
    const arm = 'https://management.azure.com/.default';
    const [t1, t2] = await Promise.all([
      oboCredential(alice, config).getToken(arm),
      oboCredential(alice, config).getToken(arm),
    ]);
    expect(t1.token).toBe('obo(token-alice|https://management.azure.com/.default)');
    expect(t2).toBe(t1);
    expect(exchanges.filter((e) => e.assertion === 'token-alice')).toHaveLength(1);
    const bobs = await oboCredential(bob, config).getToken(arm);
    expect(bobs.token).toBe('obo(token-bob|https://management.azure.com/.default)');
    // Alice again, in a later request: from her entry, no exchange.
    expect((await oboCredential(alice, config).getToken([arm])).token).toBe(t1.token);
    expect(exchanges.map((e) => e.assertion)).toEqual(['token-alice', 'token-bob']);
  });

  it('a token near its expiry, or a claims challenge, is exchanged again', async () => {
    const p = principal('oid-d', 'token-d');
    const vault = 'https://vault.azure.net/.default';
    lifetimeMs = 4 * 60_000; // inside the five-minute margin: never served from the cache
    await oboCredential(p, config).getToken(vault);
    await oboCredential(p, config).getToken(vault);
    expect(exchanges).toHaveLength(2);
    lifetimeMs = 3_600_000;
    await oboCredential(p, config).getToken(vault);
    await oboCredential(p, config).getToken(vault, { claims: '{"access_token":{"nbf":{"essential":true}}}' });
    expect(exchanges).toHaveLength(4);
    expect(exchanges[3]?.claims).toContain('nbf');
  });

  it('a failed exchange is not cached', async () => {
    const p = principal('oid-e', 'token-e');
    failNext = true;
    await expect(oboCredential(p, config).getToken('https://vault.azure.net/.default')).rejects.toThrow('AADSTS');
    expect((await oboCredential(p, config).getToken('https://vault.azure.net/.default')).token).toContain('token-e');
  });
});

describe('TokenCache: size and cap', () => {
  const user = (i: number) => ({
    assertion: `assertion-${i}-${'x'.repeat(1500)}`,
    oid: `oid-${i}`,
    tid: config.tenantId,
    expiresAt: Date.now() + 3_600_000,
  });
  // Entra access tokens are 1.5–2.5 KB; two per user (ARM and Key Vault).
  const token = (n: number): CachedToken => ({ token: 'e'.repeat(n), expiresOnTimestamp: Date.now() + 3_600_000 });

  it('an entry with an ARM and a Key Vault token of 2.5 KB each counts under 20 KB', () => {
    const cache = new TokenCache();
    const e = cache.entry(config.clientId, user(1));
    cache.store(e, 'https://management.azure.com/.default', token(2500));
    cache.store(e, 'https://vault.azure.net/.default', token(2500));
    expect(e.bytes).toBeLessThan(20 * 1024);
    expect(cache.bytes).toBe(e.bytes);
  });

  it('keeps at most maxEntries (least recently used out first) and at most maxBytes', () => {
    const cache = new TokenCache(3, 1_000_000);
    const entries = [1, 2, 3].map((i) => cache.entry(config.clientId, user(i)));
    cache.entry(config.clientId, user(1)); // used again: now the most recent
    cache.entry(config.clientId, user(4));
    expect(cache.size).toBe(3);
    expect(cache.entry(config.clientId, user(1))).toBe(entries[0]);
    expect(cache.entry(config.clientId, user(2))).not.toBe(entries[1]); // user 2 was evicted, so a new entry

    const small = new TokenCache(100, 8_000);
    for (let i = 0; i < 5; i++) small.store(small.entry(config.clientId, user(i)), 'arm', token(2500));
    expect(small.bytes).toBeLessThanOrEqual(8_000);
    expect(small.size).toBeLessThan(5);
  });

  it('an entry whose key matches but whose user differs is never served', () => {
    const cache = new TokenCache();
    const u = user(7);
    const e = cache.entry(config.clientId, u);
    expect(cache.entry(config.clientId, { ...u, oid: 'someone-else' })).not.toBe(e);
  });
});
