import 'server-only';

/**
 * Structured JSON logs, one object a line, on stdout. Callers pass identifiers and outcomes only: never a token,
 * a password or file bytes. Two nets catch mistakes: any key that names a secret is dropped (`[redacted]`), and any
 * string value that looks like a token, a PEM block or a long base64 blob is dropped too, at any depth.
 */
type Level = 'info' | 'warn' | 'error';
const SECRET_KEY = /pass|pwd|secret|token|assertion|pfx|authorization|cookie|credential|private|^key$|bytes|^value$/i;
const SECRET_VALUE = [
  /eyJ[\w-]{8,}\.[\w-]{8,}\./, // a JWT
  /-----BEGIN [A-Z ]+-----/, // PEM
  /(?:[A-Za-z0-9+/]{4}){40,}/, // ≥ 160 chars of base64
  /\b[0-9a-fA-F]{256,}\b/, // a long hex dump
  /\bBearer\s+\S{20,}/i,
];

export function redact(value: unknown, key = '', depth = 0): unknown {
  if (key && SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string')
    return SECRET_VALUE.some((re) => re.test(value))
      ? '[redacted]'
      : value.length > 2000
        ? `${value.slice(0, 2000)}…`
        : value;
  if (
    value instanceof Uint8Array ||
    value instanceof ArrayBuffer ||
    (typeof Blob !== 'undefined' && value instanceof Blob)
  )
    return '[redacted]';
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, '', depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redact(v, k, depth + 1);
  return out;
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  const line = {
    time: new Date().toISOString(),
    level,
    msg: String(redact(msg)),
    ...(redact(fields) as Record<string, unknown>),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** One audit line per change to Azure state. */
export function audit(event: string, fields: Record<string, unknown>): void {
  log('info', 'audit', { event, ...fields });
}
