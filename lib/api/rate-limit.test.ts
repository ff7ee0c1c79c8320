import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows the budget per window, then refuses with the seconds left, then allows again', () => {
    let now = 1_000_000_020_000; // a window boundary (multiple of 60 s)
    const limiter = new RateLimiter(3, 60_000, 100, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    now += 15_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfter: 45, remaining: 0 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 45_000;
    expect(limiter.take('a')).toEqual({ allowed: true, retryAfter: 0, remaining: 2 });
  });

  it('rounds Retry-After up and never answers 0 when refusing', () => {
    let now = 1_000_000_020_000 + 59_999;
    const limiter = new RateLimiter(1, 60_000, 100, () => now);
    limiter.take('a');
    expect(limiter.take('a').retryAfter).toBe(1);
    now += 1;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('keeps memory bounded', () => {
    const limiter = new RateLimiter(5, 60_000, 50, () => 1_000_000_020_000);
    for (let i = 0; i < 1000; i++) limiter.take(`user-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(50);
  });
});
