/**
 * Browser helpers: inspect a PFX, inspect PEM/DER certificate and key files, or build a PFX from them, in a dedicated
 * Web Worker (lib/certs/worker.ts) so that 600 000-iteration files and key decryption never block the page.
 * A fresh worker per call (terminated afterwards): bytes, keys and passwords live only for the duration of the call.
 * The caller's arrays are copied, never wiped. Falls back to the same code in this thread where Workers are
 * unavailable (tests, very old browsers, a CSP that refuses the worker).
 */
import type { InspectResult } from './types';
import type { PemFile } from './pem-sources';
import type { PemInspectResult } from './pem-inspect';
import type {
  BuildPfxRequest,
  InspectPemRequest,
  InspectRequest,
  InspectResponse,
  PemResponse,
  WorkerRequest,
} from './worker';

export interface InspectInWorkerOptions {
  now?: Date;
  /** Abort (e.g. the user picked another file): the worker is terminated and the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/** What buildPfxInWorker gives back: the PFX and the inspection, or the reason no PFX was built. */
export type BuildPfxOutcome =
  | { ok: true; pfx: Uint8Array; inspection: PemInspectResult }
  | { ok: false; error: { code: string; message: string; action: string }; inspection: PemInspectResult };

const aborted = () => new DOMException('The inspection was aborted.', 'AbortError');

async function inWorker<T>(
  request: WorkerRequest,
  transfer: Transferable[],
  fallback: () => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal?.aborted) throw aborted();
  if (typeof Worker === 'undefined') return fallback();
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  let onAbort: (() => void) | null = null;
  try {
    return await new Promise<T>((resolve, reject) => {
      onAbort = () => reject(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onmessage = (ev: MessageEvent<T>) => resolve(ev.data);
      worker.onerror = (ev) => {
        ev.preventDefault();
        reject(new Error('the inspection worker failed to start'));
      };
      worker.postMessage(request, transfer);
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    // The worker could not load (e.g. blocked by CSP): run here instead.
    return fallback();
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}

/** Copies of the files' bytes, to transfer to the worker (the caller keeps its own). */
function copies(files: PemFile[]): { files: PemFile[]; transfer: Transferable[] } {
  const out = files.map((f) => ({ name: f.name, data: typeof f.data === 'string' ? f.data : f.data.slice() }));
  return {
    files: out,
    transfer: out.flatMap((f) => (typeof f.data === 'string' ? [] : [f.data.buffer as ArrayBuffer])),
  };
}

export async function inspectInWorker(
  bytes: Uint8Array,
  password: string | null,
  options: InspectInWorkerOptions = {},
): Promise<InspectResult> {
  const { signal, ...inspectOptions } = options;
  const copy = bytes.slice();
  const request: InspectRequest = { id: 1, bytes: copy, password };
  if (options.now) request.now = options.now.getTime();
  const fallback = async () => (await import('./inspect')).inspectPfx(bytes, password, inspectOptions);
  return (
    await inWorker<InspectResponse>(request, [copy.buffer], async () => ({ id: 1, result: await fallback() }), signal)
  ).result;
}

/** inspectPem in a worker: what the files hold, whether the key matches, the chain in order, the findings. */
export async function inspectPemInWorker(
  files: PemFile[],
  keyPassphrase: string | null,
  options: InspectInWorkerOptions = {},
): Promise<PemInspectResult> {
  const { signal, ...inspectOptions } = options;
  const c = copies(files);
  const request: InspectPemRequest = { id: 1, kind: 'inspect-pem', files: c.files, keyPassphrase };
  if (options.now) request.now = options.now.getTime();
  const fallback = async (): Promise<PemResponse> => ({
    id: 1,
    result: await (await import('./pem-inspect')).inspectPem(files, { ...inspectOptions, keyPassphrase }),
  });
  return (await inWorker<PemResponse>(request, c.transfer, fallback, signal)).result;
}

/**
 * buildPfxFromPem in a worker: the key is decrypted and encrypted into the PFX there; only the PFX comes back.
 * `password` protects the PFX for its way to Key Vault (see randomPfxPassword).
 */
export async function buildPfxInWorker(
  files: PemFile[],
  secrets: { password: string; keyPassphrase: string | null },
  options: InspectInWorkerOptions = {},
): Promise<BuildPfxOutcome> {
  const { signal, ...inspectOptions } = options;
  const c = copies(files);
  const request: BuildPfxRequest = { id: 1, kind: 'build-pfx', files: c.files, ...secrets };
  if (options.now) request.now = options.now.getTime();
  const fallback = async (): Promise<PemResponse> => {
    const { buildPfxFromPem, BuildPfxError } = await import('./build');
    try {
      const built = await buildPfxFromPem(files, secrets.password, {
        ...inspectOptions,
        keyPassphrase: secrets.keyPassphrase,
      });
      return { id: 1, result: built.inspection, pfx: built.pfx };
    } catch (e) {
      if (!(e instanceof BuildPfxError)) throw e;
      const result =
        e.inspection ??
        (await (
          await import('./pem-inspect')
        ).inspectPem(files, { ...inspectOptions, keyPassphrase: secrets.keyPassphrase }));
      return { id: 1, result, error: { code: e.code, message: e.message, action: e.action } };
    }
  };
  const r = await inWorker<PemResponse>(request, c.transfer, fallback, signal);
  if (r.pfx) return { ok: true, pfx: r.pfx, inspection: r.result };
  return {
    ok: false,
    error: r.error ?? { code: 'corrupt', message: 'No PFX was built.', action: 'Choose the files again.' },
    inspection: r.result,
  };
}

/** A random password for a PFX that only travels from this page to Key Vault (which drops it on import). */
export function randomPfxPassword(): string {
  const b = new Uint8Array(24);
  globalThis.crypto.getRandomValues(b);
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}
