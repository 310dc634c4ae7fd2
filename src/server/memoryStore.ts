import type { SessionPatch, SessionStore, StoredSession, StoredSessionStatus } from './sessionStore.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions held at once. When full, expired sessions go first, then the oldest. Bounded so that
   * a flood of session requests cannot grow memory without limit.
   * @default 10000
   */
  maxSessions?: number;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

/**
 * An in-process store: right for one server process (and for tests). Sessions vanish on restart and
 * are not shared between processes; use {@link redisStore} for that.
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const maxSessions = options.maxSessions ?? 10_000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new Error('memoryStore: maxSessions must be a positive integer.');
  }
  const clock = options.clock ?? Date.now;
  // A Map iterates in insertion order, which is creation order: the first key is the oldest session.
  const sessions = new Map<string, StoredSession>();

  function live(id: string): StoredSession | undefined {
    const session = sessions.get(id);
    if (session && clock() >= session.purgeAt) {
      sessions.delete(id);
      return undefined;
    }
    return session;
  }

  function makeRoom(): void {
    if (sessions.size < maxSessions) return;
    const now = clock();
    for (const [id, session] of sessions) if (now >= session.purgeAt) sessions.delete(id);
    while (sessions.size >= maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
  }

  // Copies in and out, so a caller mutating its object cannot change stored state behind the CAS.
  return {
    async get(id) {
      const session = live(id);
      return session ? { ...session } : undefined;
    },
    async create(session) {
      if (live(session.id)) throw new Error('memoryStore: a session with this id already exists.');
      makeRoom();
      sessions.set(session.id, { ...session });
    },
    async update(id: string, expectedStatus: StoredSessionStatus, patch: SessionPatch) {
      // Check and write happen in one synchronous step, so this is atomic within the process.
      const session = live(id);
      if (!session || session.status !== expectedStatus) return undefined;
      const next = { ...session, ...patch };
      sessions.set(id, next);
      return { ...next };
    },
    async delete(id) {
      sessions.delete(id);
    },
  };
}
