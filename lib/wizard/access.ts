/**
 * What to ask for when the signed-in user may not do something on a vault, and the commands an administrator can run.
 * Right for the vault's permission model: Azure RBAC roles, or access-policy permissions.
 */
export interface AccessVault {
  id: string;
  name: string;
  resourceGroup: string;
  rbac: boolean;
}

export interface AccessAdvice {
  /** One sentence: what to ask for. */
  ask: string;
  az: string;
  powershell: string;
}

const who = (upn: string | undefined) => upn || '<your-upn>';

/** Turning on "Azure Virtual Machines for deployment" is a control-plane write (same for both models). */
export function deploymentFlagAdvice(v: AccessVault, upn?: string): { grant: AccessAdvice; enable: AccessAdvice } {
  return {
    grant: {
      ask: `Ask for the 'Key Vault Contributor' role (or Contributor) on the vault '${v.name}': it includes Microsoft.KeyVault/vaults/write.`,
      az: `az role assignment create --role "Key Vault Contributor" --assignee ${who(upn)} --scope ${v.id}`,
      powershell: `New-AzRoleAssignment -SignInName ${who(upn)} -RoleDefinitionName "Key Vault Contributor" -Scope "${v.id}"`,
    },
    enable: {
      ask: `Or ask an administrator to turn the setting on for you.`,
      az: `az keyvault update --name ${v.name} --resource-group ${v.resourceGroup} --enabled-for-deployment true`,
      powershell: `Set-AzKeyVaultAccessPolicy -VaultName ${v.name} -ResourceGroupName ${v.resourceGroup} -EnabledForDeployment`,
    },
  };
}

/** Rights on certificates the wizard needs: read (get, list) and write (import, create, recover). */
export function certificateRightsAdvice(v: AccessVault, upn?: string): AccessAdvice {
  if (v.rbac) {
    return {
      ask: `Ask for the 'Key Vault Certificates Officer' role on the vault '${v.name}' (Azure RBAC permission model).`,
      az: `az role assignment create --role "Key Vault Certificates Officer" --assignee ${who(upn)} --scope ${v.id}`,
      powershell: `New-AzRoleAssignment -SignInName ${who(upn)} -RoleDefinitionName "Key Vault Certificates Officer" -Scope "${v.id}"`,
    };
  }
  return {
    ask: `Ask for an access policy on '${v.name}' with the certificate permissions Get, List, Import, Create and Recover and the secret permission Get (vault access policy model).`,
    az: `az keyvault set-policy --name ${v.name} --upn ${who(upn)} --certificate-permissions get list import create recover --secret-permissions get`,
    powershell: `Set-AzKeyVaultAccessPolicy -VaultName ${v.name} -UserPrincipalName ${who(upn)} -PermissionsToCertificates get,list,import,create,recover -PermissionsToSecrets get`,
  };
}
