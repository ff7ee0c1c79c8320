/**
 * Next.js instrumentation: runs once when the server starts. In the Node.js runtime it puts the request guard in
 * front of Next's router (lib/server/request-guard.ts, decision 028). In production the guard also serves the API
 * itself, from the same route modules (lib/server/api-router.ts, decision 049); `next dev` keeps Next's router for
 * the API, so route edits reload as usual. `API_ROUTER=next` does the same in production (for comparisons).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installRequestGuard } = await import('./lib/server/request-guard');
  if (process.env.NODE_ENV !== 'production' || process.env.API_ROUTER === 'next') {
    installRequestGuard();
    return;
  }
  const { loadApiRouter } = await import('./lib/server/api-router');
  const { API_ROUTE_MODULES } = await import('./app/api/route-table');
  installRequestGuard({ api: await loadApiRouter(API_ROUTE_MODULES) });
}
