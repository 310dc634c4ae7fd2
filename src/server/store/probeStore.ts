import type { SessionStore } from './sessionStore.js';

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

/**
 * Reads the store once (a session that does not exist) under a deadline of its own: resolves within
 * `deadlineMs` whatever the store does (answers, throws, hangs, queues commands while it reconnects),
 * never rejects, and never says why beyond `error` or `timeout` (a store's error may carry an address
 * or a password). The one place the health route asks the store; a shared deadline mechanism for every
 * store call can replace it without touching the route.
 */
export async function probeStore(store: SessionStore, deadlineMs: number): Promise<StoreProbe> {
  const now = Date.now();
  let read = reads.get(store);
  if (!read || now - read.startedAt >= deadlineMs / 2) {
    const answer = Promise.resolve()
      .then(() => store.get(PROBE_ID))
      .then(
        (): StoreProbe => ({ ok: true }),
        (): StoreProbe => ({ ok: false, reason: 'error' }),
      );
    const mine: Read = { answer, startedAt: now };
    reads.set(store, mine);
    void answer.then(() => reads.get(store) === mine && reads.delete(store));
    read = mine;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<StoreProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), deadlineMs);
  });
  try {
    return await Promise.race([read.answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
