import { azError } from './errors.js';
import { parseJsonBody, readBody, sendJson, type Ctx } from './http.js';
import { log } from './log.js';
import { RouteTable, route } from './router.js';
import type { Faults, FaultRule } from './faults.js';
import type { Store } from './state.js';

// The sandbox's own control endpoints on localhost: fault rules and reset (`/_sandbox/…`). Not Azure.

export interface ControlDeps {
  store: Store;
  faults: Faults;
  /** rewrites endpoints.json and returns the endpoints object */
  resetEndpoints: () => unknown;
}

export interface ControlRequest {
  d: ControlDeps;
  ctx: Ctx;
}

async function addFaults({ d, ctx }: ControlRequest): Promise<void> {
  try {
    const body = parseJsonBody(await readBody(ctx.req)) as FaultRule | { rules: FaultRule[] };
    sendJson(ctx, 201, { rules: d.faults.add(body) });
  } catch (e) {
    throw azError(400, 'BadRequest', `Invalid fault rule: ${(e as Error).message}`);
  }
}

function reset({ d, ctx }: ControlRequest): void {
  d.store.reset();
  d.faults.clear();
  const endpoints = d.resetEndpoints();
  log('state reset to the seed via /_sandbox/reset');
  sendJson(ctx, 200, endpoints);
}

const methodNotAllowed = ({ ctx }: ControlRequest) => {
  throw azError(405, 'MethodNotAllowed', `HTTP ${ctx.method} not allowed`);
};

export const controlRoutes = new RouteTable<ControlRequest>().add([
  route('GET', '/_sandbox/faults', ({ d, ctx }) => sendJson(ctx, 200, { rules: d.faults.list() })),
  route('POST', '/_sandbox/faults', addFaults),
  route('DELETE', '/_sandbox/faults', ({ d, ctx }) => {
    d.faults.clear(ctx.query.get('id') ?? undefined);
    sendJson(ctx, 200, { rules: d.faults.list() });
  }),
  route('PUT', '/_sandbox/faults', methodNotAllowed),
  route('PATCH', '/_sandbox/faults', methodNotAllowed),
  route('POST', '/_sandbox/reset', reset),
]);

/** Control paths are the sandbox's own: an unknown one is a 404, not Azure's 501. */
export async function handleControl(d: ControlDeps, ctx: Ctx): Promise<void> {
  if (!(await controlRoutes.dispatch(ctx.method, ctx.pathname, { d, ctx })))
    throw azError(404, 'NotFound', `Unknown control endpoint ${ctx.method} ${ctx.pathname}`);
}
