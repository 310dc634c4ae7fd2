import { ChangeListeners } from './changeListeners.js';
import { SlidingWindows } from '../upstream/slidingWindows.js';
import type { SessionPatch, SessionStore, StoredSession } from './sessionStore.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions held at once. When full, expired sessions go first, then the oldest, except those
   * holding a GroupId still owed to `onVerified` (only a passed face check makes one). Bounded so that
   * a flood of session requests cannot grow memory without limit.
   * @default 10000
   */
  maxSessions?: number;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

/**
 * An in-process store: right for one server process (and for tests). Sessions vanish on restart and
 * are not shared between processes; use {@link redisStore} for that. Handlers sharing one memory store
 * (in one process) share its idempotency records, upstream budget and change notifications too.
 */
export function memoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const maxSessions = options.maxSessions ?? 10_000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new Error('memoryStore: maxSessions must be a positive integer.');
  }
  const clock = options.clock ?? Date.now;
  // A Map iterates in insertion order, which is creation order: the first key is the oldest session.
  const sessions = new Map<string, StoredSession>();
  const records = new Map<string, { value: string; until: number }>();
  const windows = new SlidingWindows(clock);
  // Every write of this process goes through the methods below, so these hear of all of them.
  const listeners = new ChangeListeners();

  function live(id: string): StoredSession | undefined {
    const session = sessions.get(id);
    if (session && clock() >= session.purgeAt) {
      sessions.delete(id);
      return undefined;
    }
    return session;
  }

  // The earliest `purgeAt` of any stored session, or earlier (every write lowers it, each sweep makes it
  // exact): before it nothing has expired, so a full store flooded with live sessions evicts the oldest
  // without first reading every session for expired ones on each create.
  let firstPurge = Infinity;
  // The same for the idempotency records' `until`.
  let firstRecordEnd = Infinity;

  function makeRoom(): void {
    if (sessions.size < maxSessions) return;
    const now = clock();
    if (now >= firstPurge) {
      firstPurge = Infinity;
      for (const [id, session] of sessions) {
        if (now >= session.purgeAt) sessions.delete(id);
        else firstPurge = Math.min(firstPurge, session.purgeAt);
      }
    }
    for (const [id, session] of sessions) {
      if (sessions.size < maxSessions) break;
      // A GroupId the app's `onVerified` has not taken yet exists nowhere else (the upstream answers it
      // once): never evicted. Only people who passed a face check make one, so they cannot flood memory.
      if (session.status === 'checking' && session.groupId !== undefined) continue;
      sessions.delete(id);
    }
  }

  function record(key: string): string | undefined {
    const entry = records.get(key);
    if (entry && clock() >= entry.until) {
      records.delete(key);
      return undefined;
    }
    return entry?.value;
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
      sessions.set(session.id, { ...session, version: session.version ?? 0 });
      firstPurge = Math.min(firstPurge, session.purgeAt);
      listeners.notify(session.id);
    },
    async update(id: string, expectedVersion: number, patch: SessionPatch) {
      // Check and write happen in one synchronous step, so this is atomic within the process.
      const session = live(id);
      if (!session || (session.version ?? 0) !== expectedVersion) return undefined;
      const merged: StoredSession = { ...session, ...patch, version: expectedVersion + 1 };
      // Copied without the fields the patch cleared, rather than `delete`d from: an object that lost a
      // property turns into a slow dictionary, and every read of the session copies it (a status poll's
      // largest own cost in the profile of issue 27, 2.9 µs against 0.3 µs per copy).
      const next = {} as Record<string, unknown>;
      for (const key in merged) {
        const value = merged[key as keyof StoredSession];
        if (value !== undefined) next[key] = value;
      }
      sessions.set(id, next as unknown as StoredSession);
      firstPurge = Math.min(firstPurge, merged.purgeAt);
      listeners.notify(id);
      return { ...(next as unknown as StoredSession) };
    },
    async delete(id) {
      sessions.delete(id);
      listeners.notify(id);
    },
    async getRecord(key) {
      return record(key);
    },
    async swapRecord(key, expected, next, ttlMs) {
      if ((record(key) ?? null) !== expected) return false;
      if (next === null) records.delete(key);
      else {
        const until = clock() + ttlMs;
        records.set(key, { value: next, until });
        firstRecordEnd = Math.min(firstRecordEnd, until);
      }
      // Expired records of keys never asked for again would pile up: swept once there are more than
      // maxSessions and one of them has expired (not on every write while none has).
      if (records.size > maxSessions && clock() >= firstRecordEnd) {
        firstRecordEnd = Infinity;
        for (const name of [...records.keys()]) if (record(name) !== undefined) firstRecordEnd = Math.min(firstRecordEnd, records.get(name)!.until);
      }
      return true;
    },
    async takeSlot(request) {
      return windows.take(request);
    },
    async returnSlot(bucket, slotId) {
      windows.give(bucket, slotId);
    },
    subscribe(id, onChange) {
      return { live: true, close: listeners.add(id, onChange) };
    },
  };
}
