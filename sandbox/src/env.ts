/**
 * A duration in milliseconds from the environment (the sandbox's delay switches): unset or blank is the fallback,
 * anything that is not a non-negative number too.
 */
export function envMs(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}
