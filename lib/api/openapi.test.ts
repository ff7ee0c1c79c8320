import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiPathOf, HTTP_METHODS } from './openapi';

const root = path.resolve(__dirname, '../..');

/** Every app/api/**\/route.ts on disk, with the HTTP methods it exports (read from the source, not from the document). */
function routesOnDisk(): Array<{ file: string; path: string; methods: string[] }> {
  const out: Array<{ file: string; path: string; methods: string[] }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^route\.(ts|tsx)$/.test(name)) {
        const src = readFileSync(p, 'utf8');
        const methods = HTTP_METHODS.filter((m) =>
          new RegExp(`export\\s+(const|async function|function)\\s+${m}\\b`).test(src),
        );
        out.push({ file: path.relative(root, p), path: apiPathOf(`/${path.relative(root, p)}`), methods });
      }
    }
  };
  walk(path.join(root, 'app/api'));
  return out;
}

async function fetchDocument() {
  process.env.LOG_LEVEL = 'silent';
  const { GET } = await import('@/app/api/openapi.json/route');
  const response = await GET(new Request('http://localhost/api/openapi.json'), { params: Promise.resolve({}) });
  return {
    status: response.status,
    doc: (await response.json()) as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> },
  };
}

describe('OpenAPI document', () => {
  it('maps route files to API paths', () => {
    expect(apiPathOf('/app/api/subscriptions/[subscriptionId]/vaults/route.ts')).toBe(
      '/api/subscriptions/{subscriptionId}/vaults',
    );
    expect(apiPathOf('/app/api/(group)/x/[...rest]/route.ts')).toBe('/api/x/{rest}');
    expect(apiPathOf('/app/api/openapi.json/route.ts')).toBe('/api/openapi.json');
  });

  it('is served at /api/openapi.json without sign-in, even without configuration', async () => {
    const { status, doc } = await fetchDocument();
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every method of every app/api/**/route.ts, each made with withUser/withPublic', async () => {
    const { doc } = await fetchDocument();
    const disk = routesOnDisk();
    expect(disk.length).toBeGreaterThanOrEqual(8);
    const missing: string[] = [];
    for (const route of disk) {
      expect(route.methods.length, `${route.file} exports no HTTP method`).toBeGreaterThan(0);
      for (const m of route.methods)
        if (!doc.paths[route.path]?.[m.toLowerCase()]) missing.push(`${m} ${route.path} (${route.file})`);
    }
    expect(missing, 'routes missing from the document (is the handler made with withUser/withPublic?)').toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const onDisk = new Set(disk.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)));
    expect(documented.filter((d) => !onDisk.has(d))).toEqual([]);
  });

  it('describes parameters, bodies and security from the same zod schemas', async () => {
    const { doc } = await fetchDocument();
    const vault = doc.paths['/api/subscriptions/{subscriptionId}/resource-groups/{resourceGroup}/vaults/{vaultName}'];
    const patch = vault?.patch as {
      parameters: Array<{ name: string; in: string; schema: { pattern?: string } }>;
      requestBody: { content: Record<string, { schema: unknown }> };
      security: unknown[];
    };
    expect(patch.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:subscriptionId',
      'path:resourceGroup',
      'path:vaultName',
    ]);
    expect(patch.parameters[2]?.schema.pattern).toBeTruthy();
    expect(patch.requestBody.content['application/json']?.schema).toMatchObject({
      properties: { enabledForDeployment: { type: 'boolean' } },
    });
    expect(patch.security).toEqual([{ entraId: [] }]);
    const importCert = Object.entries(doc.paths).find(([p]) => p.endsWith('/certificates/{certificateName}'))?.[1]
      ?.post as { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(importCert.requestBody.content['multipart/form-data']?.schema.properties.file).toEqual({
      type: 'string',
      format: 'binary',
    });
    expect((doc.paths['/api/config']?.get as { security: unknown[] }).security).toEqual([]);
  });

  it('documents the success body of every cloud-services route with its response schema', async () => {
    const { doc } = await fetchDocument();
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.includes('/cloud-services'))
      .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ name: `${m.toUpperCase()} ${p}`, op })));
    expect(ops.length).toBeGreaterThanOrEqual(8);
    for (const { name, op } of ops) {
      const schema = (op.responses as Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>)[
        '200'
      ]?.content['application/json']?.schema;
      expect(Object.keys((schema?.properties as object | undefined) ?? {}).length, name).toBeGreaterThan(0);
      expect(schema?.required, name).toBeDefined();
    }
  });
});
