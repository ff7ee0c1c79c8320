import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeManagementClient, type CloudService } from '@azure/arm-compute';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { RestError } from '@azure/core-rest-pipeline';
import { DOMParser } from '@xmldom/xmldom';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSeed } from '../src/compute/bench-seed';
import {
  apiToken,
  certificateClient,
  computeClient,
  oboCredential,
  raw,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const RG = 'rg-cses-prod';
const SEEDED = ['cs-contoso-api', 'cs-contoso-billing', 'cs-contoso-legacy', 'cs-contoso-shop', 'cs-contoso-web'];

/** cscfg role → certificate name → thumbprint */
function cscfgCertificates(xml: string): Record<string, Record<string, string>> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out: Record<string, Record<string, string>> = {};
  for (const role of Array.from(doc.getElementsByTagName('Role'))) {
    const certs: Record<string, string> = {};
    for (const c of Array.from(role.getElementsByTagName('Certificate')))
      certs[c.getAttribute('name')!] = c.getAttribute('thumbprint')!;
    out[role.getAttribute('name')!] = certs;
  }
  return out;
}

const urls = (cs: CloudService) =>
  (cs.properties?.osProfile?.secrets ?? []).flatMap((g) => (g.vaultCertificates ?? []).map((v) => v.certificateUrl!));

describe('cloud services RP: reads and the seed (real @azure/arm-compute 23.3.0 through OBO)', () => {
  let sb: TestSandbox;
  let compute: (user?: string) => Promise<ComputeManagementClient>;
  let ada: ComputeManagementClient;
  let armToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    compute = (user = 'admin@contoso.sandbox') => computeClient(sb, user);
    ada = await compute();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    armToken = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    delete process.env.SANDBOX_CS_PAGE_SIZE;
    await sb?.close();
  });

  const get = (path: string) =>
    raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}`, { headers: { authorization: `Bearer ${armToken}` } });

  it('lists the four seeded services by subscription and by resource group, paged with nextLink', async () => {
    process.env.SANDBOX_CS_PAGE_SIZE = '3';
    try {
      const first = await get(
        `/subscriptions/${PROD}/providers/Microsoft.Compute/cloudServices?api-version=2022-09-04`,
      );
      expect(first.status).toBe(200);
      expect(first.json().value).toHaveLength(3);
      expect(first.json().nextLink).toMatch(/\$skiptoken=/);
      const all: string[] = [];
      for await (const cs of ada.cloudServices.listAll()) all.push(cs.name!);
      const byRg: string[] = [];
      for await (const cs of ada.cloudServices.list(RG)) byRg.push(cs.name!);
      expect(all.sort()).toEqual(SEEDED);
      expect(byRg.sort()).toEqual(SEEDED);
    } finally {
      delete process.env.SANDBOX_CS_PAGE_SIZE;
    }
    const staging: string[] = [];
    const other = await computeClient(sb, undefined, '5c2e8f90-3a7b-4d1c-b2e4-444455556666');
    for await (const cs of other.cloudServices.listAll()) staging.push(cs.name!);
    expect(staging).toEqual([]);
  });

  it('GET returns the spec shape: configuration, roleProfile, osProfile with versioned URLs on the running port', async () => {
    const cs = await ada.cloudServices.get(RG, 'cs-contoso-web');
    expect(cs).toMatchObject({
      id: `/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.Compute/cloudServices/cs-contoso-web`,
      name: 'cs-contoso-web',
      type: 'Microsoft.Compute/cloudServices',
      location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded',
        upgradeMode: 'Auto',
        roleProfile: {
          roles: [
            { name: 'WebRole1', sku: { name: 'Standard_D1_v2', tier: 'Standard', capacity: 2 } },
            { name: 'WorkerRole1', sku: { name: 'Standard_D1_v2', tier: 'Standard', capacity: 2 } },
          ],
        },
      },
    });
    expect(cs.properties!.uniqueId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cs.properties!.configuration).toContain('\r\n');
    expect(cs.properties!.packageUrl).toBeUndefined();
    expect(cs.properties!.osProfile!.secrets).toHaveLength(1);
    expect(cs.properties!.osProfile!.secrets![0]!.sourceVault!.id).toBe(
      `/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac`,
    );
    for (const u of urls(cs))
      expect(u).toMatch(
        new RegExp(`^https://kv-contoso-rbac\\.vault\\.localhost:${sb.port}/secrets/[a-z-]+/[0-9a-f]{32}$`),
      );
  });

  it('seed contract: web, shop and billing thumbprints against the vault certificates', async () => {
    const kv = await certificateClient(sb, 'kv-contoso-rbac');
    const hex = (x5t?: Uint8Array) => Buffer.from(x5t!).toString('hex').toUpperCase();
    const daysLeft = (d?: Date) => (d!.getTime() - Date.now()) / 86_400_000;

    const web = await ada.cloudServices.get(RG, 'cs-contoso-web');
    const webSsl = await kv.getCertificate('web-ssl');
    const api = await kv.getCertificate('api-client');
    expect(cscfgCertificates(web.properties!.configuration!)).toEqual({
      WebRole1: {
        SslCertificate: hex(webSsl.properties.x509Thumbprint),
        ApiClientCertificate: hex(api.properties.x509Thumbprint),
      },
      WorkerRole1: { ApiClientCertificate: hex(api.properties.x509Thumbprint) },
    });
    expect(urls(web).sort()).toEqual(
      [`/secrets/api-client/${api.properties.version}`, `/secrets/web-ssl/${webSsl.properties.version}`].map(
        (p) => `https://kv-contoso-rbac.vault.localhost:${sb.port}${p}`,
      ),
    );
    expect(daysLeft(webSsl.properties.expiresOn)).toBeGreaterThan(360);

    const shop = await ada.cloudServices.get(RG, 'cs-contoso-shop');
    const shopSsl = await kv.getCertificate('shop-ssl');
    expect(cscfgCertificates(shop.properties!.configuration!)).toEqual({
      WebRole1: { SslCertificate: hex(shopSsl.properties.x509Thumbprint) },
    });
    expect(daysLeft(shopSsl.properties.expiresOn)).toBeGreaterThan(19);
    expect(daysLeft(shopSsl.properties.expiresOn)).toBeLessThan(21);

    const billing = await ada.cloudServices.get(RG, 'cs-contoso-billing');
    const versions = [];
    for await (const v of kv.listPropertiesOfCertificateVersions('billing-ssl')) versions.push(v);
    versions.sort((a, b) => a.createdOn!.getTime() - b.createdOn!.getTime());
    expect(versions).toHaveLength(2);
    const [older, newer] = versions;
    expect(cscfgCertificates(billing.properties!.configuration!)).toEqual({
      WebRole1: { SslCertificate: hex(newer!.x509Thumbprint) },
    });
    expect(urls(billing)).toEqual([
      `https://kv-contoso-rbac.vault.localhost:${sb.port}/secrets/billing-ssl/${older!.version}`,
    ]);
    expect(hex(older!.x509Thumbprint)).not.toBe(hex(newer!.x509Thumbprint));
  });

  it('seed contract: the migrated service, its KV-<service> vault (case kept in the id, lower-case host) and RemoteAccess leftovers', async () => {
    const legacy = await ada.cloudServices.get(RG, 'cs-contoso-legacy');
    const vaultId = `/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/KV-cs-contoso-legacy`;
    expect(legacy.properties!.osProfile!.secrets!.map((g) => g.sourceVault!.id)).toEqual([vaultId]);
    const certs = cscfgCertificates(legacy.properties!.configuration!).WebRole1!;
    expect(Object.keys(certs).sort()).toEqual([
      'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
      'SslCertificate',
    ]);
    // Secrets named after the thumbprint, as the migration tool does (§6.3).
    expect(
      urls(legacy)
        .map((u) => u.split('/')[4])
        .sort(),
    ).toEqual(Object.values(certs).sort());
    for (const u of urls(legacy))
      expect(u.startsWith(`https://kv-cs-contoso-legacy.vault.localhost:${sb.port}/secrets/`)).toBe(true);
    for (const s of [
      'Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled" value="true"',
      'Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountUsername" value="csadmin"',
      'Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountEncryptedPassword" value="MI',
      'Microsoft.WindowsAzure.Plugins.RemoteForwarder.Enabled" value="true"',
    ])
      expect(legacy.properties!.configuration).toContain(s);
    const kvm = new KeyVaultManagementClient(oboCredential(sb.endpoints, await apiToken(sb)), PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    });
    const vault = await kvm.vaults.get(RG, 'kv-CS-contoso-LEGACY');
    expect(vault).toMatchObject({
      id: vaultId,
      name: 'KV-cs-contoso-legacy',
      location: 'westeurope',
      properties: {
        enabledForDeployment: true,
        enableRbacAuthorization: false,
        vaultUri: `https://kv-cs-contoso-legacy.vault.localhost:${sb.port}/`,
      },
    });
    // No certificate objects: only PKCS#12 secrets named after their thumbprint, read through the secrets API.
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    const uri = `https://kv-cs-contoso-legacy.vault.localhost:${sb.port}/`;
    const opts = { disableChallengeResourceVerification: true, agent: sb.agent } as never;
    const certList = [];
    for await (const c of new CertificateClient(uri, cred, opts).listPropertiesOfCertificates()) certList.push(c);
    expect(certList).toEqual([]);
    const secrets = new SecretClient(uri, cred, opts);
    const names: string[] = [];
    for await (const p of secrets.listPropertiesOfSecrets()) {
      expect(p.contentType).toBe('application/x-pkcs12');
      expect(p.managed).toBeFalsy();
      names.push(p.name);
    }
    expect(names.sort()).toEqual(Object.values(certs).sort());
    for (const u of urls(legacy)) {
      const [, , , , name, version] = u.split('/');
      const s = await secrets.getSecret(name!, { version: version! });
      const pfx = Buffer.from(s.value!, 'base64');
      expect(pfx[0]).toBe(0x30); // DER SEQUENCE of a PKCS#12
    }
  });

  it('roles, role instances (with instanceView) and the instance view', async () => {
    const roles = [];
    for await (const r of ada.cloudServiceRoles.list(RG, 'cs-contoso-web')) roles.push(r);
    expect(roles.map((r) => [r.name, r.type, r.sku?.capacity])).toEqual([
      ['WebRole1', 'Microsoft.Compute/cloudServices/roles', 2],
      ['WorkerRole1', 'Microsoft.Compute/cloudServices/roles', 2],
    ]);
    const one = await ada.cloudServiceRoles.get('WorkerRole1', RG, 'cs-contoso-web');
    expect(one.properties!.uniqueId).toMatch(/:WorkerRole1$/);
    const missing = await ada.cloudServiceRoles.get('Nope', RG, 'cs-contoso-web').catch((e: RestError) => e);
    expect((missing as RestError).statusCode).toBe(404);

    const instances = [];
    for await (const i of ada.cloudServiceRoleInstances.list(RG, 'cs-contoso-web', { expand: 'instanceView' }))
      instances.push(i);
    expect(instances.map((i) => i.name)).toEqual([
      'WebRole1_IN_0',
      'WebRole1_IN_1',
      'WorkerRole1_IN_0',
      'WorkerRole1_IN_1',
    ]);
    expect(instances[1]!.properties!.instanceView).toMatchObject({
      platformUpdateDomain: 1,
      statuses: [{ code: 'RoleState/RoleStateStarted' }],
    });
    const view = await ada.cloudServiceRoleInstances.getInstanceView('WebRole1_IN_0', RG, 'cs-contoso-web');
    expect(view.platformUpdateDomain).toBe(0);

    const iv = await ada.cloudServices.getInstanceView(RG, 'cs-contoso-web');
    expect(iv.roleInstance?.statusesSummary).toContainEqual({ code: 'ProvisioningState/succeeded', count: 4 });
    expect(iv.statuses?.[0]).toMatchObject({ code: 'ProvisioningState/succeeded', level: 'Info' });
  });

  it("ARM's permissions API answers at a cloud service's scope (Owner/Contributor/Reader built-ins cover Compute)", async () => {
    const at = async (user: string) => {
      const cred = oboCredential(sb.endpoints, await apiToken(sb, user));
      const token = (await cred.getToken('https://management.azure.com/.default')).token;
      const res = await raw(
        sb.agent,
        `${sb.endpoints.arm.endpoint}/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.Compute/cloudServices/cs-contoso-shop/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(res.status).toBe(200);
      return (res.json().value as { actions: string[]; notActions: string[] }[]).flatMap((p) => p.actions);
    };
    expect(await at('admin@contoso.sandbox')).toContain('*');
    expect(await at('certs@contoso.sandbox')).toEqual(['*/read']);
  });

  it('Cole and Rita read; a missing service is ARM ResourceNotFound; unemulated operations answer 501', async () => {
    for (const user of ['certs@contoso.sandbox', 'reader@contoso.sandbox']) {
      const c = await compute(user);
      expect((await c.cloudServices.get(RG, 'cs-contoso-shop')).name).toBe('cs-contoso-shop');
    }
    const e = (await ada.cloudServices.get(RG, 'cs-nope').catch((x: RestError) => x)) as RestError;
    expect([e.statusCode, e.code, e.message]).toEqual([
      404,
      'ResourceNotFound',
      "The Resource 'Microsoft.Compute/cloudServices/cs-nope' under resource group 'rg-cses-prod' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    ]);
    const del = (await ada.cloudServices
      .beginDeleteAndWait(RG, 'cs-contoso-shop')
      .catch((x: RestError) => x)) as RestError;
    expect([del.statusCode, del.code]).toEqual([501, 'NotImplemented']);
    const start = (await ada.cloudServices
      .beginStartAndWait(RG, 'cs-contoso-shop')
      .catch((x: RestError) => x)) as RestError;
    expect([start.statusCode, start.code]).toEqual([501, 'NotImplemented']);
    const vms = await get(`/subscriptions/${PROD}/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01`);
    expect([vms.status, vms.json().error.code]).toEqual([501, 'NotImplemented']);
    const bad = await get(`/subscriptions/${PROD}/providers/Microsoft.Compute/cloudServices?api-version=2019-01-01`);
    expect([bad.status, bad.json().error.code]).toEqual([400, 'NoRegisteredProviderFound']);
  });
});

describe('bench seed: generated services × certificates', () => {
  it('seeds N services with M certificates each, every one healthy (cscfg thumbprints = pinned versions)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-seed-')), 'seed.json');
    writeFileSync(file, JSON.stringify(benchSeed({ services: 3, certificates: 2, vaults: 2 })));
    const sb = await startTestSandbox({ seedFile: file });
    try {
      const c = await computeClient(sb);
      const list: CloudService[] = [];
      for await (const cs of c.cloudServices.list(RG)) list.push(cs);
      expect(list.map((x) => x.name)).toEqual(['cs-bench-00', 'cs-bench-01', 'cs-bench-02']);
      for (const cs of list) {
        expect(urls(cs)).toHaveLength(2);
        expect(cs.properties!.osProfile!.secrets!.map((g) => g.sourceVault!.id!.split('/').pop()).sort()).toEqual([
          'kv-bench-00',
          'kv-bench-01',
        ]);
        const shown = Object.values(cscfgCertificates(cs.properties!.configuration!).WebRole1!).sort();
        const pinned = urls(cs).map((u) => {
          const [, , host, , name, version] = u.split('/');
          const vault = host!.split('.')[0]!;
          const v = sb.store.state.certificates[vault]![name!]!.versions.find((x) => x.version === version)!;
          return Buffer.from(v.x5t, 'base64url').toString('hex').toUpperCase();
        });
        expect(shown).toEqual(pinned.sort());
      }
    } finally {
      await sb.close();
    }
  });
});
