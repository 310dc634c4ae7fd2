import type { SessionPatch, SessionStore, StoredSession } from './sessionStore.js';

// Losing the compare-and-set means another writer changed the session in between; re-reading and
// deciding again settles any real race within a few rounds.
const MAX_ROUNDS = 10;

/**
 * Read-modify-write on the store's compare-and-set: `change` sees the current session and returns the
 * patch to apply, or `undefined` to leave it. Resolves to the session as it then is and whether this
 * call changed it; `undefined` when the session does not exist.
 */
export async function mutateSession(store: SessionStore, id: string, change: (session: StoredSession) => SessionPatch | undefined): Promise<{ session: StoredSession; changed: boolean } | undefined> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const session = await store.get(id);
    if (!session) return undefined;
    const patch = change(session);
    if (!patch) return { session, changed: false };
    const next = await store.update(id, session.version ?? 0, patch);
    if (next) return { session: next, changed: true };
  }
  const session = await store.get(id);
  return session ? { session, changed: false } : undefined;
}
