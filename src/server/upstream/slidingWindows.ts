import type { SlotRequest, SlotResult } from '../store/sessionStore.js';

interface Slot {
  at: number;
  id: string;
}

interface Bucket {
  /** Oldest first; never empty while the bucket is in the map. */
  slots: Slot[];
  /** The window its last request named: past it, its newest slot has left and the bucket is empty. */
  windowMs: number;
}

/**
 * Most buckets held at once. A client that rotates addresses (IPv6 gives one millions) makes a bucket
 * per address; past this many, the least recently granted buckets are forgotten, so memory stays
 * bounded whatever clients do: about 6 MB, ~550 B a bucket (`node bench/budgetBuckets.mjs`). With the
 * default upstream budget far fewer are ever live: a client bucket keeps a slot only when the shared
 * create budget granted one too, i.e. at most 3 per second, 183 per client window of a minute.
 */
export const MAX_BUCKETS = 10_000;

/**
 * In-process sliding windows: the memory store's `takeSlot`, and each handler's own budget when its
 * store has none. A window remembers when each of its last `limit` slots was taken and grants a new one
 * only once the oldest has left, so no `windowMs` ever holds more than `limit` (a token bucket of the
 * same size lets almost twice that through in one window, and the upstream counts per window).
 *
 * Buckets are kept in the order their last slot was granted (a Map iterates in insertion order), so
 * when there are too many the first ones are the least recently used.
 */
export class SlidingWindows {
  private readonly buckets = new Map<string, Bucket>();
  private readonly flags = new Map<string, number>();
  private grants = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxBuckets: number = MAX_BUCKETS,
  ) {}

  /** Buckets held now (each holds at least one slot). */
  get size(): number {
    return this.buckets.size;
  }

  /** The bucket's slots still inside its window; an empty one is forgotten. */
  private window(name: string, now: number, windowMs: number): Slot[] {
    const bucket = this.buckets.get(name);
    if (!bucket) return [];
    const slots = bucket.slots.filter((slot) => now - slot.at < windowMs);
    if (slots.length === 0) this.buckets.delete(name);
    else bucket.slots = slots;
    return slots;
  }

  /**
   * Forgets the buckets whose window has passed and, if more than `maxBuckets` are still live, the least
   * recently granted, down to nine tenths of the bound. Runs every 1024 grants and when over the
   * bound, so its passes are spread over the grants that made them necessary. An empty bucket cannot be
   * in the map (see `give`), but one must never break a sweep.
   */
  private prune(now: number): void {
    for (const [name, bucket] of this.buckets) {
      const newest = bucket.slots[bucket.slots.length - 1];
      if (!newest || now - newest.at >= bucket.windowMs) this.buckets.delete(name);
    }
    if (this.buckets.size <= this.maxBuckets) return;
    const target = Math.floor(this.maxBuckets * 0.9);
    for (const name of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(name);
    }
  }

  take(request: SlotRequest): SlotResult {
    const now = this.clock();
    if (request.blockedBy) {
      const until = this.flags.get(request.blockedBy) ?? 0;
      if (until > now) return { ok: false, retryAfterMs: Math.max(1, until - now) };
    }
    const slots = this.window(request.bucket, now, request.windowMs);
    const capacity = Math.max(0, Math.floor(request.limit) - (request.keep ?? 0));
    if (slots.length < capacity) {
      slots.push({ at: now, id: request.slotId });
      // Re-inserted, so it moves to the end: the map stays ordered by the last grant.
      this.buckets.delete(request.bucket);
      this.buckets.set(request.bucket, { slots, windowMs: request.windowMs });
      this.grants += 1;
      if (this.buckets.size > this.maxBuckets || this.grants % 1024 === 0) this.prune(now);
      return { ok: true };
    }
    if (request.raiseOnRefusal) this.flags.set(request.raiseOnRefusal.flag, now + request.raiseOnRefusal.ms);
    // The slot that must leave before this caller fits; never below 1 ms, so callers never spin.
    const leaving = slots[slots.length - capacity];
    const retryAfterMs = leaving ? leaving.at + request.windowMs - now : request.windowMs;
    return { ok: false, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) };
  }

  give(bucket: string, slotId: string): void {
    const held = this.buckets.get(bucket);
    if (!held) return;
    const index = held.slots.findIndex((slot) => slot.id === slotId);
    if (index >= 0) held.slots.splice(index, 1);
    // A slot handed back may have been the only one (a create the shared budget refused): no empty bucket stays.
    if (held.slots.length === 0) this.buckets.delete(bucket);
  }
}
