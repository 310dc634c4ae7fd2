import type { NextStep } from './resultSchedule.js';

interface Pending {
  at: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Timers that run a session's next step when it falls due, on long-lived servers only as a bonus:
 * requests drive the same steps, and on serverless platforms timers may never fire. One timer per
 * session, the earliest wins; unref'd, so they never keep a process alive.
 */
export class SessionTimers {
  private readonly pending = new Map<string, Pending>();
  /** The due time each timer last fired for: firing again for the same time would spin. */
  private readonly fired = new Map<string, number>();

  constructor(
    private readonly enabled: boolean,
    private readonly clock: () => number,
    private readonly run: (id: string) => void,
  ) {}

  schedule(id: string, step: NextStep): void {
    if (!this.enabled || step.kind === 'idle') return;
    const existing = this.pending.get(id);
    if (existing && existing.at <= step.at) return;
    // An injected clock that stands still (tests) would make the same step due "later" forever.
    if (this.fired.get(id) === step.at && this.clock() < step.at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.pending.delete(id);
      this.fired.set(id, step.at);
      if (this.fired.size > 10_000) this.fired.clear();
      this.run(id);
    }, Math.max(0, step.at - this.clock()));
    (timer as { unref?: () => void }).unref?.();
    this.pending.set(id, { at: step.at, timer });
  }
}
