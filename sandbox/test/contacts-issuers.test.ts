import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import {
  apiToken,
  certificateClient,
  oboCredential,
  opensslPfx,
  raw,
  restError,
  startTestSandbox,
  type TestSandbox,
} from './helpers';

// Certificate contacts and issuers (issue 12 item 4; before: 501), through the real CertificateClient. What Key Vault
// answers is recorded in azure-sdk-for-js's CRUD live test ("can set, read and delete a certificate's contacts",
// "can create, read, and delete a certificate issuer") and the REST spec's examples.

const CONTACTS = [
  { email: 'a@a.com', name: 'a', phone: '111111111111' },
  { email: 'b@b.com', name: 'b', phone: '222222222222' },
];
const ADMIN = { firstName: 'John', lastName: 'Doe', email: 'admin@microsoft.com', phone: '4255555555' };

describe('certificate contacts and issuers (real @azure/keyvault-certificates)', () => {
  let sb: TestSandbox;
  let prod: CertificateClient;
  let token: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    prod = await certificateClient(sb);
    token = (await oboCredential(sb.endpoints, await apiToken(sb)).getToken('https://vault.azure.net/.default')).token;
  });
  afterAll(async () => {
    await sb?.close();
  });

  const vaultUrl = (vault: string, path: string) =>
    `https://${vault}.vault.localhost:${sb.port}${path}?api-version=2025-07-01`;
  const wire = (method: string, path: string, body?: unknown, vault = 'kv-contoso-prod', query = '') =>
    raw(sb.agent, vaultUrl(vault, path) + query, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('contacts: set, read, delete; none set is 404 ContactsNotFound', async () => {
    const none = await restError(prod.getContacts());
    expect([none.statusCode, none.code, none.message]).toEqual([404, 'ContactsNotFound', 'Contacts not found']);

    expect(await prod.setContacts(CONTACTS)).toEqual(CONTACTS);
    expect(await prod.getContacts()).toEqual(CONTACTS);
    const onWire = await wire('GET', '/certificates/contacts');
    expect(onWire.json()).toEqual({
      id: `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates/contacts`,
      contacts: CONTACTS,
    });
    // Contacts are the vault's: another vault has none.
    const rbac = await certificateClient(sb, 'kv-contoso-rbac');
    expect((await restError(rbac.getContacts())).code).toBe('ContactsNotFound');

    // The SDK's deleteContacts reads the answer by its own model names and always returns []; the wire has the list.
    const removed = await wire('DELETE', '/certificates/contacts');
    expect([removed.status, removed.json().contacts]).toEqual([200, CONTACTS]);
    expect((await restError(prod.getContacts())).code).toBe('ContactsNotFound');
    await prod.setContacts(CONTACTS);
    await prod.deleteContacts();
    expect((await restError(prod.getContacts())).code).toBe('ContactsNotFound');
    expect((await restError(prod.deleteContacts())).statusCode).toBe(404);
    const bad = await wire('PUT', '/certificates/contacts', { contacts: 'a@a.com' });
    expect([bad.status, bad.json().error.code]).toEqual([400, 'BadParameter']);
  });

  it('a certificate named "contacts" or "issuers" is never reached through these routes', async () => {
    const pfx = opensslPfx({ password: 'pw' });
    for (const name of ['contacts', 'issuers']) await prod.importCertificate(name, pfx.pfx, { password: 'pw' });
    expect((await restError(prod.getContacts())).code).toBe('ContactsNotFound');
    expect((await restError(prod.deleteContacts())).code).toBe('ContactsNotFound');
    expect([...(await collect(prod.listPropertiesOfIssuers()))]).toEqual([]);
    for (const [method, path] of [
      ['PATCH', '/certificates/contacts'],
      ['PUT', '/certificates/issuers'],
      ['PATCH', '/certificates/issuers'],
      ['DELETE', '/certificates/issuers'],
    ] as const) {
      const res = await wire(method, path, method === 'DELETE' ? undefined : {});
      expect([method, path, res.status, res.json().error.code]).toEqual([method, path, 501, 'NotImplemented']);
    }
    expect((await prod.getCertificate('contacts')).name).toBe('contacts');
    expect((await prod.getCertificate('issuers')).name).toBe('issuers');
  });

  it('issuers: create, read, update (merging), list with paging, delete; the password is never answered or kept', async () => {
    const created = await prod.createIssuer('issuer01', 'Test', {
      accountId: 'keyvaultuser',
      password: 'issuer-Passw0rd!',
      administratorContacts: [ADMIN],
    });
    // The SDK takes an issuer's name from its id as if it were a certificate's (`/certificates/{name}/{version}`), so
    // against Key Vault as here every issuer is named "issuers"; the id is right.
    expect([created.id, created.provider, created.accountId, created.enabled]).toEqual([
      `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates/issuers/issuer01`,
      'Test',
      'keyvaultuser',
      true,
    ]);
    expect(created.administratorContacts).toEqual([ADMIN]);
    expect(created.createdOn).toBeInstanceOf(Date);
    const onWire = (await wire('GET', '/certificates/issuers/issuer01')).json();
    expect(onWire.credentials).toEqual({ account_id: 'keyvaultuser' });
    expect(onWire.org_details).toEqual({
      zip: 0,
      admin_details: [{ first_name: 'John', last_name: 'Doe', email: 'admin@microsoft.com', phone: '4255555555' }],
    });
    expect(readFileSync(join(sb.tmp, 'state', 'state.json'), 'utf8')).not.toContain('issuer-Passw0rd!');

    // Update sends what changes; the provider and the administrators stay.
    const updated = await prod.updateIssuer('issuer01', { accountId: 'keyvaultuser2' });
    expect([updated.provider, updated.accountId, updated.administratorContacts]).toEqual([
      'Test',
      'keyvaultuser2',
      [ADMIN],
    ]);
    expect((await prod.getIssuer('issuer01')).accountId).toBe('keyvaultuser2');
    // The SDK's updateIssuer sends `enabled` only when true, so disabling goes over the wire.
    const disabled = await wire('PATCH', '/certificates/issuers/issuer01', { attributes: { enabled: false } });
    expect(disabled.json().attributes.enabled).toBe(false);
    expect((await prod.getIssuer('issuer01')).enabled).toBe(false);

    await prod.createIssuer('issuer02', 'Test');
    await prod.createIssuer('issuer03', 'GlobalSign', { organizationId: 'contoso' });
    const names = (await collect(prod.listPropertiesOfIssuers())).map((i) => `${i.id!.split('/').pop()}:${i.provider}`);
    expect(names).toEqual(['issuer01:Test', 'issuer02:Test', 'issuer03:GlobalSign']);
    // Paged like every Key Vault list (the SDK's pager does not pass maxPageSize on; the wire shows it).
    const page1 = (await wire('GET', '/certificates/issuers', undefined, 'kv-contoso-prod', '&maxresults=2')).json();
    expect(page1.value).toEqual([
      { id: `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates/issuers/issuer01`, provider: 'Test' },
      { id: `https://kv-contoso-prod.vault.localhost:${sb.port}/certificates/issuers/issuer02`, provider: 'Test' },
    ]);
    const page2 = await raw(sb.agent, page1.nextLink, { headers: { authorization: `Bearer ${token}` } });
    expect([page2.json().value.map((i: { provider: string }) => i.provider), page2.json().nextLink]).toEqual([
      ['GlobalSign'],
      null,
    ]);

    const deleted = await prod.deleteIssuer('issuer02');
    expect(deleted.id).toMatch(/\/certificates\/issuers\/issuer02$/);
    const gone = await restError(prod.getIssuer('issuer02'));
    expect([gone.statusCode, gone.code, gone.message]).toEqual([404, 'CertificateIssuerNotFound', 'Issuer not found']);
    expect((await restError(prod.deleteIssuer('issuer02'))).code).toBe('CertificateIssuerNotFound');
    expect((await restError(prod.updateIssuer('issuer02', { accountId: 'x' }))).code).toBe('CertificateIssuerNotFound');
    // Key Vault's DigiCert requirement (azure-sdk-for-java#29166).
    const digicert = await restError(prod.createIssuer('digicert01', 'DigiCert', { accountId: 'a', password: 'p' }));
    expect([digicert.statusCode, digicert.code, digicert.message]).toEqual([
      400,
      'BadParameter',
      'Id in organization details is not set',
    ]);
  });

  it('a policy naming an issuer: created pending with that issuer, merge refused; an unknown issuer is refused', async () => {
    await prod.createIssuer('issuer-ca', 'Test', { accountId: 'keyvaultuser' });
    await prod.beginCreateCertificate('via-issuer', { issuerName: 'issuer-ca', subject: 'cn=MyCert' });
    const pending = await prod.getCertificate('via-issuer');
    expect(pending.policy?.issuerName).toBe('issuer-ca');
    const op = (await wire('GET', '/certificates/via-issuer/pending')).json();
    expect([op.status, op.status_details]).toEqual([
      'inProgress',
      'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.',
    ]);
    const merge = await restError(prod.mergeCertificate('via-issuer', [Buffer.from('MIIB')]));
    expect([merge.statusCode, merge.message]).toEqual([
      403,
      'Merge is forbidden on pending object created with issuer : issuer-ca while it is in progess.',
    ]);
    const unknown = await restError(
      prod.beginCreateCertificate('via-nobody', { issuerName: 'nobody', subject: 'cn=MyCert' }),
    );
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'CertificateIssuerNotFound']);
    await expect(prod.getCertificate('via-nobody')).rejects.toMatchObject({ code: 'CertificateNotFound' });
  });

  it('permissions: managecontacts / *issuers on access-policy vaults, certificatecontacts and certificatecas on RBAC vaults', async () => {
    const rita = await certificateClient(sb, 'kv-contoso-prod', 'reader@contoso.sandbox');
    const cole = await certificateClient(sb, 'kv-contoso-prod', 'certs@contoso.sandbox');
    await prod.createIssuer('guarded', 'Test');
    await prod.setContacts(CONTACTS);
    // Access policies: Rita has certificates get/list only, Cole none.
    for (const [who, call, perm] of [
      ['rita', () => rita.getContacts(), 'managecontacts'],
      ['rita', () => rita.setContacts(CONTACTS), 'managecontacts'],
      ['rita', () => rita.deleteContacts(), 'managecontacts'],
      ['rita', () => rita.getIssuer('guarded'), 'getissuers'],
      ['rita', () => collect(rita.listPropertiesOfIssuers()), 'listissuers'],
      ['rita', () => rita.createIssuer('mine', 'Test'), 'setissuers'],
      ['rita', () => rita.updateIssuer('guarded', { accountId: 'x' }), 'setissuers'],
      ['rita', () => rita.deleteIssuer('guarded'), 'deleteissuers'],
      ['cole', () => cole.getIssuer('guarded'), 'getissuers'],
    ] as const) {
      const e = await restError(call());
      expect([who, perm, e.statusCode]).toEqual([who, perm, 403]);
      // The pager reports only the status; every other call carries Key Vault's text.
      if (perm !== 'listissuers') expect(e.message).toContain(`does not have certificates ${perm} permission`);
    }
    // `manageissuers` alone covers every issuer operation and no contacts.
    const ada = oboCredential(sb.endpoints, await apiToken(sb));
    const arm = new KeyVaultManagementClient(ada, '0b1f6471-1bf0-4dda-aec3-111122223333', {
      endpoint: sb.endpoints.arm.endpoint,
      credentials: { scopes: ['https://management.azure.com/.default'] },
      agent: sb.agent,
    } as never);
    await arm.vaults.updateAccessPolicy('rg-cses-prod', 'kv-contoso-prod', 'add', {
      properties: {
        accessPolicies: [
          {
            tenantId: sb.endpoints.identity.tenantId,
            objectId: '6a2d8b3f-1c4e-4f9b-8d71-b2e3f4a50002',
            permissions: { certificates: ['manageissuers'] },
          },
        ],
      },
    });
    expect((await cole.getIssuer('guarded')).provider).toBe('Test');
    expect((await collect(cole.listPropertiesOfIssuers())).map((i) => i.id!.split('/').pop())).toContain('guarded');
    expect((await cole.updateIssuer('guarded', { accountId: 'cole' })).accountId).toBe('cole');
    expect((await restError(cole.getContacts())).statusCode).toBe(403);

    // RBAC: Key Vault Reader reads issuers (vaults/*/read) but not contacts (certificatecontacts/write only);
    // Certificates Officer has certificatecas/* and certificatecontacts/write.
    const ritaRbac = await certificateClient(sb, 'kv-contoso-rbac', 'reader@contoso.sandbox');
    const coleRbac = await certificateClient(sb, 'kv-contoso-rbac', 'certs@contoso.sandbox');
    await coleRbac.createIssuer('officer', 'Test');
    expect(await coleRbac.setContacts(CONTACTS)).toEqual(CONTACTS);
    expect((await ritaRbac.getIssuer('officer')).provider).toBe('Test');
    const contacts = await restError(ritaRbac.getContacts());
    expect([contacts.statusCode, contacts.message]).toEqual([
      403,
      expect.stringContaining('certificatecontacts/write'),
    ]);
    const write = await restError(ritaRbac.createIssuer('reader', 'Test'));
    expect([write.statusCode, write.message]).toEqual([403, expect.stringContaining('certificatecas/write')]);
    const del = await restError(ritaRbac.deleteIssuer('officer'));
    expect([del.statusCode, del.message]).toEqual([403, expect.stringContaining('certificatecas/delete')]);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
