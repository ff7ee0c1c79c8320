/** Errors of the cses-cert command line. Every code is documented in docs/error-codes.md (section "cli"). */

export type CliErrorCode =
  | 'unknown-command'
  | 'unknown-option'
  | 'missing-argument'
  | 'missing-option-value'
  | 'invalid-option-value'
  | 'too-many-arguments'
  | 'file-not-found'
  | 'file-unreadable'
  | 'file-not-writable'
  | 'unsupported-encoding'
  | 'stdin-unavailable'
  | 'certs-module-unavailable'
  | 'internal-error';

/** Exit codes: 0 success, 1 usage or input error, 2 check failed (not importable, thumbprint missing, …). */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_CHECK_FAILED = 2;

export class CliError extends Error {
  readonly code: string;
  readonly action: string;
  readonly exitCode: number;
  constructor(code: CliErrorCode | string, message: string, action: string, exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.action = action;
    this.exitCode = exitCode;
  }
}

/** The one line written to stderr: `cses-cert: error [code]: message Action`. Never multi-line, never a stack. */
export function errorLine(code: string, message: string, action: string): string {
  const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const m = oneLine(message);
  const a = oneLine(action);
  return `cses-cert: error [${code}]: ${m}${a ? (/[.!?]$/.test(m) ? ' ' : '. ') + a : ''}\n`;
}
