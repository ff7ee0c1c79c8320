import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-phase timing of one request, for the bench (decision 057): with `SERVER_TIMING=1` the route wrapper records
 * how long each phase of a request took and answers with a `Server-Timing` header (W3C Server Timing), which
 * `bench/phases.mjs` reads. Off by default: the header would tell any caller how long our token checks take, and the
 * bookkeeping is not free. Phases inside a lib call (token acquisition, SDK client construction) add themselves with
 * `timed`, which costs one AsyncLocalStorage lookup when timing is off.
 */
export class Timings {
  readonly phases = new Map<string, number>();

  add(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  header(): string {
    return [...this.phases].map(([name, ms]) => `${name};dur=${ms.toFixed(3)}`).join(', ');
  }
}

const store = new AsyncLocalStorage<Timings>();

export const timingEnabled = (): boolean => process.env.SERVER_TIMING === '1';

export function runTimed<T>(timings: Timings, fn: () => Promise<T>): Promise<T> {
  return store.run(timings, fn);
}

/** Runs `fn`, adding its duration to phase `name` of the current request when timing is on. */
export function timed<T>(name: string, fn: () => T): T {
  const timings = store.getStore();
  if (!timings) return fn();
  const started = performance.now();
  const result = fn();
  if (result instanceof Promise) {
    return result.finally(() => timings.add(name, performance.now() - started)) as T;
  }
  timings.add(name, performance.now() - started);
  return result;
}
