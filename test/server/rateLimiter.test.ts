// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/server/rateLimiter.js';

describe('RateLimiter', () => {
  it('allows a burst of `requests`, then refuses with a Retry-After until a token refills', () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 3, perMs: 1000 }, () => now);
    expect([limiter.tryTake(), limiter.tryTake(), limiter.tryTake()].every((r) => r.ok)).toBe(true);
    const refused = limiter.tryTake();
    expect(refused).toEqual({ ok: false, retryAfterMs: 334 });
    now = 333;
    expect(limiter.tryTake().ok).toBe(false);
    now = 334;
    expect(limiter.tryTake().ok).toBe(true);
    expect(limiter.tryTake().ok).toBe(false);
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
