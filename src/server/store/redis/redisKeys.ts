/**
 * The part of a key Redis Cluster hashes to pick its slot: the text between the first `{` and the
 * first `}` after it when that is not empty, else the whole key (the rule of the Redis Cluster spec).
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}

/** Every key and channel of a `redisStore`, by what it holds. */
export interface RedisKeys {
  /** One session (JSON). Its own tag: sessions spread over the slots. */
  session(id: string): string;
  /** An idempotency record. Its own tag. */
  record(name: string): string;
  /** A sliding window of the upstream or a client budget. The budget's tag: one script takes a window and two flags. */
  window(bucket: string): string;
  /** A flag of the budget (results are waiting). The budget's tag. */
  flag(name: string): string;
  /** Where every write is published with classic pub/sub (which a cluster passes to every node). */
  channel: string;
  /** Where a session's writes are published with sharded pub/sub (Redis 7): the session's tag, so its slot. */
  shardChannel(id: string): string;
}

/**
 * The store's keys under `prefix`, with Redis Cluster hash tags: the keys one script takes together
 * share a tag (the budget's window and its two flags: `{budget}`), while each session and each record
 * has a tag of its own (its id), so that sessions spread over a cluster's slots. A prefix with a hash
 * tag of its own (`'{rls}:'`) decides every key's slot, the ones added after it do not count: all keys
 * then live on one slot, as that prefix asks. Throws when the prefix would keep a script's keys apart
 * (braces that Redis does not read as a tag, such as `'app{}:'`, make it hash whole keys).
 */
export function redisKeys(prefix: string): RedisKeys {
  if (typeof prefix !== 'string') throw new Error('redisStore: `prefix` must be a string.');
  const tagged = (tag: string, rest = '') => `${prefix}{${tag}}${rest}`;
  const keys: RedisKeys = {
    session: (id) => tagged(id),
    record: (name) => tagged(`record:${name}`),
    window: (bucket) => tagged('budget', `:window:${bucket}`),
    flag: (name) => tagged('budget', `:flag:${name}`),
    channel: `${prefix}changes`,
    shardChannel: (id) => tagged(id, ':changes'),
  };
  const budget = [keys.window('upstream:create'), keys.flag('upstream:results-waiting'), keys.flag('-')].map(hashTagOf);
  if (new Set(budget).size !== 1) {
    throw new Error(
      "redisStore: `prefix` has braces that are not a Redis Cluster hash tag ('{}'), so the budget's keys would not share a slot. Use a prefix without braces, or one with a tag such as '{rls}:'.",
    );
  }
  return keys;
}
