import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComputeManagementClient, type CloudService } from '@azure/arm-compute';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import {
  apiToken,
  computeClient,
  oboCredential,
  opensslPfx,
  raw,
  restError,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const STAGING = '5c2e8f90-3a7b-4d1c-b2e4-444455556666';
const TENANT = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
const RG = 'rg-cses-prod';
const ADA = { upn: 'admin@contoso.sandbox', oid: '4f1c9a2e-7b3d-4e8a-9c60-a1d2e3f40001' };
const COLE = { upn: 'certs@contoso.sandbox', oid: '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002' };
const csId = (name: string) =>
  `/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.Compute/cloudServices/${name}`;
const vaultIdOf = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
const RBAC_ID = vaultIdOf(PROD, RG, 'kv-contoso-rbac');
const POLL = { updateIntervalInMs: 50 };

/** status, code and message of a refused request */
async function refused(p: Promise<unknown>): Promise<[number | undefined, string | undefined, string]> {
  const e = await restError(p);
  return [e.statusCode, e.code, e.message];
}

/** The body a client sends to update a service: what GET returned, changed by `edit`. */
function edited(cs: CloudService, edit: (p: NonNullable<CloudService['properties']>) => void): CloudService {
  const copy = structuredClone({ location: cs.location, tags: cs.tags, properties: cs.properties }) as CloudService;
  edit(copy.properties!);
  return copy;
}

describe('cloud services RP: PUT/PATCH as long-running operations and every RP check (real @azure/arm-compute 23.3.0)', () => {
  let sb: TestSandbox;
  let client: (user?: string) => Promise<ComputeManagementClient>;
  let ada: ComputeManagementClient;
  let certs: (vaultUri: string) => Promise<CertificateClient>;
  let armToken: string;
  const port = () => sb.port;
  const rbacUrl = (name: string, version: string) =>
    `https://kv-contoso-rbac.vault.localhost:${port()}/secrets/${name}/${version}`;

  beforeAll(async () => {
    // Cole also gets Contributor on one service only: write there, but no vaults/deploy/action on its vault.
    const seed = JSON.parse(readFileSync(join(__dirname, '..', 'seed.json'), 'utf8'));
    seed.roleAssignments.push({
      principal: 'certs@contoso.sandbox',
      role: 'Contributor',
      scope: csId('cs-contoso-shop'),
    });
    seed.personas.push({
      username: 'nobody@contoso.sandbox',
      password: 'Sandbox-Passw0rd!',
      displayName: 'Nora Nobody',
      objectId: '9c4f0d51-3e6a-4b1d-8f93-d4a5b6c70004',
    });
    seed.roleAssignments.push({ principal: 'nobody@contoso.sandbox', role: 'Reader', scope: RBAC_ID });
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const seedFile = join(mkdtempSync(join(tmpdir(), 'cs-seed-')), 'seed.json');
    writeFileSync(seedFile, JSON.stringify(seed));
    process.env.SANDBOX_CS_OPERATION_DELAY_MS = '200';
    sb = await startTestSandbox({ seedFile });
    client = (user = ADA.upn) => computeClient(sb, user);
    ada = await client();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    certs = async (vaultUri) =>
      new CertificateClient(vaultUri, cred, { disableChallengeResourceVerification: true, agent: sb.agent } as never);
    armToken = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    delete process.env.SANDBOX_CS_OPERATION_DELAY_MS;
    await sb?.close();
  });
  beforeEach(async () => {
    await raw(sb.agent, `${sb.endpoints.arm.endpoint}/_sandbox/faults`, { method: 'DELETE' });
  });

  const put = (c: ComputeManagementClient, name: string, body: CloudService) =>
    c.cloudServices.beginCreateOrUpdateAndWait(RG, name, { parameters: body, ...POLL });
  /** PUT back exactly what GET returned */
  const putAsIs = (c: ComputeManagementClient, name: string, cs: CloudService) =>
    put(
      c,
      name,
      edited(cs, () => undefined),
    );

  /** Ends the running operation of a service now (the tests drive the sandbox's clock instead of sleeping). */
  const finishOperation = (name: string) => {
    const cs = sb.store.state.cloudServices!.find((c) => c.name === name)!;
    cs.operation!.readyAt = 0;
  };
  const faults = (rule: object) =>
    raw(sb.agent, `${sb.endpoints.arm.endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(rule) });

  it('PUT is a long-running operation: 200 Updating with Azure-AsyncOperation, the operation resource, then Succeeded', async () => {
    const before = await ada.cloudServices.get(RG, 'cs-contoso-web');
    await faults({ area: 'cloudServices', method: 'PUT', delayMs: 3_600_000, count: 1 });
    const body = JSON.stringify({ location: before.location, tags: { a: 'b' }, properties: before.properties });
    const res = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${csId('cs-contoso-web')}?api-version=2024-11-04`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${armToken}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.json().properties.provisioningState).toBe('Updating');
    const op = String(res.headers['azure-asyncoperation']);
    expect(op).toMatch(
      new RegExp(
        `^https://localhost:${port()}/subscriptions/${PROD}/providers/Microsoft.Compute/locations/westeurope/operations/[0-9a-f-]{36}\\?api-version=2024-11-04$`,
      ),
    );
    const status = await raw(sb.agent, op, { headers: { authorization: `Bearer ${armToken}` } });
    expect(status.json()).toMatchObject({ status: 'InProgress', name: op.split('/operations/')[1]!.split('?')[0] });
    expect((await ada.cloudServices.get(RG, 'cs-contoso-web')).properties!.provisioningState).toBe('Updating');
    // A second update while the first runs is refused.
    const busy = await restError(put(ada, 'cs-contoso-web', before));
    expect([busy.statusCode, busy.code]).toEqual([409, 'OperationNotAllowed']);
    finishOperation('cs-contoso-web');
    expect((await raw(sb.agent, op, { headers: { authorization: `Bearer ${armToken}` } })).json()).toMatchObject({
      status: 'Succeeded',
      endTime: expect.any(String),
    });
    const after = await ada.cloudServices.get(RG, 'cs-contoso-web');
    expect(after.properties!.provisioningState).toBe('Succeeded');
    expect(after.tags).toEqual({ a: 'b' });
    expect(after.properties!.configuration).toBe(before.properties!.configuration);
  });

  it('the SDK poller applies a rotation: billing pinned to the version whose thumbprint the cscfg carries', async () => {
    const cs = await ada.cloudServices.get(RG, 'cs-contoso-billing');
    // As seeded it is the §1.1 case: the cscfg has the new version's thumbprint, the secrets pin the old version.
    const newThumb = /thumbprint="([0-9A-F]{40})"/.exec(cs.properties!.configuration!)![1]!;
    const e0 = await restError(putAsIs(ada, 'cs-contoso-billing', cs));
    expect([e0.statusCode, e0.code]).toEqual([400, 'InvalidParameter']);
    expect(e0.message).toContain(`Missing thumbprints: WebRole1|${newThumb}. To understand more`);
    const kv = await certs(`https://kv-contoso-rbac.vault.localhost:${port()}/`);
    const current = await kv.getCertificate('billing-ssl');
    const body = edited(cs, (p) => {
      p.osProfile!.secrets![0]!.vaultCertificates = [
        { certificateUrl: rbacUrl('billing-ssl', current.properties.version!) },
      ];
    });
    const done = await put(ada, 'cs-contoso-billing', body);
    expect(done.properties!.provisioningState).toBe('Succeeded');
    const again = await ada.cloudServices.get(RG, 'cs-contoso-billing');
    expect(again.properties!.osProfile!.secrets![0]!.vaultCertificates).toEqual([
      { certificateUrl: rbacUrl('billing-ssl', current.properties.version!) },
    ]);
    expect(again.properties!.configuration).toBe(cs.properties!.configuration);
  });

  it('PATCH of tags is a long-running operation too', async () => {
    const done = await ada.cloudServices.beginUpdateAndWait(RG, 'cs-contoso-shop', {
      parameters: { tags: { Documentation: 'RestAPI' } },
      ...POLL,
    });
    expect(done.tags).toEqual({ Documentation: 'RestAPI' });
    expect((await ada.cloudServices.get(RG, 'cs-contoso-shop')).tags).toEqual({ Documentation: 'RestAPI' });
  });

  it('§1.1 Missing thumbprints: a certificate two roles share, dropped from osProfile.secrets', async () => {
    // Two roles share a certificate: dropping it from osProfile.secrets names both.
    const web = await ada.cloudServices.get(RG, 'cs-contoso-web');
    const apiThumb = /name="ApiClientCertificate" thumbprint="([0-9A-F]{40})"/.exec(
      web.properties!.configuration!,
    )![1]!;
    expect(
      await refused(
        put(
          ada,
          'cs-contoso-web',
          edited(web, (p) => {
            const g = p.osProfile!.secrets![0]!;
            g.vaultCertificates = g.vaultCertificates!.filter((v) => !v.certificateUrl!.includes('/api-client/'));
          }),
        ),
      ),
    ).toEqual([
      400,
      'InvalidParameter',
      `The thumbprints specified in the CSCFG do not have corresponding certificates in osProfile.secrets. Add the missing certificates in osProfile.secrets. Missing thumbprints: WebRole1|${apiThumb}, WorkerRole1|${apiThumb}. To understand more about how to use KeyVault for certificates, please follow the documentation at https://aka.ms/cses-kv`,
    ]);
    // Nothing changed.
    expect((await ada.cloudServices.get(RG, 'cs-contoso-web')).properties!.osProfile).toEqual(
      web.properties!.osProfile,
    );
  });

  it('§1.2 only versioned /secrets/ URLs', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const url = shop.properties!.osProfile!.secrets![0]!.vaultCertificates![0]!.certificateUrl!;
    for (const bad of [url.replace(/\/[0-9a-f]{32}$/, ''), url.replace('/secrets/', '/certificates/'), 'https']) {
      expect(
        await refused(
          put(
            ada,
            'cs-contoso-shop',
            edited(shop, (p) => (p.osProfile!.secrets![0]!.vaultCertificates = [{ certificateUrl: bad }])),
          ),
        ),
      ).toEqual([
        400,
        'InvalidParameter',
        `${bad} is not a valid versioned Key Vault Secret URL. It should be in the format https://<vaultEndpoint>/secrets/<secretName>/<secretVersion>.`,
      ]);
    }
  });

  it('§1.3 KeyVaultAccessForbidden: sourceVault.id is not the URL’s vault, or the vault is not enabled for deployment', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const url = shop.properties!.osProfile!.secrets![0]!.vaultCertificates![0]!.certificateUrl!;
    const prodId = vaultIdOf(PROD, RG, 'kv-contoso-prod');
    expect(
      await refused(
        put(
          ada,
          'cs-contoso-shop',
          edited(shop, (p) => (p.osProfile!.secrets![0]!.sourceVault = { id: prodId })),
        ),
      ),
    ).toEqual([
      400,
      'KeyVaultAccessForbidden',
      `Key Vault ${url} either has not been enabled for deployment or the vault id provided, ${prodId}, does not match the Key Vault's true resource id.`,
    ]);
    // kv-contoso-prod has enabledForDeployment=false: a certificate there is refused the same way.
    const pfx = opensslPfx({ cn: 'shop.contoso.sandbox', password: 'pw' });
    const kv = await certs(`https://kv-contoso-prod.vault.localhost:${port()}/`);
    const imported = await kv.importCertificate('shop-ssl-prod', pfx.pfx, { password: 'pw' });
    const prodUrl = `https://kv-contoso-prod.vault.localhost:${port()}/secrets/shop-ssl-prod/${imported.properties.version}`;
    const e2 = await restError(
      put(
        ada,
        'cs-contoso-shop',
        edited(shop, (p) => {
          p.configuration = p.configuration!.replace(/thumbprint="[0-9A-F]{40}"/, `thumbprint="${pfx.thumbprint}"`);
          p.osProfile!.secrets = [{ sourceVault: { id: prodId }, vaultCertificates: [{ certificateUrl: prodUrl }] }];
        }),
      ),
    );
    expect([e2.code, e2.message]).toEqual([
      'KeyVaultAccessForbidden',
      `Key Vault ${prodUrl} either has not been enabled for deployment or the vault id provided, ${prodId}, does not match the Key Vault's true resource id.`,
    ]);
  });

  it('§1.4 vault in another region, vault in another subscription', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const pfx = opensslPfx({ cn: 'shop.contoso.sandbox', password: 'pw' });
    const withVault = async (sub: string, rg: string, name: string, location: string) => {
      const m = new KeyVaultManagementClient(oboCredential(sb.endpoints, await apiToken(sb)), sub, {
        endpoint: sb.endpoints.arm.endpoint,
        credentials: { scopes: ['https://management.azure.com/.default'] },
        agent: sb.agent,
      });
      await m.vaults.beginCreateOrUpdateAndWait(rg, name, {
        location,
        properties: {
          tenantId: TENANT,
          sku: { family: 'A', name: 'standard' },
          enabledForDeployment: true,
          enableRbacAuthorization: true,
        },
      });
      const kv = await certs(`https://${name}.vault.localhost:${port()}/`);
      const c = await kv.importCertificate('shop-ssl', pfx.pfx, { password: 'pw' });
      const id = vaultIdOf(sub, rg, name);
      return edited(shop, (p) => {
        p.configuration = p.configuration!.replace(/thumbprint="[0-9A-F]{40}"/, `thumbprint="${pfx.thumbprint}"`);
        p.osProfile!.secrets = [
          {
            sourceVault: { id },
            vaultCertificates: [
              { certificateUrl: `https://${name}.vault.localhost:${port()}/secrets/shop-ssl/${c.properties.version}` },
            ],
          },
        ];
      });
    };
    const west = await withVault(PROD, RG, 'kv-contoso-westus', 'westus');
    expect(await refused(put(ada, 'cs-contoso-shop', west))).toEqual([
      400,
      'KeyVaultAndVMInDifferentRegions',
      `The Key Vault ${vaultIdOf(PROD, RG, 'kv-contoso-westus')} is located in location westus, which is different from the location of the VM, westeurope.`,
    ]);
    const other = await withVault(STAGING, 'rg-cses-staging', 'kv-staging-weu', 'westeurope');
    expect(await refused(put(ada, 'cs-contoso-shop', other))).toEqual([
      400,
      'InvalidParameter',
      `The SubscriptionId:"${PROD}" of the request must match the SubscriptionId "${STAGING}" contained in the Key Vault Id`,
    ]);
  });

  it('§1.5 the same vault listed twice', async () => {
    const web = await ada.cloudServices.get(RG, 'cs-contoso-web');
    expect(
      await refused(
        put(
          ada,
          'cs-contoso-web',
          edited(web, (p) => {
            const g = p.osProfile!.secrets![0]!;
            p.osProfile!.secrets = g.vaultCertificates!.map((v) => ({
              sourceVault: { id: RBAC_ID.toUpperCase() },
              vaultCertificates: [v],
            }));
          }),
        ),
      ),
    ).toEqual([
      400,
      'InvalidParameter',
      `List secrets contains repeated instances of ${RBAC_ID.toUpperCase()}, which is disallowed.`,
    ]);
  });

  it('§1.6 CertificateImproperlyFormatted: a PEM certificate, and the migrated vault’s plain PKCS#12 secrets', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const pfx = opensslPfx({ cn: 'shop.contoso.sandbox' });
    const kv = await certs(`https://kv-contoso-rbac.vault.localhost:${port()}/`);
    const pem = await kv.importCertificate('shop-ssl-pem', Buffer.from(pfx.keyPem + pfx.certPem), {
      policy: { contentType: 'application/x-pem-file' },
      certificatePolicy: { secretProperties: { contentType: 'application/x-pem-file' } },
    } as never);
    const pemUrl = rbacUrl('shop-ssl-pem', pem.properties.version!);
    expect(
      await refused(
        put(
          ada,
          'cs-contoso-shop',
          edited(shop, (p) => {
            p.configuration = p.configuration!.replace(/thumbprint="[0-9A-F]{40}"/, `thumbprint="${pfx.thumbprint}"`);
            p.osProfile!.secrets![0]!.vaultCertificates = [{ certificateUrl: pemUrl }];
          }),
        ),
      ),
    ).toEqual([
      400,
      'CertificateImproperlyFormatted',
      `The secret's JSON representation retrieved from ${pemUrl} has a data field which is not a properly formatted PFX file, or the password provided does not decode the PFX file correctly.`,
    ]);
    const legacy = await ada.cloudServices.get(RG, 'cs-contoso-legacy');
    const first = legacy.properties!.osProfile!.secrets![0]!.vaultCertificates![0]!.certificateUrl!;
    expect(await refused(putAsIs(ada, 'cs-contoso-legacy', legacy))).toEqual([
      400,
      'CertificateImproperlyFormatted',
      `The data retrieved from ${first} is not deserializable into JSON.`,
    ]);
  });

  it('a secret version that does not exist', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const url = rbacUrl('shop-ssl', '0'.repeat(32));
    const e = await restError(
      put(
        ada,
        'cs-contoso-shop',
        edited(shop, (p) => (p.osProfile!.secrets![0]!.vaultCertificates = [{ certificateUrl: url }])),
      ),
    );
    expect([e.statusCode, e.code]).toEqual([400, 'KeyVaultSecretDoesNotExist']);
    expect(e.message).toContain(url);
  });

  it('§1.7 a PUT that would create a service is refused with the retirement BadRequest', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    expect(await refused(putAsIs(ada, 'cs-contoso-new', shop))).toEqual([
      400,
      'BadRequest',
      'Cloud Services (extended support) will be retired on 31 March 2027, instead consider using Service Fabric managed cluster. Please refer to https://aka.ms/csesretirement',
    ]);
  });

  it('authorization as ARM: write on the service (Cole, Rita), deploy/action on each vault (LinkedAuthorizationFailed), read', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const rita = await client('reader@contoso.sandbox');
    expect(await refused(putAsIs(rita, 'cs-contoso-shop', shop))).toEqual([
      403,
      'AuthorizationFailed',
      `The client 'reader@contoso.sandbox' with object id '8b3e9c40-2d5f-4a0c-9e82-c3f4a5b60003' does not have authorization to perform action 'Microsoft.Compute/cloudServices/write' over scope '${csId('cs-contoso-shop')}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ]);
    const cole = await client(COLE.upn);
    const e1 = await restError(
      cole.cloudServices.beginUpdateAndWait(RG, 'cs-contoso-web', { parameters: { tags: {} }, ...POLL }),
    );
    expect([e1.statusCode, e1.code]).toEqual([403, 'AuthorizationFailed']);
    // Contributor on cs-contoso-shop only: may write the service, not deploy from kv-contoso-rbac.
    expect(await refused(putAsIs(cole, 'cs-contoso-shop', shop))).toEqual([
      403,
      'LinkedAuthorizationFailed',
      `The client '${COLE.upn}' with object id '${COLE.oid}' has permission to perform action 'Microsoft.Compute/cloudServices/write' on scope '${csId('cs-contoso-shop')}'; however, it does not have permission to perform action(s) 'Microsoft.KeyVault/vaults/deploy/action' on the linked scope(s) '${RBAC_ID}' (respectively) or the linked scope(s) are invalid.`,
    ]);
    // Reads need cloudServices/read: Nora only reads one vault.
    const nora = await client('nobody@contoso.sandbox');
    const e3 = await restError(nora.cloudServices.get(RG, 'cs-contoso-shop'));
    expect([e3.statusCode, e3.code]).toEqual([403, 'AuthorizationFailed']);
    expect(e3.message).toContain("'Microsoft.Compute/cloudServices/read'");
    const e4 = await restError(
      (async () => {
        for await (const _ of nora.cloudServices.listAll()) void _;
      })(),
    );
    expect([e4.statusCode, e4.code]).toEqual([403, 'AuthorizationFailed']);
  });

  it('fault switches: the operation delay, a forced synchronous RP failure, and an operation that ends Failed', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    await faults({ area: 'cloudServices', method: 'PUT', status: 409, count: 1 });
    expect(await refused(putAsIs(ada, 'cs-contoso-shop', shop))).toEqual([
      409,
      'AllocationFailed',
      'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance',
    ]);
    await faults({
      area: 'cloudServices',
      method: 'PUT',
      fail: true,
      code: 'RoleInstanceStartupTimeoutError',
      message: 'The role instances did not start in time.',
      count: 1,
    });
    const changed = edited(shop, (p) => (p.upgradeMode = 'Manual'));
    // core-lro reports a Failed operation as an Error carrying the operation's code and message.
    const e2 = await put(ada, 'cs-contoso-shop', changed).catch((x: Error) => x);
    expect((e2 as Error).message).toBe(
      'The long-running operation has failed. RoleInstanceStartupTimeoutError. The role instances did not start in time.',
    );
    const after = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    expect(after.properties!.provisioningState).toBe('Failed');
    expect(after.properties!.upgradeMode).toBe('Auto');
    // The delay switch keeps the next update Updating for as long as asked.
    await faults({ area: 'cloudServices', method: 'PUT', delayMs: 3_600_000, count: 1 });
    const poller = await ada.cloudServices.beginCreateOrUpdate(RG, 'cs-contoso-shop', {
      parameters: edited(shop, () => undefined),
      ...POLL,
    });
    expect((await ada.cloudServices.get(RG, 'cs-contoso-shop')).properties!.provisioningState).toBe('Updating');
    finishOperation('cs-contoso-shop');
    expect((await poller.pollUntilDone()).properties!.provisioningState).toBe('Succeeded');
  });

  it('api-version 2024-11-04 keeps isBootstrapCertificate; 2022-09-04 does not show it', async () => {
    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    await put(
      ada,
      'cs-contoso-shop',
      edited(shop, (p) => (p.osProfile!.secrets![0]!.vaultCertificates![0]!.isBootstrapCertificate = false)),
    );
    const at = async (v: string) =>
      (
        await raw(sb.agent, `${sb.endpoints.arm.endpoint}${csId('cs-contoso-shop')}?api-version=${v}`, {
          headers: { authorization: `Bearer ${armToken}` },
        })
      ).json().properties.osProfile.secrets[0].vaultCertificates[0];
    expect((await at('2024-11-04')).isBootstrapCertificate).toBe(false);
    expect(await at('2022-09-04')).not.toHaveProperty('isBootstrapCertificate');
  });
});
