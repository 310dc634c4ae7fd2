import type { SessionPatch, SessionStore, StoredSession, StoredSessionStatus } from './sessionStore.js';

/**
 * The one Redis call this store needs. node-redis v4/v5 clients satisfy it as they are; for ioredis pass
 * `{ eval: (script, o) => redis.eval(script, o.keys.length, ...o.keys, ...o.arguments) }`.
 * Typed structurally so that this package never imports a Redis library.
 */
export interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** A connected client. The store never connects, quits or closes it. */
  client: RedisEvalClient;
  /** Prefix of every key, so several apps can share one Redis. @default 'liveness:session:' */
  prefix?: string;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

const GET = "return redis.call('GET', KEYS[1])";
// NX: a fresh random id never collides, but if it ever did, overwriting another person's session is worse than failing.
const CREATE = "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end return 0";
// Compare-and-set on the whole stored value: no JSON handling inside Lua, and KEEPTTL keeps the purge time.
const SWAP =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";
const DELETE = "return redis.call('DEL', KEYS[1])";

// Losing a swap only means another writer changed the session; a few retries settle any real race.
const MAX_SWAP_ATTEMPTS = 8;

function parse(raw: unknown): StoredSession | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const value = JSON.parse(raw) as StoredSession;
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A store in Redis, shared by every handler instance that uses the same prefix, and surviving restarts.
 * Each session is one string key holding JSON; it expires (PX) at the session's `purgeAt`, a while
 * after the link itself expires. Updates are atomic compare-and-set Lua scripts, so exactly one
 * instance can claim a session's single result call.
 */
export function redisStore(options: RedisStoreOptions): SessionStore {
  const { client } = options;
  if (!client || typeof client.eval !== 'function') {
    throw new Error('redisStore: `client` must be a connected Redis client with an `eval` method.');
  }
  const prefix = options.prefix ?? 'liveness:session:';
  const clock = options.clock ?? Date.now;
  const key = (id: string) => prefix + id;

  async function read(id: string): Promise<{ raw: string; session: StoredSession } | undefined> {
    const raw = await client.eval(GET, { keys: [key(id)], arguments: [] });
    const session = parse(raw);
    return session && typeof raw === 'string' ? { raw, session } : undefined;
  }

  return {
    async get(id) {
      return (await read(id))?.session;
    },
    async create(session) {
      const ttl = Math.max(1, Math.ceil(session.purgeAt - clock()));
      const created = await client.eval(CREATE, {
        keys: [key(session.id)],
        arguments: [JSON.stringify(session), String(ttl)],
      });
      if (Number(created) !== 1) throw new Error('redisStore: a session with this id already exists.');
    },
    async update(id: string, expectedStatus: StoredSessionStatus, patch: SessionPatch) {
      for (let attempt = 0; attempt < MAX_SWAP_ATTEMPTS; attempt += 1) {
        const current = await read(id);
        if (!current || current.session.status !== expectedStatus) return undefined;
        const next: StoredSession = { ...current.session, ...patch };
        const swapped = await client.eval(SWAP, {
          keys: [key(id)],
          arguments: [current.raw, JSON.stringify(next)],
        });
        if (Number(swapped) === 1) return next;
      }
      return undefined;
    },
    async delete(id) {
      await client.eval(DELETE, { keys: [key(id)], arguments: [] });
    },
  };
}
