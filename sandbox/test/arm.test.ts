import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ResourceManagementClient } from '@azure/arm-resources';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, raw, startTestSandbox, type TestSandbox } from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const TENANT = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
const ADMIN = '4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001';
const CERTS = '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002';

describe('ARM: resource groups, vault lifecycle, access policies, role assignments (real SDKs)', () => {
  let sb: TestSandbox;
  let kv: KeyVaultManagementClient;
  let rm: ResourceManagementClient;
  let armToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    kv = new KeyVaultManagementClient(cred, PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    });
    rm = new ResourceManagementClient(cred, PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentialScopes: ['https://management.azure.com/.default'],
      agent: sb.agent,
    } as never);
    armToken = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });

  const get = (path: string) =>
    raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}`, { headers: { authorization: `Bearer ${armToken}` } });

  it('lists and creates resource groups', async () => {
    const names = [];
    for await (const g of rm.resourceGroups.list()) names.push(g.name);
    expect(names).toEqual(['rg-cses-prod']);
    const created = await rm.resourceGroups.createOrUpdate('rg-new', { location: 'westeurope', tags: { a: 'b' } });
    expect(created).toMatchObject({
      name: 'rg-new',
      location: 'westeurope',
      properties: { provisioningState: 'Succeeded' },
    });
    expect((await rm.resourceGroups.get('rg-new')).tags).toEqual({ a: 'b' });
    const missing = await rm.resourceGroups.get('rg-nope').catch((e: RestError) => e);
    expect([(missing as RestError).statusCode, (missing as RestError).code]).toEqual([404, 'ResourceGroupNotFound']);
  });

  it('creates a vault with PUT (RBAC by default at 2026-02-01), lists it by resource group, and updates endpoints.json', async () => {
    const poller = await kv.vaults.createOrUpdate('rg-new', 'kv-created-1', {
      location: 'westeurope',
      properties: { tenantId: TENANT, sku: { family: 'A', name: 'standard' } },
    });
    const v = await poller;
    expect(v.properties.enableRbacAuthorization).toBe(true);
    expect(v.properties.vaultUri).toBe(`https://kv-created-1.vault.localhost:${sb.port}/`);
    const inRg = [];
    for await (const x of kv.vaults.listByResourceGroup('rg-new')) inRg.push(x.name);
    expect(inRg).toEqual(['kv-created-1']);
    const ep = JSON.parse(readFileSync(join(sb.stateDir, 'endpoints.json'), 'utf8'));
    expect(ep.vaults.map((x: { name: string }) => x.name)).toContain('kv-created-1');
    const older = new KeyVaultManagementClient(oboCredential(sb.endpoints, await apiToken(sb)), PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
      apiVersion: '2025-05-01',
    });
    // Before 2026-02-01 the vault uses access policies, and Key Vault wants them in the PUT (at least `[]`).
    const legacy = await older.vaults.createOrUpdate('rg-new', 'kv-created-2', {
      location: 'westeurope',
      properties: { tenantId: TENANT, sku: { family: 'A', name: 'standard' }, accessPolicies: [] },
    });
    expect(legacy.properties.enableRbacAuthorization).toBe(false);
    const dup = await kv.vaults
      .createOrUpdate('rg-cses-prod', 'kv-created-1', {
        location: 'westeurope',
        properties: { tenantId: TENANT, sku: { family: 'A', name: 'standard' } },
      })
      .catch((e: RestError) => e);
    expect((dup as RestError).code).toBe('VaultAlreadyExists');
  });

  it('deletes a vault softly: listDeleted/getDeleted, name reserved (409 ConflictError), recover with createMode, purge', async () => {
    const params = {
      location: 'westeurope',
      properties: { tenantId: TENANT, sku: { family: 'A' as const, name: 'standard' as const } },
    };
    await kv.vaults.createOrUpdate('rg-cses-prod', 'kv-soft-del', params);
    await kv.vaults.delete('rg-cses-prod', 'kv-soft-del');
    const deleted = [];
    for await (const d of kv.vaults.listDeleted()) deleted.push(d.name);
    expect(deleted).toContain('kv-soft-del');
    const d = await kv.vaults.getDeleted('kv-soft-del', 'westeurope');
    expect(d.properties?.vaultId).toBe(
      `/subscriptions/${PROD}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-soft-del`,
    );
    expect(
      (await kv.vaults.checkNameAvailability({ name: 'kv-soft-del', type: 'Microsoft.KeyVault/vaults' })).nameAvailable,
    ).toBe(false);
    const conflict = await kv.vaults.createOrUpdate('rg-cses-prod', 'kv-soft-del', params).catch((e: RestError) => e);
    expect([(conflict as RestError).statusCode, (conflict as RestError).code]).toEqual([409, 'ConflictError']);
    const recovered = await kv.vaults.createOrUpdate('rg-cses-prod', 'kv-soft-del', {
      ...params,
      properties: { ...params.properties, createMode: 'recover' },
    });
    expect(recovered.name).toBe('kv-soft-del');
    await kv.vaults.delete('rg-cses-prod', 'kv-soft-del');
    await kv.vaults.purgeDeleted('kv-soft-del', 'westeurope', { updateIntervalInMs: 25 });
    const after = [];
    for await (const x of kv.vaults.listDeleted()) after.push(x.name);
    expect(after).not.toContain('kv-soft-del');
    expect(
      (await kv.vaults.checkNameAvailability({ name: 'kv-soft-del', type: 'Microsoft.KeyVault/vaults' })).nameAvailable,
    ).toBe(true);
  });

  it('checks vault name availability', async () => {
    expect(
      await kv.vaults.checkNameAvailability({ name: 'kv-contoso-prod', type: 'Microsoft.KeyVault/vaults' }),
    ).toMatchObject({ nameAvailable: false, reason: 'AlreadyExists' });
    expect(
      await kv.vaults.checkNameAvailability({ name: 'kv-free-name', type: 'Microsoft.KeyVault/vaults' }),
    ).toMatchObject({ nameAvailable: true });
    expect(await kv.vaults.checkNameAvailability({ name: 'a--b', type: 'Microsoft.KeyVault/vaults' })).toMatchObject({
      nameAvailable: false,
      reason: 'AccountNameInvalid',
    });
  });

  it('adds, replaces and removes access policies', async () => {
    const entry = (perms: string[]) => ({
      tenantId: TENANT,
      objectId: CERTS,
      permissions: { certificates: perms as never[], secrets: ['get'] as never[] },
    });
    const added = await kv.vaults.updateAccessPolicy('rg-cses-prod', 'kv-contoso-prod', 'add', {
      properties: { accessPolicies: [entry(['get', 'list'])] },
    });
    expect(added.properties.accessPolicies[0]!.objectId).toBe(CERTS);
    await kv.vaults.updateAccessPolicy('rg-cses-prod', 'kv-contoso-prod', 'add', {
      properties: { accessPolicies: [entry(['import'])] },
    });
    let v = await kv.vaults.get('rg-cses-prod', 'kv-contoso-prod');
    expect(v.properties.accessPolicies!.find((a) => a.objectId === CERTS)!.permissions.certificates!.sort()).toEqual([
      'get',
      'import',
      'list',
    ]);
    await kv.vaults.updateAccessPolicy('rg-cses-prod', 'kv-contoso-prod', 'replace', {
      properties: { accessPolicies: [entry(['get'])] },
    });
    v = await kv.vaults.get('rg-cses-prod', 'kv-contoso-prod');
    expect(v.properties.accessPolicies!.find((a) => a.objectId === CERTS)!.permissions.certificates).toEqual(['get']);
    await kv.vaults.updateAccessPolicy('rg-cses-prod', 'kv-contoso-prod', 'remove', {
      properties: { accessPolicies: [entry(['get'])] },
    });
    v = await kv.vaults.get('rg-cses-prod', 'kv-contoso-prod');
    expect(v.properties.accessPolicies!.find((a) => a.objectId === CERTS)).toBeUndefined();
  });

  it('PATCH merges tags and soft-delete settings, refuses to turn soft delete off', async () => {
    const u = await kv.vaults.update('rg-cses-prod', 'kv-contoso-rbac', {
      tags: { owner: 'ada' },
      properties: { softDeleteRetentionInDays: 30, enabledForTemplateDeployment: true },
    });
    expect(u.tags).toEqual({ owner: 'ada' });
    expect(u.properties).toMatchObject({
      softDeleteRetentionInDays: 30,
      enabledForTemplateDeployment: true,
      enabledForDeployment: true,
      enableRbacAuthorization: true,
    });
    const off = await kv.vaults
      .update('rg-cses-prod', 'kv-contoso-rbac', { properties: { enableSoftDelete: false } })
      .catch((e: RestError) => e);
    expect((off as RestError).statusCode).toBe(400);
  });

  it('vaults.list() goes through /resources and returns generic resources', async () => {
    const names = [];
    for await (const r of kv.vaults.list()) names.push(r.name);
    expect(names).toContain('kv-contoso-prod');
  });

  it('explains rights: role assignments, role definitions and effective permissions', async () => {
    const vaultScope = `/subscriptions/${PROD}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac`;
    const ra = await get(
      `${vaultScope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${encodeURIComponent(`assignedTo('${CERTS}')`)}`,
    );
    expect(ra.status).toBe(200);
    const defs = ra.json().value.map((a: any) => a.properties.roleDefinitionId.split('/').pop());
    expect(defs.sort()).toEqual(
      ['a4417e6f-fecd-4de8-b567-7b0420556985', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'].sort(),
    );
    const def = await get(
      `/subscriptions/${PROD}/providers/Microsoft.Authorization/roleDefinitions/a4417e6f-fecd-4de8-b567-7b0420556985?api-version=2022-04-01`,
    );
    expect(def.json().properties.roleName).toBe('Key Vault Certificates Officer');
    const perms = await get(`${vaultScope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`);
    expect(perms.json().value.flatMap((p: any) => p.dataActions)).toContain('Microsoft.KeyVault/vaults/*');
    void ADMIN;
  });

  it('is strict: unknown api-version, missing api-version, unknown operation', async () => {
    const bad = await get(`/subscriptions/${PROD}/providers/Microsoft.KeyVault/vaults?api-version=2099-01-01`);
    expect([bad.status, bad.json().error.code]).toEqual([400, 'NoRegisteredProviderFound']);
    const badSubs = await get('/subscriptions?api-version=2099-01-01');
    expect([badSubs.status, badSubs.json().error.code]).toEqual([400, 'InvalidApiVersionParameter']);
    const missing = await get('/subscriptions');
    expect([missing.status, missing.json().error.code]).toEqual([400, 'MissingApiVersionParameter']);
    const nope = await get(`/subscriptions/${PROD}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`);
    expect(nope.status).toBe(501);
    expect(nope.json().error.message).toContain(
      `GET /subscriptions/${PROD}/providers/Microsoft.Compute/virtualMachines`,
    );
  });
});
