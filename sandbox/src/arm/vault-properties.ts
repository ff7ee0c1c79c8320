import { armError } from '../errors.js';
import { vaultId, type Vault, type VaultProperties } from '../model.js';
import { requireAction, type ArmCaller, type ArmDeps } from './request.js';

// How a vault's properties are validated and merged, for PATCH and for PUT on an existing vault.

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
    if (typeof body.tags !== 'object' || body.tags === null)
      throw armError(
        400,
        'InvalidRequestContent',
        "The request content was invalid and could not be deserialized: 'tags' must be an object.",
      );
    v.tags = body.tags as Record<string, string>;
  }
  const props = body.properties as Record<string, unknown> | undefined;
  if (props === undefined || props === null) return;
  if (typeof props !== 'object')
    throw armError(
      400,
      'InvalidRequestContent',
      "The request content was invalid and could not be deserialized: 'properties' must be an object.",
    );
  const target = v.properties as VaultProperties;
  for (const k of BOOL_PROPS) {
    if (props[k] === undefined || props[k] === null) continue;
    if (typeof props[k] !== 'boolean') {
      throw armError(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: Error converting value "${String(props[k])}" to type 'System.Boolean'. Path 'properties.${k}'.`,
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
  if (props.accessPolicies !== undefined) {
    if (!Array.isArray(props.accessPolicies))
      throw armError(400, 'InvalidRequestContent', "'properties.accessPolicies' must be an array.");
    target.accessPolicies = (props.accessPolicies as VaultProperties['accessPolicies']).map((a) => ({
      ...a,
      permissions: a.permissions ?? {},
    }));
  }
  if (props.networkAcls !== undefined) target.networkAcls = props.networkAcls;
  if (props.publicNetworkAccess !== undefined)
    target.publicNetworkAccess = props.publicNetworkAccess as VaultProperties['publicNetworkAccess'];
  if (typeof props.tenantId === 'string') target.tenantId = props.tenantId;
}
