/**
 * A per-user request budget for the API: a fixed window per key. Counters live in this process only — per app
 * instance by design (decision 011): behind a load balancer with N replicas a user gets at most N times the budget,
 * which is fine for a guard against runaway clients and scripted abuse; Azure's own throttling still applies behind
 * it. Memory is bounded (`maxKeys`, oldest dropped first).
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until the window resets (≥ 1 when refused, 0 when allowed). */
  retryAfter: number;
  remaining: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateLimitDecision {
    const now = this.now();
    const start = now - (now % this.windowMs);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      this.windows.delete(key);
      this.prune(start);
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= this.limit) {
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)), remaining: 0 };
    }
    w.count++;
    return { allowed: true, retryAfter: 0, remaining: this.limit - w.count };
  }

  get size(): number {
    return this.windows.size;
  }

  private prune(currentStart: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [k, v] of this.windows) if (v.start < currentStart) this.windows.delete(k);
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}
