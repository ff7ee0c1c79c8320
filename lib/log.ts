import 'server-only';

/**
 * Structured JSON logs, one object a line, on stdout. Callers pass identifiers and outcomes only: never a token,
 * a password or file bytes (there is no field for them, and `redact` drops any key that looks like one).
 */
type Level = 'info' | 'warn' | 'error';
const SECRET_KEY = /pass|pwd|secret|token|assertion|pfx|authorization|cookie/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  return out;
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...redact(fields) })}\n`);
}

/** One audit line per change to Azure state. */
export function audit(event: string, fields: Record<string, unknown>): void {
  log('info', 'audit', { event, ...fields });
}
