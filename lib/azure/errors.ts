import 'server-only';
import { AppError } from '@/lib/errors';
import { accessAdvice, adviceText, type AccessNeed, type AccessTarget } from '@/lib/wizard/access';

/**
 * The one place where Azure failures (SDK `RestError`s, identity errors, network errors) become the app's
 * `{ code, message, action }`. Azure's own message text never reaches the browser; its code is kept in `reason`.
 */

export type Operation =
  | 'list-subscriptions'
  | 'list-vaults'
  | 'get-vault'
  | 'update-vault'
  | 'import-certificate'
  | 'get-certificate'
  | 'list-certificates'
  | 'list-certificate-versions'
  | 'create-certificate'
  | 'get-certificate-operation'
  | 'get-deleted-certificate'
  | 'recover-certificate'
  | 'create-vault'
  | 'check-vault-name'
  | 'list-resource-groups'
  | 'create-resource-group'
  | 'list-cloud-services'
  | 'get-cloud-service'
  | 'update-cloud-service'
  | 'get-cloud-service-operation'
  | 'read-permissions'
  | 'list-secret-versions'
  | 'list-secrets'
  | 'get-secret';

export interface ErrorContext {
  operation: Operation;
  vaultName?: string;
  vaultId?: string;
  certificateName?: string;
  /** The vault's permission model, when known; decides which fix to offer for a 403. */
  rbac?: boolean;
  /** The resource group or subscription the operation was at (for the role to ask for when there is no vault). */
  scope?: string;
  /**
   * The signed-in user's UPN, so the advice's command is theirs. Required (even when unknown) so that no call site
   * can forget it: a refusal's command then never shows a placeholder for a user the server knows.
   */
  upn: string | undefined;
}

/** The context of a call to one vault: the vault, its permission model and who asked (their UPN for the advice). */
export function errorContext(
  ctx: { upn?: string },
  vault: { name: string; id: string; rbac: boolean },
  operation: Operation,
  certificateName?: string,
): ErrorContext {
  return {
    operation,
    vaultName: vault.name,
    vaultId: vault.id,
    rbac: vault.rbac,
    upn: ctx.upn,
    ...(certificateName ? { certificateName } : {}),
  };
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** What a refused operation needs, in the words of the one advice table (lib/wizard/access.ts). */
const NEEDS: Partial<Record<Operation, { need: AccessNeed; permission?: string }>> = {
  'update-vault': { need: 'vault-settings' },
  'create-vault': { need: 'create-vault' },
  'import-certificate': { need: 'certificates', permission: 'import' },
  'get-certificate': { need: 'certificates', permission: 'get' },
  'list-certificates': { need: 'certificates', permission: 'list' },
  'list-certificate-versions': { need: 'certificates', permission: 'list' },
  'create-certificate': { need: 'certificates', permission: 'create' },
  'get-certificate-operation': { need: 'certificates', permission: 'get' },
  'get-deleted-certificate': { need: 'certificates', permission: 'list' },
  'recover-certificate': { need: 'certificates', permission: 'recover' },
  'list-secret-versions': { need: 'secrets', permission: 'list' },
  'list-secrets': { need: 'secrets', permission: 'list' },
  'get-secret': { need: 'secrets', permission: 'get' },
};
const DATA_PLANE: ReadonlySet<AccessNeed> = new Set(['certificates', 'secrets']);

/**
 * What to do about each refusal of the Cloud Services RP (and ARM in front of it). These refusals are shown with the
 * RP's own message: it names the role, thumbprint or URL at fault, and it is the text people search for.
 */
const RP_FIXES: Record<string, string> = {
  InvalidParameter:
    'Fix what the message names (a .cscfg thumbprint without its certificate in osProfile.secrets, a URL without a version, a vault listed twice), then plan again. Your choices are kept.',
  KeyVaultAccessForbidden:
    "Turn on 'Azure Virtual Machines for deployment' (enabledForDeployment) on the vault and use the vault's own Resource ID as sourceVault.id, then apply again.",
  CertificateImproperlyFormatted:
    'Import the PFX as a Key Vault certificate (content type application/x-pkcs12) and rotate to that version.',
  AuthorizationFailed:
    'Export the change for someone with the Contributor role on the cloud service, or ask for that role (Microsoft.Compute/cloudServices/write).',
  LinkedAuthorizationFailed:
    'Ask for Microsoft.KeyVault/vaults/deploy/action on the vault (Key Vault Contributor, Contributor or Owner), or export the change for someone who has it.',
  BadRequest: 'Read the message: the RP explains what it refused. Nothing was changed.',
  KeyVaultAndVMInDifferentRegions:
    "Use a vault in the cloud service's region (import the certificate there) and point osProfile.secrets at it.",
  KeyVaultSecretDoesNotExist: 'Enable that version in Key Vault, or rotate the entry to a version that exists.',
  AllocationFailed:
    'Nothing was changed: Azure had no capacity for the role size in this region at that moment. Retry later, or ask Azure support.',
  Conflict: 'Another operation is running on this cloud service. Wait until it finishes, refresh, and plan again.',
  OperationNotAllowed:
    'The cloud service is not in a state that allows updates (for example, another update runs). Wait, refresh and retry.',
};

/** An RP refusal (synchronous 4xx or a failed operation), shown with the RP's exact message and the fix for its code. */
export function cloudServiceRefusal(code: string | undefined, message: string, status?: number): AppError {
  const reason = safeCode(code) ?? 'BadRequest';
  const known = RP_FIXES[reason];
  return new AppError({
    code:
      status === 403 || reason === 'AuthorizationFailed' || reason === 'LinkedAuthorizationFailed'
        ? 'forbidden'
        : status === 409
          ? 'conflict'
          : 'bad_request',
    reason,
    message: `Azure refused the update: ${message.slice(0, 2000)}`,
    action: `${known ?? 'Nothing was changed. Fix what the message names and apply again.'} Your plan and choices are kept.`,
  });
}

/** The most specific Azure code: the innermost `innererror.code` (wire) / `innerError.code` (SDK model), else `error.code`. */
function innerCode(details: unknown): string | undefined {
  const top = (details as { error?: Record<string, unknown> } | undefined)?.error;
  let e = (top?.innererror ?? top?.innerError) as Record<string, unknown> | undefined;
  let code: string | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 10; depth++) {
    if (typeof e.code === 'string') code = e.code;
    e = (e.innererror ?? e.innerError) as Record<string, unknown> | undefined;
  }
  return code ?? (typeof top?.code === 'string' ? top.code : undefined);
}

/** Seconds to wait, from `Retry-After` (seconds or HTTP date) or `retry-after-ms` / `x-ms-retry-after-ms`; capped at a day. */
function retryAfterSeconds(error: RestErrorLike): number | undefined {
  const headers = error.response?.headers;
  if (!headers || typeof headers.get !== 'function') return undefined;
  const cap = (s: number) => Math.min(86_400, Math.max(0, Math.ceil(s)));
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(ms)) return cap(ms / 1000);
  }
  const header = headers.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return cap(Number(header));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : cap((date - Date.now()) / 1000);
}

/** A safe identifier for `reason`: Azure codes are words; anything else is dropped rather than echoed. */
function safeCode(code: string | undefined): string | undefined {
  return code && /^[A-Za-z][\w.-]{0,63}$/.test(code) ? code : undefined;
}

const NETWORK_CODES =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT|REQUEST_SEND_ERROR)$/;
const TLS_CODES =
  /^(CERT_HAS_EXPIRED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|ERR_TLS_CERT_ALTNAME_INVALID)$/;

function forbidden(ctx: ErrorContext, azureCode: string | undefined): AppError {
  const vault = ctx.vaultName ? `'${ctx.vaultName}'` : 'this vault';
  const reason = safeCode(azureCode);
  if (azureCode === 'ForbiddenByConnection' || azureCode === 'ForbiddenByFirewall') {
    return new AppError({
      code: 'forbidden',
      reason,
      message: `The vault ${vault} does not accept connections from this app's network.`,
      action: `Ask the vault's owner to allow this app's outbound address in the vault's Networking settings (firewall rule or private endpoint), or to allow public access from selected networks, then retry.`,
    });
  }
  if (azureCode === 'RequestDisallowedByPolicy') {
    return new AppError({
      code: 'forbidden',
      reason,
      message: 'An Azure Policy assignment on this subscription or resource group does not allow this change.',
      action:
        'Ask your Azure administrator which policy denies it (Activity log → the failed operation) and for an exemption, or make the change in a way the policy allows.',
    });
  }
  const known = NEEDS[ctx.operation];
  const dataPlane =
    known !== undefined &&
    DATA_PLANE.has(known.need) &&
    azureCode !== 'AuthorizationFailed' &&
    azureCode !== 'LinkedAuthorizationFailed';
  const target: AccessTarget = {
    ...(ctx.vaultId && ctx.vaultName
      ? {
          vault: {
            id: ctx.vaultId,
            name: ctx.vaultName,
            resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(ctx.vaultId)?.[1] ?? '',
            // A Key Vault answer names the model that refused; else the vault's, when known.
            rbac: azureCode === 'ForbiddenByRbac' || (azureCode !== 'ForbiddenByPolicy' && ctx.rbac === true),
          },
        }
      : {}),
    scope: ctx.scope ?? ctx.vaultId ?? '/subscriptions/<subscription id>',
    ...(ctx.upn ? { upn: ctx.upn } : {}),
  };
  if (!dataPlane) {
    // Control plane (ARM): the operation needs an Azure role on the vault, resource group or subscription.
    const need: AccessNeed =
      known && !DATA_PLANE.has(known.need)
        ? known.need
        : /^(create|update|delete)-/.test(ctx.operation)
          ? 'write'
          : 'read';
    const advice = accessAdvice(need, target);
    const message =
      need === 'vault-settings'
        ? `You may not change the settings of ${vault}: that needs '${advice.action}'.`
        : need === 'create-vault'
          ? `You may not create a key vault${ctx.scope ? ` in the resource group '${ctx.scope.split('/').at(-1)}'` : ''}.`
          : need === 'write'
            ? `You may not change ${ctx.vaultName || ctx.vaultId ? vault : 'this resource'}.`
            : `You may not read ${ctx.operation === 'list-vaults' || ctx.operation === 'list-subscriptions' ? 'the vaults of this subscription' : ctx.vaultName ? vault : 'this resource'}.`;
    return new AppError({
      code: 'forbidden',
      reason: reason ?? 'AuthorizationFailed',
      message,
      action: adviceText(advice),
      advice: { ask: advice.ask, purpose: advice.purpose, az: advice.az, powershell: advice.powershell },
    });
  }
  // Data plane (Key Vault): an access policy or a Key Vault data role is missing.
  const advice = accessAdvice(known.need, target);
  const byPolicy = target.vault ? !target.vault.rbac : azureCode === 'ForbiddenByPolicy';
  const kind = known.need === 'secrets' ? 'secret' : 'certificate';
  return new AppError({
    code: 'forbidden',
    reason: reason ?? (byPolicy ? 'ForbiddenByPolicy' : 'ForbiddenByRbac'),
    message: byPolicy
      ? `The access policies of ${vault} do not give you the ${kind} permission '${known.permission}'.`
      : `Your Azure roles on ${vault} do not allow this (${kind}s ${known.permission}).`,
    action: adviceText(advice),
    advice: { ask: advice.ask, purpose: advice.purpose, az: advice.az, powershell: advice.powershell },
  });
}

/** Entra ID's AADSTS number in an identity error, if any (the description itself is never shown). */
function aadsts(e: {
  errorResponse?: { errorCodes?: unknown; errorDescription?: unknown; error_codes?: unknown };
  message?: string;
}): number | undefined {
  const codes = e.errorResponse?.errorCodes ?? e.errorResponse?.error_codes;
  if (Array.isArray(codes) && typeof codes[0] === 'number') return codes[0];
  const text = `${typeof e.errorResponse?.errorDescription === 'string' ? e.errorResponse.errorDescription : ''} ${typeof e.message === 'string' ? e.message : ''}`;
  const m = /AADSTS(\d{5,7})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The token endpoint failing rather than refusing: an OAuth `temporarily_unavailable`/`server_error`, a 5xx, Entra's
 * transient-error codes, or no answer at all (MSAL's `network_error`, a timeout, a refused or reset connection).
 */
const TRANSIENT_AADSTS = new Set([50196, 90033, 90055, 900101, 50165]);
function identityOutage(e: { message?: string; statusCode?: number; errorCode?: string }, code?: number): boolean {
  if (typeof e.statusCode === 'number' && e.statusCode >= 500) return true;
  if (code !== undefined && TRANSIENT_AADSTS.has(code)) return true;
  const text = `${e.errorCode ?? ''} ${typeof e.message === 'string' ? e.message : ''}`;
  return /\b(temporarily_unavailable|server_error|network_error|request_timeout|UpstreamTimeout|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN)\b/.test(
    text,
  );
}

function identityError(e: {
  name?: string;
  errorCode?: string;
  errorResponse?: { errorCodes?: unknown; errorDescription?: unknown };
  message?: string;
  statusCode?: number;
}): AppError {
  const code = aadsts(e);
  const reason = code !== undefined ? `AADSTS${code}` : safeCode(e.errorCode ?? e.name);
  if (identityOutage(e, code)) {
    return new AppError({
      code: 'azure_unavailable',
      reason: 'IdentityProviderUnavailable',
      message:
        'Microsoft Entra ID (the sign-in service) did not answer or is temporarily unavailable, so your sign-in could not be exchanged for access to Azure.',
      action:
        'This is an outage, not a problem with your account or permissions: wait a minute, then retry. You stay signed in and your inputs are kept.',
    });
  }
  if (code === 65001 || code === 65004 || code === 90094 || code === 90008) {
    return new AppError({
      code: 'forbidden',
      reason,
      message: 'This app has not been granted access to Azure on your behalf in your organization.',
      action:
        "Ask an administrator to grant admin consent to the app's delegated permissions (Azure Service Management and Azure Key Vault), then sign in again.",
    });
  }
  if (code === 7000215 || code === 7000222 || code === 700027 || code === 700016 || code === 7000112) {
    return new AppError({
      code: 'not_configured',
      reason,
      message:
        "The app's own credential for Microsoft Entra ID was refused (an expired or wrong client secret or certificate).",
      action:
        'Tell the person who runs this app: renew the credential in the app registration and update the app settings (see .env.example).',
    });
  }
  if (code === 53003 || code === 53000 || code === 50076 || code === 50079) {
    return new AppError({
      code: 'reauth_required',
      reason,
      message: 'Your organization requires an extra sign-in step (Conditional Access or MFA) for Azure.',
      action:
        'Sign out and sign in again, completing any prompts; if it repeats, ask your administrator about the Conditional Access policy.',
    });
  }
  return new AppError({
    code: 'reauth_required',
    reason,
    message: 'Your sign-in could not be exchanged for access to Azure.',
    action:
      'Sign in again. If this repeats, ask an administrator to grant the app consent for Azure Service Management and Azure Key Vault.',
  });
}

export function toAppError(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof AppError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike & {
    name?: string;
    message?: string;
    errorCode?: string;
    errorResponse?: { errorCodes?: unknown; errorDescription?: unknown };
  };

  if (
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'AuthenticationError' ||
    e.name === 'CredentialUnavailableError' ||
    e.name === 'AggregateAuthenticationError'
  ) {
    return identityError(e);
  }

  if (e.code === 'UpstreamTimeout') {
    const seconds = (e as { timeoutSeconds?: number }).timeoutSeconds;
    return new AppError({
      code: 'azure_unavailable',
      reason: 'UpstreamTimeout',
      message: `Azure did not answer within ${seconds ?? 'the'} seconds (this app's limit for one call), so it stopped waiting.`,
      action:
        'Retry in a moment; your inputs are kept. If it keeps happening, Azure may be degraded (https://azure.status.microsoft).',
    });
  }
  if (e.code === 'RetryAfterTooLong') {
    const { retryAfterSeconds: wait, timeoutSeconds: limit } = e as {
      retryAfterSeconds?: number;
      timeoutSeconds?: number;
    };
    return new AppError({
      code: e.statusCode === 429 ? 'throttled' : 'azure_unavailable',
      reason: 'RetryAfterTooLong',
      ...(wait !== undefined && { retryAfter: wait }),
      message: `Azure ${e.statusCode === 429 ? 'is limiting requests' : 'is temporarily unavailable'} and asked to wait ${wait ?? 'a while'} seconds before a retry, longer than this app waits for a call (${limit ?? '?'} s), so it did not wait.`,
      action: `Wait ${wait ?? 'a few'} seconds, then retry. Your inputs are kept.`,
    });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const azureCode = innerCode(e.details) ?? (typeof e.code === 'string' ? e.code : undefined);
  const reason = safeCode(azureCode);
  if (
    ctx.operation === 'update-cloud-service' &&
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    status !== 401 &&
    status !== 429
  ) {
    const top = (e.details as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return cloudServiceRefusal(
      typeof top?.code === 'string' ? top.code : azureCode,
      typeof top?.message === 'string' ? top.message : 'no reason given.',
      status,
    );
  }
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (TLS_CODES.test(code)) {
      return new AppError({
        code: 'azure_unavailable',
        reason: code,
        message: "Azure's certificate was not trusted by this server.",
        action:
          'Tell the person who runs this app: the server cannot verify TLS to Azure (a proxy intercepting HTTPS needs its CA in NODE_EXTRA_CA_CERTS).',
      });
    }
    const network = NETWORK_CODES.test(code);
    return new AppError({
      code: 'azure_unavailable',
      reason: network ? code : 'UnexpectedError',
      message: network ? 'Azure could not be reached.' : 'Something unexpected went wrong while talking to Azure.',
      action: 'Retry in a moment. Your inputs are kept.',
    });
  }
  if (status === 401) {
    if (azureCode === 'InvalidAuthenticationTokenTenant') {
      return new AppError({
        code: 'forbidden',
        reason,
        message: 'This subscription belongs to another Microsoft Entra tenant than the one you signed in to.',
        action:
          'Sign in to the tenant that owns the subscription (switch directory), or pick a subscription of this tenant.',
      });
    }
    return new AppError({
      code: 'reauth_required',
      reason,
      message: 'Azure did not accept your sign-in.',
      action: 'Sign in again.',
    });
  }
  if (status === 403) return forbidden(ctx, azureCode);
  if (status === 404) {
    if (azureCode === 'ResourceGroupNotFound') {
      return new AppError({
        code: 'not_found',
        reason,
        message: 'The resource group was not found.',
        action: 'Refresh the list and pick the vault again.',
      });
    }
    if (azureCode === 'SubscriptionNotFound' || azureCode === 'InvalidSubscriptionId') {
      return new AppError({
        code: 'not_found',
        reason,
        message: 'The subscription was not found, or you have no access to it.',
        action: 'Pick another subscription, or ask for the Reader role on it.',
      });
    }
    const what = ctx.certificateName
      ? `The certificate '${ctx.certificateName}'`
      : ctx.vaultName
        ? `The vault '${ctx.vaultName}'`
        : 'The resource';
    return new AppError({
      code: 'not_found',
      reason,
      message: `${what} was not found.`,
      action: ctx.certificateName
        ? 'Check the name, or import the certificate first.'
        : 'Refresh the list and pick it again.',
    });
  }
  if (status === 409) {
    if (azureCode === 'ObjectIsDeletedButRecoverable') {
      return new AppError({
        code: 'deleted_recoverable',
        reason,
        message: `A deleted certificate named '${ctx.certificateName ?? ''}' is still held by the vault, so the name cannot be reused yet.`,
        action:
          'Recover the deleted certificate (it keeps its versions), purge it if you have the purge permission, or choose another name.',
      });
    }
    if (azureCode === 'ObjectIsBeingDeleted' || azureCode === 'ObjectIsBeingRecovered') {
      return new AppError({
        code: 'conflict',
        reason,
        message: 'Key Vault is still deleting or recovering this certificate.',
        action: 'Wait a minute, then retry.',
      });
    }
    if (azureCode === 'VaultAlreadyExists' || azureCode === 'ConflictError') {
      return new AppError({
        code: 'conflict',
        reason,
        message: 'That vault name is already taken (vault names are unique across Azure, including deleted vaults).',
        action: 'Choose another name, or recover the deleted vault.',
      });
    }
    return new AppError({
      code: 'conflict',
      reason,
      message: 'Azure reported a conflict with the current state.',
      action: 'Refresh and try again.',
    });
  }
  if (status === 429) {
    const retryAfter = retryAfterSeconds(e);
    return new AppError({
      code: 'throttled',
      reason: reason ?? 'TooManyRequests',
      retryAfter,
      message: 'Azure is limiting requests right now.',
      action: retryAfter !== undefined ? `Wait ${retryAfter} seconds, then retry.` : 'Wait a moment, then retry.',
    });
  }
  if (status === 400 && ctx.operation === 'import-certificate') {
    return new AppError({
      code: 'pfx_rejected',
      reason: reason ?? 'BadParameter',
      message: 'Key Vault refused this certificate file.',
      action:
        'Check the password and that the file is a PFX with its private key; the inspection above lists what to fix.',
    });
  }
  if (status >= 500) {
    const retryAfter = retryAfterSeconds(e);
    return new AppError({
      code: 'azure_unavailable',
      reason,
      ...(retryAfter !== undefined && { retryAfter }),
      message: 'Azure had a temporary problem.',
      action:
        retryAfter !== undefined
          ? `Wait ${retryAfter} seconds, then retry. Your inputs are kept.`
          : 'Retry in a moment. Your inputs are kept.',
    });
  }
  return new AppError({
    code: 'bad_request',
    reason,
    message: 'Azure refused the request.',
    action: 'Check the values you entered and retry.',
  });
}
