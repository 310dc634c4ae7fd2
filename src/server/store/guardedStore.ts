import { classifyStoreError, LivenessStoreError, type StoreErrorClass } from './storeError.js';
import type { SessionStore } from './sessionStore.js';

/** The store's methods that talk to it; the others (`subscribe`, `close`) are passed through as they are. */
const CALLS = new Set<PropertyKey>(['get', 'create', 'update', 'delete', 'getRecord', 'swapRecord', 'takeSlot', 'returnSlot', 'time']);

export interface StoreGuardOptions {
  /** Deadline of each call. */
  timeoutMs: number;
  /**
   * How long a call that missed its deadline keeps others from being sent: while it has not come back,
   * the store is taken to be stuck and calls fail at once (a client that queues commands while its
   * server is gone would otherwise hold one more for every request). After this, one call is sent
   * again, so a command lost for good cannot keep the store "unavailable".
   */
  stuckMs: number;
  /** Told of each failed call, with its class only. */
  onError: (storeError: StoreErrorClass) => void;
}

/**
 * `promise`, or a {@link LivenessStoreError} of class `timeout` once `ms` have passed; a rejection
 * becomes a `LivenessStoreError` of its class. The promise itself is left to settle on its own.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LivenessStoreError('timeout')), ms);
  });
  try {
    return await Promise.race([promise.catch((error: unknown) => Promise.reject(new LivenessStoreError(classifyStoreError(error)))), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The store as the handler uses it: every call under a deadline, every failure turned into a
 * {@link LivenessStoreError} that names its class (never the store's own message, which may carry a
 * key, an address or a password) and reported through `onError`. A call that misses its deadline marks
 * the store stuck: until it comes back (or `stuckMs` pass), further calls fail at once instead of piling
 * up behind it. Everything else (`subscribe`, `close`, unknown methods) is the store's own, unchanged.
 */
export function guardedStore(store: SessionStore, options: StoreGuardOptions): SessionStore {
  const { timeoutMs, stuckMs, onError } = options;
  /** The call that missed its deadline and has not come back yet, and when it was sent. */
  let stuck: { since: number } | undefined;

  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    if (stuck && Date.now() - stuck.since < stuckMs) {
      onError('timeout');
      throw new LivenessStoreError('timeout');
    }
    const sent = { since: Date.now() };
    let settled = false;
    // A store method that throws instead of rejecting is a failure of the same kind.
    const call = Promise.resolve().then(run);
    void call.then(
      () => {
        settled = true;
        if (stuck === sent) stuck = undefined;
      },
      () => {
        settled = true;
        if (stuck === sent) stuck = undefined;
      },
    );
    try {
      return await withDeadline(call, timeoutMs);
    } catch (error) {
      const storeError = (error as LivenessStoreError).storeError;
      if (storeError === 'timeout' && !settled) stuck = sent;
      onError(storeError);
      throw error;
    }
  }

  // A proxy rather than a copy, as in `sessionFeed`: an app's store may be a class instance with private fields.
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      if (!CALLS.has(name)) return value.bind(target);
      return (...args: unknown[]) => guarded(() => value.apply(target, args) as Promise<unknown>);
    },
  });
}
