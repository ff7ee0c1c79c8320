import { armError, invalidContent } from '../errors.js';
import { GUID } from '../ids.js';
import { vaultId, type Vault, type VaultProperties } from '../model.js';
import { requireAction, type ArmCaller, type ArmDeps } from './request.js';

// How a vault's properties are validated and merged (PATCH), and what a PUT of an existing vault replaces them with.

/** ARM's model-binding text for a value that is not a GUID (the spec types tenantId and objectId as uuid). */
function notAGuid(value: unknown, path: string) {
  return invalidContent(`Error converting value "${String(value)}" to type 'System.Guid'. Path '${path}'.`);
}

/**
 * `networkAcls` as the Key Vault RP stores them (REST example createVaultWithNetworkAcls.json): an IPv4 address
 * without a prefix becomes `/32`, virtual network rule ids are lower-cased; bypass and defaultAction are checked.
 */
function normaliseNetworkAcls(acls: unknown): unknown {
  if (acls === null) return undefined;
  if (typeof acls !== 'object' || Array.isArray(acls))
    throw armError(400, 'InvalidRequestContent', "'properties.networkAcls' must be an object.");
  const a = acls as Record<string, unknown>;
  const out: Record<string, unknown> = { ...a };
  if (a.bypass !== undefined && a.bypass !== 'AzureServices' && a.bypass !== 'None')
    throw invalidContent(`Requested value '${String(a.bypass)}' was not found. Path 'properties.networkAcls.bypass'.`);
  if (a.defaultAction !== undefined && a.defaultAction !== 'Allow' && a.defaultAction !== 'Deny')
    throw invalidContent(
      `Requested value '${String(a.defaultAction)}' was not found. Path 'properties.networkAcls.defaultAction'.`,
    );
  if (a.ipRules !== undefined) {
    if (!Array.isArray(a.ipRules))
      throw armError(400, 'InvalidRequestContent', "'properties.networkAcls.ipRules' must be an array.");
    out.ipRules = a.ipRules.map((rule: unknown, i) => {
      const value = (rule as { value?: unknown } | null)?.value;
      if (typeof value !== 'string')
        throw armError(400, 'BadRequest', `The parameter 'properties.networkAcls.ipRules[${i}].value' is required.`);
      return { ...(rule as object), value: /^\d{1,3}(\.\d{1,3}){3}$/.test(value) ? `${value}/32` : value };
    });
  }
  if (a.virtualNetworkRules !== undefined) {
    if (!Array.isArray(a.virtualNetworkRules))
      throw armError(400, 'InvalidRequestContent', "'properties.networkAcls.virtualNetworkRules' must be an array.");
    out.virtualNetworkRules = a.virtualNetworkRules.map((rule: unknown, i) => {
      const id = (rule as { id?: unknown } | null)?.id;
      if (typeof id !== 'string')
        throw armError(
          400,
          'BadRequest',
          `The parameter 'properties.networkAcls.virtualNetworkRules[${i}].id' is required.`,
        );
      return { ...(rule as object), id: id.toLowerCase() };
    });
  }
  return out;
}

/**
 * Every access policy entry must name the vault's own tenant (the spec: "All identities in the array must use the
 * same tenant ID as the key vault's tenant ID"); the exact refusal text is UNVERIFIED.
 */
export function checkAccessPolicyTenants(v: Vault, entries: { tenantId?: unknown; objectId?: unknown }[]): void {
  entries.forEach((e, i) => {
    if (typeof e.tenantId === 'string' && !GUID.test(e.tenantId))
      throw notAGuid(e.tenantId, `properties.accessPolicies[${i}].tenantId`);
    if (typeof e.objectId === 'string' && e.objectId === '')
      throw armError(400, 'BadRequest', `The parameter 'properties.accessPolicies[${i}].objectId' is required.`);
    if (typeof e.tenantId === 'string' && e.tenantId.toLowerCase() !== v.properties.tenantId.toLowerCase())
      throw armError(
        400,
        'BadRequest',
        `The access policy at index ${i} has tenant '${e.tenantId}', but every access policy must use the vault's tenant '${v.properties.tenantId}'.`,
      );
  });
}

/** Key Vault refuses a PUT that leaves an access-policy vault without `accessPolicies` (not even `[]`). */
export function requireAccessPolicies(v: Vault, props: Record<string, unknown>): void {
  if (props.accessPolicies === undefined && !v.properties.enableRbacAuthorization && props.createMode !== 'recover')
    throw armError(400, 'BadRequest', 'The parameter accessPolicies is not specified.');
}

/**
 * What a PUT of an existing vault starts from: ARM PUT replaces, so every property not sent goes back to its default
 * — except what cannot be undone or is kept across updates: soft delete and purge protection once on, the retention,
 * and the permission model (api-version 2026-02-01 changes only the create default, keyvault-wire.md §8.8).
 */
export function replacementBase(cur: VaultProperties): VaultProperties {
  return {
    tenantId: cur.tenantId,
    sku: cur.sku,
    accessPolicies: [],
    enabledForDeployment: false,
    enabledForDiskEncryption: false,
    enabledForTemplateDeployment: false,
    enableSoftDelete: cur.enableSoftDelete,
    softDeleteRetentionInDays: cur.softDeleteRetentionInDays,
    enableRbacAuthorization: cur.enableRbacAuthorization,
    ...(cur.enablePurgeProtection ? { enablePurgeProtection: true } : {}),
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
  };
}

const BOOL_PROPS = [
  'enabledForDeployment',
  'enabledForDiskEncryption',
  'enabledForTemplateDeployment',
  'enableSoftDelete',
  'enableRbacAuthorization',
  'enablePurgeProtection',
] as const;

/** PATCH merge semantics (keyvault-wire.md §8.4). */
export function applyPatch(
  d: ArmDeps,
  caller: ArmCaller,
  v: Vault,
  body: Record<string, unknown>,
  creating = false,
): void {
  if (body.tags !== undefined) {
    if (typeof body.tags !== 'object' || body.tags === null) throw invalidContent("'tags' must be an object.");
    v.tags = body.tags as Record<string, string>;
  }
  const props = body.properties as Record<string, unknown> | undefined;
  if (props === undefined || props === null) return;
  if (typeof props !== 'object') throw invalidContent("'properties' must be an object.");
  const target = v.properties as VaultProperties;
  for (const k of BOOL_PROPS) {
    if (props[k] === undefined || props[k] === null) continue;
    if (typeof props[k] !== 'boolean') {
      throw invalidContent(
        `Error converting value "${String(props[k])}" to type 'System.Boolean'. Path 'properties.${k}'.`,
      );
    }
  }
  if (props.enableSoftDelete === false && target.enableSoftDelete) {
    throw armError(
      400,
      'BadRequest',
      'The property "enableSoftDelete" cannot be set to false. Enabling the \'soft delete\' functionality is an irreversible action.',
    );
  }
  if (props.enablePurgeProtection === false && target.enablePurgeProtection) {
    throw armError(
      400,
      'BadRequest',
      'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.',
    );
  }
  if (
    !creating &&
    typeof props.enableRbacAuthorization === 'boolean' &&
    props.enableRbacAuthorization !== target.enableRbacAuthorization
  ) {
    // Switching the permission model needs roleAssignments/write (Owner / User Access Administrator).
    requireAction(d, caller, 'Microsoft.Authorization/roleAssignments/write', vaultId(v));
  }
  for (const k of BOOL_PROPS) {
    if (typeof props[k] === 'boolean') (target as Record<string, unknown>)[k] = props[k];
  }
  if (props.softDeleteRetentionInDays !== undefined) {
    const n = props.softDeleteRetentionInDays;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 7 || n > 90) {
      throw armError(
        400,
        'BadRequest',
        'The property "softDeleteRetentionInDays" must be an integer between 7 and 90.',
      );
    }
    target.softDeleteRetentionInDays = n;
  }
  if (props.sku !== undefined) target.sku = props.sku as VaultProperties['sku'];
  if (props.tenantId !== undefined && props.tenantId !== null) {
    if (typeof props.tenantId !== 'string' || !GUID.test(props.tenantId))
      throw notAGuid(props.tenantId, 'properties.tenantId');
    target.tenantId = props.tenantId;
  }
  if (props.accessPolicies !== undefined) {
    if (!Array.isArray(props.accessPolicies))
      throw armError(400, 'InvalidRequestContent', "'properties.accessPolicies' must be an array.");
    checkAccessPolicyTenants(v, props.accessPolicies as { tenantId?: unknown }[]);
    target.accessPolicies = (props.accessPolicies as VaultProperties['accessPolicies']).map((a) => ({
      ...a,
      permissions: a.permissions ?? {},
    }));
  } else if (typeof props.tenantId === 'string') {
    // A new tenant with the old access policies: they must follow it too.
    checkAccessPolicyTenants(v, target.accessPolicies);
  }
  if (props.networkAcls !== undefined) {
    const acls = normaliseNetworkAcls(props.networkAcls);
    if (acls === undefined) delete target.networkAcls;
    else target.networkAcls = acls;
  }
  if (props.publicNetworkAccess !== undefined)
    target.publicNetworkAccess = props.publicNetworkAccess as VaultProperties['publicNetworkAccess'];
}
