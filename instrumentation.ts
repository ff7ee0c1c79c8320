/**
 * Next.js instrumentation: runs once when the server starts. In the Node.js runtime it puts the request guard in
 * front of Next's router (lib/server/request-guard.ts, decision 028).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installRequestGuard } = await import('./lib/server/request-guard');
  installRequestGuard();
}
