import { randomUUID } from 'node:crypto';

// Azure's error shapes, in one place: the envelope every area uses, and the named errors of each area.

/** Thrown by handlers; turned into the JSON error envelope of the area that threw it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body && 'error' in body ? JSON.stringify(body) : String(status));
  }
}

/** Key Vault / ARM style error `{ error: { code, message, innererror? } }`. */
export function azError(
  status: number,
  code: string,
  message: string,
  inner?: string,
  headers: Record<string, string> = {},
): HttpError {
  const error: Record<string, unknown> = { code, message };
  if (inner) error.innererror = { code: inner };
  return new HttpError(status, { error }, headers);
}

export function notImplemented(method: string, path: string): HttpError {
  return azError(
    501,
    'NotImplemented',
    `The sandbox does not emulate ${method} ${path}. See sandbox/README.md for the emulated operations.`,
  );
}

// ---- ARM ------------------------------------------------------------------------------------------------

export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  return azError(status, code, message, undefined, headers);
}

/** ARM's refusal of a request body it cannot bind to the model (400 InvalidRequestContent), with what was wrong. */
export function invalidContent(detail: string): HttpError {
  return armError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: ${detail}`,
  );
}

// The caller is described by its shape, not by ArmCaller: this file sits below every handler, so it imports none of them.
export function authorizationFailed(caller: { oid: string; upn: string }, action: string, scope: string): HttpError {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${caller.upn}' with object id '${caller.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export function vaultNotFound(rg: string, name: string): HttpError {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.KeyVault/vaults/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export const VAULT_NAME_IN_USE = (name: string) =>
  `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`;

// ---- Key Vault ------------------------------------------------------------------------------------------

export function certNotFound(name: string): HttpError {
  return azError(
    404,
    'CertificateNotFound',
    `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

/** GET/DELETE of a vault's certificate contacts when none are set (recorded: azure-sdk-for-js CRUD live test). */
export function contactsNotFound(): HttpError {
  return azError(404, 'ContactsNotFound', 'Contacts not found');
}

/** A certificate issuer that does not exist (recorded: azure-sdk-for-js CRUD live test). */
export function issuerNotFound(): HttpError {
  return azError(404, 'CertificateIssuerNotFound', 'Issuer not found');
}

export function badParameter(message: string): HttpError {
  return azError(400, 'BadParameter', message);
}

export const MSG = {
  notBase64:
    'The specified Base64-encoded PKCS#12 X.509 certificate content can not be read. Please check if certificate is valid, and is correctly Base64 encoded.',
  notPkcs12:
    'The specified PKCS#12 X.509 certificate content can not be read. Please check if certificate is in valid PKCS#12 format.',
  noKey:
    'No certificate with private key found in the specified X.509 certificate content. Please specify X.509 certificate content with only one certificate containing private key.',
  pemNoKey:
    'Private key is not specified in the specified X.509 PEM certificate content. Please specify private key in the X.509 PEM certificate content.',
  pemFormat:
    'The specified PEM X.509 certificate content is in an unexpected format. Please check if certificate is in valid PEM format.',
  expired: 'X509 Certificate is already expired',
  unsupportedKey:
    'The specified X.509 certificate content is invalid. Error: One or more X.509 properties are invalid.',
};

export function secretNotFound(name: string): HttpError {
  return azError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

// ---- Entra ID -------------------------------------------------------------------------------------------

/** Entra ID's token-endpoint error shape. */
export function aadError(
  status: number,
  error: string,
  code: number,
  text: string,
  extra: Record<string, unknown> = {},
): HttpError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const ts = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return new HttpError(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
    error_codes: [code],
    timestamp: ts,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    ...extra,
  });
}
