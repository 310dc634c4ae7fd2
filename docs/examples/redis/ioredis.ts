// docs/examples/redis/ioredis.ts
import type { Cluster, Redis } from 'ioredis';
import { redisStore, type RedisSubscriberClient } from 'react-liveness-session/server';

/**
 * `redisStore` on ioredis: `redis` runs the store's scripts, `subscriber` (a second connection, which
 * subscriber mode keeps for itself) hears the changes. A Cluster needs `shardedSubscribers: true`.
 */
export function ioredisStore(redis: Redis | Cluster, subscriber: Redis | Cluster, prefix?: string) {
  const listeners = new Map<string, (message: string, channel: string) => void>();
  const deliver = (channel: string, message: string) => listeners.get(channel)?.(message, channel);
  subscriber.on('smessage', deliver);
  subscriber.on('message', deliver);
  const changes: RedisSubscriberClient = {
    async sSubscribe(channel, listener) {
      listeners.set(channel, listener);
      await subscriber.ssubscribe(channel);
    },
    async sUnsubscribe(channel) {
      listeners.delete(channel);
      await subscriber.sunsubscribe(channel);
    },
    async subscribe(channel, listener) {
      listeners.set(channel, listener);
      await subscriber.subscribe(channel);
    },
  };
  return redisStore({
    client: { eval: (script, o) => redis.eval(script, o.keys.length, ...o.keys, ...o.arguments) },
    subscriber: changes,
    ...(prefix === undefined ? {} : { prefix }),
  });
}

// A Cluster:
//   const nodes = [{ host: '10.0.0.1', port: 6379 }];
//   const store = ioredisStore(new Cluster(nodes), new Cluster(nodes, { shardedSubscribers: true }));
