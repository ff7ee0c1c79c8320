import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiToken, oboCredential, raw, startTestSandbox, type TestSandbox } from './helpers';

/**
 * The sandbox's cloud services answers against the key structure of the REST spec's own examples
 * (rest-examples/cloudservices/, vendored from azure-rest-api-specs 2022-09-04): no field the service does not send,
 * and, where the seed has the same parts, every field it does send.
 */
const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const BASE = `/subscriptions/${PROD}/resourceGroups/rg-cses-prod/providers/Microsoft.Compute/cloudServices/cs-contoso-web`;

function paths(x: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(x)) for (const item of x) for (const p of paths(item, `${prefix}[]`)) out.add(p);
  else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) {
      const key = prefix ? `${prefix}.${k}` : k;
      out.add(key);
      for (const p of paths(v, key)) out.add(p);
    }
  return out;
}

const example = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, 'rest-examples', 'cloudservices', file), 'utf8')).responses['200'].body;

describe('cloud services RP answers have the shape of the REST spec examples', () => {
  let sb: TestSandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    token = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });
  const get = async (path: string) => {
    const r = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}?api-version=2022-09-04`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    return r.json();
  };

  it('GET: every field is one the example has (osProfile.secrets items from the spec definition)', async () => {
    const ours = paths(await get(BASE));
    const allowed = paths(example('CloudService_Get_WithMultiRoleAndRDP.json'));
    for (const extra of [
      'tags',
      'properties.osProfile.secrets[].sourceVault',
      'properties.osProfile.secrets[].sourceVault.id',
      'properties.osProfile.secrets[].vaultCertificates',
      'properties.osProfile.secrets[].vaultCertificates[].certificateUrl',
    ])
      allowed.add(extra);
    expect([...ours].filter((p) => !allowed.has(p) && !p.startsWith('tags.'))).toEqual([]);
    const missing = [...allowed].filter((p) => !ours.has(p) && !p.startsWith('properties.extensionProfile'));
    expect(missing).toEqual([]);
  });

  it('PATCH answer, roles list, role instances list and instance view: the same fields as the examples', async () => {
    const patch = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${BASE}?api-version=2022-09-04`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: { Documentation: 'RestAPI' } }),
    });
    const patchPaths = paths(patch.json());
    const patchExample = paths(example('CloudService_Update_ToIncludeTags.json'));
    // The example spells publicIpAddress; the spec definition (and the Get example) publicIPAddress.
    const norm = (s: Set<string>) => new Set([...s].map((p) => p.replace('publicIpAddress', 'publicIPAddress')));
    expect(
      [...norm(patchPaths)].filter(
        (p) => !norm(patchExample).has(p) && !p.includes('osProfile.secrets[]') && !p.startsWith('systemData'),
      ),
    ).toEqual([]);
    expect([...paths(await get(`${BASE}/roles`))].sort()).toEqual(
      [...paths(example('CloudServiceRole_List.json'))].sort(),
    );
    expect([...paths(await get(`${BASE}/roleInstances`))].sort()).toEqual(
      [...paths(example('CloudServiceRolesInstance_List.json'))].sort(),
    );
    expect([...paths(await get(`${BASE}/instanceView`))].sort()).toEqual(
      [...paths(example('CloudService_Get_InstanceViewWithMultiRole.json'))].sort(),
    );
  });
});
