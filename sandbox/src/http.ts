import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** host name without port, lower case */
  hostname: string;
  /** origin as the client addressed it, e.g. https://kv.vault.localhost:8443 */
  origin: string;
  /** decoded path segments are NOT pre-split; raw pathname (percent-decoding left to routes) */
  pathname: string;
  /** query with decoded keys (the SDK sends api%2Dversion and %24top) */
  query: URLSearchParams;
  requestId: string;
}

export const MAX_BODY = 8 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new BodyTooLarge('body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ctx.res.headersSent) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache',
    'x-ms-request-id': ctx.requestId,
    'content-length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendEmpty(ctx: Ctx, status: number, headers: Record<string, string> = {}): void {
  if (ctx.res.headersSent) return;
  ctx.res.writeHead(status, { 'x-ms-request-id': ctx.requestId, 'content-length': '0', ...headers });
  ctx.res.end();
}

export function sendText(
  ctx: Ctx,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (ctx.res.headersSent) return;
  ctx.res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text).toString(),
    'x-ms-request-id': ctx.requestId,
    ...headers,
  });
  ctx.res.end(text);
}

export function makeCtx(req: IncomingMessage, res: ServerResponse, port: number): Ctx {
  const hostHeader = (req.headers.host ?? `localhost:${port}`).toLowerCase();
  // Azure echoes the caller's request id; ARM also reports a correlation id.
  const clientRequestId = req.headers['x-ms-client-request-id'];
  if (typeof clientRequestId === 'string' && /^[\w.-]{1,64}$/.test(clientRequestId))
    res.setHeader('x-ms-client-request-id', clientRequestId);
  const url = new URL(req.url ?? '/', `https://${hostHeader}`);
  return {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    origin: `https://${url.host}`,
    pathname: url.pathname,
    query: url.searchParams,
    requestId: randomUUID(),
  };
}

export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) return undefined;
  return JSON.parse(buf.toString('utf8'));
}

export function parseForm(buf: Buffer): URLSearchParams {
  return new URLSearchParams(buf.toString('utf8'));
}
