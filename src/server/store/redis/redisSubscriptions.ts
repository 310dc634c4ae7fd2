import { ChangeListeners } from '../changeListeners.js';
import type { RedisKeys } from './redisKeys.js';
import type { SessionSubscription } from '../sessionStore.js';
import { classifyStoreError } from '../storeError.js';

/**
 * A Redis connection for change notifications (pub/sub). node-redis v4.6+ and v5 clients (`createClient`
 * and `createCluster`) satisfy it as they are; ioredis: see the adapter in docs/examples/redis/ioredis.ts (`ssubscribe` and the
 * `smessage` event for sharded pub/sub, `subscribe` and `message` for classic).
 */
export interface RedisSubscriberClient {
  /** Classic pub/sub: with `pubsub: 'classic'`, and on a Redis server older than 7 (no sharded pub/sub). */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Sharded pub/sub (`SSUBSCRIBE`, Redis 7): required with `pubsub: 'sharded'`, the default. */
  sSubscribe?(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Sharded pub/sub: called when the last stream of a session closes. */
  sUnsubscribe?(channel: string): Promise<unknown>;
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

export interface SubscriptionOptions {
  client: { duplicate?: () => unknown };
  subscriber: RedisSubscriberClient | false | undefined;
  pubsub: 'sharded' | 'classic';
}

// A subscription that failed (no connection yet) is tried again this long after, when a stream asks.
const RESUBSCRIBE_MS = 5_000;
// A cluster subscriber whose node failed is made anew this long after (a failover takes a few seconds).
const CLUSTER_RESUBSCRIBE_MS = 1_000;

/**
 * The store's change notifications: one connection per store, made when the first stream asks, and
 * the listeners by session id. Sharded (the default): a channel per session (`SSUBSCRIBE`, on the
 * session's own slot, so a cluster never passes it to every node), subscribed while a stream of that
 * session is open; on a server without sharded pub/sub (Redis < 7) it falls back to one classic
 * channel for the store, as the scripts do. Classic: that one channel. A stream's subscription is
 * `live` while its channel is subscribed and the connection ready; a duplicated cluster connection
 * whose node fails is made anew, so the subscriptions follow a failover.
 */
export function redisSubscriptions(options: SubscriptionOptions, keys: RedisKeys) {
  const listeners = new ChangeListeners();
  let subscriber: RedisSubscriberClient | undefined;
  let owned: DuplicatedClient | undefined;
  /** The connection is made and, in classic mode, subscribed to the store's channel. */
  let connected = false;
  let classic = options.pubsub === 'classic';
  /** Sharded mode: the sessions whose channel is subscribed (`up`) or being subscribed. */
  const shards = new Map<string, 'pending' | 'up'>();
  let pending: Promise<void> | undefined;
  let retryAt = -Infinity;
  let closed = false;
  const heard = (id: string) => listeners.notify(id);

  if (options.pubsub === 'sharded' && options.subscriber && typeof options.subscriber.sSubscribe !== 'function') {
    throw new Error(
      "redisStore: `subscriber` has no `sSubscribe` (sharded pub/sub, Redis 7). Pass one that has it (see the ioredis adapter in docs/examples/redis/ioredis.ts), or `pubsub: 'classic'`.",
    );
  }

  function reset(): void {
    connected = false;
    shards.clear();
  }

  /**
   * A duplicated cluster client whose node failed: node-redis's cluster keeps its subscriptions on a
   * node that may be gone for good (a failed-over master), so the connection is dropped and, a moment
   * later, made anew from the cluster as it then is. Streams read the store meanwhile (not `live`).
   */
  function lost(copy: DuplicatedClient): void {
    if (owned !== copy) return;
    owned = subscriber = undefined;
    reset();
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
    if (connected || pending || closed || options.subscriber === false || Date.now() < retryAt) return;
    pending = connect()
      .then(async (client) => {
        if (classic) await client.subscribe(keys.channel, heard);
        return client;
      })
      .then(
        (client) => {
          if (client !== subscriber || closed) return;
          connected = true;
          for (const id of listeners.ids()) shardOn(id);
          // Streams that opened before the subscription was up read their session once more.
          listeners.notifyAll();
        },
        () => {
          retryAt = Math.max(retryAt, Date.now() + RESUBSCRIBE_MS);
        },
      )
      .finally(() => (pending = undefined));
  }

  /** Sharded mode: subscribes the session's own channel, once. */
  function shardOn(id: string): void {
    const client = subscriber;
    if (classic || !connected || !client?.sSubscribe || shards.has(id)) return;
    shards.set(id, 'pending');
    client.sSubscribe(keys.shardChannel(id), heard).then(
      () => {
        if (subscriber !== client || shards.get(id) !== 'pending') return;
        shards.set(id, 'up');
        // Changes made while it was being subscribed: the stream reads its session once more.
        listeners.notify(id);
      },
      (error: unknown) => {
        if (shards.get(id) === 'pending') shards.delete(id);
        // A server without sharded pub/sub (Redis < 7): the scripts publish on the classic channel there.
        if (classifyStoreError(error) === 'unknown_command' && !classic) {
          classic = true;
          reset();
          ensure();
        }
      },
    );
  }

  function shardOff(id: string): void {
    const state = shards.get(id);
    shards.delete(id);
    if (state !== undefined && subscriber?.sUnsubscribe) void subscriber.sUnsubscribe(keys.shardChannel(id)).catch(() => undefined);
  }

  return {
    subscribe(id: string, onChange: () => void): SessionSubscription {
      const remove = listeners.add(id, onChange);
      ensure();
      shardOn(id);
      return {
        get live() {
          if (!connected) ensure();
          else shardOn(id);
          return connected && subscriber?.isReady !== false && (classic || shards.get(id) === 'up');
        },
        close() {
          remove();
          if (!listeners.has(id)) shardOff(id);
        },
      };
    },
    async close() {
      closed = true;
      await pending;
      const copy = owned;
      owned = subscriber = undefined;
      reset();
      if (copy) await Promise.resolve((copy.close ?? copy.quit)?.call(copy)).catch(() => undefined);
    },
  };
}
