/**
 * The one table of what to ask for when the signed-in user may not do something: for each kind of refusal, the Azure
 * role or access-policy permissions that grant it and the one az / PowerShell command an administrator can run, with
 * the user's own sign-in name. The error mapper (lib/azure/errors.ts), vault creation, the access step and the
 * certificate step all read it, so every place gives the same advice.
 */
export interface AccessVault {
  id: string;
  name: string;
  resourceGroup: string;
  rbac: boolean;
}

/**
 * What was refused (or would be):
 * - `vault-settings`: a control-plane write on the vault (the deployment flag), either model;
 * - `certificates`: the certificate rights the wizard needs (read, import, create, recover);
 * - `secrets`: reading the secrets behind certificates (what the compute platform reads);
 * - `create-vault`: creating a key vault in a resource group;
 * - `write`: another ARM write (a resource group, a cloud service);
 * - `read`: reading a subscription, resource group or vault.
 */
export type AccessNeed = 'vault-settings' | 'certificates' | 'secrets' | 'create-vault' | 'write' | 'read';

export interface AccessTarget {
  /** The vault the refusal is about (its permission model decides role vs access policy). */
  vault?: AccessVault;
  /** The ARM scope otherwise: a resource group or subscription id. */
  scope?: string;
  /** The signed-in user's UPN; a placeholder when unknown. */
  upn?: string;
}

export interface AccessAdvice {
  need: AccessNeed;
  /** One sentence: what to ask for. */
  ask: string;
  /** The Azure role that grants it (RBAC vaults and ARM). */
  role?: string;
  /** The control-plane action the role carries, when one action decides it. */
  action?: string;
  /** The access-policy permissions that grant it (access-policy vaults). */
  policy?: { certificates: readonly string[]; secrets: readonly string[] };
  /** What the command does, in a few words: names its copy button. */
  purpose: string;
  az: string;
  powershell: string;
}

export const YOUR_UPN = '<your-upn>';

/** The certificate and secret permissions the wizard needs on an access-policy vault. */
export const WIZARD_CERTIFICATE_PERMISSIONS = ['get', 'list', 'import', 'create', 'recover'] as const;
export const WIZARD_SECRET_PERMISSIONS = ['get'] as const;
/** Reading the secrets behind certificates (the compute platform's and the cloud-services blade's reads). */
const SECRET_READ_PERMISSIONS = ['get', 'list'] as const;

const ROLE = {
  vaultSettings: 'Key Vault Contributor',
  createVault: 'Key Vault Contributor',
  certificates: 'Key Vault Certificates Officer',
  secrets: 'Key Vault Secrets User',
  write: 'Contributor',
  read: 'Reader',
} as const;

export const VAULT_WRITE_ACTION = 'Microsoft.KeyVault/vaults/write';

function roleAssignment(role: string, upn: string, scope: string) {
  return {
    az: `az role assignment create --role "${role}" --assignee ${upn} --scope ${scope}`,
    powershell: `New-AzRoleAssignment -SignInName ${upn} -RoleDefinitionName "${role}" -Scope "${scope}"`,
  };
}

function policyGrant(vault: string, upn: string, certificates: readonly string[], secrets: readonly string[]) {
  const cert = certificates.length ? ` --certificate-permissions ${certificates.join(' ')}` : '';
  const psCert = certificates.length ? ` -PermissionsToCertificates ${certificates.join(',')}` : '';
  return {
    az: `az keyvault set-policy --name ${vault} --upn ${upn}${cert} --secret-permissions ${secrets.join(' ')}`,
    powershell: `Set-AzKeyVaultAccessPolicy -VaultName ${vault} -UserPrincipalName ${upn}${psCert} -PermissionsToSecrets ${secrets.join(',')}`,
  };
}

const title = (p: readonly string[]) => p.map((x) => x[0]!.toUpperCase() + x.slice(1));
const list = (p: readonly string[]) =>
  p.length > 1 ? `${title(p).slice(0, -1).join(', ')} and ${title(p).at(-1)}` : title(p).join('');

/** The advice for one refusal: one command, for the vault's permission model, with the user's UPN. */
export function accessAdvice(need: AccessNeed, target: AccessTarget): AccessAdvice {
  const upn = target.upn || YOUR_UPN;
  const v = target.vault;
  const scope = v?.id ?? target.scope ?? '<scope>';
  const where = v ? `on the vault '${v.name}'` : 'on the resource group or subscription';
  switch (need) {
    case 'vault-settings':
      return {
        need,
        role: ROLE.vaultSettings,
        action: VAULT_WRITE_ACTION,
        ask: `Ask for the '${ROLE.vaultSettings}' role ${where}: it includes ${VAULT_WRITE_ACTION}. Or ask an administrator to turn the setting on for you.`,
        purpose: `assign ${ROLE.vaultSettings} on the vault`,
        ...roleAssignment(ROLE.vaultSettings, upn, scope),
      };
    case 'certificates':
    case 'secrets': {
      const certificates = need === 'certificates' ? WIZARD_CERTIFICATE_PERMISSIONS : [];
      const secrets = need === 'certificates' ? WIZARD_SECRET_PERMISSIONS : SECRET_READ_PERMISSIONS;
      const role = need === 'certificates' ? ROLE.certificates : ROLE.secrets;
      if (v && !v.rbac) {
        const what = [
          ...(certificates.length ? [`the certificate permissions ${list(certificates)}`] : []),
          `the secret permission${secrets.length > 1 ? 's' : ''} ${list(secrets)}`,
        ].join(' and ');
        return {
          need,
          policy: { certificates, secrets },
          ask: `Ask for an access policy on '${v.name}' with ${what} (vault access policy model).`,
          purpose: `add the ${need === 'certificates' ? 'certificate' : 'secret'} access policy`,
          ...policyGrant(v.name, upn, certificates, secrets),
        };
      }
      return {
        need,
        role,
        ask: `Ask for the '${role}' role ${where}${v ? ' (Azure RBAC permission model)' : ''}. Role changes can take a few minutes to apply.`,
        purpose: `assign ${role}`,
        ...roleAssignment(role, upn, scope),
      };
    }
    case 'create-vault':
      return {
        need,
        role: ROLE.createVault,
        ask: `Ask for the '${ROLE.createVault}' role on the resource group (or Contributor): it includes Microsoft.KeyVault/vaults/write.`,
        purpose: `assign ${ROLE.createVault} on the resource group`,
        ...roleAssignment(ROLE.createVault, upn, scope),
      };
    case 'write':
      return {
        need,
        role: ROLE.write,
        ask: `Ask for the '${ROLE.write}' role ${where}, then retry.`,
        purpose: `assign ${ROLE.write}`,
        ...roleAssignment(ROLE.write, upn, scope),
      };
    case 'read':
      return {
        need,
        role: ROLE.read,
        ask: `Ask for the '${ROLE.read}' role ${where}.`,
        purpose: `assign ${ROLE.read}`,
        ...roleAssignment(ROLE.read, upn, scope),
      };
  }
}

/** The advice as one line of text, for the error's `action` (the CLI and API clients; the UI shows the parts). */
export function adviceText(a: AccessAdvice): string {
  return `${a.ask} An administrator can run: ${a.az}`;
}

/** A vault's resource id from its parts. */
export function vaultResourceId(subscriptionId: string, resourceGroup: string, vaultName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
}
