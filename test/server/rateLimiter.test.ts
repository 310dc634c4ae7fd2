// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/server/rateLimiter.js';

describe('RateLimiter', () => {
  it('allows `requests` calls, then refuses with a Retry-After until the oldest call leaves the window', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, perMs: 1000 }, () => now);
    expect([limiter.tryTake(), limiter.tryTake(), limiter.tryTake()].every((r) => r.ok)).toBe(true);
    // The window is held 5 % (at most 100 ms) longer than perMs, against jitter on the way to the upstream.
    expect(limiter.tryTake()).toEqual({ ok: false, retryAfterMs: 1050 });
    now = 1049;
    expect(limiter.tryTake()).toEqual({ ok: false, retryAfterMs: 1 });
    now = 1050;
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(false);
  });

  it('never lets more than `requests` through in any window, unlike a token bucket', () => {
    // A bucket of 3 refilling 3/s passes 3 at t=0 plus refills at ~333 and ~667 ms: 5 in one second.
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, perMs: 1000 }, () => now);
    const granted: number[] = [];
    for (now = 0; now < 3000; now += 50) if (limiter.tryTake().ok) granted.push(now);
    for (const start of granted) expect(granted.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(3);
    expect(granted).toEqual([0, 50, 100, 1050, 1100, 1150, 2100, 2150, 2200]);
  });

  it('never holds more than `requests` tokens after a long idle time', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 2, perMs: 1000 }, () => now);
    now = 60_000;
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(false);
  });

  it('take() waits for a token, and waiters go before tryTake()', async () => {
    const limiter = new RateLimiter({ requests: 1, perMs: 60 });
    expect(limiter.tryTake().ok).toBe(true);
    const waited = limiter.take(1000);
    // While a priority waiter is queued, creations are refused even if a token has refilled.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(limiter.tryTake().ok).toBe(false);
    expect(await waited).toBe(true);
    expect(limiter.tryTake().ok).toBe(false);
  });

  it('take() gives up after maxWaitMs', async () => {
    const limiter = new RateLimiter({ requests: 1, perMs: 10_000 });
    limiter.tryTake();
    const started = Date.now();
    expect(await limiter.take(40)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('serves several waiters in order as tokens refill', async () => {
    const limiter = new RateLimiter({ requests: 1, perMs: 20 });
    limiter.tryTake();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.take(2000).then((ok) => ok && order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new RateLimiter({ requests: 0, perMs: 1000 })).toThrow();
    expect(() => new RateLimiter({ requests: 1, perMs: 0 })).toThrow();
  });
});
