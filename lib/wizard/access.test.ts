import { describe, expect, it } from 'vitest';
import { accessAdvice, adviceText, vaultResourceId, YOUR_UPN } from './access';

const id = vaultResourceId('s', 'rg', 'kv');
const policyVault = { id, name: 'kv', resourceGroup: 'rg', rbac: false };
const rbacVault = { ...policyVault, rbac: true };

describe('the advice table', () => {
  it('the deployment flag: Key Vault Contributor on the vault, one role assignment with the UPN', () => {
    const a = accessAdvice('vault-settings', { vault: policyVault, upn: 'rita@contoso' });
    expect(a.role).toBe('Key Vault Contributor');
    expect(a.action).toBe('Microsoft.KeyVault/vaults/write');
    expect(a.az).toBe(`az role assignment create --role "Key Vault Contributor" --assignee rita@contoso --scope ${id}`);
    expect(a.powershell).toBe(
      `New-AzRoleAssignment -SignInName rita@contoso -RoleDefinitionName "Key Vault Contributor" -Scope "${id}"`,
    );
    expect(accessAdvice('vault-settings', { vault: rbacVault, upn: 'rita@contoso' }).az).toBe(a.az);
  });

  it('certificates: the wizard’s access policy on an access-policy vault, Certificates Officer on an RBAC vault', () => {
    const p = accessAdvice('certificates', { vault: policyVault, upn: 'u@x' });
    expect(p.policy).toEqual({ certificates: ['get', 'list', 'import', 'create', 'recover'], secrets: ['get'] });
    expect(p.az).toBe(
      'az keyvault set-policy --name kv --upn u@x --certificate-permissions get list import create recover --secret-permissions get',
    );
    expect(p.powershell).toBe(
      'Set-AzKeyVaultAccessPolicy -VaultName kv -UserPrincipalName u@x -PermissionsToCertificates get,list,import,create,recover -PermissionsToSecrets get',
    );
    expect(p.ask).toContain('Get, List, Import, Create and Recover and the secret permission Get');
    const r = accessAdvice('certificates', { vault: rbacVault, upn: 'u@x' });
    expect(r.role).toBe('Key Vault Certificates Officer');
    expect(r.az).toContain(`--assignee u@x --scope ${id}`);
  });

  it('secrets, vault creation, writes and reads name their role at the right scope', () => {
    expect(accessAdvice('secrets', { vault: policyVault }).az).toBe(
      `az keyvault set-policy --name kv --upn ${YOUR_UPN} --secret-permissions get list`,
    );
    expect(accessAdvice('secrets', { vault: rbacVault }).role).toBe('Key Vault Secrets User');
    const rg = '/subscriptions/s/resourceGroups/rg';
    expect(accessAdvice('create-vault', { scope: rg, upn: 'u' }).az).toBe(
      `az role assignment create --role "Key Vault Contributor" --assignee u --scope ${rg}`,
    );
    expect(accessAdvice('write', { scope: '/subscriptions/s' }).role).toBe('Contributor');
    expect(accessAdvice('read', { scope: '/subscriptions/s' }).role).toBe('Reader');
  });

  it('every need has one command whose copy button is named for what it does', () => {
    const purposes = (['vault-settings', 'certificates', 'secrets', 'create-vault', 'write', 'read'] as const).map(
      (n) => accessAdvice(n, { vault: policyVault }).purpose,
    );
    expect(new Set(purposes).size).toBe(purposes.length);
    expect(adviceText(accessAdvice('read', { scope: '/subscriptions/s' }))).toMatch(/An administrator can run: az /);
  });
});
