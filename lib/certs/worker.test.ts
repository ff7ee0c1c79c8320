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

const PEM = join(DIR, 'pem');
const pemExpected = JSON.parse(readFileSync(join(PEM, 'expected.json'), 'utf8')) as {
  passphrase: string;
  certs: Record<string, { thumbprint: string }>;
};
const pemFiles = (...names: string[]) =>
  names.map((n) => ({ name: n.split('/').pop()!, data: new Uint8Array(readFileSync(join(PEM, n))) }));

describe('worker.ts: PEM sources', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).onmessage;
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  async function worker() {
    const posted: Array<{ message: unknown; transfer: unknown }> = [];
    vi.stubGlobal('postMessage', (message: unknown, transfer: unknown) => posted.push({ message, transfer }));
    vi.resetModules();
    await import('./worker');
    const handler = (globalThis as unknown as { onmessage: (ev: { data: unknown }) => Promise<void> }).onmessage;
    return { posted, handler };
  }

  it('inspect-pem: answers with the inspection and wipes its copies of the files', async () => {
    const { posted, handler } = await worker();
    const files = pemFiles('le/fullchain.pem', 'le/privkey.pem');
    await handler({ data: { id: 3, kind: 'inspect-pem', files, keyPassphrase: null } });
    const msg = posted[0]!.message as {
      id: number;
      result: { leaf: { thumbprint: string }; pem: { canBuildPfx: boolean } };
    };
    expect(msg.id).toBe(3);
    expect(msg.result.leaf.thumbprint).toBe(pemExpected.certs.ec!.thumbprint);
    expect(msg.result.pem.canBuildPfx).toBe(true);
    for (const f of files) expect(f.data.every((b) => b === 0)).toBe(true);
  });

  it('build-pfx: the PFX is transferred back; a refusal comes back as an error with the inspection', async () => {
    const { posted, handler } = await worker();
    const files = pemFiles('rsa-fullchain.pem', 'rsa-key-pkcs8-aes.pem');
    await handler({ data: { id: 4, kind: 'build-pfx', files, keyPassphrase: pemExpected.passphrase, password: 'p' } });
    const ok = posted[0]!.message as { pfx: Uint8Array; error?: unknown };
    expect(ok.error).toBeUndefined();
    expect(posted[0]!.transfer).toEqual([ok.pfx.buffer]);
    const { inspectPfx } = await import('./inspect');
    expect((await inspectPfx(ok.pfx, 'p')).leaf?.thumbprint).toBe(pemExpected.certs.rsa!.thumbprint);
    for (const f of files) expect(f.data.every((b) => b === 0)).toBe(true);

    await handler({
      data: {
        id: 5,
        kind: 'build-pfx',
        files: pemFiles('rsa-fullchain.pem', 'rsa-key-pkcs8-aes.pem'),
        keyPassphrase: 'wrong',
        password: 'p',
      },
    });
    const refused = posted[1]!.message as {
      id: number;
      pfx?: unknown;
      error: { code: string };
      result: { leaf: unknown };
    };
    expect(refused.id).toBe(5);
    expect(refused.pfx).toBeUndefined();
    expect(refused.error.code).toBe('wrong-key-passphrase');
    expect(refused.result.leaf).not.toBeNull();
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

  it('inspectPemInWorker and buildPfxInWorker fall back to this thread and leave the caller’s files alone', async () => {
    const { inspectPemInWorker, buildPfxInWorker, randomPfxPassword } = await import('./inspect-in-worker');
    const files = pemFiles('le/fullchain.pem', 'le/privkey.pem');
    const r = await inspectPemInWorker(files, null);
    expect(r.leaf?.thumbprint).toBe(pemExpected.certs.ec!.thumbprint);
    const password = randomPfxPassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const built = await buildPfxInWorker(files, { password, keyPassphrase: null });
    expect(built.ok).toBe(true);
    const { inspectPfx } = await import('./inspect');
    if (built.ok)
      expect((await inspectPfx(built.pfx, password)).leaf?.thumbprint).toBe(pemExpected.certs.ec!.thumbprint);
    expect(files.every((f) => f.data.some((b) => b !== 0))).toBe(true);
    const refused = await buildPfxInWorker(pemFiles('chain.pem', 'rsa-key-pkcs8.pem'), {
      password,
      keyPassphrase: null,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'leaf-missing' } });
  });
});
