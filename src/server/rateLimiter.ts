/**
 * Upstream budget: at most `requests` calls in any `perMs` window. Each window is held a little longer
 * (5 % of `perMs`, at most 100 ms), because the upstream counts arrivals, and a call sent exactly one
 * window after another can arrive a few milliseconds early relative to it.
 */
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
 * A sliding-window limiter with a priority lane. It remembers when each of the last `requests` calls
 * was allowed and lets a new one through only once the oldest is `perMs` old, so no window of `perMs`
 * ever holds more than `requests` calls. (A token bucket of the same size does not promise that: a
 * full bucket plus its refill lets almost twice the limit through within one window, and the upstream
 * counts per window.)
 *
 * Session creation uses `tryTake` and is refused at once when the window is full (the browser gets a
 * 429 and retries), so nothing queues without bound. Result calls use `take`: they wait in line ahead
 * of every creation, because the person has already done the face check and dropping that call would
 * throw their verification away; the wait is capped by the caller.
 */
export class RateLimiter {
  /** When each call inside the current window was allowed, oldest first. */
  private readonly granted: number[] = [];
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limit: UpstreamRateLimit,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(limit.requests >= 1) || !(limit.perMs > 0)) {
      throw new Error('upstreamRateLimit needs requests >= 1 and perMs > 0.');
    }
  }

  /** The window as enforced here: `perMs` plus a guard against jitter between here and the upstream. */
  private get windowMs(): number {
    return this.limit.perMs + Math.min(100, this.limit.perMs * 0.05);
  }

  private prune(now: number): void {
    while (this.granted.length > 0 && now - this.granted[0]! >= this.windowMs) this.granted.shift();
  }

  /** Takes a slot if one is free and nobody with priority is waiting. */
  tryTake(): TakeResult {
    const now = this.clock();
    this.prune(now);
    const capacity = Math.floor(this.limit.requests);
    if (this.waiters.length === 0 && this.granted.length < capacity) {
      this.granted.push(now);
      return { ok: true };
    }
    // The waiters ahead take the next free slots; this caller would get the one after them. An estimate
    // (slots freed in the meantime are counted as they stand now), never below 1 ms so clients never spin.
    const position = Math.max(0, this.waiters.length - (capacity - this.granted.length));
    const base = this.granted[position % capacity] ?? now;
    const rounds = Math.floor(position / capacity) + 1;
    return { ok: false, retryAfterMs: Math.max(1, Math.ceil(base + rounds * this.windowMs - now)) };
  }

  /** Waits (ahead of `tryTake` callers) for a slot; resolves `false` after `maxWaitMs` without one. */
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
    const oldest = this.granted[0];
    const wait = oldest === undefined ? 1 : Math.max(1, Math.ceil(oldest + this.windowMs - this.clock()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = this.clock();
      this.prune(now);
      while (this.waiters.length > 0 && this.granted.length < Math.floor(this.limit.requests)) {
        this.granted.push(now);
        this.waiters.shift()?.grant();
      }
      this.schedule();
    }, wait);
  }
}
