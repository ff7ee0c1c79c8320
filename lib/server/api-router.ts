import 'server-only';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay from 'find-my-way';
import { concat, routeCore, tooLarge, type RouteAnswer, type RouteCore, type RouteRequest } from '@/lib/api/handler';
import { AppError } from '@/lib/errors';
import { log } from '@/lib/log';

/**
 * The API served outside Next.js's router (decision 049): one route table, built from the very route modules Next
 * builds (`app/api/**\/route.ts`, found by `import.meta.glob` in app/api/route-table.ts), dispatching a Node request to
 * the exported handler — made with `withUser`/`withPublic` (lib/api/handler.ts), which does everything a route does:
 * authentication, zod, body limits, error mapping. It calls the wrapper's own entry (`routeCore`) with the Node
 * request and writes its answer itself: no Web `Request` or `Response` is made for an API request (decision 058), and
 * a handler not made with the wrapper is refused when the table is built. The request guard (decision 028) calls
 * `serve` for every `/api` request it lets through, after it has set the API's security headers. No route is
 * registered by hand: a file is a route in both tables or in neither, and `api-router.test.ts` compares the table with
 * the files on disk.
 *
 * What Next's router did around a route handler is done here the same way: `params` decoded from the path, `HEAD`
 * answered by `GET` without its body, `OPTIONS` with `Allow`, a trailing slash redirected (308). What Next answered
 * with an HTML page or an empty body is now the app's error shape: no such route 404 `not_found`, a method the
 * route does not export 405 `method_not_allowed` with `Allow`.
 */

/** The methods a route module may export (Next's set); HEAD and OPTIONS are answered for routes that do not. */
const EXPORTABLE = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export interface ApiRoute {
  /** The module's file, as the glob names it: `/app/api/subscriptions/[subscriptionId]/vaults/route.ts`. */
  file: string;
  /** The find-my-way pattern: `/api/subscriptions/:subscriptionId/vaults`. */
  pattern: string;
  /** Exported method → the wrapper's own entry of that handler (`routeCore`). */
  handlers: Map<string, RouteCore>;
}

/**
 * `/app/api/subscriptions/[subscriptionId]/vaults/route.ts` → `/api/subscriptions/:subscriptionId/vaults`. Route
 * groups `(name)` are dropped as Next drops them; catch-all segments are refused (no route has one, and the table
 * would match them differently from Next).
 */
export function routePattern(file: string): string {
  const rel = file
    .replace(/\\/g, '/')
    .replace(/^.*?(?:^|\/)app\//, '/')
    .replace(/\/route\.(?:ts|tsx|js|mjs)$/, '');
  const segments = rel.split('/').filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments
    .map((s) => {
      if (/^\[\[?\.\.\./.test(s)) throw new Error(`${file}: catch-all segments are not supported by the API table`);
      const param = /^\[([A-Za-z_]\w*)\]$/.exec(s);
      if (param) return `:${param[1]}`;
      if (/[[\]:*]/.test(s)) throw new Error(`${file}: segment '${s}' cannot be routed`);
      return s;
    })
    .join('/')}`;
}

/** The API table from the route modules (file → module). Throws when two files claim one path. */
export function apiRoutes(modules: Record<string, Record<string, unknown>>): ApiRoute[] {
  return Object.entries(modules).map(([file, mod]) => {
    const handlers = new Map<string, RouteCore>();
    for (const method of EXPORTABLE) {
      if (typeof mod[method] !== 'function') continue;
      // Every API route goes through the shared wrapper (auth, zod, error mapping): a bare handler is refused here,
      // when the table is built, not served without them.
      const core = routeCore(mod[method]);
      if (!core) throw new Error(`${file}: ${method} is not made with withUser or withPublic (lib/api/handler.ts)`);
      handlers.set(method, core);
    }
    return { file, pattern: routePattern(file), handlers };
  });
}

function allowOf(route: ApiRoute): string {
  const allow = new Set(route.handlers.keys());
  if (allow.has('GET')) allow.add('HEAD');
  allow.add('OPTIONS');
  return EXPORTABLE.filter((m) => allow.has(m)).join(', ');
}

function json(res: ServerResponse, status: number, error: AppError, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  const body = JSON.stringify(error.toBody());
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  });
  res.end(body);
  log('info', 'request refused', { requestId, method: res.req.method, status, code: error.code, reason: error.reason });
}

const noRoute = () =>
  new AppError({
    code: 'not_found',
    reason: 'NoSuchRoute',
    message: 'There is no API endpoint at this address.',
    action: 'See /api/openapi.json for the endpoints this API serves.',
  });

const methodNotAllowed = (method: string, allow: string) =>
  new AppError({
    code: 'method_not_allowed',
    reason: 'MethodNotAllowed',
    message: `This endpoint does not answer ${method.replace(/[^A-Z]/gi, '').slice(0, 16)} requests.`,
    action: `Use one of: ${allow}.`,
  });

/**
 * The Node request as the route wrapper reads it (decision 058): no Web `Request` is built. A header's value is
 * every field of that name joined with ", " (as `Headers.get` joins them; Node's `req.headers` would keep only the
 * first Authorization, say), read from the raw header list.
 */
export function routeRequest(req: IncomingMessage): RouteRequest {
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    header(name) {
      const raw = req.rawHeaders;
      let value: string | null = null;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name)
          value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
      }
      return value;
    },
    bytes: (limit) => readNodeBody(req, limit),
  };
}

/**
 * The body of a Node request, refused beyond `limit` bytes (the guard has already refused a declared length beyond
 * the largest route's limit and bodies without one). What is read is dropped once refused; the rest is drained so
 * the kept-alive connection can carry the 413.
 */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || req.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        for (const c of chunks) c.fill(0);
        chunks.length = 0;
        req.off('data', onData).off('end', onEnd).off('error', onError);
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.off('error', onError);
      const body = concat(chunks, size);
      for (const c of chunks) c.fill(0); // the socket's chunks of an upload are not kept beside the copy
      resolve(body);
    };
    const onError = (error: Error) => {
      req.off('data', onData).off('end', onEnd);
      reject(error);
    };
    req.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

/** Writes the wrapper's answer: its JSON text directly, or a handler's own Response through `send`. */
async function write(res: ServerResponse, answer: RouteAnswer, head: boolean): Promise<void> {
  if (answer.response) return send(res, answer.response, head);
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  res.statusCode = answer.status;
  if (head) {
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(answer.text));
  res.end(answer.text);
}

/** Writes a Web `Response` to the Node response (whose security headers the guard has set already). */
async function send(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  res.statusCode = response.status;
  if (head || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader('content-length', body.byteLength);
  res.end(body);
}

interface Found {
  route: ApiRoute;
  params: Readonly<Record<string, string>>;
}

/** How many raw paths `ApiRouter.find` remembers (a few hundred bytes each). */
export const FOUND_PATHS = 2048;

export class ApiRouter {
  readonly routes: ApiRoute[];
  private readonly router = FindMyWay({
    caseSensitive: true,
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
    // Key Vault names and ARM ids are long; find-my-way's default of 100 characters per parameter is not enough.
    maxParamLength: 1024,
  });

  constructor(modules: Record<string, Record<string, unknown>>) {
    this.routes = apiRoutes(modules);
    for (const route of this.routes) {
      // Every method finds the route, so that a method it does not export is a 405, not a 404.
      this.router.on([...EXPORTABLE], route.pattern, () => undefined, route);
    }
  }

  /**
   * The last lookups by raw path (a user's wizard asks for the same few paths again and again): a lookup is a pure
   * function of the path, so a remembered one is the same answer, without find-my-way's decoding and tree walk
   * (~20 µs a request in the profile of decision 058). Bounded: the oldest is dropped beyond FOUND_PATHS.
   */
  private readonly found = new Map<string, Found | null>();

  /** The route and decoded params for a raw path (without query), or undefined. The params object is frozen. */
  find(pathname: string): Found | undefined {
    let hit = this.found.get(pathname);
    if (hit === undefined) {
      hit = this.lookup(pathname);
      if (this.found.size >= FOUND_PATHS) this.found.delete(this.found.keys().next().value!);
      this.found.set(pathname, hit);
    }
    return hit ?? undefined;
  }

  private lookup(pathname: string): Found | null {
    const found = this.router.find('GET', pathname);
    if (!found) return null;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.params)) params[k] = v ?? '';
    return { route: found.store as ApiRoute, params: Object.freeze(params) };
  }

  /** Answers one `/api` request. Never throws: a failure outside the route wrapper is a 500 in the app's shape. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.dispatch(req, res);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      log('error', 'unexpected error', {
        route: 'api-router',
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      json(
        res,
        500,
        new AppError({
          code: 'internal',
          message: 'Something went wrong on our side.',
          action: 'Retry; if it repeats, report the request id of this answer.',
        }),
      );
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q === -1 ? target : target.slice(0, q);
    const hit = this.find(pathname);
    if (!hit) {
      const trimmed = pathname.replace(/\/+$/, '');
      if (trimmed !== pathname && trimmed && this.find(trimmed)) {
        // Next's own answer for a trailing slash (trailingSlash: false): a permanent redirect to the path without.
        const location = trimmed + (q === -1 ? '' : target.slice(q));
        res.writeHead(308, { location, 'content-type': 'text/plain' }).end(location);
        return;
      }
      json(res, 404, noRoute());
      return;
    }
    const method = req.method ?? 'GET';
    const handler = hit.route.handlers.get(method) ?? (method === 'HEAD' ? hit.route.handlers.get('GET') : undefined);
    if (!handler) {
      const allow = allowOf(hit.route);
      if (method === 'OPTIONS') {
        res.writeHead(204, { allow }).end();
        return;
      }
      json(res, 405, methodNotAllowed(method, allow), { allow });
      return;
    }
    await write(res, await handler(routeRequest(req), hit.params), method === 'HEAD');
  }
}

/** Loads every route module (the glob's thunks) and builds the router: done once, before the server answers. */
export async function loadApiRouter(
  modules: Record<string, () => Promise<Record<string, unknown>>>,
): Promise<ApiRouter> {
  const loaded = await Promise.all(Object.entries(modules).map(async ([file, load]) => [file, await load()] as const));
  return new ApiRouter(Object.fromEntries(loaded));
}
