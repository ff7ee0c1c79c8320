import { AppError } from '@/lib/api/errors';

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
  | 'list-certificates';

export interface ErrorContext {
  operation: Operation;
  vaultName?: string;
  vaultId?: string;
  certificateName?: string;
  /** The vault's permission model, when known; decides which fix to offer for a 403. */
  rbac?: boolean;
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  details?: unknown;
  response?: { headers?: { get(name: string): string | undefined } };
}

const DATA_ACTIONS: Partial<Record<Operation, { permission: string; role: string }>> = {
  'import-certificate': { permission: 'import', role: 'Key Vault Certificates Officer' },
  'get-certificate': { permission: 'get', role: 'Key Vault Certificate User' },
  'list-certificates': { permission: 'list', role: 'Key Vault Reader' },
};

function innerCode(details: unknown): string | undefined {
  let e = (details as { error?: { innererror?: unknown } } | undefined)?.error?.innererror as { code?: string; innererror?: unknown } | undefined;
  let code: string | undefined;
  while (e && typeof e === 'object') {
    if (typeof e.code === 'string') code = e.code;
    e = e.innererror as typeof e;
  }
  return code;
}

function retryAfterSeconds(error: RestErrorLike): number | undefined {
  const header = error.response?.headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function forbidden(ctx: ErrorContext, azureCode: string | undefined): AppError {
  const vault = ctx.vaultName ? `'${ctx.vaultName}'` : 'this vault';
  const scope = ctx.vaultId ?? '<vault resource id>';
  if (azureCode === 'ForbiddenByConnection' || azureCode === 'ForbiddenByFirewall') {
    return new AppError({
      code: 'forbidden',
      reason: azureCode,
      message: `The vault ${vault} does not accept connections from this app's network.`,
      action: `Ask the vault's owner to allow this app's outbound address in the vault's Networking settings (or to allow public access), then retry.`,
    });
  }
  if (azureCode === 'AuthorizationFailed' || ctx.operation === 'update-vault' || ctx.operation === 'get-vault' || ctx.operation === 'list-vaults') {
    const write = ctx.operation === 'update-vault';
    return new AppError({
      code: 'forbidden',
      reason: azureCode ?? 'AuthorizationFailed',
      message: write
        ? `You may not change the settings of ${vault}: that needs 'Microsoft.KeyVault/vaults/write'.`
        : `You may not read ${ctx.operation === 'list-vaults' ? 'the vaults of this subscription' : vault}.`,
      action: write
        ? `Ask for the 'Key Vault Contributor' role on the vault, or ask an administrator to run: az keyvault update --ids ${scope} --enabled-for-deployment true`
        : `Ask for the 'Reader' role on the subscription or resource group: az role assignment create --role Reader --assignee <your-upn> --scope ${scope}`,
    });
  }
  const need = DATA_ACTIONS[ctx.operation] ?? { permission: 'get', role: 'Key Vault Certificates Officer' };
  const byPolicy = azureCode === 'ForbiddenByPolicy' || ctx.rbac === false;
  if (byPolicy) {
    return new AppError({
      code: 'forbidden',
      reason: azureCode ?? 'ForbiddenByPolicy',
      message: `The access policies of ${vault} do not give you the certificate permission '${need.permission}'.`,
      action: `Ask a vault administrator to add it: az keyvault set-policy --name ${ctx.vaultName ?? '<vault>'} --upn <your-upn> --certificate-permissions get list ${need.permission === 'import' ? 'import ' : ''}--secret-permissions get`,
    });
  }
  return new AppError({
    code: 'forbidden',
    reason: azureCode ?? 'ForbiddenByRbac',
    message: `Your Azure roles on ${vault} do not allow this (certificates ${need.permission}).`,
    action: `Ask for the '${need.role}' role on the vault: az role assignment create --role "${need.role}" --assignee <your-upn> --scope ${scope} (role changes can take a few minutes to apply).`,
  });
}

export function toAppError(error: unknown, ctx: ErrorContext): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as RestErrorLike & { name?: string; message?: string; errorCode?: string };

  if (e.name === 'AuthenticationRequiredError' || e.name === 'AuthenticationError' || e.name === 'CredentialUnavailableError') {
    return new AppError({
      code: 'reauth_required',
      reason: e.errorCode ?? e.name,
      message: 'Your sign-in could not be exchanged for access to Azure.',
      action: 'Sign in again. If this repeats, ask an administrator to grant the app consent for Azure Service Management and Azure Key Vault.',
    });
  }

  const status = e.statusCode;
  const azureCode = innerCode(e.details) ?? e.code;
  if (status === undefined) {
    const network = typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|UND_ERR_SOCKET|REQUEST_SEND_ERROR)$/.test(e.code);
    return new AppError({
      code: 'azure_unavailable',
      reason: network ? e.code : 'UnexpectedError',
      message: network ? 'Azure could not be reached.' : 'Something unexpected went wrong while talking to Azure.',
      action: 'Retry in a moment. Your inputs are kept.',
    });
  }
  if (status === 401) {
    return new AppError({ code: 'reauth_required', reason: azureCode, message: 'Azure did not accept your sign-in.', action: 'Sign in again.' });
  }
  if (status === 403) return forbidden(ctx, azureCode);
  if (status === 404) {
    const what = ctx.certificateName ? `The certificate '${ctx.certificateName}'` : ctx.vaultName ? `The vault '${ctx.vaultName}'` : 'The resource';
    return new AppError({
      code: 'not_found',
      reason: azureCode,
      message: `${what} was not found.`,
      action: ctx.certificateName ? 'Check the name, or import the certificate first.' : 'Refresh the list and pick it again.',
    });
  }
  if (status === 409) {
    if (azureCode === 'ObjectIsDeletedButRecoverable') {
      return new AppError({
        code: 'deleted_recoverable',
        reason: azureCode,
        message: `A deleted certificate named '${ctx.certificateName ?? ''}' is still held by the vault, so the name cannot be reused yet.`,
        action: 'Recover the deleted certificate, purge it, or choose another name.',
      });
    }
    return new AppError({ code: 'conflict', reason: azureCode, message: 'Azure reported a conflict with the current state.', action: 'Refresh and try again.' });
  }
  if (status === 429) {
    const retryAfter = retryAfterSeconds(e);
    return new AppError({
      code: 'throttled',
      reason: azureCode ?? 'TooManyRequests',
      retryAfter,
      message: 'Azure is limiting requests right now.',
      action: retryAfter !== undefined ? `Wait ${retryAfter} seconds, then retry.` : 'Wait a moment, then retry.',
    });
  }
  if (status === 400 && ctx.operation === 'import-certificate') {
    return new AppError({
      code: 'pfx_rejected',
      reason: azureCode ?? 'BadParameter',
      message: 'Key Vault refused this certificate file.',
      action: 'Check the password and that the file is a PFX with its private key; the inspection above lists what to fix.',
    });
  }
  if (status >= 500) {
    return new AppError({ code: 'azure_unavailable', reason: azureCode, message: 'Azure had a temporary problem.', action: 'Retry in a moment. Your inputs are kept.' });
  }
  return new AppError({ code: 'bad_request', reason: azureCode, message: 'Azure refused the request.', action: 'Check the values you entered and retry.' });
}
