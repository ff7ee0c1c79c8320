import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompositeMapper } from '@azure/core-client';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { CertificateClient } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { apiToken, oboCredential, opensslPfx, raw, startTestSandbox, type TestSandbox } from './helpers';
import { loadTypeSpecModels, mapperProblems, packageDir, typeSpecProblems, type TypeSpecModels } from './sdk-models';

// The guard of issue 12: every response body the sandbox sends for an operation the SDKs model is deserialised with
// that SDK's own models (sdk-models.ts says how, for TypeSpec- and AutoRest-generated SDKs) and must come through
// cleanly: no throw, required properties present, declared types and constraints kept, no field the SDK does not
// model. The walk below drives the real clients through what the app and Microsoft's samples use; a capture policy
// keeps every response, and a table says which model each one is.

const PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
const TENANT = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
const RG = 'rg-cses-prod';
const POLL = { intervalInMs: 25 };

interface Captured {
  method: string;
  path: string;
  status: number;
  body: string;
}

function capturing(into: Captured[]): PipelinePolicy {
  return {
    name: 'sandbox-capture',
    async sendRequest(request, next) {
      const response = await next(request);
      into.push({
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        body: response.bodyAsText ?? '',
      });
      return response;
    },
  };
}

type Rule = [method: string, path: RegExp, model: string];

/** Key Vault certificates data plane → @azure/keyvault-certificates models (most specific first). */
const CERTIFICATE_RULES: Rule[] = [
  ['*', /^\/certificates\/contacts$/, 'Contacts'],
  ['GET', /^\/certificates\/issuers$/, '_CertificateIssuerListResult'],
  ['*', /^\/certificates\/issuers\/[^/]+$/, 'IssuerBundle'],
  ['POST', /^\/certificates\/[^/]+\/import$/, 'CertificateBundle'],
  ['POST', /^\/certificates\/restore$/, 'CertificateBundle'],
  ['POST', /^\/certificates\/[^/]+\/backup$/, 'BackupCertificateResult'],
  ['POST', /^\/certificates\/[^/]+\/create$/, 'CertificateOperation'],
  ['POST', /^\/certificates\/[^/]+\/pending\/merge$/, 'CertificateBundle'],
  ['*', /^\/certificates\/[^/]+\/pending$/, 'CertificateOperation'],
  ['*', /^\/certificates\/[^/]+\/policy$/, 'CertificatePolicy'],
  ['GET', /^\/certificates\/[^/]+\/versions$/, '_CertificateListResult'],
  ['GET', /^\/certificates\/?$/, '_CertificateListResult'],
  ['DELETE', /^\/certificates\/[^/]+$/, 'DeletedCertificateBundle'],
  ['*', /^\/certificates\/[^/]+(\/[^/]*)?$/, 'CertificateBundle'],
  ['GET', /^\/deletedcertificates\/?$/, '_DeletedCertificateListResult'],
  ['POST', /^\/deletedcertificates\/[^/]+\/recover$/, 'CertificateBundle'],
  ['GET', /^\/deletedcertificates\/[^/]+$/, 'DeletedCertificateBundle'],
];

/** Key Vault secrets data plane → @azure/keyvault-secrets models. */
const SECRET_RULES: Rule[] = [
  ['POST', /^\/secrets\/restore$/, 'SecretBundle'],
  ['POST', /^\/secrets\/[^/]+\/backup$/, 'BackupSecretResult'],
  ['GET', /^\/secrets\/[^/]+\/versions$/, '_SecretListResult'],
  ['GET', /^\/secrets\/?$/, '_SecretListResult'],
  ['DELETE', /^\/secrets\/[^/]+$/, 'DeletedSecretBundle'],
  ['*', /^\/secrets\/[^/]+(\/[^/]*)?$/, 'SecretBundle'],
  ['GET', /^\/deletedsecrets\/?$/, '_DeletedSecretListResult'],
  ['POST', /^\/deletedsecrets\/[^/]+\/recover$/, 'SecretBundle'],
  ['GET', /^\/deletedsecrets\/[^/]+$/, 'DeletedSecretBundle'],
];

/** Microsoft.KeyVault RP → @azure/arm-keyvault models. */
const ARM_RULES: Rule[] = [
  ['PUT', /\/vaults\/[^/]+\/accessPolicies\/[^/]+$/, 'VaultAccessPolicyParameters'],
  ['*', /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/, 'Vault'],
  ['GET', /\/providers\/Microsoft\.KeyVault\/vaults$/, '_VaultListResult'],
  ['GET', /\/deletedVaults$/, '_DeletedVaultListResult'],
  ['GET', /\/deletedVaults\/[^/]+$/, 'DeletedVault'],
  ['POST', /\/checkNameAvailability$/, 'CheckNameAvailabilityResult'],
  ['GET', /\/resources$/, '_ResourceListResult'],
];

function modelOf(rules: Rule[], c: Captured, errorModel: string): string | undefined {
  if (c.status >= 400) return errorModel;
  return rules.find(([m, re]) => (m === '*' || m === c.method) && re.test(c.path))?.[2];
}

/**
 * Fields Key Vault itself sends that the SDK does not model (recorded from the real service,
 * ../shared/reference/keyvault-wire.md §4.3 and §4.4): the sandbox sends them too, and the SDK ignores them.
 */
const REAL_SERVICE_EXTRAS = [
  /^value\[\]\.subject$/, // list items carry "subject": "" (§4.3)
  /^pending(\.id)?$/, // a certificate with a pending operation links it (§4.4)
  /^policy\.x509_props\.basic_constraints(\.ca)?$/, // created certificates' policies (§4.4)
  // issuers' org_details carry "zip": 0 (azure-sdk-for-js recordings/…/recording_can_create_read_and_delete_a_certificate_issuer.json)
  /^org_details\.zip$/,
];

/** Every captured body against its model; returns `METHOD path status model: problem` lines. */
function problems(t: TypeSpecModels, rules: Rule[], errorModel: string, captured: Captured[]): string[] {
  const out: string[] = [];
  for (const c of captured) {
    if (c.body === '' || c.status === 204) continue;
    const model = modelOf(rules, c, errorModel);
    if (!model) {
      out.push(`${c.method} ${c.path} ${c.status}: no model for this operation in the test's table`);
      continue;
    }
    for (const p of typeSpecProblems(t, model, JSON.parse(c.body)))
      if (!REAL_SERVICE_EXTRAS.some((re) => re.test(p.replace(/: not modelled by the SDK$/, ''))))
        out.push(`${c.method} ${c.path} ${c.status} ${model}: ${p}`);
  }
  return out;
}

describe('every response body deserialises cleanly with the SDK’s own models', () => {
  let sb: TestSandbox;
  const kvCaptured: Captured[] = [];
  const armCaptured: Captured[] = [];
  let certs: CertificateClient;
  let secrets: SecretClient;
  let kv: KeyVaultManagementClient;
  let armToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const cred = oboCredential(sb.endpoints, await apiToken(sb));
    const kvOptions = {
      disableChallengeResourceVerification: true,
      agent: sb.agent,
      additionalPolicies: [{ policy: capturing(kvCaptured), position: 'perCall' }],
    } as never;
    const vaultUrl = `https://kv-contoso-prod.vault.localhost:${sb.port}/`;
    certs = new CertificateClient(vaultUrl, cred, kvOptions);
    secrets = new SecretClient(vaultUrl, cred, kvOptions);
    kv = new KeyVaultManagementClient(cred, PROD, {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
      additionalPolicies: [{ policy: capturing(armCaptured), position: 'perCall' }],
    } as never);
    armToken = (await cred.getToken('https://management.azure.com/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('Key Vault certificates and secrets (@azure/keyvault-certificates, @azure/keyvault-secrets)', async () => {
    const pfx = opensslPfx({ password: 'pw', san: 'DNS:www.contoso.sandbox,IP:10.0.0.1' });
    await certs.importCertificate('g-imported', pfx.pfx, { password: 'pw', tags: { a: 'b' } });
    await certs.getCertificate('g-imported');
    const v = (await certs.getCertificate('g-imported')).properties.version!;
    await certs.getCertificateVersion('g-imported', v);
    await certs.updateCertificateProperties('g-imported', v, { tags: { a: 'c' } });
    await certs.getCertificatePolicy('g-imported');
    await certs.updateCertificatePolicy('g-imported', { issuerName: 'Unknown', subject: 'CN=www.contoso.sandbox' });
    await (
      await certs.beginCreateCertificate('g-created', { issuerName: 'Self', subject: 'CN=g' }, POLL)
    ).pollUntilDone();
    await certs.beginCreateCertificate('g-csr', { issuerName: 'Unknown', subject: 'CN=csr' }, POLL);
    await certs.getCertificate('g-csr');
    const op = await certs.getCertificateOperation('g-csr', POLL);
    await op.cancelOperation();
    await certs.deleteCertificateOperation('g-csr');
    await certs.getCertificate('g-csr');
    for await (const page of certs.listPropertiesOfCertificates({ includePending: true }).byPage({ maxPageSize: 2 }))
      void page;
    for await (const c of certs.listPropertiesOfCertificateVersions('g-imported')) void c;
    const backup = await certs.backupCertificate('g-created');
    await (await certs.beginDeleteCertificate('g-imported', POLL)).pollUntilDone();
    await certs.getDeletedCertificate('g-imported');
    for await (const d of certs.listDeletedCertificates()) void d;
    await (await certs.beginRecoverDeletedCertificate('g-imported', POLL)).pollUntilDone();
    await (await certs.beginDeleteCertificate('g-created', POLL)).pollUntilDone();
    await certs.purgeDeletedCertificate('g-created');
    await certs.restoreCertificateBackup(backup!);
    await certs.getCertificate('nowhere').catch(() => undefined);
    await certs.getContacts().catch(() => undefined);
    await certs.setContacts([{ email: 'a@contoso.sandbox', name: 'a', phone: '1' }, { email: 'b@contoso.sandbox' }]);
    await certs.getContacts();
    await certs.deleteContacts();
    await certs.createIssuer('g-issuer', 'Test', {
      accountId: 'keyvaultuser',
      password: 'pw',
      organizationId: 'contoso',
      administratorContacts: [{ firstName: 'John', lastName: 'Doe', email: 'admin@contoso.sandbox', phone: '1' }],
    });
    await certs.createIssuer('g-issuer2', 'Test');
    await certs.getIssuer('g-issuer');
    await certs.updateIssuer('g-issuer', { accountId: 'keyvaultuser2', enabled: true });
    for await (const i of certs.listPropertiesOfIssuers()) void i;
    await certs.beginCreateCertificate('g-via-issuer', { issuerName: 'g-issuer', subject: 'CN=g' }, POLL);
    await certs.getCertificate('g-via-issuer');
    await certs.deleteIssuer('g-issuer2');
    await certs.getIssuer('g-issuer2').catch(() => undefined);

    await secrets.setSecret('g-plain', 'value', { contentType: 'text/plain', tags: { x: 'y' } });
    await secrets.getSecret('g-plain');
    await secrets.updateSecretProperties('g-plain', (await secrets.getSecret('g-plain')).properties.version!, {
      enabled: true,
    });
    await secrets.getSecret('g-created'); // a certificate's backing secret
    for await (const s of secrets.listPropertiesOfSecrets()) void s;
    for await (const s of secrets.listPropertiesOfSecretVersions('g-plain')) void s;
    const secretBackup = await secrets.backupSecret('g-plain');
    await (await secrets.beginDeleteSecret('g-plain', POLL)).pollUntilDone();
    await secrets.getDeletedSecret('g-plain');
    for await (const s of secrets.listDeletedSecrets()) void s;
    await (await secrets.beginRecoverDeletedSecret('g-plain', POLL)).pollUntilDone();
    await (await secrets.beginDeleteSecret('g-plain', POLL)).pollUntilDone();
    await secrets.purgeDeletedSecret('g-plain');
    await secrets.restoreSecretBackup(secretBackup!);
    await secrets.getSecret('nowhere').catch(() => undefined);

    const certModels = await loadTypeSpecModels('@azure/keyvault-certificates');
    const secretModels = await loadTypeSpecModels('@azure/keyvault-secrets');
    const certTraffic = kvCaptured.filter((c) => !/^\/(deleted)?secrets/.test(c.path));
    const secretTraffic = kvCaptured.filter((c) => /^\/(deleted)?secrets/.test(c.path));
    expect(certTraffic.length).toBeGreaterThan(25);
    expect(secretTraffic.length).toBeGreaterThan(12);
    expect([
      ...problems(certModels, CERTIFICATE_RULES, 'KeyVaultError', certTraffic),
      ...problems(secretModels, SECRET_RULES, 'KeyVaultError', secretTraffic),
    ]).toEqual([]);
  });

  it('Microsoft.KeyVault vaults (@azure/arm-keyvault)', async () => {
    const sku = { family: 'A' as const, name: 'standard' as const };
    await kv.vaults.get(RG, 'kv-contoso-prod');
    for await (const x of kv.vaults.listBySubscription()) void x;
    for await (const x of kv.vaults.listByResourceGroup(RG)) void x;
    for await (const x of kv.vaults.list()) void x;
    await kv.vaults.update(RG, 'kv-contoso-prod', { properties: { enabledForTemplateDeployment: true } });
    await kv.vaults.createOrUpdate(RG, 'kv-guard', {
      location: 'westeurope',
      tags: { t: '1' },
      properties: {
        tenantId: TENANT,
        sku,
        accessPolicies: [],
        enableRbacAuthorization: false,
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [{ value: '1.2.3.4' }] },
      },
    });
    await kv.vaults.updateAccessPolicy(RG, 'kv-guard', 'add', {
      properties: {
        accessPolicies: [{ tenantId: TENANT, objectId: TENANT, permissions: { certificates: ['get'] } }],
      },
    });
    await kv.vaults.checkNameAvailability({ name: 'kv-guard', type: 'Microsoft.KeyVault/vaults' });
    await kv.vaults.delete(RG, 'kv-guard');
    for await (const x of kv.vaults.listDeleted()) void x;
    await kv.vaults.getDeleted('kv-guard', 'westeurope');
    await kv.vaults.get(RG, 'kv-nowhere').catch(() => undefined);

    const models = await loadTypeSpecModels('@azure/arm-keyvault');
    expect(armCaptured.length).toBeGreaterThan(10);
    expect(problems(models, ARM_RULES, 'CloudError', armCaptured)).toEqual([]);
  });

  it('Microsoft.Compute cloudServices (@azure/arm-compute Mappers through core-client)', async () => {
    const base = `/subscriptions/${PROD}/resourceGroups/${RG}/providers/Microsoft.Compute/cloudServices`;
    const service = `${base}/cs-contoso-web`;
    const reads: [string, string][] = [
      [service, 'CloudService'],
      [base, 'CloudServiceListResult'],
      [`/subscriptions/${PROD}/providers/Microsoft.Compute/cloudServices`, 'CloudServiceListResult'],
      [`${service}/instanceView`, 'CloudServiceInstanceView'],
      [`${service}/roles`, 'CloudServiceRoleListResult'],
      [`${service}/roles/WebRole1`, 'CloudServiceRole'],
      [`${service}/roleInstances`, 'RoleInstanceListResult'],
      [`${service}/roleInstances?$expand=instanceView`, 'RoleInstanceListResult'],
      [`${service}/roleInstances/WebRole1_IN_0`, 'RoleInstance'],
      [`${service}/roleInstances/WebRole1_IN_0/instanceView`, 'RoleInstanceView'],
      [`${base}/cs-nowhere`, 'CloudError'],
    ];
    // arm-compute exports its Mappers only inside the package (dist/esm/models/mappers.js)
    const mappers = (await import(
      pathToFileURL(join(packageDir('@azure/arm-compute'), 'dist', 'esm', 'models', 'mappers.js')).href
    )) as Record<string, CompositeMapper>;
    const found: string[] = [];
    for (const api of ['2022-09-04', '2024-11-04'])
      for (const [path, mapper] of reads) {
        const sep = path.includes('?') ? '&' : '?';
        const r = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${path}${sep}api-version=${api}`, {
          headers: { authorization: `Bearer ${armToken}` },
        });
        expect([path, r.status < 400]).toEqual([path, mapper !== 'CloudError']);
        for (const p of mapperProblems(mappers, mapper, r.json())) found.push(`${api} GET ${path} ${mapper}: ${p}`);
      }
    const patch = await raw(sb.agent, `${sb.endpoints.arm.endpoint}${service}?api-version=2022-09-04`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${armToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: { guard: '1' } }),
    });
    for (const p of mapperProblems(mappers, 'CloudService', patch.json())) found.push(`PATCH ${service}: ${p}`);
    expect(found).toEqual([]);
  });
});

describe('the model checks bite', () => {
  it('TypeSpec SDKs: a throwing deserializer, a missing required property, a wrong type, an unmodelled field', async () => {
    const arm = await loadTypeSpecModels('@azure/arm-keyvault');
    expect(typeSpecProblems(arm, 'Vault', { id: 'x' })[0]).toMatch(/deserializer threw/);
    const vault = { properties: { tenantId: TENANT, sku: { family: 'A', name: 'standard' } } };
    expect(typeSpecProblems(arm, 'Vault', vault)).toEqual([]);
    expect(typeSpecProblems(arm, 'Vault', { properties: { sku: { family: 'A', name: 'standard' } } })).toEqual([
      'properties.tenantId: required by VaultProperties, missing',
    ]);
    expect(typeSpecProblems(arm, 'Vault', { ...vault, extra: 1 })).toEqual(['extra: not modelled by the SDK']);
    const certs = await loadTypeSpecModels('@azure/keyvault-certificates');
    expect(typeSpecProblems(certs, 'CertificateBundle', { attributes: { created: 'yesterday' } })).toEqual([
      'attributes.created: not a valid date',
    ]);
    expect(typeSpecProblems(certs, 'CertificateBundle', { tags: { a: 'b' } })).toEqual([]);
  });

  it('AutoRest SDKs (arm-compute Mappers): a missing required property, a wrong type, an unmodelled field', async () => {
    const mappers = (await import(
      pathToFileURL(join(packageDir('@azure/arm-compute'), 'dist', 'esm', 'models', 'mappers.js')).href
    )) as Record<string, CompositeMapper>;
    expect(mapperProblems(mappers, 'CloudService', { location: 'westeurope' })).toEqual([]);
    expect(mapperProblems(mappers, 'CloudService', {})).toEqual(['location: required, missing']);
    expect(mapperProblems(mappers, 'CloudService', { location: 'westeurope', properties: { upgradeMode: 7 } })).toEqual(
      ['properties.upgradeMode: expected a string, got 7'],
    );
    expect(mapperProblems(mappers, 'CloudService', { location: 'westeurope', properties: { nope: true } })).toEqual([
      'properties.nope: not modelled by the SDK',
    ]);
  });
});
