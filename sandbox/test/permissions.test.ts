import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { RestError } from '@azure/core-rest-pipeline';
import { apiToken, oboCredential, raw, startTestSandbox, type TestSandbox } from './helpers';

// ARM's permissions API as @azure/arm-authorization calls it (Permissions_ListForResourceGroup / _ListForResource):
// one { actions, notActions, dataActions, notDataActions } entry per role assignment at or above the scope.

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const RG = 'rg-cses-prod';
const READER = ['*/read'];

describe('ARM permissions API (real @azure/arm-authorization client)', () => {
  let sb: TestSandbox;
  const clients: Record<string, AuthorizationManagementClient> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    sb = await startTestSandbox();
    for (const who of ['admin', 'certs', 'reader']) {
      const cred = oboCredential(sb.endpoints, await apiToken(sb, `${who}@contoso.sandbox`));
      clients[who] = new AuthorizationManagementClient(cred, PROD, {
        endpoint: sb.endpoints.arm.endpoint,
        credentialScopes: ['https://management.azure.com/.default'],
        agent: sb.agent,
      } as never);
      tokens[who] = (await cred.getToken('https://management.azure.com/.default'))!.token;
    }
  });
  afterAll(async () => {
    await sb?.close();
  });

  const list = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  const forVault = (who: string, vault: string) =>
    list(clients[who]!.permissions.listForResource(RG, 'Microsoft.KeyVault', '', 'vaults', vault));

  it('for a resource group: the roles assigned at the subscription and the group', async () => {
    const cole = await list(clients.certs!.permissions.listForResourceGroup(RG));
    expect(cole).toEqual([{ actions: READER, notActions: [], dataActions: [], notDataActions: [] }]);
    const ada = await list(clients.admin!.permissions.listForResourceGroup(RG));
    expect(ada.flatMap((p) => p.actions)).toContain('*');
    expect(ada.flatMap((p) => p.dataActions)).toContain('Microsoft.KeyVault/vaults/*');
  });

  it('for a vault: assignments on the vault itself count, and data actions are listed (RBAC vaults)', async () => {
    const rbac = await forVault('certs', 'kv-contoso-rbac');
    expect(rbac.flatMap((p) => p.dataActions)).toEqual(
      expect.arrayContaining(['Microsoft.KeyVault/vaults/certificates/*']),
    );
    expect(rbac.flatMap((p) => p.dataActions)).not.toContain('Microsoft.KeyVault/vaults/secrets/getSecret/action');
    const prod = await forVault('certs', 'kv-contoso-prod');
    expect(prod).toEqual([{ actions: READER, notActions: [], dataActions: [], notDataActions: [] }]);
    const rita = await forVault('reader', 'kv-contoso-rbac');
    expect(rita.flatMap((p) => p.dataActions)).toContain('Microsoft.KeyVault/vaults/*/read');
    expect(rita.flatMap((p) => p.actions)).not.toContain('Microsoft.KeyVault/vaults/write');
  });

  it('answers api-version 2015-07-01 too, and a missing resource group as ARM does', async () => {
    const res = await raw(
      sb.agent,
      `${sb.endpoints.arm.endpoint}/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac/providers/Microsoft.Authorization/permissions?api-version=2015-07-01`,
      { headers: { authorization: `Bearer ${tokens.certs}` } },
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.json().value[0]).sort()).toEqual(['actions', 'dataActions', 'notActions', 'notDataActions']);
    const missing = await list(clients.certs!.permissions.listForResourceGroup('rg-nope')).catch((e: RestError) => e);
    expect([(missing as RestError).statusCode, (missing as RestError).code]).toEqual([404, 'ResourceGroupNotFound']);
  });
});
