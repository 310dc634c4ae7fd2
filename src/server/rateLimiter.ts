/** Upstream budget: at most `requests` calls in any `perMs` window (a token bucket of that size). */
export interface UpstreamRateLimit {
  /** @default 3 */
  requests: number;
  /** @default 1000 */
  perMs: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

interface Waiter {
  grant: () => void;
}

/**
 * A token bucket with a priority lane. Session creation uses `tryTake` and is refused at once when the
 * bucket is empty (the browser gets a 429 and retries), so nothing queues without bound. Result calls
 * use `take`: they wait in line ahead of every creation, because the person has already done the face
 * check and dropping that call would throw their verification away; the wait is capped by the caller.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: UpstreamRateLimit,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(limit.requests >= 1) || !(limit.perMs > 0)) {
      throw new Error('upstreamRateLimit needs requests >= 1 and perMs > 0.');
    }
    this.tokens = limit.requests;
    this.last = clock();
  }

  private get msPerToken(): number {
    return this.limit.perMs / this.limit.requests;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.limit.requests, this.tokens + (now - this.last) / this.msPerToken);
    this.last = now;
  }

  /** Takes a token if one is free and nobody with priority is waiting. */
  tryTake(): TakeResult {
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    // Every waiter ahead needs a token too before a new creation could go through.
    const missing = 1 - this.tokens + this.waiters.length;
    return { ok: false, retryAfterMs: Math.ceil(missing * this.msPerToken) };
  }

  /** Waits (ahead of `tryTake` callers) for a token; resolves `false` after `maxWaitMs` without one. */
  take(maxWaitMs: number): Promise<boolean> {
    const now = this.tryTake();
    if (now.ok) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(deadline);
          resolve(true);
        },
      };
      const deadline = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        resolve(false);
      }, maxWaitMs);
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const wait = Math.max(1, Math.ceil((1 - this.tokens) * this.msPerToken));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.waiters.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiters.shift()?.grant();
      }
      this.schedule();
    }, wait);
  }
}
