/**
 * Browser helper: inspect a PFX in a dedicated Web Worker so that 600 000-iteration files never block the page.
 * A fresh worker per call (terminated afterwards): the bytes and password live only for the duration of the call.
 * Falls back to in-thread inspection where Workers are unavailable (tests, very old browsers).
 */
import type { InspectResult } from './types';
import type { InspectRequest, InspectResponse } from './worker';

export interface InspectInWorkerOptions {
  now?: Date;
  /** Abort (e.g. the user picked another file): the worker is terminated and the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

export async function inspectInWorker(
  bytes: Uint8Array,
  password: string | null,
  options: InspectInWorkerOptions = {},
): Promise<InspectResult> {
  const { signal, ...inspectOptions } = options;
  const aborted = () => new DOMException('The inspection was aborted.', 'AbortError');
  if (signal?.aborted) throw aborted();
  if (typeof Worker === 'undefined') {
    const { inspectPfx } = await import('./inspect');
    return inspectPfx(bytes, password, inspectOptions);
  }
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  // Copy and transfer: the caller keeps its own array; ours moves to the worker and is detached here.
  const copy = bytes.slice();
  const request: InspectRequest = { id: 1, bytes: copy, password };
  if (options.now) request.now = options.now.getTime();
  let onAbort: (() => void) | null = null;
  try {
    return await new Promise<InspectResult>((resolve, reject) => {
      onAbort = () => reject(aborted());
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onmessage = (ev: MessageEvent<InspectResponse>) => resolve(ev.data.result);
      worker.onerror = (ev) => {
        ev.preventDefault();
        reject(new Error('the inspection worker failed to start'));
      };
      worker.postMessage(request, [copy.buffer]);
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    // Worker could not load (e.g. blocked by CSP): inspect here instead.
    const { inspectPfx } = await import('./inspect');
    return inspectPfx(bytes, password, inspectOptions);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    worker.terminate();
  }
}
