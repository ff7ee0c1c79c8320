/** The worker entry's message protocol, driven in-process (Node has no module Web Workers for .ts files). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '__vectors__');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  vectors: Array<{ file: string; thumbprint: string | null; password: string | null }>;
};

describe('worker.ts', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).onmessage;
    vi.unstubAllGlobals();
  });

  it('answers {id, bytes, password} with {id, result} and wipes its copy of the bytes', async () => {
    const posted: unknown[] = [];
    vi.stubGlobal('postMessage', (m: unknown) => posted.push(m));
    await import('./worker');
    const handler = (globalThis as unknown as { onmessage: (ev: { data: unknown }) => Promise<void> }).onmessage;
    expect(typeof handler).toBe('function');
    const v = expected.vectors.find((x) => x.file === 'openssl3-default.pfx')!;
    const bytes = new Uint8Array(readFileSync(join(DIR, v.file)));
    await handler({ data: { id: 42, bytes, password: v.password } });
    expect(posted).toHaveLength(1);
    const msg = posted[0] as { id: number; result: { leaf: { thumbprint: string } | null; importable: boolean } };
    expect(msg.id).toBe(42);
    expect(msg.result.leaf?.thumbprint).toBe(v.thumbprint);
    expect(bytes.every((b) => b === 0)).toBe(true);
    // Bad messages still get an answer.
    await handler({ data: { id: 7, bytes: 'nope', password: 3 } });
    expect((posted[1] as { id: number; result: { importable: boolean } }).id).toBe(7);
    expect((posted[1] as { result: { importable: boolean } }).result.importable).toBe(false);
  });
});

describe('inspectInWorker', () => {
  it('falls back to in-thread inspection where Worker is unavailable', async () => {
    const { inspectInWorker } = await import('./inspect-in-worker');
    const v = expected.vectors.find((x) => x.file === 'ec-p256.pfx')!;
    const bytes = new Uint8Array(readFileSync(join(DIR, v.file)));
    const r = await inspectInWorker(bytes, v.password);
    expect(r.leaf?.thumbprint).toBe(v.thumbprint);
    expect(bytes.some((b) => b !== 0)).toBe(true); // the caller's array is left alone
  });
});
