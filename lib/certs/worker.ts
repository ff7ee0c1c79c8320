/// <reference lib="webworker" />
/**
 * Web Worker entry. Requests:
 *   { id, bytes, password, now? }                              inspect a PFX (kind 'inspect-pfx' may be given)
 *   { id, kind: 'inspect-pem', files, keyPassphrase, now? }    inspect PEM/DER certificate and key files
 *   { id, kind: 'build-pfx', files, keyPassphrase, password }  build a PFX from them (the key stays in the worker
 *                                                               until it is encrypted into the PFX)
 * Answers { id, result } (and for build-pfx { id, result, pfx } or { id, result, error }). The heavy key derivations
 * run here, so the page never freezes. Nothing is kept between messages; bytes, keys and passwords are never logged,
 * and the worker wipes its copies of the input bytes before replying.
 */
import { inspectPfx } from './inspect';
import { inspectPem, type PemInspectResult } from './pem-inspect';
import { BuildPfxError, buildPfxFromPem } from './build';
import type { PemFile } from './pem-sources';
import type { InspectResult } from './types';

export interface InspectRequest {
  id: number;
  kind?: 'inspect-pfx';
  bytes: Uint8Array;
  password: string | null;
  now?: number;
}
export interface InspectPemRequest {
  id: number;
  kind: 'inspect-pem';
  files: PemFile[];
  keyPassphrase: string | null;
  now?: number;
}
export interface BuildPfxRequest {
  id: number;
  kind: 'build-pfx';
  files: PemFile[];
  keyPassphrase: string | null;
  password: string;
  now?: number;
}
export type WorkerRequest = InspectRequest | InspectPemRequest | BuildPfxRequest;

export interface InspectResponse {
  id: number;
  result: InspectResult;
}
export interface PemResponse {
  id: number;
  result: PemInspectResult;
  /** build-pfx: the PFX bytes (transferred). */
  pfx?: Uint8Array;
  /** build-pfx: why no PFX was built (a finding code, message and action). */
  error?: { code: string; message: string; action: string };
}

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;

function wipe(files: unknown): void {
  if (!Array.isArray(files)) return;
  for (const f of files)
    if (f && (f as PemFile).data instanceof Uint8Array) ((f as PemFile).data as Uint8Array).fill(0);
}

async function handle(
  data: Partial<WorkerRequest> | undefined,
): Promise<{ message: unknown; transfer: Transferable[] }> {
  const id = data && typeof data.id === 'number' ? data.id : -1;
  const now = data?.now ? { now: new Date(data.now) } : {};
  if (data?.kind === 'inspect-pem' || data?.kind === 'build-pfx') {
    const files = Array.isArray(data.files) ? data.files : [];
    const keyPassphrase = typeof data.keyPassphrase === 'string' ? data.keyPassphrase : null;
    try {
      if (data.kind === 'inspect-pem') {
        const response: PemResponse = { id, result: await inspectPem(files, { ...now, keyPassphrase }) };
        return { message: response, transfer: [] };
      }
      try {
        const password = (data as Partial<BuildPfxRequest>).password;
        const built = await buildPfxFromPem(files, typeof password === 'string' ? password : '', {
          ...now,
          keyPassphrase,
        });
        const response: PemResponse = { id, result: built.inspection, pfx: built.pfx };
        return { message: response, transfer: [built.pfx.buffer as ArrayBuffer] };
      } catch (e) {
        if (!(e instanceof BuildPfxError)) throw e;
        const result = e.inspection ?? (await inspectPem(files, { ...now, keyPassphrase }));
        const response: PemResponse = { id, result, error: { code: e.code, message: e.message, action: e.action } };
        return { message: response, transfer: [] };
      }
    } finally {
      wipe(files);
    }
  }
  const d = data as Partial<InspectRequest> | undefined;
  const result = await inspectPfx(d?.bytes as Uint8Array, d?.password ?? null, now);
  if (d && d.bytes instanceof Uint8Array) d.bytes.fill(0);
  const response: InspectResponse = { id, result };
  return { message: response, transfer: [] };
}

scope.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const { message, transfer } = await handle(ev.data);
  scope.postMessage(message, transfer);
};
