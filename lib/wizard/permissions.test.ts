import { describe, expect, it } from 'vitest';
import { decideVaultPermissions } from './permissions';

const user = { oid: '11111111-aaaa-bbbb-cccc-000000000001', tid: 'tenant' };
const reader = { actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] };
const kvReader = {
  actions: ['Microsoft.KeyVault/*/read'],
  notActions: [],
  dataActions: ['Microsoft.KeyVault/vaults/*/read'],
  notDataActions: [],
};
const officer = {
  actions: [],
  notActions: [],
  dataActions: ['Microsoft.KeyVault/vaults/certificates/*'],
  notDataActions: [],
};
const contributor = {
  actions: ['Microsoft.KeyVault/*'],
  notActions: ['Microsoft.Authorization/*/write'],
  dataActions: [],
  notDataActions: [],
};

describe('what the signed-in user may do on a vault, before the click', () => {
  it('a Reader may not change the vault settings; a Key Vault Contributor may', () => {
    const base = { rbac: true, policies: [], user };
    expect(decideVaultPermissions({ ...base, entries: [reader, kvReader] }).changeSettings).toEqual({
      allowed: false,
      basis: 'role-assignments',
    });
    expect(decideVaultPermissions({ ...base, entries: [reader, contributor] }).changeSettings.allowed).toBe(true);
  });

  it('RBAC vaults: certificate data actions decide import', () => {
    const base = { rbac: true, policies: [], user };
    expect(decideVaultPermissions({ ...base, entries: [kvReader] }).addCertificates.allowed).toBe(false);
    expect(decideVaultPermissions({ ...base, entries: [kvReader, officer] }).addCertificates.allowed).toBe(true);
    const denied = { ...officer, notDataActions: ['Microsoft.KeyVault/vaults/certificates/import/action'] };
    expect(decideVaultPermissions({ ...base, entries: [denied] }).addCertificates.allowed).toBe(false);
  });

  it('access-policy vaults: the policy for the user’s object id decides, roles do not', () => {
    const policies = [
      { tenantId: 'tenant', objectId: user.oid, certificates: ['Get', 'List'] },
      { tenantId: 'tenant', objectId: 'someone-else', certificates: ['all'] },
    ];
    const base = { rbac: false, entries: [reader, officer], user };
    expect(decideVaultPermissions({ ...base, policies }).addCertificates).toEqual({
      allowed: false,
      basis: 'access-policy',
    });
    const mine = [{ tenantId: 'tenant', objectId: user.oid.toUpperCase(), certificates: ['Get', 'Import', 'Create'] }];
    expect(decideVaultPermissions({ ...base, policies: mine }).addCertificates.allowed).toBe(true);
    expect(
      decideVaultPermissions({ ...base, policies: [{ ...mine[0]!, tenantId: 'other' }] }).addCertificates.allowed,
    ).toBe(false);
    expect(
      decideVaultPermissions({ ...base, policies: [{ ...mine[0]!, certificates: ['all'] }] }).addCertificates.allowed,
    ).toBe(true);
  });

  it('says it does not know when the permissions API could not be read', () => {
    expect(decideVaultPermissions({ rbac: true, entries: null, policies: [], user })).toEqual({
      rbac: true,
      changeSettings: { allowed: null, basis: 'unknown' },
      addCertificates: { allowed: null, basis: 'unknown' },
    });
  });
});
