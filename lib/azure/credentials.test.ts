import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';
import { oboCredential } from './credentials';

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

describe('oboCredential: the OBO cache is per user token, never shared', () => {
  it('reuses the credential (and its token cache) for the same user token', () => {
    const a = principal('oid-a', 'token-a-1');
    expect(oboCredential(a, config)).toBe(oboCredential({ ...a }, config));
  });

  it('another user, or another token of the same user, gets its own credential', () => {
    const a1 = oboCredential(principal('oid-a', 'token-a-2'), config);
    const a2 = oboCredential(principal('oid-a', 'token-a-3'), config);
    const b = oboCredential(principal('oid-b', 'token-b-1'), config);
    expect(new Set([a1, a2, b]).size).toBe(3);
  });

  it('the same token for another app registration is not shared either', () => {
    const p = principal('oid-a', 'token-a-4');
    expect(oboCredential(p, config)).not.toBe(
      oboCredential(p, { ...config, clientId: '99999999-3333-4444-8555-666666666666' }),
    );
  });

  it('an expired entry is not reused', () => {
    const p = principal('oid-c', 'token-c-1', -1);
    expect(oboCredential(p, config)).not.toBe(oboCredential(p, config));
  });
});
