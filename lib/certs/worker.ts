/// <reference lib="webworker" />
/**
 * Web Worker entry: receives `{ id, bytes, password }`, posts back `{ id, result }`. The heavy key derivation runs here
 * (and PBKDF2 natively), so the page never freezes. Nothing is kept between messages; bytes and password are never logged.
 */
import { inspectPfx } from './inspect';
import type { InspectResult } from './types';

export interface InspectRequest {
  id: number;
  bytes: Uint8Array;
  password: string | null;
  now?: number;
}
export interface InspectResponse {
  id: number;
  result: InspectResult;
}

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<InspectRequest>) => {
  const data = ev.data;
  const id = data && typeof data.id === 'number' ? data.id : -1;
  const result = await inspectPfx(data?.bytes, data?.password ?? null, data?.now ? { now: new Date(data.now) } : {});
  // Drop our references before replying.
  if (data && data.bytes instanceof Uint8Array) data.bytes.fill(0);
  const response: InspectResponse = { id, result };
  scope.postMessage(response);
};
