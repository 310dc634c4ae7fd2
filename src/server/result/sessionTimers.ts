import { STORE_RETRY_BACKOFF_MS, STORE_RETRY_GIVE_UP_MS } from '../limits.js';
import type { NextStep } from './resultSchedule.js';

interface Pending {
  at: number;
  timer: ReturnType<typeof setTimeout>;
}

// Sessions whose background run is being retried after store failures, at most (the oldest is dropped).
const MAX_RETRYING = 10_000;

/**
 * Timers that run a session's next step when it falls due, on long-lived servers only as a bonus:
 * requests drive the same steps, and on serverless platforms timers may never fire. One timer per
 * session, the earliest wins; unref'd, so they never keep a process alive.
 */
export class SessionTimers {
  private readonly pending = new Map<string, Pending>();
  /** The due time each timer last fired for: firing again for the same time would spin. */
  private readonly fired = new Map<string, number>();
  /** Sessions whose last run met a failing store: how many runs in a row, since when. */
  private readonly failing = new Map<string, { runs: number; since: number }>();

  constructor(
    private readonly enabled: boolean,
    private readonly clock: () => number,
    private readonly run: (id: string) => void,
  ) {}

  schedule(id: string, step: NextStep): void {
    if (!this.enabled || step.kind === 'idle') return;
    // An injected clock that stands still (tests) would make the same step due "later" forever.
    if (this.fired.get(id) === step.at && this.clock() < step.at) return;
    this.arm(id, step.at);
  }

  /**
   * The run for `id` met a failing store (Redis down, restarting, failing over): run it again after a
   * back-off (1 s, 2 s, 5 s, 10 s, then every 30 s), so the session's work resumes on its own once the
   * store is back (a lease taken up again, a check for a lost callback), until 40 minutes have passed.
   */
  retry(id: string): void {
    if (!this.enabled) return;
    const now = this.clock();
    const failing = this.failing.get(id) ?? { runs: 0, since: now };
    failing.runs += 1;
    this.failing.delete(id);
    if (now - failing.since > STORE_RETRY_GIVE_UP_MS) return;
    if (this.failing.size >= MAX_RETRYING) this.failing.delete(this.failing.keys().next().value!);
    this.failing.set(id, failing);
    this.arm(id, now + STORE_RETRY_BACKOFF_MS[Math.min(failing.runs, STORE_RETRY_BACKOFF_MS.length) - 1]!);
  }

  /** The run for `id` reached the store again: a later failure starts its back-off anew. */
  recovered(id: string): void {
    this.failing.delete(id);
  }

  private arm(id: string, at: number): void {
    const existing = this.pending.get(id);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        this.pending.delete(id);
        this.fired.set(id, at);
        if (this.fired.size > 10_000) this.fired.clear();
        this.run(id);
      },
      Math.max(0, at - this.clock()),
    );
    (timer as { unref?: () => void }).unref?.();
    this.pending.set(id, { at, timer });
  }
}
