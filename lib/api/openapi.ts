import { z } from 'zod';
import { ERROR_STATUS } from '@/lib/errors';
import { routeMeta, type RouteMeta } from './handler';

/**
 * The OpenAPI 3.1 document of every API route, built from the route modules themselves: each handler made with
 * `withUser`/`withPublic` carries the zod schemas that parse its requests (see `routeMeta`), so the document cannot
 * drift from what the server accepts. Routes are found by file (`app/api/**\/route.ts`), so a new route needs no
 * registration anywhere.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type JsonSchema = Record<string, unknown>;

/** `/app/api/subscriptions/[subscriptionId]/vaults/route.ts` → `/api/subscriptions/{subscriptionId}/vaults`. */
export function apiPathOf(file: string): string {
  const rel = file
    .replace(/\\/g, '/')
    .replace(/^.*?(?:^|\/)app\//, '/')
    .replace(/\/route\.(?:ts|tsx|js|mjs)$/, '');
  const segments = rel
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => s.replace(/^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/, '{$1}'));
  return `/${segments.join('/')}`;
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: (ctx) => (ctx.zodSchema._zod.def.type === 'custom' ? { type: 'string', format: 'binary' } : 'any'),
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const s = jsonSchema(schema);
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(properties).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: p,
  }));
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'The request is malformed.',
  '401': 'No valid sign-in token (code reauth_required).',
  '403': 'Azure refused the signed-in user; `action` names the role, permission or network change to ask for.',
  '404': 'Not found.',
  '409': 'Conflict, or a deleted-but-recoverable certificate holds the name.',
  '413': 'The body is larger than this endpoint accepts.',
  '422': 'A value is not valid (`fields` lists them) or the PFX was rejected.',
  '429': 'Too many requests (this app per user, or Azure); honour `Retry-After`.',
  '502': 'Azure had a problem.',
  '503': 'The app is not configured, or the sandbox is not running.',
};

function operation(method: string, path: string, meta: RouteMeta): JsonSchema {
  const { schemas } = meta;
  const params = [...parameters(schemas.params, 'path'), ...parameters(schemas.query, 'query')];
  const op: JsonSchema = {
    operationId: `${method.toLowerCase()}${path
      .replace(/\/api/, '')
      .replace(/[{}]/g, '')
      .split(/[/-]/)
      .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : ''))
      .join('')}`,
    summary: schemas.summary ?? `${method} ${path}`,
    ...(params.length && { parameters: params }),
    ...(schemas.body && {
      requestBody: {
        required: true,
        content: { [schemas.form ? 'multipart/form-data' : 'application/json']: { schema: jsonSchema(schemas.body) } },
      },
    }),
    responses: {
      '200': {
        description: 'Success.',
        content: {
          'application/json': { schema: schemas.response ? jsonSchema(schemas.response) : { type: 'object' } },
        },
      },
      ...Object.fromEntries(
        Object.entries(ERROR_RESPONSES)
          .filter(([status]) => meta.auth === 'user' || !['401', '403'].includes(status))
          .map(([status, description]) => [
            status,
            { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } },
          ]),
      ),
      '500': {
        description: 'A bug; the body names the request id to report.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
      },
    },
    ...(meta.auth === 'user' ? { security: [{ entraId: [] }] } : { security: [] }),
  };
  if (schemas.maxBodyBytes) op['x-max-body-bytes'] = schemas.maxBodyBytes;
  return op;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, JsonSchema>>;
  components: JsonSchema;
}

/** `modules`: file path → route module (as `import.meta.glob(..., { eager: true })` or after awaiting the thunks). */
export function buildOpenApi(
  modules: Record<string, Record<string, unknown>>,
  info: { version: string; apiScope?: string },
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [file, mod] of Object.entries(modules)) {
    const path = apiPathOf(file);
    for (const method of HTTP_METHODS) {
      const meta = routeMeta(mod[method]);
      if (!meta) continue;
      (paths[path] ??= {})[method.toLowerCase()] = operation(method, path, meta);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CSES Certificate Wizard API',
      version: info.version,
      description:
        'Acts on behalf of the signed-in user in Azure Resource Manager and Key Vault. Every failure is `{ error: { code, message, action } }`.',
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        entraId: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `An access token for this API from Microsoft Entra ID${info.apiScope ? ` (scope \`${info.apiScope}\`)` : ''}, or from the sandbox in sandbox mode.`,
        },
      },
      schemas: {
        ApiError: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'action'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
                message: { type: 'string' },
                action: { type: 'string', description: 'What the user can do about it.' },
                reason: { type: 'string', description: 'A more specific, stable reason (e.g. an Azure error code).' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
                retryAfter: { type: 'integer', minimum: 0 },
                advice: {
                  type: 'object',
                  description: 'For a refusal: what to ask for and the one command an administrator can run.',
                  required: ['ask', 'purpose', 'az', 'powershell'],
                  properties: {
                    ask: { type: 'string' },
                    purpose: { type: 'string' },
                    az: { type: 'string' },
                    powershell: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
