import { withDeadline } from './guardedStore.js';
import type { SessionStore } from './sessionStore.js';
import { isLivenessStoreError } from './storeError.js';

/** What one probe of the store found: it answered, or it failed (threw) or did not answer in time. */
export type StoreProbe = { ok: true } | { ok: false; reason: 'error' | 'timeout' };

// Never a session id (those are 22 base64url characters): the read finds nothing, whatever the store.
const PROBE_ID = 'health-probe';

interface Read {
  answer: Promise<StoreProbe>;
  startedAt: number;
}

// One read in flight per store: probes that arrive while it is young wait for it (each under its own
// deadline), so a hung store is sent at most a few reads a second however many checks arrive. A read
// older than half the deadline is not joined, so one lost command cannot keep the store "unavailable"
// after it is back.
const reads = new WeakMap<SessionStore, Read>();

const asProbe = (error: unknown): StoreProbe => ({ ok: false, reason: isLivenessStoreError(error) && error.storeError === 'timeout' ? 'timeout' : 'error' });

/**
 * Reads the store once (a session that does not exist) through the handler's guarded store (the same
 * deadline, classes and `store.error` events as every route's calls), and within `deadlineMs` of its
 * own, shorter than a route's: resolves whatever the store does (answers, throws, hangs, or is
 * skipped because a call is stuck), never rejects, and never says why beyond `error` or `timeout` (a
 * store's error may carry an address or a password).
 */
export async function probeStore(store: SessionStore, deadlineMs: number): Promise<StoreProbe> {
  const now = Date.now();
  let read = reads.get(store);
  if (!read || now - read.startedAt >= deadlineMs / 2) {
    const answer = Promise.resolve()
      .then(() => store.get(PROBE_ID))
      .then((): StoreProbe => ({ ok: true }), asProbe);
    const mine: Read = { answer, startedAt: now };
    reads.set(store, mine);
    void answer.then(() => reads.get(store) === mine && reads.delete(store));
    read = mine;
  }
  return withDeadline(read.answer, deadlineMs).catch(asProbe);
}
