import { describe, expect, it } from 'vitest';
import { MIGRATION_FORMATS, MIGRATION_TARGETS, renderMigration, SnippetError, type MigrationTarget } from '../snippets';
import {
  NOW,
  OTHER_HOST,
  OTHER_VAULT_ID,
  RG,
  T,
  V,
  facts,
  inDays,
  secret,
  service,
  url,
  vaultFacts,
  version,
} from './fixtures';
import { planMigration, type CertificateDetails, type MigrationSource } from './migration';
import { migrationReportHtml, migrationReportMarkdown } from './migration-report';
import { placements, psTokens, readBicep, runAz } from './migration-readers.test-support';

const CSDEF = `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="cs-contoso-web" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WebRole1" vmsize="Standard_D1_v2">
    <Certificates>
      <Certificate name="SslCertificate" storeLocation="LocalMachine" storeName="My" />
      <Certificate name="ApiClientCertificate" storeLocation="LocalMachine" storeName="TrustedPeople" />
    </Certificates>
  </WebRole>
  <WorkerRole name="WorkerRole1" vmsize="Standard_D1_v2">
    <Certificates>
      <Certificate name="ApiClientCertificate" storeLocation="LocalMachine" storeName="CA" />
    </Certificates>
  </WorkerRole>
</ServiceDefinition>
`;

function detail(u: string, thumbprint: string, over: Partial<CertificateDetails> = {}): CertificateDetails {
  return {
    url: u,
    thumbprint,
    subject: 'CN=www.contoso.com',
    commonName: 'www.contoso.com',
    issuer: 'CN=www.contoso.com',
    selfSigned: true,
    keyType: 'RSA',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    notAfter: inDays(400),
    ...over,
  };
}

/** cs-contoso-web with two vaults: web-ssl in kv-contoso-rbac (RBAC), api-client in kv-contoso-prod (policies). */
function source(): MigrationSource {
  const ssl = version('web-ssl', V.ssl1, T.ssl1, { days: 400 });
  const api = version('api-client', V.api1, T.api1, { days: 500, host: OTHER_HOST });
  const svc = service({
    secrets: [
      {
        sourceVault: { id: service().secrets[0]!.sourceVault.id },
        vaultCertificates: [{ certificateUrl: ssl.secretUrl }],
      },
      { sourceVault: { id: OTHER_VAULT_ID }, vaultCertificates: [{ certificateUrl: api.secretUrl }] },
    ],
  });
  const f = facts({ ssl, api });
  f.vaults = [vaultFacts(), vaultFacts(OTHER_VAULT_ID, { rbac: false })];
  return {
    service: svc,
    facts: f,
    details: [detail(ssl.secretUrl, T.ssl1), detail(api.secretUrl, T.api1)],
    unreadable: [],
  };
}

describe('planMigration: the mapping', () => {
  it('one row per role × certificate with the csdef store, vault, version and expiry', () => {
    const plan = planMigration(source(), { target: 'vmss', csdef: CSDEF, now: NOW });
    expect(
      plan.certificates.map((c) => [
        c.role,
        c.name,
        `${c.storeLocation}/${c.storeName}`,
        c.storeFrom,
        c.vaultName,
        c.version,
      ]),
    ).toEqual([
      ['WebRole1', 'SslCertificate', 'LocalMachine/My', 'csdef', 'kv-contoso-rbac', V.ssl1],
      ['WebRole1', 'ApiClientCertificate', 'LocalMachine/TrustedPeople', 'csdef', 'kv-contoso-prod', V.api1],
      ['WorkerRole1', 'ApiClientCertificate', 'LocalMachine/CA', 'csdef', 'kv-contoso-prod', V.api1],
    ]);
    expect(plan.blockers).toEqual([]);
    expect(plan.successors).toEqual([
      { role: 'WebRole1', resourceName: 'vmss-cs-contoso-web-webrole1' },
      { role: 'WorkerRole1', resourceName: 'vmss-cs-contoso-web-workerrole1' },
    ]);
  });

  it('without a .csdef: LocalMachine/My with a warning, and the checklist asks for it first', () => {
    const plan = planMigration(source(), { target: 'kv-extension', now: NOW });
    expect(plan.certificates.every((c) => c.storeLocation === 'LocalMachine' && c.storeName === 'My')).toBe(true);
    expect(plan.certificates.every((c) => c.storeFrom === 'default')).toBe(true);
    expect(plan.blockers.map((b) => [b.id, b.severity])).toEqual([['csdef-missing', 'warning']]);
    expect(plan.checklist[0]!.title).toBe('Load the .csdef');
  });

  for (const target of MIGRATION_TARGETS) {
    for (const format of MIGRATION_FORMATS) {
      it(`${target} as ${format}: parsed back, each certificate exactly once with its store and URL form`, () => {
        const plan = planMigration(source(), { target, csdef: CSDEF, now: NOW });
        const got = placements(format, plan.outputs![format], target);
        const expected = expectedPlacements(plan, target);
        expect(sortP(got)).toEqual(sortP(expected));
      });
    }
  }

  it('vmss / sf-managed: one secret group per vault; kv-extension: identity, grants per permission model', () => {
    const vmss = JSON.parse(planMigration(source(), { target: 'vmss', csdef: CSDEF, now: NOW }).outputs!.arm);
    const web = vmss.resources[0];
    expect(web.properties.orchestrationMode).toBe('Flexible');
    const groups = web.properties.virtualMachineProfile.osProfile.secrets;
    expect(groups.map((g: { sourceVault: { id: string } }) => g.sourceVault.id.split('/').pop())).toEqual([
      'kv-contoso-rbac',
      'kv-contoso-prod',
    ]);

    const plan = planMigration(source(), { target: 'kv-extension', csdef: CSDEF, now: NOW });
    const kv = JSON.parse(plan.outputs!.arm);
    const types = kv.resources.map((r: { type: string }) => r.type);
    expect(types).toEqual([
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.KeyVault/vaults/accessPolicies',
      'Microsoft.Compute/virtualMachineScaleSets',
      'Microsoft.Compute/virtualMachineScaleSets',
    ]);
    const role = kv.resources[1];
    expect(role.scope).toBe("[format('Microsoft.KeyVault/vaults/{0}', 'kv-contoso-rbac')]");
    expect(role.properties.roleDefinitionId).toContain('4633458b-17de-408a-b874-0445c86b69e6');
    expect(kv.resources[2].properties.accessPolicies[0].permissions).toEqual({ secrets: ['get', 'list'] });
    const ext = kv.resources[3].properties.virtualMachineProfile.extensionProfile.extensions[0].properties;
    expect(ext).toMatchObject({
      publisher: 'Microsoft.Azure.KeyVault',
      type: 'KeyVaultForWindows',
      typeHandlerVersion: '3.0',
    });
    expect(ext.settings.secretsManagementSettings).toMatchObject({ pollingIntervalInS: '3600', linkOnRenewal: true });
    expect(ext.settings.authenticationSettings.msiClientId).toMatch(
      /^\[reference\(resourceId\('Microsoft.ManagedIdentity/,
    );
    expect(Object.keys(kv.resources[3].identity.userAssignedIdentities)).toEqual([
      "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-cs-contoso-web-kv')]",
    ]);
    expect(plan.grants.map((g) => [g.vaultName, g.how])).toEqual([
      ['kv-contoso-rbac', 'rbac'],
      ['kv-contoso-prod', 'access-policy'],
    ]);
    const bicep = readBicep(plan.outputs!.bicep);
    expect(bicep.resources.map((r) => [r.symbol, r.existing])).toEqual([
      ['vault_kv_contoso_rbac', true],
      ['vault_kv_contoso_prod', true],
      ['identity', false],
      ['grant_kv_contoso_rbac', false],
      ['policy_kv_contoso_prod', false],
      ['vmss_vmss_cs_contoso_web_webrole1', false],
      ['vmss_vmss_cs_contoso_web_workerrole1', false],
    ]);
    const az = runAz(plan.outputs!.az);
    expect(az.calls.find((c) => c[0] === 'role')).toEqual([
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      'stub-value',
      '--assignee-principal-type',
      'ServicePrincipal',
      '--role',
      'Key Vault Secrets User',
      '--scope',
      service().secrets[0]!.sourceVault.id,
    ]);
    const ext1 = az.calls.find((c) => c[1] === 'extension')!;
    expect(JSON.parse(ext1[ext1.indexOf('--settings') + 1]!).authenticationSettings.msiClientId).toBe('stub-value');
  });

  it('sf-managed: the client certificate by thumbprint or by common name (self-signed: its own issuer)', () => {
    const byT = planMigration(source(), {
      target: 'sf-managed',
      csdef: CSDEF,
      now: NOW,
      clientCertificate: { role: 'WebRole1', name: 'ApiClientCertificate', by: 'thumbprint' },
    });
    const arm = JSON.parse(byT.outputs!.arm);
    expect(arm.resources[0].type).toBe('Microsoft.ServiceFabric/managedClusters');
    expect(arm.resources[0].properties.clients).toEqual([{ isAdmin: true, thumbprint: T.api1 }]);
    expect(arm.resources[1].name).toBe("[format('{0}/{1}', parameters('clusterName'), 'webrole1')]");
    const byCn = planMigration(source(), {
      target: 'sf-managed',
      csdef: CSDEF,
      now: NOW,
      clientCertificate: { role: 'WebRole1', name: 'ApiClientCertificate', by: 'commonName' },
    });
    expect(JSON.parse(byCn.outputs!.arm).resources[0].properties.clients).toEqual([
      { isAdmin: true, commonName: 'www.contoso.com', issuerThumbprint: T.api1 },
    ]);
    const ps = byCn
      .outputs!.powershell.split('\n')
      .find((l) => l.startsWith('Add-AzServiceFabricManagedClusterClientCertificate'))!;
    expect(
      psTokens(ps)
        .filter((t) => t.kind === 'string')
        .map((t) => t.text),
    ).toEqual([RG, 'sf-cs-contoso-web', 'www.contoso.com', T.api1]);
    const az = runAz(byT.outputs!.az);
    expect(az.calls.find((c) => c[1] === 'managed-cluster')).toContain(T.api1);
  });

  it('app-service: one certificate per secret, the App Service RP granted per permission model', () => {
    const plan = planMigration(source(), { target: 'app-service', csdef: CSDEF, now: NOW });
    const arm = JSON.parse(plan.outputs!.arm);
    const certs = arm.resources.filter((r: { type: string }) => r.type === 'Microsoft.Web/certificates');
    expect(certs.map((c: { properties: { keyVaultSecretName: string } }) => c.properties.keyVaultSecretName)).toEqual([
      'web-ssl',
      'api-client',
    ]);
    expect(certs[0].properties.serverFarmId).toBe("[parameters('serverFarmId')]");
    const grant = arm.resources.find((r: { type: string }) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(grant.properties.roleDefinitionId).toContain('db79e9a7-68ee-4b58-9aeb-b90e7c24fcba');
    const policy = arm.resources.find((r: { type: string }) => r.type === 'Microsoft.KeyVault/vaults/accessPolicies');
    expect(policy.properties.accessPolicies[0].permissions).toEqual({ secrets: ['get'], certificates: ['get'] });
    const az = runAz(plan.outputs!.az);
    expect(az.calls.find((c) => c[0] === 'keyvault' && c[1] === 'set-policy')).toContain(
      'abfa0a7c-a6b6-4736-8310-5855508787cd',
    );
    // TrustedPeople/CA are not CurrentUser/My: App Service loads into CurrentUser/My only.
    expect(plan.blockers.filter((b) => b.id === 'store-app-service').map((b) => `${b.role}/${b.certificate}`)).toEqual([
      'WebRole1/ApiClientCertificate',
      'WorkerRole1/ApiClientCertificate',
    ]);
  });
});

function expectedPlacements(plan: ReturnType<typeof planMigration>, target: MigrationTarget) {
  const included = plan.certificates.filter((c) => c.included);
  if (target === 'app-service') {
    return [...new Set(included.map((c) => `${c.vaultName}/${c.secretName}`))].map((u) => ({
      resource: 'app-service',
      url: u,
    }));
  }
  const name = (role: string) => plan.successors.find((x) => x.role === role)!.resourceName;
  return included.map((c) =>
    target === 'kv-extension'
      ? { resource: name(c.role), url: c.versionlessUrl!, store: c.storeName, location: c.storeLocation }
      : { resource: name(c.role), url: c.versionedUrl!, store: c.storeName },
  );
}
const sortP = (p: Array<{ resource: string; url: string }>) =>
  [...p].sort((a, b) => `${a.resource} ${a.url}`.localeCompare(`${b.resource} ${b.url}`));

describe('planMigration: blockers', () => {
  it('weak key, SHA-1, secret only, RemoteAccess, expiry before the retirement, CurrentUser for scale sets', () => {
    const s = source();
    const legacyCscfg = s.service.configuration!.replace(
      '</Certificates>\r\n  </Role>\r\n  <Role name="WorkerRole1">',
      `  <Certificate name="Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption" thumbprint="${T.other}" thumbprintAlgorithm="sha1" />\r\n    </Certificates>\r\n  </Role>\r\n  <Role name="WorkerRole1">`,
    );
    const ssl = version('web-ssl', V.ssl1, T.ssl1, { days: 100 }); // 2026-09-09: before 2027-03-31
    const api = version('api-client', V.api1, T.api1, { days: 500, host: OTHER_HOST, certificateBacked: false });
    const rdp = version('rdp', V.other, T.other, { days: 900 });
    s.service = {
      ...s.service,
      configuration: legacyCscfg,
      secrets: [
        {
          sourceVault: { id: s.service.secrets[0]!.sourceVault.id },
          vaultCertificates: [{ certificateUrl: ssl.secretUrl }, { certificateUrl: rdp.secretUrl }],
        },
        { sourceVault: { id: OTHER_VAULT_ID }, vaultCertificates: [{ certificateUrl: api.secretUrl }] },
      ],
    };
    s.facts.secrets = [secret(ssl), secret(api), secret(rdp)];
    s.details = [
      detail(ssl.secretUrl, T.ssl1, { keyBits: 1024 }),
      detail(api.secretUrl, T.api1, {
        signatureAlgorithm: 'sha1WithRSAEncryption',
        selfSigned: false,
        issuer: 'CN=Contoso CA',
      }),
      detail(rdp.secretUrl, T.other),
    ];
    const csdef = CSDEF.replace(
      'storeLocation="LocalMachine" storeName="CA"',
      'storeLocation="CurrentUser" storeName="My"',
    );
    const plan = planMigration(s, { target: 'vmss', csdef, now: NOW });
    const ids = plan.blockers.map((b) => `${b.severity} ${b.id} ${b.role ?? ''}/${b.certificate ?? ''}`);
    expect(ids).toEqual(
      [
        'blocker rsa-key-too-small WebRole1/SslCertificate',
        'blocker expires-in-window WebRole1/SslCertificate',
        'blocker secret-only WebRole1/ApiClientCertificate',
        'blocker sha1-signature WebRole1/ApiClientCertificate',
        'blocker secret-only WorkerRole1/ApiClientCertificate',
        'blocker sha1-signature WorkerRole1/ApiClientCertificate',
        'blocker store-location WorkerRole1/ApiClientCertificate',
        'warning csdef-no-entry WebRole1/Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
        'drop remote-access WebRole1/Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
      ].filter((x) => !x.includes('csdef-no-entry')),
    );
    // The RemoteAccess certificate is in no output.
    for (const f of MIGRATION_FORMATS) expect(plan.outputs![f]).not.toContain('/secrets/rdp');
    expect(plan.certificates.find((c) => c.remoteAccess)!.included).toBe(false);
    // The checklist starts with the blockers, in order, and ends with the retirement date.
    expect(plan.checklist[0]!.title).toBe('Clear 7 blockers');
    expect(plan.checklist.at(-1)!.detail).toContain('2027-03-31');
    // The KV extension can install into CurrentUser: no store blocker there.
    expect(planMigration(s, { target: 'kv-extension', csdef, now: NOW }).blockers.map((b) => b.id)).not.toContain(
      'store-location',
    );
  });

  it('a version other than the pinned one is flagged for the targets that follow the newest version', () => {
    const s = source();
    const newer = version('web-ssl', V.ssl2, T.ssl2, { days: 700, created: -1 });
    s.facts.secrets[0] = secret(s.facts.secrets[0]!.version!, [newer]);
    const kv = planMigration(s, { target: 'kv-extension', csdef: CSDEF, now: NOW });
    expect(kv.blockers.map((b) => b.id)).toEqual(['newest-version-differs']);
    expect(planMigration(s, { target: 'vmss', csdef: CSDEF, now: NOW }).blockers).toEqual([]);
  });

  it('vaults without the deployment flag block osProfile-based targets only', () => {
    const s = source();
    s.facts.vaults = [
      vaultFacts(undefined, { enabledForDeployment: false }),
      vaultFacts(OTHER_VAULT_ID, { rbac: false }),
    ];
    expect(planMigration(s, { target: 'sf-managed', csdef: CSDEF, now: NOW }).blockers.map((b) => b.id)).toEqual([
      'deployment-flag',
    ]);
    expect(planMigration(s, { target: 'kv-extension', csdef: CSDEF, now: NOW }).blockers).toEqual([]);
  });

  it('a .csdef that cannot be read is a blocker with its reason; nothing to carry gives no outputs and says why', () => {
    const bad = planMigration(source(), { target: 'vmss', csdef: '<ServiceDefinition', now: NOW });
    expect(bad.blockers[0]!.id).toBe('csdef-invalid');
    expect(bad.outputs).not.toBeNull();
    const s = source();
    s.service = { ...s.service, secrets: [] };
    s.facts.secrets = [];
    const none = planMigration(s, { target: 'vmss', csdef: CSDEF, now: NOW });
    expect(none.outputs).toBeNull();
    expect(none.outputError!.code).toBe('nothing-to-migrate');
    expect(none.blockers.filter((b) => b.id === 'no-version')).toHaveLength(3);
  });
});

describe('planMigration: an uploaded .cscfg', () => {
  it('plans with the uploaded .cscfg instead of the live one; a thumbprint no vault version has is a blocker', () => {
    const s = source();
    const newer = version('web-ssl', V.ssl2, T.ssl2, { days: 700, created: -1 });
    s.facts.secrets[0] = secret(s.facts.secrets[0]!.version!, [newer]);
    // The next package's .cscfg already names the renewed web-ssl and an API certificate no vault holds.
    const next = s.service
      .configuration!.replace(T.ssl1, T.ssl2)
      .replaceAll(T.api1, T.other)
      .replaceAll(T.api1.toLowerCase(), T.other);
    const plan = planMigration(s, { target: 'vmss', csdef: CSDEF, cscfg: next, now: NOW });
    const web = plan.certificates.find((c) => c.name === 'SslCertificate')!;
    expect([web.version, web.thumbprint, web.included]).toEqual([V.ssl2, T.ssl2, true]);
    expect(plan.blockers.map((b) => `${b.severity} ${b.id} ${b.role}/${b.certificate}`)).toEqual([
      'blocker no-version WebRole1/ApiClientCertificate',
      'blocker no-version WorkerRole1/ApiClientCertificate',
      'warning no-version WebRole1/SslCertificate',
    ]);
    expect(placements('arm', plan.outputs!.arm, 'vmss').map((p) => p.url)).toEqual([url('web-ssl', V.ssl2)]);
    // Without it, the live .cscfg is used.
    expect(planMigration(s, { target: 'vmss', csdef: CSDEF, now: NOW }).certificates[0]!.version).toBe(V.ssl1);
  });
});

describe('renderMigration: the model is validated', () => {
  it('a bad successor name or certificate URL is a SnippetError with its code, never a wrong output', () => {
    const model = planMigration(source(), { target: 'vmss', csdef: CSDEF, now: NOW }).model;
    const bad = (m: typeof model) => {
      try {
        renderMigration('arm', m);
      } catch (e) {
        expect(e).toBeInstanceOf(SnippetError);
        return (e as SnippetError).code;
      }
      return 'rendered';
    };
    expect(bad({ ...model, roles: [{ ...model.roles[0]!, resourceName: 'no spaces allowed' }] })).toBe(
      'invalid-resource-name',
    );
    const unversioned = {
      ...model.roles[0]!.certificates[0]!,
      certificateUrl: 'https://kv-contoso-rbac.vault.azure.net/secrets/web-ssl',
    };
    expect(bad({ ...model, roles: [{ ...model.roles[0]!, certificates: [unversioned] }] })).toBe(
      'certificate-url-unversioned',
    );
  });
});

describe('migration report', () => {
  it('Markdown and HTML carry every certificate, the blockers, the checklist and the chosen output, escaped', () => {
    const s = source();
    s.service = { ...s.service, name: 'cs-<b>&"web' as string };
    const plan = planMigration(s, { target: 'kv-extension', now: NOW });
    const md = migrationReportMarkdown(plan, 'bicep');
    expect(md).toContain('# Migration of cs-<b>&"web to Key Vault VM extension (Windows)');
    expect(md.match(/^\| (WebRole1|WorkerRole1) \|/gm)).toHaveLength(3);
    expect(md).toContain('**Check** (csdef-missing)');
    expect(md).toContain('1. [ ] **Load the .csdef.**');
    expect(md).toContain('```bicep\n');
    const html = migrationReportHtml(plan, 'powershell');
    expect(html).toContain(
      '<title>Migration of cs-&lt;b&gt;&amp;&quot;web to Key Vault VM extension (Windows)</title>',
    );
    expect(html).not.toContain('<b>&');
    expect(html.match(/<tr data-role=/g)).toHaveLength(3);
    expect(html).toContain('data-blocker="csdef-missing"');
    expect(html).toContain('New-AzUserAssignedIdentity');
    expect(html).toContain('@media print');
  });

  it('an output that holds backticks gets a longer fence', () => {
    const plan = planMigration(source(), { target: 'vmss', csdef: CSDEF, now: NOW });
    plan.outputs!.az = 'echo ```\n';
    expect(migrationReportMarkdown(plan, 'az')).toContain('````bash\necho ```\n````');
  });
});
