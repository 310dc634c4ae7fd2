import type { SlotRequest, SlotResult } from './sessionStore.js';

interface Slot {
  at: number;
  id: string;
}

// Buckets of clients who never come back would pile up; past this many, empty ones are swept.
const SWEEP_ABOVE_BUCKETS = 1000;

/**
 * In-process sliding windows: the memory store's `takeSlot`, and each handler's own budget when its
 * store has none. A window remembers when each of its last `limit` slots was taken and grants a new one
 * only once the oldest has left, so no `windowMs` ever holds more than `limit` (a token bucket of the
 * same size lets almost twice that through in one window, and the upstream counts per window).
 */
export class SlidingWindows {
  private readonly buckets = new Map<string, Slot[]>();
  private readonly flags = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  private window(bucket: string, now: number, windowMs: number): Slot[] {
    const slots = (this.buckets.get(bucket) ?? []).filter((slot) => now - slot.at < windowMs);
    if (slots.length > 0) this.buckets.set(bucket, slots);
    else this.buckets.delete(bucket);
    return slots;
  }

  private sweep(now: number): void {
    if (this.buckets.size <= SWEEP_ABOVE_BUCKETS) return;
    // Without a window length at hand, a bucket whose newest slot is an hour old is surely empty.
    for (const [bucket, slots] of this.buckets) if (now - slots[slots.length - 1]!.at >= 3_600_000) this.buckets.delete(bucket);
  }

  take(request: SlotRequest): SlotResult {
    const now = this.clock();
    this.sweep(now);
    if (request.blockedBy) {
      const until = this.flags.get(request.blockedBy) ?? 0;
      if (until > now) return { ok: false, retryAfterMs: Math.max(1, until - now) };
    }
    const slots = this.window(request.bucket, now, request.windowMs);
    const capacity = Math.max(0, Math.floor(request.limit) - (request.keep ?? 0));
    if (slots.length < capacity) {
      slots.push({ at: now, id: request.slotId });
      this.buckets.set(request.bucket, slots);
      return { ok: true };
    }
    if (request.raiseOnRefusal) this.flags.set(request.raiseOnRefusal.flag, now + request.raiseOnRefusal.ms);
    // The slot that must leave before this caller fits; never below 1 ms, so callers never spin.
    const leaving = slots[slots.length - capacity];
    const retryAfterMs = leaving ? leaving.at + request.windowMs - now : request.windowMs;
    return { ok: false, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) };
  }

  give(bucket: string, slotId: string): void {
    const slots = this.buckets.get(bucket);
    if (!slots) return;
    const index = slots.findIndex((slot) => slot.id === slotId);
    if (index >= 0) slots.splice(index, 1);
  }
}
