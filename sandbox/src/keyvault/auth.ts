import { azError } from '../errors.js';
import { type Ctx } from '../http.js';
import { TENANT_ID, VAULT_AUDIENCE } from '../ids.js';
import { hasDataAction, hasPolicyPermission } from '../rbac.js';
import { type Vault, vaultId } from '../model.js';
import { bearerToken, TokenError } from '../tokens.js';
import { type Caller, type KeyVaultDeps } from './request.js';
import { kvHeaders } from './wire.js';

export type CertPerm =
  'get' | 'list' | 'import' | 'create' | 'update' | 'delete' | 'recover' | 'purge' | 'backup' | 'restore';

const CERT_DATA_ACTION: Record<CertPerm, string> = {
  get: 'Microsoft.KeyVault/vaults/certificates/read',
  list: 'Microsoft.KeyVault/vaults/certificates/read',
  import: 'Microsoft.KeyVault/vaults/certificates/import/action',
  create: 'Microsoft.KeyVault/vaults/certificates/create/action',
  update: 'Microsoft.KeyVault/vaults/certificates/update/action',
  delete: 'Microsoft.KeyVault/vaults/certificates/delete',
  recover: 'Microsoft.KeyVault/vaults/certificates/recover/action',
  purge: 'Microsoft.KeyVault/vaults/certificates/purge/action',
  backup: 'Microsoft.KeyVault/vaults/certificates/backup/action',
  restore: 'Microsoft.KeyVault/vaults/certificates/restore/action',
};

/**
 * The vault-wide certificate operations that are no certificate's: contacts and issuers. Access policies: the spec's
 * operation descriptions (contacts need `managecontacts` for reading too; `manageissuers` covers every issuer
 * operation besides its own permission). RBAC: the built-in data actions (`certificatecontacts/write` is the only
 * contacts action, for reading too, azure-powershell#27911; issuers are `certificatecas/read|write|delete`).
 */
export type CertAdminOp =
  'getContacts' | 'setContacts' | 'deleteContacts' | 'getIssuer' | 'listIssuers' | 'setIssuer' | 'deleteIssuer';

const CERT_ADMIN: Record<CertAdminOp, { perms: string[]; dataAction: string }> = {
  getContacts: { perms: ['managecontacts'], dataAction: 'Microsoft.KeyVault/vaults/certificatecontacts/write' },
  setContacts: { perms: ['managecontacts'], dataAction: 'Microsoft.KeyVault/vaults/certificatecontacts/write' },
  deleteContacts: { perms: ['managecontacts'], dataAction: 'Microsoft.KeyVault/vaults/certificatecontacts/write' },
  getIssuer: { perms: ['getissuers', 'manageissuers'], dataAction: 'Microsoft.KeyVault/vaults/certificatecas/read' },
  listIssuers: { perms: ['listissuers', 'manageissuers'], dataAction: 'Microsoft.KeyVault/vaults/certificatecas/read' },
  setIssuer: { perms: ['setissuers', 'manageissuers'], dataAction: 'Microsoft.KeyVault/vaults/certificatecas/write' },
  deleteIssuer: {
    perms: ['deleteissuers', 'manageissuers'],
    dataAction: 'Microsoft.KeyVault/vaults/certificatecas/delete',
  },
};

export function challenge(d: KeyVaultDeps): string {
  return `Bearer authorization="${d.authority()}", resource="${VAULT_AUDIENCE}"`;
}

export async function authenticate(d: KeyVaultDeps, ctx: Ctx, vault: Vault): Promise<Caller> {
  const header = ctx.req.headers.authorization;
  const challengeHeaders = { 'www-authenticate': challenge(d), ...kvHeaders(vault) };
  if (!header) {
    ctx.req.resume();
    throw azError(
      401,
      'Unauthorized',
      'AKV10000: Request is missing a Bearer or PoP token.',
      undefined,
      challengeHeaders,
    );
  }
  const token = bearerToken(header);
  if (!token) {
    ctx.req.resume();
    throw azError(
      401,
      'Unauthorized',
      'AKV10001: Unsupported authorization scheme. Bearer or PoP expected.',
      undefined,
      challengeHeaders,
    );
  }
  try {
    const { payload } = await d.tokens.verify(token, [VAULT_AUDIENCE, `${VAULT_AUDIENCE}/`]);
    return {
      oid: String(payload.oid ?? payload.sub ?? ''),
      tid: String(payload.tid ?? ''),
      appid: String(payload.azp ?? payload.appid ?? ''),
      iss: String(payload.iss ?? ''),
      upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
    };
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    ctx.req.resume();
    const p = e.problem;
    const msg =
      p.kind === 'audience'
        ? `AKV10022: Invalid audience. Expected ${VAULT_AUDIENCE}, found: ${p.found}.`
        : p.kind === 'issuer'
          ? `AKV10032: Invalid issuer. Expected one of ${d.authority()}/v2.0, found ${p.found}.`
          : p.kind === 'expired'
            ? `AKV10020: Token is expired. Expired at ${new Date(p.exp * 1000).toISOString()}.`
            : p.kind === 'notYetValid'
              ? 'AKV10021: Token is not yet valid.'
              : p.kind === 'signature'
                ? 'AKV10005: Token signature validation failed.'
                : 'AKV10004: Token is malformed.';
    throw azError(401, 'Unauthorized', msg, undefined, challengeHeaders);
  }
}

export function checkFirewall(vault: Vault, _caller: Caller): void {
  const p = vault.properties;
  const acls = (p.networkAcls ?? {}) as { defaultAction?: string; ipRules?: { value?: string }[] };
  const client = '127.0.0.1';
  const allowedByRule = (acls.ipRules ?? []).some((r) => r.value === client || r.value === `${client}/32`);
  if (p.publicNetworkAccess === 'Disabled' || (acls.defaultAction === 'Deny' && !allowedByRule)) {
    throw azError(
      403,
      'Forbidden',
      `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${client}\r\nCaller: appid=${_caller.appid};oid=${_caller.oid};iss=${_caller.iss}\r\nVault: ${vault.name};location=${vault.location}`,
      'ForbiddenByFirewall',
    );
  }
}

/** Enforces the vault's permission model; throws Key Vault's exact 403 shapes. */
export function authorize(
  d: KeyVaultDeps,
  vault: Vault,
  caller: Caller,
  kind: 'certificates' | 'secrets',
  /** the access-policy permission, or several of which any one suffices (the first is the one a refusal names) */
  perm: string | readonly string[],
  dataAction: string,
  objectName?: string,
): void {
  const state = d.store.state;
  const callerText = `appid=${caller.appid};oid=${caller.oid};iss=${caller.iss}`;
  if (vault.properties.enableRbacAuthorization) {
    if (hasDataAction(state, caller.oid, vault, dataAction)) return;
    const resource =
      vaultId(vault)
        .replace('/resourceGroups/', '/resourcegroups/')
        .replace('/providers/Microsoft.KeyVault/', '/providers/microsoft.keyvault/') +
      (objectName ? `/${kind}/${objectName}` : '');
    throw azError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${callerText}\r\nAction: '${dataAction}'\r\nResource: '${resource.toLowerCase()}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault.name};location=${vault.location}\r\n`,
      'ForbiddenByRbac',
    );
  }
  const perms = typeof perm === 'string' ? [perm] : perm;
  if (perms.some((p) => hasPolicyPermission(vault, caller.tid || TENANT_ID, caller.oid, kind, p))) return;
  throw azError(
    403,
    'Forbidden',
    `The user, group or application '${callerText}' does not have ${kind} ${perms[0]} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    'ForbiddenByPolicy',
  );
}

export function authorizeCert(d: KeyVaultDeps, vault: Vault, caller: Caller, perm: CertPerm, name?: string): void {
  authorize(d, vault, caller, 'certificates', perm, CERT_DATA_ACTION[perm], name);
}

export function authorizeCertAdmin(d: KeyVaultDeps, vault: Vault, caller: Caller, op: CertAdminOp): void {
  const { perms, dataAction } = CERT_ADMIN[op];
  authorize(d, vault, caller, 'certificates', perms, dataAction);
}
