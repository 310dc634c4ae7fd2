import type { SessionPatch, SessionStore, StoredSession } from './sessionStore.js';
import { storeProxy } from './storeProxy.js';

// How long a measured offset to the store's clock is trusted before it is measured again: clocks drift
// by milliseconds a day, but one may be stepped (NTP) at any time.
const REMEASURE_MS = 10_000;

function shifted<T extends StoredSession | SessionPatch>(value: T, byMs: number): T {
  return value.lease ? { ...value, lease: { ...value.lease, until: value.lease.until + byMs } } : value;
}

/**
 * A lease (`StoredSession.lease.until`) is judged by every instance sharing the store, each with its own
 * clock: one whose clock runs ahead by more than the lease's margin would see a live lease as run out
 * and make a second result call, or a second `onVerified` call. With a store that tells its own time
 * (`time()`: Redis `TIME`), leases are kept on that clock: written as this instance's time plus its
 * offset to the store, and read back minus it, so everything above the store keeps working in this
 * instance's time and all instances agree on when a lease runs out. Other fields keep the writer's
 * clock: they schedule work, and a second early never makes a call twice. A store without `time()` is
 * used as it is (each instance's own clock, as before).
 */
export function leaseClockStore(store: SessionStore, clock: () => number): SessionStore {
  if (typeof store.time !== 'function') return store;
  const time = store.time.bind(store);
  let offset = 0;
  let measuredAt: number | undefined;
  let measuring: Promise<number> | undefined;

  /** The store's clock minus this instance's, measured at most every REMEASURE_MS (half the round trip is the error). */
  function offsetToStore(): Promise<number> {
    if (measuredAt !== undefined && Math.abs(clock() - measuredAt) < REMEASURE_MS) return Promise.resolve(offset);
    measuring ??= (async () => {
      const before = clock();
      const storeNow = await time();
      const after = clock();
      offset = Math.round(storeNow - (before + after) / 2);
      measuredAt = after;
      return offset;
    })().finally(() => (measuring = undefined));
    return measuring;
  }

  /** Into this instance's time: only sessions that hold a lease need the offset (most reads do not). */
  async function local<T extends StoredSession | undefined>(session: T): Promise<T> {
    return session?.lease ? shifted(session, -(await offsetToStore())) : session;
  }

  // Every other method runs as it is on the app's own object.
  return storeProxy(store, (name) => {
    switch (name) {
      case 'get':
        return async (id: string) => local(await store.get(id));
      case 'create':
        return async (session: StoredSession) => store.create(session.lease ? shifted(session, await offsetToStore()) : session);
      case 'update':
        return async (id: string, expectedVersion: number, patch: SessionPatch) => local(await store.update(id, expectedVersion, patch.lease ? shifted(patch, await offsetToStore()) : patch));
      default:
        return undefined;
    }
  });
}
