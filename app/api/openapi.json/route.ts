import { withPublic } from '@/lib/api/handler';
import { buildOpenApi, type OpenApiDocument } from '@/lib/api/openapi';
import pkg from '@/package.json';

// Every route module under app/api, found by file (Turbopack/Vite `import.meta.glob`): new routes appear by themselves.
const routes = import.meta.glob<Record<string, unknown>>(['/app/api/**/route.ts', '!/app/api/openapi.json/**']);

let document: Promise<OpenApiDocument> | undefined;
async function load(): Promise<OpenApiDocument> {
  const modules = await Promise.all(Object.entries(routes).map(async ([file, mod]) => [file, await mod()] as const));
  return buildOpenApi(
    { ...Object.fromEntries(modules), '/app/api/openapi.json/route.ts': { GET } },
    { version: pkg.version },
  );
}

// GET /api/openapi.json – the OpenAPI 3.1 document of every API route, generated from the routes' own zod schemas
export const GET = withPublic(
  { summary: 'This API document (OpenAPI 3.1)', config: false },
  (): Promise<OpenApiDocument> =>
    (document ??= load().catch((error: unknown) => ((document = undefined), Promise.reject(error)))),
);
