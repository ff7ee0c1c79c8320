import 'server-only';
import { randomUUID } from 'node:crypto';
import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { securityHeaders } from '@/lib/api/security-headers';
import { AppError } from '@/lib/errors';
import { MAX_PFX_UPLOAD_BYTES } from '@/lib/certs/limits';
import { log } from '@/lib/log';
import type { ApiRouter } from './api-router';

/**
 * The request guard (decision 028): checks every request's raw line and headers before Next.js routes, decodes or
 * buffers anything, and refuses what Next would answer with a bare `500 text/plain` or an HTML page, or would buffer
 * in full before our route could refuse it:
 *
 * - a malformed percent-escape in the path (`%C0%AE`, `%u002e`, `%ff`, a lone `%`): 400;
 * - a `.` or `..` segment, literal or escaped (`%2e%2e`): 400 (Next would resolve it to another route);
 * - a Server Action call (`Next-Action` header) under `/api`: 400 (the API has no server actions);
 * - under `/api`, a body larger than the largest any route accepts (`Content-Length`): 413, without reading it;
 *   a body without a `Content-Length` (chunked): 411. The route's own, smaller limit is checked by the route wrapper
 *   before authentication (lib/api/handler.ts).
 *
 * Refusals are our `{ error: { code, message, action } }` JSON with the usual security headers and a log line.
 *
 * Every other `/api` request gets the API's security headers (deny-all CSP, nosniff, …; HSTS behind HTTPS) set on
 * the response here, before Next.js sees it, so they are on every API answer — our routes', Next's own 404 and 405
 * alike — without the request proxy, which runs for pages only: for API requests it cost more than the rest of the
 * route's fixed cost (decision 057).
 */

/** The largest body any API route accepts: the PFX import (the file plus its form fields). */
export const MAX_API_BODY_BYTES = MAX_PFX_UPLOAD_BYTES;

interface Refusal {
  status: number;
  error: AppError;
  /** A short, safe description for the log. */
  reason: string;
}

function refuse(error: AppError, reason: string): Refusal {
  return { status: error.status, error, reason };
}

const ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** Nothing to decode and no dot segment: a path without `%`, `\`, NUL or a `.`/`..` segment needs no look per segment. */
const PLAIN = /^[^%\\\0]*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** The first problem with a raw request path, or undefined. */
function pathProblem(rawPath: string): Refusal | undefined {
  if (PLAIN.test(rawPath) && !DOT_SEGMENT.test(rawPath)) return undefined;
  for (const segment of rawPath.split('/')) {
    if (ESCAPE.test(segment)) return malformed(segment);
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return malformed(segment);
    }
    if (decoded === '.' || decoded === '..' || /[\\\0]/.test(decoded)) {
      return refuse(
        new AppError({
          code: 'bad_request',
          reason: 'DotSegment',
          message: "The address contains a '.' or '..' segment (or a backslash), which this app does not resolve.",
          action: 'Use the links in the app, or write the address without dot segments.',
        }),
        'dot-segment',
      );
    }
  }
  return undefined;
}

function malformed(segment: string): Refusal {
  const escape = /%[^/]{0,5}/.exec(segment)?.[0] ?? '%';
  return refuse(
    new AppError({
      code: 'bad_request',
      reason: 'MalformedPercentEncoding',
      message: `The address contains a malformed percent-escape near '${escape.replace(/[^\w%.-]/g, '?')}': every % must start a UTF-8 byte written as two hex digits.`,
      action: 'Use the links in the app, or percent-encode the address as UTF-8 (RFC 3986).',
    }),
    'malformed-escape',
  );
}

/** What the guard decides about a request, from its method, raw target and headers only (nothing is read). */
function checkRequest(
  method: string,
  rawTarget: string,
  headers: Record<string, string | string[] | undefined>,
): Refusal | undefined {
  const rawPath = rawTarget.split('?')[0] ?? '';
  const problem = pathProblem(rawPath);
  if (problem) return problem;
  if (!/^\/api(\/|$)/i.test(rawPath)) return undefined;
  if (headers['next-action'] !== undefined) {
    return refuse(
      new AppError({
        code: 'bad_request',
        reason: 'ServerActionUnavailable',
        message: 'This is the JSON API: it has no server actions.',
        action: 'Call the API with plain HTTP requests as described at /api/openapi.json.',
      }),
      'server-action',
    );
  }
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  const length = headers['content-length'];
  if (length === undefined) {
    if (headers['transfer-encoding'] === undefined) return undefined; // no body at all
    return refuse(
      new AppError({
        code: 'length_required',
        reason: 'LengthRequired',
        message: 'The request body has no Content-Length: this API accepts only bodies whose size is declared.',
        action: 'Send the body with a Content-Length header (browsers and HTTP libraries do so for files and JSON).',
      }),
      'chunked-body',
    );
  }
  const declared = Number(length);
  if (!Number.isSafeInteger(declared) || declared < 0 || declared > MAX_API_BODY_BYTES) {
    return refuse(
      new AppError({
        code: 'payload_too_large',
        reason: 'BodyTooLarge',
        message: `The request is larger than the ${Math.round(MAX_API_BODY_BYTES / 1024)} KiB this API accepts.`,
        action: 'Send a smaller file (certificate PFX files are normally 2–20 KiB).',
      }),
      'body-too-large',
    );
  }
  return undefined;
}

function answer(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const requestId = randomUUID();
  const body = JSON.stringify(refusal.error.toBody());
  res.writeHead(refusal.status, {
    ...Object.fromEntries(apiSecurityHeaders(isHttps(req))),
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Request-Id': requestId,
    // The body (if any) is not read: close the connection instead of draining it.
    Connection: 'close',
  });
  res.end(body);
  log('info', 'request refused', {
    requestId,
    method: req.method,
    status: refusal.status,
    code: refusal.error.code,
    reason: refusal.reason,
  });
}

/** Whether the client reached us over HTTPS: the first proxy's X-Forwarded-Proto, or our own TLS socket. */
function isHttps(req: IncomingMessage): boolean {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim();
  return forwarded === 'https' || Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

const apiHeaders = new Map<boolean, Array<[string, string]>>();
/** The API's security headers for a request over HTTP or HTTPS (computed once each: they depend on nothing else). */
function apiSecurityHeaders(https: boolean): Array<[string, string]> {
  let headers = apiHeaders.get(https);
  if (!headers) {
    headers = Object.entries(securityHeaders({ api: true, dev: false, https }));
    apiHeaders.set(https, headers);
  }
  return headers;
}

/**
 * Answers the request if the guard refuses it; true when it did. Otherwise an API request gets its headers and, when
 * an API router is installed, is answered by it (true): Next.js never sees it.
 */
function guardRequest(req: IncomingMessage, res: ServerResponse, api: ApiRouter | undefined): boolean {
  const refusal = checkRequest(req.method ?? 'GET', req.url ?? '/', req.headers);
  if (!refusal) {
    if (!/^\/api(\/|\?|$)/i.test(req.url ?? '')) return false;
    const https = isHttps(req);
    for (const [name, value] of apiSecurityHeaders(https)) res.setHeader(name, value);
    if (!api) return false;
    void api.serve(req, res);
    return true;
  }
  answer(req, res, refusal);
  return true;
}

const INSTALLED = Symbol.for('cses.requestGuard');

/**
 * Puts the guard in front of every HTTP server of this process (Next's own included): a `request` event is checked
 * before any listener sees it. With `api`, every `/api` request it lets through is answered by that router (decision
 * 049) instead of Next's. Called once from instrumentation.ts; returns a function that removes it (tests).
 */
export function installRequestGuard(options: { api?: ApiRouter } = {}): () => void {
  const proto = Server.prototype as Server & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return () => undefined;
  const emit = proto.emit;
  const { api } = options;
  proto.emit = function guardedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' && guardRequest(args[0] as IncomingMessage, args[1] as ServerResponse, api)) return true;
    return (emit as (this: Server, ...all: unknown[]) => boolean).call(this, event, ...args);
  } as typeof proto.emit;
  proto[INSTALLED] = true;
  return () => {
    proto.emit = emit;
    proto[INSTALLED] = undefined;
  };
}
