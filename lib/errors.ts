/**
 * The app's one error vocabulary. Every route answers failures as `{ error: { code, message, action } }`;
 * the browser shows `message` and `action` and branches on `code` only. Shared by server and client.
 */

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 422,
  pfx_rejected: 422,
  reauth_required: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  deleted_recoverable: 409,
  payload_too_large: 413,
  length_required: 411,
  throttled: 429,
  azure_unavailable: 502,
  sandbox_unavailable: 503,
  not_configured: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    action: string;
    /** A more specific, stable reason (an Azure error code such as `ForbiddenByRbac`, or a PFX finding code). */
    reason?: string;
    /** Field paths for validation errors. */
    fields?: Record<string, string>;
    /** Seconds, for `throttled`. */
    retryAfter?: number;
    /** For a refusal: what to ask for and the one command an administrator can run (lib/wizard/access.ts). */
    advice?: RefusalAdvice;
  };
}

/** What to ask for after a refusal, and the command (az and PowerShell) that grants it. */
export interface RefusalAdvice {
  ask: string;
  /** What the command does, in a few words (names its copy button). */
  purpose: string;
  az: string;
  powershell: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly action: string;
  readonly reason?: string;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;
  readonly advice?: RefusalAdvice;

  constructor(init: {
    code: ErrorCode;
    message: string;
    action: string;
    reason?: string;
    fields?: Record<string, string>;
    retryAfter?: number;
    advice?: RefusalAdvice;
  }) {
    super(init.message);
    this.name = 'AppError';
    this.code = init.code;
    this.action = init.action;
    this.reason = init.reason;
    this.fields = init.fields;
    this.retryAfter = init.retryAfter;
    this.advice = init.advice;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    const { code, message, action, reason, fields, retryAfter, advice } = this;
    return {
      error: {
        code,
        message,
        action,
        ...(reason && { reason }),
        ...(fields && { fields }),
        ...(retryAfter !== undefined && { retryAfter }),
        ...(advice && { advice }),
      },
    };
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}
