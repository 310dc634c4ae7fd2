import { ChangeListeners } from './changeListeners.js';
import { clusterTopology } from './clusterTopology.js';
import { redisKeys } from './redisKeys.js';
import type { SessionPatch, SessionStore, SlotRequest, StoredSession } from './sessionStore.js';
import { LivenessStoreError } from './storeError.js';

/**
 * The one Redis call this store needs. node-redis v4/v5 clients (`createClient`, and `createCluster` for
 * a Redis Cluster) satisfy it as they are; for ioredis (`new Redis(…)` or `new Redis.Cluster(…)`) pass
 * `{ eval: (script, o) => redis.eval(script, o.keys.length, ...o.keys, ...o.arguments) }`.
 * Typed structurally so that this package never imports a Redis library.
 */
export interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /**
   * node-redis: `false` while the client has no connection (it is reconnecting). The store then fails
   * the call at once (the route answers 503) instead of letting the client queue it: queued commands
   * would pile up for as long as Redis is gone, and run late once it is back.
   */
  readonly isReady?: boolean;
}

/**
 * A Redis connection for change notifications (pub/sub). node-redis v4/v5 clients satisfy it as they
 * are; for ioredis pass `{ subscribe: (channel, listener) => { sub.on('message', (c, m) => c === channel && listener(m, c)); return sub.subscribe(channel); } }`.
 */
export interface RedisSubscriberClient {
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** `false` while the connection is down (node-redis): streams then read the store at the poll interval. */
  readonly isReady?: boolean;
  /** node-redis emits `ready` on every (re)connection; the store then has every stream read its session again. */
  on?(event: 'ready', listener: () => void): unknown;
}

/** What the store needs of a client it duplicates for notifications (node-redis `client.duplicate()`). */
interface DuplicatedClient extends RedisSubscriberClient {
  connect(): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): unknown;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client. The store never connects, quits or closes it. With a `duplicate()` method
   * (node-redis), the store makes its notification connection from it unless `subscriber` is given.
   */
  client: RedisEvalClient & { duplicate?: () => unknown };
  /**
   * The connection on which the store listens for session changes (Redis pub/sub), so that an event
   * stream held by one instance hears at once of a result another instance recorded. A connection in
   * subscriber mode can do nothing else: pass a connected client of its own (the store never closes
   * it), or leave this out and the store makes one with `client.duplicate()` when the first stream
   * opens (closed by `store.close()`). `false`: no notifications; streams read the store every 2 s.
   * Every write publishes the session id on the channel `{prefix}changes` either way.
   * @default client.duplicate(), connected on first use
   */
  subscriber?: RedisSubscriberClient | false;
  /**
   * Prefix of every key, so several apps can share one Redis. Instances with the same prefix share
   * sessions, idempotency keys and the upstream budget. Keys carry Redis Cluster hash tags after it
   * (`{prefix}{<session id>}`, `{prefix}{budget}:window:…`), so that a script's keys share a slot and
   * sessions spread over the slots; a prefix that holds a hash tag of its own (`'{rls}:'`) puts every
   * key on that one slot. @default 'liveness:session:'
   */
  prefix?: string;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  clock?: () => number;
}

const GET = "return redis.call('GET', KEYS[1])";
// Each write publishes the session id (last two ARGV: channel, id) in the same script, so no instance
// can die between writing and telling the others' event streams.
// NX: a fresh random id never collides, but if it ever did, overwriting another person's session is worse than failing.
const CREATE = "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then redis.call('PUBLISH', ARGV[3], ARGV[4]) return 1 end return 0";
// Compare-and-set on the whole stored value (which holds the version): no JSON handling inside Lua. The
// expiry is set anew, because a session whose result is being fetched lives longer than first planned.
const SWAP =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) redis.call('PUBLISH', ARGV[4], ARGV[5]) return 1 end return 0";
const DELETE = "local n = redis.call('DEL', KEYS[1]) redis.call('PUBLISH', ARGV[1], ARGV[2]) return n";
// ARGV[1] expected ('' = absent), ARGV[2] next ('' = delete), ARGV[3] ttl ms.
const SWAP_RECORD = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] ~= '') or (current ~= false and current ~= ARGV[1]) then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;
// A sliding-window log in a sorted set, timed by the Redis server's own clock so that instances with
// skewed clocks still agree. KEYS: window, blocking flag, flag to raise. ARGV: limit, window ms, keep,
// slot id, ms to raise the flag for (0: none), whether to honour the blocking flag.
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if ARGV[6] == '1' then
  local blocked = redis.call('PTTL', KEYS[2])
  if blocked > 0 then return {0, blocked} end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local capacity = math.max(0, limit - keep)
local count = redis.call('ZCARD', KEYS[1])
if count < capacity then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
if tonumber(ARGV[5]) > 0 then redis.call('SET', KEYS[3], '1', 'PX', ARGV[5]) end
if capacity == 0 then return {0, window} end
local leaving = redis.call('ZRANGE', KEYS[1], count - capacity, count - capacity, 'WITHSCORES')
return {0, math.max(1, tonumber(leaving[2]) + window - now)}`;
const RETURN_SLOT = "return redis.call('ZREM', KEYS[1], ARGV[1])";
// The server's clock, as TAKE_SLOT reads it: leases are kept on it (see `SessionStore.time`).
const TIME = "return redis.call('TIME')";

function parse(raw: unknown): StoredSession | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const value = JSON.parse(raw) as StoredSession;
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The store {@link redisStore} returns. */
export interface RedisSessionStore extends SessionStore {
  /** Closes the notification connection the store made with `client.duplicate()` (never one you passed). */
  close(): Promise<void>;
}

/**
 * A store in Redis, shared by every handler instance that uses the same prefix, and surviving restarts.
 * Each session is one string key holding JSON; it expires (PX) at the session's `purgeAt`. Updates are
 * atomic compare-and-set Lua scripts, so exactly one instance can claim a session's result call; the
 * upstream budget is one sliding window per action in Redis, so instances together keep to it; leases
 * are kept on the Redis server's clock (`time`), so instances whose clocks differ agree on them. Every
 * write is published, so event streams on every instance hear of it (see `subscriber`).
 */
export function redisStore(options: RedisStoreOptions): RedisSessionStore {
  const { client } = options;
  if (!client || typeof client.eval !== 'function') {
    throw new Error('redisStore: `client` must be a connected Redis client with an `eval` method.');
  }
  const prefix = options.prefix ?? 'liveness:session:';
  const clock = options.clock ?? Date.now;
  const keys = redisKeys(prefix);
  const ttl = (session: StoredSession) => String(Math.max(1, Math.ceil(session.purgeAt - clock())));
  const { channel } = keys;
  const changes = subscriptions(options, channel);
  const topology = clusterTopology(client);

  /** One script, never queued by a client that has lost its connection; on a cluster, watched for a failover. */
  function run(script: string, scriptKeys: string[], args: string[]): Promise<unknown> {
    if (client.isReady === false) return Promise.reject(new LivenessStoreError('connection'));
    const command = client.eval(script, { keys: scriptKeys, arguments: args });
    return topology ? topology.watch(command) : command;
  }

  async function read(id: string): Promise<{ raw: string; session: StoredSession } | undefined> {
    const raw = await run(GET, [keys.session(id)], []);
    const session = parse(raw);
    return session && typeof raw === 'string' ? { raw, session } : undefined;
  }

  return {
    async get(id) {
      return (await read(id))?.session;
    },
    async create(session) {
      const created = await run(CREATE, [keys.session(session.id)], [JSON.stringify({ ...session, version: session.version ?? 0 }), ttl(session), channel, session.id]);
      if (Number(created) !== 1) throw new Error('redisStore: a session with this id already exists.');
    },
    async update(id: string, expectedVersion: number, patch: SessionPatch) {
      const current = await read(id);
      if (!current || (current.session.version ?? 0) !== expectedVersion) return undefined;
      const next: StoredSession = { ...current.session, ...patch, version: expectedVersion + 1 };
      // Every write changes the version, so a value that is no longer the one read means a lost race.
      const swapped = await run(SWAP, [keys.session(id)], [current.raw, JSON.stringify(next), ttl(next), channel, id]);
      return Number(swapped) === 1 ? (parse(JSON.stringify(next)) as StoredSession) : undefined;
    },
    async delete(id) {
      await run(DELETE, [keys.session(id)], [channel, id]);
    },
    async getRecord(name) {
      const raw = await run(GET, [keys.record(name)], []);
      return typeof raw === 'string' ? raw : undefined;
    },
    async swapRecord(name, expected, next, ttlMs) {
      const written = await run(SWAP_RECORD, [keys.record(name)], [expected ?? '', next ?? '', String(Math.max(1, Math.ceil(ttlMs)))]);
      return Number(written) === 1;
    },
    async takeSlot(request: SlotRequest) {
      const answer = (await run(
        TAKE_SLOT,
        [keys.window(request.bucket), keys.flag(request.blockedBy ?? '-'), keys.flag(request.raiseOnRefusal?.flag ?? '-')],
        [
          String(Math.floor(request.limit)),
          String(Math.ceil(request.windowMs)),
          String(request.keep ?? 0),
          request.slotId,
          String(request.raiseOnRefusal ? Math.ceil(request.raiseOnRefusal.ms) : 0),
          request.blockedBy ? '1' : '0',
        ],
      )) as unknown[];
      const granted = Number(answer?.[0]) === 1;
      return granted ? { ok: true } : { ok: false, retryAfterMs: Math.max(1, Number(answer?.[1]) || 1) };
    },
    async returnSlot(bucket, slotId) {
      await run(RETURN_SLOT, [keys.window(bucket)], [slotId]);
    },
    async time() {
      const [seconds, micros] = (await run(TIME, [], [])) as unknown[];
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    },
    subscribe: changes.subscribe,
    close: changes.close,
  };
}

// A subscription that failed (no connection yet) is tried again this long after, when a stream asks.
const RESUBSCRIBE_MS = 5_000;
// A cluster subscriber whose node failed is made anew this long after (a failover takes a few seconds).
const CLUSTER_RESUBSCRIBE_MS = 1_000;

/**
 * One subscription to the store's channel per store, made when the first stream asks, and the
 * listeners by session id. `live` while the subscription is up and its connection ready.
 */
function subscriptions(options: RedisStoreOptions, channel: string) {
  const listeners = new ChangeListeners();
  let subscriber: RedisSubscriberClient | undefined;
  let owned: DuplicatedClient | undefined;
  let subscribed = false;
  let pending: Promise<void> | undefined;
  let retryAt = -Infinity;
  let closed = false;

  /**
   * A duplicated cluster client whose node failed: node-redis's cluster keeps its subscription on a
   * node that may be gone for good (a failed-over master), so the connection is dropped and, a moment
   * later, made anew from the cluster as it then is. Streams read the store meanwhile (not `live`).
   */
  function lost(copy: DuplicatedClient): void {
    if (owned !== copy) return;
    owned = subscriber = undefined;
    subscribed = false;
    retryAt = Date.now() + CLUSTER_RESUBSCRIBE_MS;
    void Promise.resolve()
      .then(() => (copy.destroy ? copy.destroy() : (copy.close ?? copy.quit)?.call(copy)))
      .catch(() => undefined);
  }

  async function connect(): Promise<RedisSubscriberClient> {
    if (subscriber) return subscriber;
    let next: RedisSubscriberClient;
    if (options.subscriber) {
      next = options.subscriber;
    } else {
      const { duplicate } = options.client;
      if (options.subscriber === false || typeof duplicate !== 'function') throw new Error('redisStore: no subscriber.');
      const copy = duplicate.call(options.client) as DuplicatedClient;
      // node-redis throws an 'error' event nobody listens to; reconnecting is its own job.
      copy.on('error', () => undefined);
      // A cluster client (node-redis `createCluster`) has no `isReady`, and reports its nodes' failures.
      if (!('isReady' in copy)) copy.on('node-error', () => lost(copy));
      owned = copy;
      try {
        await copy.connect();
      } catch (error) {
        lost(copy);
        throw error;
      }
      if (owned !== copy) throw new Error('redisStore: the subscriber was lost while it connected.');
      next = copy;
    }
    // After a reconnection changes may have been missed: every stream reads its session again.
    next.on?.('ready', () => listeners.notifyAll());
    subscriber = next;
    return next;
  }

  function ensure(): void {
    if (subscribed || pending || closed || options.subscriber === false || Date.now() < retryAt) return;
    pending = connect()
      .then((client) => client.subscribe(channel, (id) => listeners.notify(id)).then(() => client))
      .then(
        (client) => {
          if (client !== subscriber) return;
          subscribed = true;
          // Streams that opened before the subscription was up read their session once more.
          listeners.notifyAll();
        },
        () => {
          retryAt = Math.max(retryAt, Date.now() + RESUBSCRIBE_MS);
        },
      )
      .finally(() => (pending = undefined));
  }

  return {
    subscribe(id: string, onChange: () => void) {
      const close = listeners.add(id, onChange);
      ensure();
      return {
        get live() {
          if (!subscribed) ensure();
          return subscribed && subscriber?.isReady !== false;
        },
        close,
      };
    },
    async close() {
      closed = true;
      await pending;
      const copy = owned;
      owned = subscriber = undefined;
      subscribed = false;
      if (copy) await Promise.resolve((copy.close ?? copy.quit)?.call(copy)).catch(() => undefined);
    },
  };
}
