import { clusterTopology } from './clusterTopology.js';
import { redisKeys } from './redisKeys.js';
import { redisSubscriptions, type RedisSubscriberClient } from './redisSubscriptions.js';
import type { SessionPatch, SessionStore, SlotRequest, StoredSession } from '../sessionStore.js';
import { LivenessStoreError } from '../storeError.js';

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
   * Every write publishes the session id either way (see `pubsub`).
   * @default client.duplicate(), connected on first use
   */
  subscriber?: RedisSubscriberClient | false;
  /**
   * How writes are published. `sharded`: on the session's own channel `{prefix}{<session id>}:changes`
   * with `SPUBLISH` (Redis 7), which a Redis Cluster keeps on the session's shard, and each instance
   * subscribes (`SSUBSCRIBE`) only to the sessions its streams watch; on a server without it (Redis 6)
   * the scripts and the subscriber fall back to `classic` by themselves. `classic`: on one channel
   * `{prefix}changes` with `PUBLISH`, which a cluster passes to every node; for a subscriber without
   * `sSubscribe`, or an app that listens to that channel itself. Every instance sharing a prefix must
   * use the same.
   * @default 'sharded'
   */
  pubsub?: 'sharded' | 'classic';
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
/**
 * Lua that publishes the session id, from ARGV[at] (channel), ARGV[at + 1] (id) and ARGV[at + 2] (the
 * classic channel). Sharded: `SPUBLISH` on the session's channel, which shares the session key's slot,
 * and `PUBLISH` on the classic channel where the server has no `SPUBLISH` (Redis < 7).
 */
function publishLua(pubsub: 'sharded' | 'classic', at: number): string {
  const [channel, id, fallback] = [`ARGV[${at}]`, `ARGV[${at + 1}]`, `ARGV[${at + 2}]`];
  return pubsub === 'sharded' ? `if not pcall(redis.call, 'SPUBLISH', ${channel}, ${id}) then redis.call('PUBLISH', ${fallback}, ${id}) end` : `redis.call('PUBLISH', ${channel}, ${id})`;
}

/**
 * The writing scripts. Each write publishes the session id in the same script, so no instance can die
 * between writing and telling the others' event streams.
 */
function scripts(pubsub: 'sharded' | 'classic') {
  return {
    // NX: a fresh random id never collides, but if it ever did, overwriting another person's session is worse than failing.
    create: `if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then ${publishLua(pubsub, 3)} return 1 end return 0`,
    // Compare-and-set on the whole stored value (which holds the version): no JSON handling inside Lua.
    // The expiry is set anew, because a session whose result is being fetched lives longer than first planned.
    swap: `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) ${publishLua(pubsub, 4)} return 1 end return 0`,
    delete: `local n = redis.call('DEL', KEYS[1]) ${publishLua(pubsub, 1)} return n`,
  };
}

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
  const pubsub = options.pubsub ?? 'sharded';
  if (pubsub !== 'sharded' && pubsub !== 'classic') throw new Error("redisStore: `pubsub` must be 'sharded' or 'classic'.");
  const changes = redisSubscriptions({ client, subscriber: options.subscriber, pubsub }, keys);
  // The last three ARGV of a writing script: where to publish, the session id, the fallback channel.
  const published = (id: string) => [pubsub === 'sharded' ? keys.shardChannel(id) : keys.channel, id, keys.channel];
  const script = scripts(pubsub);
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
      const created = await run(script.create, [keys.session(session.id)], [JSON.stringify({ ...session, version: session.version ?? 0 }), ttl(session), ...published(session.id)]);
      if (Number(created) !== 1) throw new Error('redisStore: a session with this id already exists.');
    },
    async update(id: string, expectedVersion: number, patch: SessionPatch) {
      const current = await read(id);
      if (!current || (current.session.version ?? 0) !== expectedVersion) return undefined;
      const next: StoredSession = { ...current.session, ...patch, version: expectedVersion + 1 };
      // Every write changes the version, so a value that is no longer the one read means a lost race.
      const swapped = await run(script.swap, [keys.session(id)], [current.raw, JSON.stringify(next), ttl(next), ...published(id)]);
      return Number(swapped) === 1 ? parse(JSON.stringify(next)) : undefined;
    },
    async delete(id) {
      await run(script.delete, [keys.session(id)], published(id));
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
    subscribe: (id, onChange) => changes.subscribe(id, onChange),
    close: () => changes.close(),
  };
}
