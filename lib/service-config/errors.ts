/**
 * Typed errors of lib/service-config. Every error carries a stable `code` (documented in docs/error-codes.md),
 * a human `message` and an `action` that says what to do about it. Parse errors also carry a 1-based line/column.
 */

export type ServiceConfigErrorCode =
  | 'invalid-certificate-name'
  | 'invalid-role-name'
  | 'invalid-thumbprint'
  | 'invalid-thumbprint-algorithm'
  | 'invalid-store-location'
  | 'invalid-store-name'
  | 'invalid-permission-level'
  | 'xml-parse-error'
  | 'not-service-configuration'
  | 'not-service-definition'
  | 'unknown-file-kind'
  | 'role-not-found'
  | 'duplicate-role'
  | 'duplicate-certificate'
  | 'certificate-not-found'
  | 'unsupported-layout';

export class ServiceConfigError extends Error {
  readonly code: ServiceConfigErrorCode;
  readonly action: string;
  /** 1-based line in the original text, when the error points at a place in a file. */
  readonly line?: number;
  /** 1-based column in the original text (the BOM is not counted). */
  readonly column?: number;

  constructor(
    code: ServiceConfigErrorCode,
    message: string,
    action: string,
    where?: { line?: number; column?: number },
  ) {
    super(message);
    this.name = 'ServiceConfigError';
    this.code = code;
    this.action = action;
    if (where?.line !== undefined) this.line = where.line;
    if (where?.column !== undefined) this.column = where.column;
  }

  toJSON(): { code: string; message: string; action: string; line?: number; column?: number } {
    return {
      code: this.code,
      message: this.message,
      action: this.action,
      ...(this.line !== undefined ? { line: this.line } : {}),
      ...(this.column !== undefined ? { column: this.column } : {}),
    };
  }
}

export function isServiceConfigError(e: unknown): e is ServiceConfigError {
  return e instanceof ServiceConfigError;
}
