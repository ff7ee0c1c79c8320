import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { apiToken, oboCredential, raw, restError, secretClient, startTestSandbox, type TestSandbox } from './helpers';

// Issue 12 item 8, through @azure/arm-keyvault: PUT of an existing vault replaces it as ARM PUT does (and Key Vault
// wants `accessPolicies` in it unless the vault uses RBAC); networkAcls are normalised as the REST example shows;
// tenant ids are checked; accessPolicies/add on an RBAC vault is accepted like a PATCH with access policies (and
// ignored by the data plane); purge of a deleted vault is a 202 with an operation to poll.

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const TENANT = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';
const ADMIN = '4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001';
const RITA = '8b3e9c40-2d5f-4a0c-9e82-c3f4a5b60003';
const RG = 'rg-cses-prod';
const SKU = { family: 'A' as const, name: 'standard' as const };
const POLICY = { tenantId: TENANT, objectId: ADMIN, permissions: { certificates: ['get' as const] } };

describe('ARM vaults: PUT replaces, networkAcls, tenants, RBAC access policies, purge (real SDK)', () => {
  let sb: TestSandbox;
  let kv: KeyVaultManagementClient;
  let armToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    const options = {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    };
    kv = new KeyVaultManagementClient(cred, PROD, { ...options, apiVersion: '2025-05-01' });
    armToken = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('PUT of an existing vault replaces it: what is not sent goes back to its default', async () => {
    await kv.vaults.createOrUpdate(RG, 'kv-put-replace', {
      location: 'westeurope',
      tags: { owner: 'ada' },
      properties: {
        tenantId: TENANT,
        sku: SKU,
        accessPolicies: [POLICY],
        enabledForDeployment: true,
        enabledForTemplateDeployment: true,
        enablePurgeProtection: true,
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '1.2.3.4' }] },
      },
    });
    const replaced = await kv.vaults.createOrUpdate(RG, 'kv-put-replace', {
      location: 'westeurope',
      properties: { tenantId: TENANT, sku: SKU, accessPolicies: [] },
    });
    expect(replaced.tags ?? {}).toEqual({});
    expect(replaced.properties).toMatchObject({
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForTemplateDeployment: false,
      // what cannot be undone, and the permission model, stay
      enableSoftDelete: true,
      enablePurgeProtection: true,
      enableRbacAuthorization: false,
    });
    expect(replaced.properties.networkAcls).toBeUndefined();
  });

  it('a PUT without accessPolicies is refused on an access-policy vault and accepted on an RBAC vault', async () => {
    const e = await restError(
      kv.vaults.createOrUpdate(RG, 'kv-contoso-prod', {
        location: 'westeurope',
        properties: { tenantId: TENANT, sku: SKU, enabledForDeployment: true },
      }),
    );
    expect([e.statusCode, e.code, e.message]).toEqual([
      400,
      'BadRequest',
      'The parameter accessPolicies is not specified.',
    ]);
    expect((await kv.vaults.get(RG, 'kv-contoso-prod')).properties.accessPolicies?.length).toBeGreaterThan(0);
    const rbac = await kv.vaults.createOrUpdate(RG, 'kv-contoso-rbac', {
      location: 'westeurope',
      properties: { tenantId: TENANT, sku: SKU, enabledForDeployment: true },
    });
    expect(rbac.properties.enableRbacAuthorization).toBe(true);
  });

  it('networkAcls are stored as the RP normalises them: /32 for a bare IPv4 address, subnet ids lower-cased', async () => {
    const subnet =
      '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet/subnets/subnet1';
    const put = await kv.vaults.createOrUpdate(RG, 'kv-acls', {
      location: 'westeurope',
      properties: {
        tenantId: TENANT,
        sku: SKU,
        accessPolicies: [],
        networkAcls: {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          ipRules: [{ value: '124.56.78.91' }, { value: '10.91.4.0/24' }],
          virtualNetworkRules: [{ id: subnet }],
        },
      },
    });
    expect(put.properties.networkAcls).toEqual({
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      ipRules: [{ value: '124.56.78.91/32' }, { value: '10.91.4.0/24' }],
      virtualNetworkRules: [{ id: subnet.toLowerCase() }],
    });
    const patched = await kv.vaults.update(RG, 'kv-acls', {
      properties: { networkAcls: { defaultAction: 'Deny', bypass: 'None', ipRules: [{ value: '1.2.3.4' }] } },
    });
    expect(patched.properties.networkAcls?.ipRules).toEqual([{ value: '1.2.3.4/32' }]);
    const bad = await restError(
      kv.vaults.update(RG, 'kv-acls', { properties: { networkAcls: { defaultAction: 'Maybe' as never } } }),
    );
    expect([bad.statusCode, bad.code]).toEqual([400, 'InvalidRequestContent']);
  });

  it('tenant ids are checked: a GUID for the vault, and the vault’s own tenant in every access policy', async () => {
    const notGuid = await restError(
      kv.vaults.createOrUpdate(RG, 'kv-bad-tenant', {
        location: 'westeurope',
        properties: { tenantId: 'contoso', sku: SKU, accessPolicies: [] },
      }),
    );
    expect([notGuid.statusCode, notGuid.code]).toEqual([400, 'InvalidRequestContent']);
    const foreign = { ...POLICY, tenantId: OTHER_TENANT };
    const viaPut = await restError(
      kv.vaults.createOrUpdate(RG, 'kv-bad-tenant', {
        location: 'westeurope',
        properties: { tenantId: TENANT, sku: SKU, accessPolicies: [foreign] },
      }),
    );
    expect([viaPut.statusCode, viaPut.code]).toEqual([400, 'BadRequest']);
    const viaPatch = await restError(
      kv.vaults.update(RG, 'kv-contoso-prod', { properties: { accessPolicies: [foreign] } }),
    );
    expect([viaPatch.statusCode, viaPatch.code]).toEqual([400, 'BadRequest']);
    const viaAdd = await restError(
      kv.vaults.updateAccessPolicy(RG, 'kv-contoso-prod', 'add', { properties: { accessPolicies: [foreign] } }),
    );
    expect([viaAdd.statusCode, viaAdd.code]).toEqual([400, 'BadRequest']);
    // a refused PATCH changed nothing
    const prod = await kv.vaults.get(RG, 'kv-contoso-prod');
    expect(prod.properties.accessPolicies?.every((a) => a.tenantId === TENANT)).toBe(true);
  });

  it('accessPolicies/add on an RBAC vault is accepted like a PATCH with access policies, and the data plane ignores it', async () => {
    const grant = { tenantId: TENANT, objectId: RITA, permissions: { secrets: ['get' as const, 'list' as const] } };
    const added = await kv.vaults.updateAccessPolicy(RG, 'kv-contoso-rbac', 'add', {
      properties: { accessPolicies: [grant] },
    });
    expect(added.properties.accessPolicies).toEqual([grant]);
    const patched = await kv.vaults.update(RG, 'kv-contoso-rbac', { properties: { accessPolicies: [grant] } });
    expect(patched.properties.accessPolicies?.map((a) => a.objectId)).toEqual([RITA]);
    // Rita (Key Vault Reader) still cannot read a secret's value: on an RBAC vault only role assignments count.
    const rita = await secretClient(sb, 'kv-contoso-rbac', 'reader@contoso.sandbox');
    const e = await restError(rita.getSecret('web-ssl'));
    expect([e.statusCode, e.code]).toEqual([403, 'Forbidden']);
  });

  it('purging a deleted vault is a 202 with an operation to poll; the SDK poller waits for it', async () => {
    const deleteVault = async (name: string) => {
      await kv.vaults.createOrUpdate(RG, name, {
        location: 'westeurope',
        properties: { tenantId: TENANT, sku: SKU, accessPolicies: [] },
      });
      await kv.vaults.delete(RG, name);
    };
    await deleteVault('kv-purging');
    await deleteVault('kv-purged');
    const purgeUrl = (name: string) =>
      `${sb.endpoints.arm.endpoint}/subscriptions/${PROD}/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/${name}/purge?api-version=2025-05-01`;
    const auth = { authorization: `Bearer ${armToken}` };
    // A purge that takes a minute: 202 with a Location that answers 202, the vault still listed as deleted.
    process.env.SANDBOX_PURGE_DELAY_MS = '60000';
    let location: string;
    try {
      const started = await raw(sb.agent, purgeUrl('kv-purging'), { method: 'POST', headers: auth });
      expect(started.status).toBe(202);
      location = String(started.headers.location);
    } finally {
      Reflect.deleteProperty(process.env, 'SANDBOX_PURGE_DELAY_MS');
    }
    expect(location).toContain('/providers/Microsoft.KeyVault/locations/westeurope/operationResults/');
    expect((await raw(sb.agent, location, { headers: auth })).status).toBe(202);
    expect((await kv.vaults.getDeleted('kv-purging', 'westeurope')).name).toBe('kv-purging');
    // A short one (the suite's 200 ms) through the SDK's poller, which waits for it: then the vault is gone.
    const started = await raw(sb.agent, purgeUrl('kv-purged'), { method: 'POST', headers: auth });
    await kv.vaults.purgeDeleted('kv-purged', 'westeurope', { updateIntervalInMs: 25 });
    expect((await raw(sb.agent, String(started.headers.location), { headers: auth })).status).toBe(200);
    const e = await restError(kv.vaults.getDeleted('kv-purged', 'westeurope'));
    expect(e.statusCode).toBe(404);
  });
});
