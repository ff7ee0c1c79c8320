import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { apiToken, oboCredential, opensslPfx, raw, restError, startTestSandbox, type TestSandbox } from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const STAGING = '5c2e8f90-3a7b-4d1c-b2e4-444455556666';
const TENANT = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
const OID = {
  admin: '4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001',
  certs: '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002',
  reader: '8b3e9c40-2d5f-4a0c-9e82-c3f4a5b60003',
};

const rejects = restError;

describe('authorization by persona (RBAC vs access policies, ARM AuthorizationFailed)', () => {
  let sb: TestSandbox;
  let pfx: ReturnType<typeof opensslPfx>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    sb = await startTestSandbox();
    for (const u of ['admin', 'certs', 'reader']) tokens[u] = await apiToken(sb, `${u}@contoso.sandbox`);
    pfx = opensslPfx({ password: 'pw' });
  });
  afterAll(async () => {
    await sb?.close();
  });

  const certs = (who: string, vault: string) =>
    new CertificateClient(`https://${vault}.vault.localhost:${sb.port}/`, oboCredential(sb.endpoints, tokens[who]!), {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
    } as never);
  const secrets = (who: string, vault: string) =>
    new SecretClient(`https://${vault}.vault.localhost:${sb.port}/`, oboCredential(sb.endpoints, tokens[who]!), {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
    } as never);
  const arm = (who: string, sub = PROD) =>
    new KeyVaultManagementClient(oboCredential(sb.endpoints, tokens[who]!), sub, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    });

  it("access-policy vault: a caller without a policy gets 403 ForbiddenByPolicy with Key Vault's text", async () => {
    const e = await rejects(certs('certs', 'kv-contoso-prod').importCertificate('x', pfx.pfx, { password: 'pw' }));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('Forbidden');
    expect((e.details as any).error.innerError.code).toBe('ForbiddenByPolicy');
    expect(e.message).toBe(
      `The user, group or application 'appid=${sb.endpoints.app.clientId};oid=${OID.certs};iss=${sb.endpoints.identity.issuer}' does not have certificates import permission on key vault 'kv-contoso-prod;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    );
  });

  it('access-policy vault: get/list-only policy allows list but not import', async () => {
    const c = certs('reader', 'kv-contoso-prod');
    for await (const _ of c.listPropertiesOfCertificates()) void _;
    const e = await rejects(c.importCertificate('x', pfx.pfx, { password: 'pw' }));
    expect(e.statusCode).toBe(403);
    expect(e.message).toContain('does not have certificates import permission');
  });

  it('RBAC vault: Certificates Officer imports, but cannot read the secret (403 ForbiddenByRbac)', async () => {
    const imported = await certs('certs', 'kv-contoso-rbac').importCertificate('officer-cert', pfx.pfx, {
      password: 'pw',
    });
    expect(imported.properties.x509ThumbprintString?.toUpperCase()).toBe(pfx.thumbprint);
    const e = await rejects(secrets('certs', 'kv-contoso-rbac').getSecret('officer-cert'));
    expect(e.statusCode).toBe(403);
    expect((e.details as any).error.innerError.code).toBe('ForbiddenByRbac');
    expect(e.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
  });

  it('RBAC vault: Key Vault Reader lists, and a raw 403 import body matches the service byte for byte', async () => {
    for await (const _ of certs('reader', 'kv-contoso-rbac').listPropertiesOfCertificates()) void _;
    const token = (await oboCredential(sb.endpoints, tokens.reader!).getToken('https://vault.azure.net/.default'))
      .token;
    const res = await raw(
      sb.agent,
      `https://kv-contoso-rbac.vault.localhost:${sb.port}/certificates/blocked/import?api-version=2025-07-01`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: pfx.pfx.toString('base64'), pwd: 'pw' }),
      },
    );
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      error: {
        code: 'Forbidden',
        message:
          'Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
          `Caller: appid=${sb.endpoints.app.clientId};oid=${OID.reader};iss=${sb.endpoints.identity.issuer}\r\n` +
          "Action: 'Microsoft.KeyVault/vaults/certificates/import/action'\r\n" +
          `Resource: '/subscriptions/${PROD}/resourcegroups/rg-cses-prod/providers/microsoft.keyvault/vaults/kv-contoso-rbac/certificates/blocked'\r\n` +
          'Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: kv-contoso-rbac;location=westeurope\r\n',
        innererror: { code: 'ForbiddenByRbac' },
      },
    });
  });

  it("ARM: a Reader cannot PATCH a vault (403 AuthorizationFailed with ARM's text)", async () => {
    const e = await rejects(
      arm('certs').vaults.update('rg-cses-prod', 'kv-contoso-prod', { properties: { enabledForDeployment: true } }),
    );
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('AuthorizationFailed');
    expect(e.message).toBe(
      `The client 'certs@contoso.sandbox' with object id '${OID.certs}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/write' over scope '/subscriptions/${PROD}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });

  it('ARM: subscriptions are listed only where the caller has a role; others answer 403', async () => {
    const client = new SubscriptionClient(oboCredential(sb.endpoints, tokens.certs!), {
      endpoint: sb.endpoints.arm.endpoint,
      credentialScopes: ['https://management.azure.com/.default'],
      agent: sb.agent,
    } as never);
    const subs = [];
    for await (const s of client.subscriptions.list()) subs.push(s.subscriptionId);
    expect(subs).toEqual([PROD]);
    const e = await rejects(
      (async () => {
        for await (const _ of arm('certs', STAGING).vaults.listBySubscription()) void _;
      })(),
    );
    expect([e.statusCode, e.code]).toEqual([403, 'AuthorizationFailed']);
    // arm-keyvault's pager replaces the message ("Pagination failed with unexpected statusCode 403"); read the body raw.
    const armToken = (
      await oboCredential(sb.endpoints, tokens.certs!).getToken('https://management.azure.com/.default')
    ).token;
    const r = await raw(
      sb.agent,
      `${sb.endpoints.arm.endpoint}/subscriptions/${STAGING}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`,
      { headers: { authorization: `Bearer ${armToken}` } },
    );
    expect(r.status).toBe(403);
    expect(r.json().error.message).toContain(
      `perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/${STAGING}'`,
    );
  });

  it('ARM: switching the permission model needs roleAssignments/write (Owner yes, Reader no)', async () => {
    const e = await rejects(
      arm('reader').vaults.update('rg-cses-prod', 'kv-contoso-prod', { properties: { enableRbacAuthorization: true } }),
    );
    expect(e.code).toBe('AuthorizationFailed');
    const ok = await arm('admin').vaults.update('rg-cses-prod', 'kv-contoso-prod', {
      properties: { enableRbacAuthorization: true },
    });
    expect(ok.properties.enableRbacAuthorization).toBe(true);
    // now an RBAC vault: the admin's Key Vault Administrator role still lets them in; the reader's policy no longer counts
    await certs('admin', 'kv-contoso-prod').importCertificate('after-switch', pfx.pfx, { password: 'pw' });
    const r = await rejects(certs('reader', 'kv-contoso-prod').importCertificate('x', pfx.pfx, { password: 'pw' }));
    expect((r.details as any).error.innerError.code).toBe('ForbiddenByRbac');
  });

  it('tokens are checked: wrong audience and tampered signature get 401s', async () => {
    const armTok = (await oboCredential(sb.endpoints, tokens.admin!).getToken('https://management.azure.com/.default'))
      .token;
    const kv = await raw(sb.agent, `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates?api-version=7.5`, {
      headers: { authorization: `Bearer ${armTok}` },
    });
    expect(kv.status).toBe(401);
    expect(kv.headers['www-authenticate']).toContain('resource="https://vault.azure.net"');
    expect(kv.json().error.message).toMatch(/^AKV10022: Invalid audience/);
    const kvTok = (await oboCredential(sb.endpoints, tokens.admin!).getToken('https://vault.azure.net/.default')).token;
    const a = await raw(sb.agent, `${sb.endpoints.arm.endpoint}/subscriptions?api-version=2022-12-01`, {
      headers: { authorization: `Bearer ${kvTok}` },
    });
    expect([a.status, a.json().error.code]).toEqual([401, 'InvalidAuthenticationTokenAudience']);
    const parts = armTok.split('.');
    const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()), oid: OID.admin, tid: TENANT, name: 'x' })).toString('base64url')}.${parts[2]}`;
    const t = await raw(sb.agent, `${sb.endpoints.arm.endpoint}/subscriptions?api-version=2022-12-01`, {
      headers: { authorization: `Bearer ${tampered}` },
    });
    expect([t.status, t.json().error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    const none = await raw(sb.agent, `${sb.endpoints.arm.endpoint}/subscriptions?api-version=2022-12-01`);
    expect(none.json()).toEqual({
      error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." },
    });
  });
  it('firewall: a vault with public access disabled answers 403 ForbiddenByFirewall; an IP rule lets loopback in', async () => {
    await arm('admin').vaults.update('rg-cses-prod', 'kv-contoso-rbac', {
      properties: { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [] } },
    });
    const e = await rejects(certs('admin', 'kv-contoso-rbac').getCertificate('officer-cert'));
    expect([e.statusCode, (e.details as any).error.innerError.code]).toEqual([403, 'ForbiddenByFirewall']);
    await arm('admin').vaults.update('rg-cses-prod', 'kv-contoso-rbac', {
      properties: {
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '127.0.0.1' }] },
      },
    });
    await certs('admin', 'kv-contoso-rbac').getCertificate('officer-cert');
    await arm('admin').vaults.update('rg-cses-prod', 'kv-contoso-rbac', {
      properties: { networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' } },
    });
  });
});
