import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '@/lib/config';
import { getCloudServiceOperation, toLiveService, updateBody, type RawCloudService } from './cloud-services';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const ref = { subscriptionId: SUB, resourceGroup: 'rg-cses-prod', cloudServiceName: 'cs-contoso-web' };
const raw: RawCloudService = {
  id: `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.Compute/cloudServices/cs-contoso-web`,
  name: 'cs-contoso-web',
  type: 'Microsoft.Compute/cloudServices',
  location: 'westeurope',
  tags: { environment: 'production' },
  systemData: { createdAt: '2026-01-01T00:00:00Z' },
  properties: {
    configuration: '<ServiceConfiguration/>',
    configurationUrl: 'https://example/x.cscfg',
    provisioningState: 'Succeeded',
    uniqueId: '60b6cd59-600b-4e02-b717-521b07aa94bf',
    upgradeMode: 'Auto',
    roleProfile: { roles: [{ name: 'WebRole1' }, { name: 'WorkerRole1' }] },
    networkProfile: { loadBalancerConfigurations: [{ name: 'lb' }] },
    osProfile: { secrets: [{ sourceVault: { id: 'v' }, vaultCertificates: [{ certificateUrl: 'a' }] }] },
    futureProperty: { kept: true },
  },
};

describe('cloud service wire shapes', () => {
  it('reads the parts certificates depend on', () => {
    expect(toLiveService(raw)).toMatchObject({
      subscriptionId: SUB,
      resourceGroup: 'rg-cses-prod',
      name: 'cs-contoso-web',
      roles: ['WebRole1', 'WorkerRole1'],
      configuration: '<ServiceConfiguration/>',
      provisioningState: 'Succeeded',
    });
  });

  it('a PUT body changes configuration and osProfile.secrets only, drops read-only fields, keeps everything else', () => {
    const secrets = [{ sourceVault: { id: 'v2' }, vaultCertificates: [{ certificateUrl: 'b' }] }];
    const body = updateBody(raw, '<new/>', secrets);
    expect(body).toEqual({
      location: 'westeurope',
      tags: { environment: 'production' },
      properties: {
        configuration: '<new/>',
        upgradeMode: 'Auto',
        roleProfile: raw.properties!.roleProfile,
        networkProfile: raw.properties!.networkProfile,
        osProfile: { secrets },
        futureProperty: { kept: true },
      },
    });
  });
});

describe('operation tokens', () => {
  const ctx = {
    credential: { getToken: async () => null },
    config: {
      armEndpoint: 'https://management.azure.com',
      armAudience: 'https://management.azure.com',
    } as ServerConfig,
  };
  const token = (p: unknown) => Buffer.from(JSON.stringify(p)).toString('base64url');
  it('are refused before any request unless they point under this subscription, or at this very service', async () => {
    for (const bad of [
      'not-base64-json',
      token({
        kind: 'async',
        path: `/subscriptions/5c2e8f90-3a7b-4d1c-b2e4-444455556666/providers/Microsoft.Compute/locations/westeurope/operations/1`,
      }),
      token({ kind: 'async', path: `/subscriptions/${SUB}/../../other` }),
      token({ kind: 'async', path: `/subscriptions/${SUB}/a/./b` }),
      token({
        kind: 'resource',
        path: `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.Compute/cloudServices/other`,
      }),
      token({ kind: 'script', path: `/subscriptions/${SUB}/x` }),
    ]) {
      await expect(getCloudServiceOperation(ctx, ref, bad)).rejects.toMatchObject({
        code: 'bad_request',
        reason: 'InvalidOperationToken',
      });
    }
  });
});
