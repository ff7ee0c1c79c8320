import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateClient } from '@azure/keyvault-certificates';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, decodeJwt, oboCredential, opensslPfx, raw, startTestSandbox, type TestSandbox } from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';

describe('walking skeleton: identity + ARM + Key Vault through the real SDKs', () => {
  let sb: TestSandbox;
  let userToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    userToken = await apiToken(sb);
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('writes endpoints.json with the real port and the contract shape', () => {
    const e = JSON.parse(readFileSync(join(sb.stateDir, 'endpoints.json'), 'utf8'));
    expect(e).toEqual(sb.endpoints);
    expect(e.port).toBe(sb.port);
    expect(e.identity.authority).toBe(`https://localhost:${sb.port}/8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a`);
    expect(e.vaults.map((v: { name: string }) => v.name)).toEqual([
      'kv-contoso-prod',
      'kv-contoso-rbac',
      'kv-contoso-east',
      'KV-cs-contoso-legacy',
    ]);
    expect(e.vaults[0].vaultUri).toBe(`https://kv-contoso-prod.vault.localhost:${sb.port}/`);
    expect(e.personas).toHaveLength(3);
  });

  it('password grant returns an API token with Entra v2 claims, an id_token and client_info', async () => {
    const c = decodeJwt(userToken);
    expect(c).toMatchObject({
      aud: sb.endpoints.app.clientId,
      iss: sb.endpoints.identity.issuer,
      tid: sb.endpoints.identity.tenantId,
      scp: 'user_impersonation',
      preferred_username: 'admin@contoso.sandbox',
      name: 'Ada Admin',
      azp: sb.endpoints.identity.publicClientId,
      ver: '2.0',
    });
    const header = JSON.parse(Buffer.from(userToken.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    const jwks = (await raw(sb.agent, sb.endpoints.identity.jwksUri)).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
  });

  it('password grant with a wrong password answers like Entra (AADSTS50126)', async () => {
    const res = await raw(sb.agent, `${sb.endpoints.identity.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: sb.endpoints.identity.publicClientId,
        username: 'admin@contoso.sandbox',
        password: 'nope',
        scope: sb.endpoints.app.apiScope,
      }).toString(),
    });
    expect(res.status).toBe(400);
    const b = res.json();
    expect(b.error).toBe('invalid_grant');
    expect(b.error_description).toMatch(/^AADSTS50126: /);
    expect(b.error_codes).toEqual([50126]);
    expect(b).toHaveProperty('trace_id');
    expect(b).toHaveProperty('correlation_id');
    expect(b).toHaveProperty('timestamp');
  });

  it('OnBehalfOfCredential gets ARM and Key Vault tokens', async () => {
    const cred = oboCredential(sb.endpoints, userToken);
    const arm = await cred.getToken('https://management.azure.com/.default');
    const kv = await cred.getToken('https://vault.azure.net/.default');
    expect(decodeJwt(arm.token)).toMatchObject({
      aud: 'https://management.azure.com',
      azp: sb.endpoints.app.clientId,
      preferred_username: 'admin@contoso.sandbox',
    });
    expect(decodeJwt(kv.token)).toMatchObject({ aud: 'https://vault.azure.net', scp: 'user_impersonation' });
    expect(arm.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });

  it('SubscriptionClient lists the subscriptions', async () => {
    const client = new SubscriptionClient(oboCredential(sb.endpoints, userToken), {
      endpoint: sb.endpoints.arm.endpoint,
      credentialScopes: ['https://management.azure.com/.default'],
      agent: sb.agent,
    } as never);
    const subs = [];
    for await (const s of client.subscriptions.list()) subs.push(s);
    expect(subs.map((s) => s.displayName).sort()).toEqual(['Contoso Production', 'Contoso Staging']);
    expect(subs[0]).toMatchObject({ tenantId: sb.endpoints.identity.tenantId, state: 'Enabled' });
  });

  it('KeyVaultManagementClient lists, gets and PATCHes a vault', async () => {
    const client = new KeyVaultManagementClient(oboCredential(sb.endpoints, userToken), PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    });
    const names = [];
    for await (const v of client.vaults.listBySubscription({ top: 1 })) names.push(v.name);
    expect(names.sort()).toEqual(['KV-cs-contoso-legacy', 'kv-contoso-prod', 'kv-contoso-rbac']);
    const v = await client.vaults.get('rg-cses-prod', 'kv-contoso-prod');
    expect(v.properties.vaultUri).toBe(`https://kv-contoso-prod.vault.localhost:${sb.port}/`);
    expect(v.properties.enabledForDeployment).toBe(false);
    expect(v.properties.enableRbacAuthorization).toBe(false);
    expect(v.properties.sku).toEqual({ family: 'A', name: 'standard' });
    expect(v.properties.accessPolicies?.[0]?.permissions.certificates).toContain('import');
    const u = await client.vaults.update('rg-cses-prod', 'kv-contoso-prod', {
      properties: { enabledForDeployment: true },
    });
    expect(u.properties.enabledForDeployment).toBe(true);
    expect(u.properties.enabledForTemplateDeployment).toBe(false); // merge, not replace
    expect(u.properties.accessPolicies?.length).toBe(2);
    const again = await client.vaults.get('rg-cses-prod', 'kv-contoso-prod');
    expect(again.properties.enabledForDeployment).toBe(true);
  });

  it('the first Key Vault request gets the exact 401 challenge', async () => {
    const res = await raw(
      sb.agent,
      `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates/x/import?api%2Dversion=2025-07-01`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '0' },
      },
    );
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer authorization="https://localhost:${sb.port}/8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a", resource="https://vault.azure.net"`,
    );
    expect(res.json()).toEqual({
      error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
    });
  });

  function certClient(vault = 'kv-contoso-prod'): CertificateClient {
    return new CertificateClient(
      `https://${vault}.vault.localhost:${sb.port}/`,
      oboCredential(sb.endpoints, userToken),
      {
        disableChallengeResourceVerification: true,
        agent: sb.agent,
      } as never,
    );
  }

  it('imports an OpenSSL 3 default PFX; thumbprint, ids and chain match', async () => {
    const p = opensslPfx({ password: 'Pfx-Passw0rd' });
    const client = certClient();
    const cert = await client.importCertificate('web-cert', p.pfx, { password: 'Pfx-Passw0rd' });
    const origin = `https://kv-contoso-prod.vault.localhost:${sb.port}`;
    expect(cert.properties.x509ThumbprintString?.toUpperCase()).toBe(p.thumbprint);
    const version = cert.properties.version!;
    expect(version).toMatch(/^[0-9a-f]{32}$/);
    expect(cert.secretId).toBe(`${origin}/secrets/web-cert/${version}`);
    expect(cert.keyId).toBe(`${origin}/keys/web-cert/${version}`);
    expect(cert.properties.id).toBe(`${origin}/certificates/web-cert/${version}`);
    const der = execFileSync('openssl', ['x509', '-outform', 'der', '-in', join(p.dir, 'cert.pem')]);
    expect(Buffer.from(cert.cer!).equals(der)).toBe(true);
    expect(cert.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(cert.properties.recoverableDays).toBe(90);
    expect(cert.policy?.issuerName).toBe('Unknown');
    expect(cert.policy?.contentType).toBe('application/x-pkcs12');
    expect(cert.policy?.subject).toBe('O=Contoso, CN=www.contoso.sandbox'); // .NET-style: last RDN first

    const latest = await client.getCertificate('web-cert');
    expect(latest.properties.version).toBe(version);
    const byVersion = await client.getCertificateVersion('web-cert', version);
    expect(byVersion.properties.x509ThumbprintString).toBe(cert.properties.x509ThumbprintString);
  });

  it("rejects a wrong PFX password with Key Vault's 400", async () => {
    const p = opensslPfx({ password: 'right-one' });
    const err = await certClient()
      .importCertificate('bad-pwd', p.pfx, { password: 'wrong-one' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RestError);
    const re = err as RestError;
    expect(re.statusCode).toBe(400);
    expect(re.code).toBe('BadParameter');
    expect(re.message).toBe(
      'The specified PKCS#12 X.509 certificate content can not be read. Please check if certificate is in valid PKCS#12 format.',
    );
  });
});
