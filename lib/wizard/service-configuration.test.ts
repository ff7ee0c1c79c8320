import { describe, expect, it } from 'vitest';
import { deriveServiceConfiguration, parseRoles, rolesOf, type ServiceInputs } from './service-configuration';

const THUMB = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const OLD = '0000000000000000000000000000000000000001';
const cscfg = (thumbprint: string) => `<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="S" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration" osFamily="7" osVersion="*">
  <Role name="WebRole1">
    <Instances count="2" />
    <Certificates>
      <Certificate name="SSL" thumbprint="${thumbprint}" thumbprintAlgorithm="sha1" />
    </Certificates>
  </Role>
  <Role name="WorkerRole1">
    <Instances count="1" />
  </Role>
</ServiceConfiguration>
`;
const csdef = `<?xml version="1.0" encoding="utf-8"?>
<ServiceDefinition name="S" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
  <WebRole name="WebRole1" vmsize="Standard_D1_v2">
  </WebRole>
  <WorkerRole name="WorkerRole1" vmsize="Standard_D1_v2">
  </WorkerRole>
</ServiceDefinition>
`;
const vaultId =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso';
const base: ServiceInputs = {
  certificate: {
    name: 'web-tls',
    thumbprint: THUMB,
    vaultId,
    secretId: 'https://kv-contoso.vault.azure.net/secrets/web-tls/0123456789abcdef0123456789abcdef',
  },
  rolesText: '',
  alias: '',
  storeLocation: 'LocalMachine',
  storeName: 'My',
  cscfg: null,
  csdef: null,
  vaultVersions: null,
};

describe('service configuration derivations', () => {
  it('reads roles from the field, dropping blanks, and from a .cscfg', () => {
    expect(parseRoles(' WebRole1, ,WorkerRole1 ,')).toEqual(['WebRole1', 'WorkerRole1']);
    expect(rolesOf(cscfg(OLD))).toEqual(['WebRole1', 'WorkerRole1']);
    expect(rolesOf('not xml')).toEqual([]);
  });

  it('renders the lines with the Key Vault name, or the alias when one is typed', () => {
    const d = deriveServiceConfiguration(base);
    expect(d.name).toBe('web-tls');
    expect(d.lines?.cscfg).toBe(`<Certificate name="web-tls" thumbprint="${THUMB}" thumbprintAlgorithm="sha1" />`);
    expect(d.lines?.csdef).toBe('<Certificate name="web-tls" storeLocation="LocalMachine" storeName="My" />');
    const aliased = deriveServiceConfiguration({ ...base, alias: 'SSL', storeName: 'Root' });
    expect(aliased.lines?.csdef).toBe('<Certificate name="SSL" storeLocation="LocalMachine" storeName="Root" />');
    expect(aliased.cscfgSnippet && 'text' in aliased.cscfgSnippet && aliased.cscfgSnippet.text).toContain('name="SSL"');
  });

  it('explains an alias the service files cannot hold, with no lines', () => {
    const d = deriveServiceConfiguration({ ...base, alias: 'SSL ' });
    expect(d.lines).toBeNull();
    expect(d.cscfgSnippet && 'error' in d.cscfgSnippet && d.cscfgSnippet.error.message).toBe(
      'Certificate name "SSL " starts or ends with whitespace.',
    );
  });

  it('patches every role of the .cscfg when none is typed, and only the typed ones otherwise', () => {
    const files = { cscfg: { name: 'a.cscfg', text: cscfg(OLD) }, csdef: { name: 'a.csdef', text: csdef } };
    const all = deriveServiceConfiguration({ ...base, ...files });
    expect(all.roles).toEqual(['WebRole1', 'WorkerRole1']);
    expect(all.rolesHelp).toBe('From the uploaded .cscfg: WebRole1, WorkerRole1');
    const patched = all.patchedCscfg && 'text' in all.patchedCscfg ? all.patchedCscfg.text : '';
    expect(patched.match(new RegExp(`name="web-tls" thumbprint="${THUMB}"`, 'g'))).toHaveLength(2);
    // The pair is checked after patching: the .cscfg's other certificate is not declared in this .csdef.
    expect(all.consistency?.map((i) => i.code)).toEqual(['certificate-missing-in-csdef']);

    const one = deriveServiceConfiguration({ ...base, ...files, rolesText: 'WorkerRole1' });
    expect(one.roles).toEqual(['WorkerRole1']);
    const text = one.patchedCscfg && 'text' in one.patchedCscfg ? one.patchedCscfg.text : '';
    expect(text.match(/name="web-tls"/g)).toHaveLength(1);
    expect(text).toContain(`thumbprint="${OLD}"`);
  });

  it('says there is nothing to patch without a role, and explains a role the file lacks', () => {
    const noRoles = deriveServiceConfiguration({ ...base, csdef: { name: 'a.csdef', text: '<ServiceDefinition />' } });
    expect(noRoles.noRoleToPatch).toBe(true);
    expect(noRoles.patchedCsdef).toBeNull();
    const missing = deriveServiceConfiguration({
      ...base,
      rolesText: 'NoSuchRole',
      cscfg: { name: 'a.cscfg', text: cscfg(OLD) },
    });
    expect(missing.patchedCscfg && 'error' in missing.patchedCscfg && missing.patchedCscfg.error.message).toMatch(
      /NoSuchRole/,
    );
  });

  it('checks the .cscfg thumbprints once the vault versions are known', () => {
    const file = { name: 'a.cscfg', text: cscfg(THUMB) };
    expect(deriveServiceConfiguration({ ...base, cscfg: file }).thumbprintChecks).toBeNull();
    const d = deriveServiceConfiguration({
      ...base,
      cscfg: file,
      vaultVersions: [{ name: 'web-tls', version: 'v1', thumbprint: THUMB, enabled: true, isLatest: true }],
    });
    expect(
      d.thumbprintChecks && 'certificates' in d.thumbprintChecks && d.thumbprintChecks.certificates[0],
    ).toMatchObject({ name: 'SSL', status: 'found' });
  });

  it('checks pasted thumbprints without a .cscfg once the vault versions are known', () => {
    const vaultVersions = [{ name: 'web-tls', version: 'v1', thumbprint: THUMB, enabled: true, isLatest: true }];
    expect(deriveServiceConfiguration({ ...base, pasted: THUMB }).pastedChecks).toBeNull();
    expect(deriveServiceConfiguration({ ...base, pasted: ' \n ', vaultVersions }).pastedChecks).toBeNull();
    const d = deriveServiceConfiguration({ ...base, pasted: `${THUMB}\n\u200E${THUMB.toLowerCase()}`, vaultVersions });
    expect(d.thumbprintChecks).toBeNull();
    expect(d.pastedChecks?.map((c) => [c.status, c.match?.name, c.cleanup?.text])).toEqual([
      ['found', 'web-tls', undefined],
      ['malformed', 'web-tls', 'removing 1 invisible character and changing it to upper case'],
    ]);
  });

  it('shows nothing certificate-bound before the certificate is read', () => {
    const d = deriveServiceConfiguration({ ...base, certificate: null, cscfg: { name: 'a.cscfg', text: cscfg(OLD) } });
    expect(d.lines).toBeNull();
    expect(d.cscfgSnippet).toBeNull();
    expect(d.patchedCscfg).toBeNull();
  });
});
