/** Diagnostics go to stderr only; stdout is reserved for the one-line endpoints JSON. */
export function log(...parts: unknown[]): void {
  process.stderr.write(`[sandbox] ${parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ')}\n`);
}
