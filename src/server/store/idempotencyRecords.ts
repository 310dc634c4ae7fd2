import type { SessionStore } from './sessionStore.js';

/** Where idempotency keys live: the store's records when it has them, else this handler's memory. */
export interface IdempotencyRecords {
  get(key: string): Promise<string | undefined>;
  swap(key: string, expected: string | null, next: string | null, ttlMs: number): Promise<boolean>;
}

const MAX_LOCAL_RECORDS = 10_000;

export function idempotencyRecords(store: SessionStore, clock: () => number): IdempotencyRecords {
  if (store.getRecord && store.swapRecord) {
    return { get: store.getRecord.bind(store), swap: store.swapRecord.bind(store) };
  }
  // A custom store without records: keys are remembered per process (documented in SessionStore).
  const local = new Map<string, { value: string; until: number }>();
  const read = (key: string) => {
    const entry = local.get(key);
    if (entry && clock() >= entry.until) local.delete(key);
    return local.get(key)?.value;
  };
  return {
    async get(key) {
      return read(key);
    },
    async swap(key, expected, next, ttlMs) {
      if ((read(key) ?? null) !== expected) return false;
      if (next === null) local.delete(key);
      else {
        if (local.size >= MAX_LOCAL_RECORDS) local.delete(local.keys().next().value!);
        local.set(key, { value: next, until: clock() + ttlMs });
      }
      return true;
    },
  };
}
