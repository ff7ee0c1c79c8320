import { azError, invalidContent, type HttpError } from '../errors.js';

/**
 * Every error text of the cloud services RP in one place, with where it comes from
 * (../shared/reference/cses-field-failures.md). UNVERIFIED marks a text or code no primary source shows for CSES.
 */

export interface Principal {
  oid: string;
  upn: string;
}

export { authorizationFailed } from '../errors.js';

/** ARM's linked-access text (§7.1: the deploying user needs vaults/deploy/action on each referenced vault). */
export function linkedAuthorizationFailed(p: Principal, action: string, scope: string, linked: string[]): HttpError {
  return azError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${p.upn}' with object id '${p.oid}' has permission to perform action '${action}' on scope '${scope}'; however, it does not have permission to perform action(s) '${linked.map(() => 'Microsoft.KeyVault/vaults/deploy/action').join(',')}' on the linked scope(s) '${linked.join(',')}' (respectively) or the linked scope(s) are invalid.`,
  );
}

export function resourceNotFound(rg: string, name: string): HttpError {
  return azError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.Compute/cloudServices/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function roleNotFound(name: string, role: string): HttpError {
  // UNVERIFIED: the RP's text for an unknown role name.
  return azError(404, 'NotFound', `The role '${role}' was not found in cloud service '${name}'.`);
}

export function roleInstanceNotFound(name: string, instance: string): HttpError {
  // UNVERIFIED: the RP's text for an unknown role instance name.
  return azError(404, 'NotFound', `The role instance '${instance}' was not found in cloud service '${name}'.`);
}

/** §1.7: new CSES deployments are refused since 2026 (Code: BadRequest). */
export function creationRetired(): HttpError {
  return azError(
    400,
    'BadRequest',
    'Cloud Services (extended support) will be retired on 31 March 2027, instead consider using Service Fabric managed cluster. Please refer to https://aka.ms/csesretirement',
  );
}

/** §1.1 (Update-AzCloudService output). The code and the separator between several entries are UNVERIFIED. */
export function missingThumbprints(missing: string[]): HttpError {
  return azError(
    400,
    'InvalidParameter',
    `The thumbprints specified in the CSCFG do not have corresponding certificates in osProfile.secrets. Add the missing certificates in osProfile.secrets. Missing thumbprints: ${missing.join(', ')}. To understand more about how to use KeyVault for certificates, please follow the documentation at https://aka.ms/cses-kv`,
  );
}

/** §1.2 (CSES RP through az cloud-service create). */
export function notVersionedSecretUrl(url: string): HttpError {
  return azError(
    400,
    'InvalidParameter',
    `${url} is not a valid versioned Key Vault Secret URL. It should be in the format https://<vaultEndpoint>/secrets/<secretName>/<secretVersion>.`,
  );
}

/** §1.3 (CRP text; CSES applicability is an inference). HTTP status UNVERIFIED. */
export function keyVaultAccessForbidden(url: string, sourceVaultId: string): HttpError {
  return azError(
    400,
    'KeyVaultAccessForbidden',
    `Key Vault ${url} either has not been enabled for deployment or the vault id provided, ${sourceVaultId}, does not match the Key Vault's true resource id.`,
  );
}

/**
 * §1.4, region: CRP's text for a VM/VMSS (microsoft/service-fabric-issues#1166, code KeyVaultAndVMInDifferentRegions).
 * The CSES RP's own wording is UNVERIFIED (cses-field-failures.md §9.1); this is the closest real text.
 */
export function vaultInOtherRegion(vaultId: string, vaultLocation: string, location: string): HttpError {
  return azError(
    400,
    'KeyVaultAndVMInDifferentRegions',
    `The Key Vault ${vaultId} is located in location ${vaultLocation}, which is different from the location of the VM, ${location}.`,
  );
}

/**
 * §1.4, subscription: CRP's text (MicrosoftDocs/azure-docs#7650, #19943). Code and the CSES wording are UNVERIFIED.
 */
export function vaultInOtherSubscription(requestSubscription: string, vaultSubscription: string): HttpError {
  return azError(
    400,
    'InvalidParameter',
    `The SubscriptionId:"${requestSubscription}" of the request must match the SubscriptionId "${vaultSubscription}" contained in the Key Vault Id`,
  );
}

/** §1.5 (VMSS/CRP, Azure/azure-powershell#7589; CSES applicability an inference). */
export function vaultListedTwice(vaultId: string): HttpError {
  return azError(
    400,
    'InvalidParameter',
    `List secrets contains repeated instances of ${vaultId}, which is disallowed.`,
  );
}

/** §1.6: the secret value is not a PFX (e.g. a PEM certificate). */
export function notPfx(url: string): HttpError {
  return azError(
    400,
    'CertificateImproperlyFormatted',
    `The secret's JSON representation retrieved from ${url} has a data field which is not a properly formatted PFX file, or the password provided does not decode the PFX file correctly.`,
  );
}

/** §1.6: a plain secret, not backed by a certificate (the sandbox's conservative reading, see README). */
export function notCertificateBacked(url: string): HttpError {
  return azError(
    400,
    'CertificateImproperlyFormatted',
    `The data retrieved from ${url} is not deserializable into JSON.`,
  );
}

/** UNVERIFIED (§9.1): a certificateUrl naming a version that does not exist, or is disabled. */
export function secretNotFound(url: string, vaultId: string): HttpError {
  return azError(
    400,
    'KeyVaultSecretDoesNotExist',
    `The secret ${url} was not found in Key Vault ${vaultId}, or it is disabled.`,
  );
}

/** CRP's style for a required property; the exact CSES text is UNVERIFIED. */
export function requiredParameter(name: string): HttpError {
  return azError(400, 'InvalidParameter', `Required parameter '${name}' is missing (null).`);
}

export function invalidParameter(message: string): HttpError {
  return azError(400, 'InvalidParameter', message);
}

/** UNVERIFIED: the RP's text when the .cscfg is not well-formed. */
export function invalidConfiguration(reason: string): HttpError {
  return azError(400, 'InvalidParameter', `The service configuration (.cscfg) is not a valid XML document: ${reason}`);
}

/** ARM's answer when a PUT names another location than the existing resource's. */
export function locationMismatch(name: string, existing: string, rg: string, asked: string): HttpError {
  return azError(
    409,
    'InvalidResourceLocation',
    `The resource '${name}' already exists in location '${existing}' in resource group '${rg}'. A resource with the same name cannot be created in location '${asked}'. Please select a new resource name.`,
  );
}

/** UNVERIFIED: a PUT/PATCH while an update is still running. */
export function operationInProgress(name: string): HttpError {
  return azError(
    409,
    'OperationNotAllowed',
    `Operation 'Update' is not allowed on cloud service '${name}' since another operation is in progress. Retry after the operation completes.`,
  );
}

export function invalidRequestContent(detail: string): HttpError {
  return invalidContent(`'${detail}'.`);
}

/** Default RP error for the forced-failure fault switch (a real CRP text, code AllocationFailed). */
export const FORCED_FAILURE = {
  code: 'AllocationFailed',
  message:
    'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance',
};
