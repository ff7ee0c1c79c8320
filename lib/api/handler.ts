import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authenticate, type Principal } from '@/lib/auth/validate-token';
import { ConfigError, getServerConfig, type ServerConfig } from '@/lib/config';
import { oboCredential } from '@/lib/azure/credentials';
import type { AzureContext } from '@/lib/azure/types';
import { log } from '@/lib/log';
import { AppError } from '@/lib/errors';
import { RateLimiter } from './rate-limit';
import { runTimed, timed, timingEnabled, Timings } from '@/lib/timing';

/**
 * The shared route wrapper: request id, configuration, authentication (for `withUser`), parsing of params, query and
 * body with zod, and the mapping of every failure to `{ error: { code, message, action } }`. Route files stay a few
 * lines: they declare schemas and call one lib/ function.
 */

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;
/** A `.loose()` schema's index signature dropped: its named fields are checked, extra ones are allowed anyway. */
type Named<T> = T extends object ? { [K in keyof T as string extends K ? never : K]: T[K] } : T;
/** What a handler may return: a Response, or a body of the declared `response` schema's shape (checked by tsc). */
type Result<R> = R extends z.ZodType ? Named<z.input<R>> | Response : unknown;

export interface RouteSchemas<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema | undefined = Schema | undefined,
> {
  /** One line for the API document (OpenAPI `summary`). */
  summary?: string;
  params?: P;
  query?: Q;
  /** JSON body schema. */
  body?: B;
  /** Parse the body as multipart/form-data instead of JSON (the schema sees an object of fields and Files). */
  form?: boolean;
  /** Largest accepted body, in bytes. */
  maxBodyBytes?: number;
  /**
   * `false`: the route works without the server configuration (no Azure settings, no sandbox) and must not read
   * `ctx.config` — for documents such as the API description.
   */
  config?: false;
  /**
   * The success body's shape, for the API document. Not checked at run time; at compile time the handler's result
   * must have this shape (`withUser`/`withPublic` type it), so the document cannot drift from what the route returns.
   */
  response?: R;
}

interface BaseContext<P, Q, B> {
  requestId: string;
  config: ServerConfig;
  params: P;
  query: Q;
  body: B;
}

export interface UserContext<P, Q, B> extends BaseContext<P, Q, B> {
  user: Principal;
  azure: AzureContext;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

/**
 * What the wrapper reads of a request. Next's router hands a route a Web `Request`; the API router (decision 049)
 * hands the wrapper the Node request itself through this interface, so an API request costs no Web `Request`,
 * `Headers`, `AbortSignal` or body stream (decision 058). Both readers behave alike: `header` joins repeated fields
 * with ", " as `Headers.get` does, and `bytes` stops at `limit`.
 */
export interface RouteRequest {
  readonly method: string;
  /** The request target: path and query, as sent (`/api/config?x=1`). */
  readonly target: string;
  header(name: string): string | null;
  /** The body's bytes; more than `limit` of them is refused (413) without keeping them. */
  bytes(limit: number): Promise<Uint8Array>;
}

/** The wrapper's own answers: JSON text with its status and headers. */
interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  response?: undefined;
}

/** What the wrapper answers: its JSON text, or a Response a handler built itself. */
export type RouteAnswer = JsonAnswer | { response: Response };

/** The wrapper's own entry, without Web objects: what the API router calls (`routeCore(handler)`). */
export type RouteCore = (request: RouteRequest, params: Record<string, string | string[]>) => Promise<RouteAnswer>;

/**
 * What a wrapped handler carries for the API document (`/api/openapi.json`): the same schemas that parse its
 * requests, and whether it needs a signed-in user. Read with `routeMeta(exportedHandler)`.
 */
export interface RouteMeta {
  auth: 'user' | 'public';
  schemas: RouteSchemas<Schema | undefined, Schema | undefined, Schema | undefined>;
}
const ROUTE_META = Symbol.for('cses.routeMeta');
const ROUTE_CORE = Symbol.for('cses.routeCore');

/** The wrapper's own entry of a route made with `withUser`/`withPublic`; undefined for any other function. */
export function routeCore(handler: unknown): RouteCore | undefined {
  return typeof handler === 'function' ? (handler as { [ROUTE_CORE]?: RouteCore })[ROUTE_CORE] : undefined;
}

export function routeMeta(handler: unknown): RouteMeta | undefined {
  return typeof handler === 'function' ? (handler as { [ROUTE_META]?: RouteMeta })[ROUTE_META] : undefined;
}

// Per-user request budget, per app instance (decision 011). Rebuilt when the configured budget changes.
let limiter: RateLimiter | undefined;
function rateLimit(user: Principal, config: ServerConfig): void {
  const budget = config.rateLimit;
  if (!budget) return;
  if (limiter?.limit !== budget.requests || limiter.windowMs !== budget.windowSeconds * 1000)
    limiter = new RateLimiter(budget.requests, budget.windowSeconds * 1000);
  const decision = limiter.take(`${user.tid}/${user.oid}`);
  if (!decision.allowed) {
    throw new AppError({
      code: 'throttled',
      reason: 'UserRateLimit',
      retryAfter: decision.retryAfter,
      message: 'You are sending requests faster than this app allows.',
      action: `Wait ${decision.retryAfter} seconds, then retry.`,
    });
  }
}

const DEFAULT_MAX_BODY = 64 * 1024;

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const fields = fieldErrors(result.error);
    const first = Object.entries(fields)[0];
    throw new AppError({
      code: 'validation_failed',
      message: first ? `${first[0] === '_' ? where : first[0]}: ${first[1]}` : `The ${where} is not valid.`,
      action: 'Correct the highlighted value and try again.',
      fields,
    });
  }
  return result.data as Infer<S>;
}

export function tooLarge(limit: number): AppError {
  return new AppError({
    code: 'payload_too_large',
    message: `The request is larger than the ${Math.round(limit / 1024)} KiB this endpoint accepts.`,
    action: 'Send a smaller file.',
  });
}

/** Reads at most `limit` bytes of the body, whatever Content-Length says (or does not say: chunked uploads). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A Web `Request` (Next's router, tests) as the wrapper reads it. */
function fromWebRequest(request: Request): RouteRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    target: url.pathname + url.search,
    header: (name) => request.headers.get(name),
    bytes: (limit) => readCapped(request, limit),
  };
}

/** The wrapper's answer as a Web `Response` (for Next's router). */
function toResponse(answer: RouteAnswer): Response {
  if (answer.response) return answer.response;
  return new Response(answer.text, { status: answer.status, headers: answer.headers });
}

async function readBody(
  request: RouteRequest,
  schemas: RouteSchemas<Schema | undefined, Schema | undefined, Schema | undefined>,
): Promise<unknown> {
  if (!schemas.body) return undefined;
  const limit = schemas.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const type = request.header('content-type') ?? '';
  if (schemas.form) {
    if (!/^multipart\/form-data/i.test(type)) {
      throw new AppError({
        code: 'bad_request',
        message: 'This endpoint expects multipart/form-data.',
        action: 'Send the file as a form upload.',
      });
    }
    const bytes = await request.bytes(limit);
    let form: FormData;
    try {
      form = await new Response(bytes as BlobPart, { headers: { 'content-type': type } }).formData();
    } catch {
      throw new AppError({
        code: 'bad_request',
        message: 'The form upload could not be read.',
        action: 'Choose the file again and retry.',
      });
    } finally {
      // The form's files are copies: the raw upload (a PFX and its password) is not kept until the collector runs.
      bytes.fill(0);
    }
    const fields: Record<string, FormDataEntryValue> = {};
    for (const [k, v] of form.entries()) fields[k] = v;
    return fields;
  }
  if (!/^application\/json/i.test(type)) {
    throw new AppError({
      code: 'bad_request',
      message: 'This endpoint expects a JSON body.',
      action: 'Send Content-Type: application/json.',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await request.bytes(limit));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError({
      code: 'bad_request',
      message: 'The request body is not valid UTF-8.',
      action: 'Send a JSON object.',
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError({
      code: 'bad_request',
      message: 'The request body is not valid JSON.',
      action: 'Send a JSON object.',
    });
  }
}

/**
 * A declared body larger than the route accepts is refused before anything else: no configuration, no token check,
 * nothing read (issue 17). Bodies without a Content-Length are capped while they are read (readCapped).
 */
function refuseDeclaredLength(
  request: RouteRequest,
  schemas: RouteSchemas<Schema | undefined, Schema | undefined, Schema | undefined>,
): void {
  const header = request.header('content-length');
  if (header === null) return;
  const limit = schemas.body ? (schemas.maxBodyBytes ?? DEFAULT_MAX_BODY) : DEFAULT_MAX_BODY;
  const declared = Number(header);
  if (!Number.isFinite(declared) || declared > limit) throw tooLarge(limit);
}

function respond(status: number, body: unknown, requestId: string): JsonAnswer {
  // What Response.json does: a value JSON cannot represent is refused.
  const text = JSON.stringify(body) as string | undefined;
  if (text === undefined) throw new TypeError('The response value is not JSON serialisable.');
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'cache-control': 'no-store' },
    text,
  };
}

function failure(error: unknown, requestId: string, route: string): JsonAnswer {
  if (error instanceof ConfigError) {
    log('warn', 'configuration', { requestId, route, message: error.message });
    return respond(503, { error: { code: 'not_configured', message: error.message, action: error.action } }, requestId);
  }
  if (error instanceof AppError) {
    log(error.status >= 500 ? 'error' : 'info', 'request failed', {
      requestId,
      route,
      code: error.code,
      reason: error.reason,
      status: error.status,
    });
    const answer = respond(error.status, error.toBody(), requestId);
    if (error.retryAfter !== undefined) answer.headers['retry-after'] = String(error.retryAfter);
    return answer;
  }
  log('error', 'unexpected error', { requestId, route, errorName: error instanceof Error ? error.name : typeof error });
  return respond(
    500,
    {
      error: {
        code: 'internal',
        message: 'Something went wrong on our side.',
        action: `Retry; if it repeats, report request id ${requestId}.`,
      },
    },
    requestId,
  );
}

function build<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
  R extends Schema | undefined,
  C,
>(schemas: RouteSchemas<P, Q, B, R>, authenticateUser: boolean, handler: (ctx: C) => Promise<unknown>) {
  const handle = async (
    request: RouteRequest,
    rawParams: Record<string, string | string[]>,
    timings?: Timings,
  ): Promise<RouteAnswer> => {
    const started = performance.now();
    const requestId =
      request
        .header('x-request-id')
        ?.slice(0, 64)
        .replace(/[^\w.-]/g, '') || randomUUID();
    const url = new URL(request.target, 'http://localhost');
    const path = url.pathname;
    let answer: RouteAnswer;
    try {
      refuseDeclaredLength(request, schemas);
      const config = timed('config', () =>
        schemas.config === false ? (undefined as unknown as ServerConfig) : getServerConfig(),
      );
      const user = authenticateUser
        ? await timed('auth', () => authenticate(request.header('authorization'), config))
        : undefined;
      if (user) timed('ratelimit', () => rateLimit(user, config));
      const { params, query } = timed('params', () => ({
        params: parse(schemas.params, rawParams, 'path'),
        query: parse(schemas.query, Object.fromEntries(url.searchParams), 'query'),
      }));
      const body = await timed('body', async () => parse(schemas.body, await readBody(request, schemas), 'body'));
      const base = { requestId, config, params, query, body };
      const ctx = user
        ? {
            ...base,
            user,
            azure: { credential: timed('credential', () => oboCredential(user, config)), config, upn: user.username },
          }
        : base;
      const result = await timed('handler', () => handler(ctx as C));
      answer = timed('serialise', () =>
        result instanceof Response ? { response: result } : respond(200, result, requestId),
      );
      const status = answer.response ? answer.response.status : answer.status;
      timed('log', () =>
        log('info', 'request', {
          requestId,
          method: request.method,
          route: path,
          status,
          ms: Math.round(performance.now() - started),
          ...(user && { oid: user.oid }),
        }),
      );
    } catch (error) {
      answer = failure(error, requestId, path);
    }
    if (timings) {
      timings.add('route', performance.now() - started);
      if (answer.response) answer.response.headers.set('server-timing', timings.header());
      else answer.headers['server-timing'] = timings.header();
    }
    return answer;
  };
  const core: RouteCore = (request, params) => {
    if (!timingEnabled()) return handle(request, params);
    const timings = new Timings();
    return runTimed(timings, () => handle(request, params, timings));
  };
  const route = async (request: Request, next: NextContext): Promise<Response> =>
    toResponse(await core(fromWebRequest(request), await next.params));
  const meta: RouteMeta = { auth: authenticateUser ? 'user' : 'public', schemas };
  return Object.assign(route, { [ROUTE_META]: meta, [ROUTE_CORE]: core });
}

/** A route for a signed-in user: the bearer token is validated and exchanged on-behalf-of for Azure access. */
export function withUser<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(schemas: RouteSchemas<P, Q, B, R>, handler: (ctx: UserContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<Result<R>>) {
  return build(schemas, true, handler);
}

/** A route that needs no sign-in (configuration, sandbox persona sign-in). */
export function withPublic<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(schemas: RouteSchemas<P, Q, B, R>, handler: (ctx: BaseContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<Result<R>>) {
  return build(schemas, false, handler);
}
