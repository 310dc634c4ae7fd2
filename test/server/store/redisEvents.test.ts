// @vitest-environment node
// Issue 14 across instances: a change made on one instance (the callback lands on A) reaches an event
// stream held by another (the desktop is connected to B) through Redis pub/sub, on a real redis-server
// started and stopped by PID. A lost subscription never silences a stream: it reads the store instead.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandler, type RedisSessionStore, type StoredSession } from '../../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../../src/testing.js';
import { API_KEY, BASE, PUBLIC_URL, createSession, phoneFlow, request } from '../helpers.js';
import { skipRedis, startRedis, type RedisClient, type RedisServer } from '../redisServer.js';
import { sseReader } from '../sseReader.js';

let redis: RedisServer;
let run = 0;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  if (!skipRedis) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
});

interface Instance {
  handler: LivenessHandler;
  store: RedisSessionStore;
  client: RedisClient;
}

/** `count` handler instances, each with its own Redis connection, on one prefix, calling one mock. */
async function instances(
  count: number,
  mock: MockUpstream,
  store: (client: RedisClient, i: number) => Promise<Partial<Parameters<typeof redisStore>[0]>> | Partial<Parameters<typeof redisStore>[0]> = () => ({}),
) {
  run += 1;
  const prefix = `rls-events-${process.pid}-${run}:`;
  const list: Instance[] = [];
  for (let i = 0; i < count; i += 1) {
    const client = await redis.connect();
    const sessionStore = redisStore({ client, prefix, ...(await store(client, i)) });
    stores.push(sessionStore);
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: PUBLIC_URL,
      store: sessionStore,
      fetch: mock.fetch,
      upstreamRateLimit: false,
      // Probes would find the result on their own; these tests are about the callback's change.
      probeIntervalMs: 600_000,
    });
    list.push({ handler, store: sessionStore, client });
  }
  return { list, prefix };
}

const eventsOf = (id: string, init?: RequestInit) => request(`${BASE}/sessions/${id}/events`, init);

/** Whether the store's change subscription for session `id` is up (a stream of it would then not read the store on a timer). */
const live = (store: RedisSessionStore, id: string) => {
  const subscription = store.subscribe!(id, () => undefined);
  const value = subscription.live;
  subscription.close();
  return value;
};

function session(id: string): StoredSession {
  const now = Date.now();
  return { id, version: 0, status: 'pending', bytedToken: 't', h5Link: 'https://h5.test/', qrUrl: 'https://app.test/l/x', createdAt: now, expiresAt: now + 60_000, purgeAt: now + 120_000 };
}

describe.skipIf(skipRedis)('event streams across instances on one redis-server', () => {
  it('every write publishes the session id on its own sharded channel {prefix}{<id>}:changes; a lost compare-and-set publishes nothing', async () => {
    const listener = await redis.connect();
    const client = await redis.connect();
    const prefix = `rls-publish-${process.pid}:`;
    const heard: string[] = [];
    const classic: string[] = [];
    await listener.sSubscribe(`${prefix}{pub-1}:changes`, (message) => heard.push(message));
    await listener.subscribe(`${prefix}changes`, (message) => classic.push(message));
    const store = redisStore({ client, prefix, subscriber: false });
    await store.create(session('pub-1'));
    await store.update('pub-1', 0, { openedAt: Date.now() });
    expect(await store.update('pub-1', 0, { watchedAt: Date.now() })).toBeUndefined();
    await store.delete('pub-1');
    await vi.waitFor(() => expect(heard).toEqual(['pub-1', 'pub-1', 'pub-1']));
    // Redis 7 has sharded pub/sub: nothing goes to the classic channel (which a cluster sends to every node).
    expect(classic).toEqual([]);
  });

  it("pubsub: 'classic' publishes every write on {prefix}changes, and its streams hear it", { timeout: 15_000 }, async () => {
    const listener = await redis.connect();
    const client = await redis.connect();
    const prefix = `rls-classic-${process.pid}:`;
    const heard: string[] = [];
    await listener.subscribe(`${prefix}changes`, (message) => heard.push(message));
    const store = redisStore({ client, prefix, subscriber: false, pubsub: 'classic' });
    await store.create(session('pub-2'));
    await store.update('pub-2', 0, { openedAt: Date.now() });
    expect(await store.update('pub-2', 0, { watchedAt: Date.now() })).toBeUndefined();
    await store.delete('pub-2');
    await vi.waitFor(() => expect(heard).toEqual(['pub-2', 'pub-2', 'pub-2']));
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { list } = await instances(2, mock, () => ({ pubsub: 'classic' }));
    const [a, b] = list as [Instance, Instance];
    const created = await createSession(a.handler);
    const stream = sseReader(await b.handler(eventsOf(created.sessionId)));
    await stream.nextStatus();
    await vi.waitFor(() => expect(live(b.store, created.sessionId)).toBe(true));
    await phoneFlow({ mock, handler: a.handler }, created, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
  });

  it('on a server without sharded pub/sub (SPUBLISH and SSUBSCRIBE gone, as on Redis 6) writes and streams fall back to {prefix}changes', { timeout: 20_000 }, async () => {
    const old = await startRedis(['--rename-command', 'SPUBLISH', '', '--rename-command', 'SSUBSCRIBE', '', '--rename-command', 'SUNSUBSCRIBE', '']);
    try {
      const prefix = `rls-fallback-${process.pid}:`;
      const listener = await old.connect();
      const heard: string[] = [];
      await listener.subscribe(`${prefix}changes`, (message) => heard.push(message));
      const mock = createMockUpstream({ apiKey: API_KEY });
      const handlers = [];
      const fallbackStores: RedisSessionStore[] = [];
      for (let i = 0; i < 2; i += 1) {
        const store = redisStore({ client: await old.connect(), prefix });
        fallbackStores.push(store);
        handlers.push(
          createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', publicUrl: PUBLIC_URL, store, fetch: mock.fetch, upstreamRateLimit: false, probeIntervalMs: 600_000 }),
        );
      }
      const created = await createSession(handlers[0]!);
      await vi.waitFor(() => expect(heard).toContain(created.sessionId));
      const stream = sseReader(await handlers[1]!(eventsOf(created.sessionId)));
      await stream.nextStatus();
      await vi.waitFor(() => expect(live(fallbackStores[1]!, created.sessionId)).toBe(true), { timeout: 10_000 });
      await phoneFlow({ mock, handler: handlers[0]! }, created, 'pass', 'link');
      expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
      for (const store of fallbackStores) await store.close();
    } finally {
      await old.stop();
    }
  });

  it('a subscriber without sSubscribe is refused at creation unless pubsub is classic', async () => {
    const client = await redis.connect();
    const subscriber = { subscribe: async () => undefined };
    expect(() => redisStore({ client, subscriber })).toThrow(/sSubscribe/);
    expect(() => redisStore({ client, subscriber, pubsub: 'classic' })).not.toThrow();
  });

  it('a stream subscribes to its session only while it is open (SSUBSCRIBE, then SUNSUBSCRIBE)', { timeout: 15_000 }, async () => {
    const admin = await redis.connect();
    const channels = async () => (await admin.sendCommand<string[]>(['PUBSUB', 'SHARDCHANNELS', 'rls-events-*'])).sort();
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { list, prefix } = await instances(1, mock);
    const [a] = list as [Instance];
    const created = await createSession(a.handler);
    const controller = new AbortController();
    const stream = sseReader(await a.handler(eventsOf(created.sessionId, { signal: controller.signal })));
    await stream.nextStatus();
    await vi.waitFor(async () => expect(await channels()).toContain(`${prefix}{${created.sessionId}}:changes`));
    controller.abort();
    await vi.waitFor(async () => expect(await channels()).not.toContain(`${prefix}{${created.sessionId}}:changes`));
  });

  it('a callback on instance A reaches streams on B and C (subscriber duplicated from each client), once, and they end', { timeout: 15_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { list } = await instances(3, mock);
    const [a, b, c] = list as [Instance, Instance, Instance];
    const created = await createSession(a.handler);
    const streams = [sseReader(await b.handler(eventsOf(created.sessionId))), sseReader(await b.handler(eventsOf(created.sessionId))), sseReader(await c.handler(eventsOf(created.sessionId)))];
    for (const stream of streams) expect((await stream.nextStatus())?.status).toBe('pending');
    // Each instance made its own subscriber connection, and it is up: B and C do not read on a timer.
    await vi.waitFor(() => expect([live(b.store, created.sessionId), live(c.store, created.sessionId)]).toEqual([true, true]));
    await phoneFlow({ mock, handler: a.handler }, created, 'pass', 'link');
    for (const stream of streams) {
      const heard = await stream.rest();
      expect(heard.at(-1)).toMatchObject({ status: 'verified', groupId: expect.any(String) });
      expect(heard.filter((status) => status.status === 'verified')).toHaveLength(1);
    }
  });

  it('works with a subscriber connection the app passes in, which store.close() leaves open', { timeout: 15_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const subscribers: RedisClient[] = [];
    const { list } = await instances(2, mock, async () => {
      const subscriber = await redis.connect();
      subscribers.push(subscriber);
      return { subscriber };
    });
    const [a, b] = list as [Instance, Instance];
    const created = await createSession(a.handler);
    const stream = sseReader(await b.handler(eventsOf(created.sessionId)));
    await stream.nextStatus();
    await vi.waitFor(() => expect(live(b.store, created.sessionId)).toBe(true));
    await phoneFlow({ mock, handler: a.handler }, created, 'fail', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'failed' });
    await b.store.close();
    expect(subscribers.every((subscriber) => subscriber.isOpen)).toBe(true);
  });

  it('store.close() closes the connection it duplicated', { timeout: 15_000 }, async () => {
    const admin = await redis.connect();
    const subscribed = async () => (await admin.sendCommand<string>(['CLIENT', 'LIST'])).split('\n').filter((line) => / s?sub=[1-9]/.test(line)).length;
    const before = await subscribed();
    const { list } = await instances(1, createMockUpstream({ apiKey: API_KEY }));
    const [a] = list as [Instance];
    const subscription = a.store.subscribe!('x', () => undefined);
    await vi.waitFor(() => expect(subscription.live).toBe(true));
    expect(await subscribed()).toBe(before + 1);
    await a.store.close();
    await vi.waitFor(async () => expect(await subscribed()).toBe(before));
    subscription.close();
  });

  it('a subscriber that is disconnected for good: the stream still gets the outcome, by reading the store', { timeout: 15_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    let subscriberOfB: RedisClient | undefined;
    const { list } = await instances(2, mock, async (_, i) => {
      if (i === 0) return {};
      subscriberOfB = await redis.connect();
      return { subscriber: subscriberOfB };
    });
    const [a, b] = list as [Instance, Instance];
    const created = await createSession(a.handler);
    const stream = sseReader(await b.handler(eventsOf(created.sessionId)));
    await stream.nextStatus();
    await vi.waitFor(() => expect(live(b.store, created.sessionId)).toBe(true));
    subscriberOfB!.destroy();
    expect(live(b.store, created.sessionId)).toBe(false);
    await phoneFlow({ mock, handler: a.handler }, created, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
  });

  it('a subscription Redis kills: node-redis reconnects, the stream keeps going and gets the outcome', { timeout: 15_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { list } = await instances(2, mock);
    const [a, b] = list as [Instance, Instance];
    const created = await createSession(a.handler);
    const stream = sseReader(await b.handler(eventsOf(created.sessionId)));
    await stream.nextStatus();
    await vi.waitFor(() => expect(live(b.store, created.sessionId)).toBe(true));
    const admin = await redis.connect();
    expect(Number(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']))).toBeGreaterThanOrEqual(1);
    await phoneFlow({ mock, handler: a.handler }, created, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
    // The stream has ended (and unsubscribed): a new listener's subscription comes up on the new connection.
    const probe = b.store.subscribe!(created.sessionId, () => undefined);
    await vi.waitFor(() => expect(probe.live).toBe(true));
    probe.close();
  });

  it('subscriber: false: no subscription, streams read the store instead and still get the outcome', { timeout: 15_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { list } = await instances(2, mock, () => ({ subscriber: false }));
    const [a, b] = list as [Instance, Instance];
    expect(live(b.store, 'x')).toBe(false);
    const created = await createSession(a.handler);
    const stream = sseReader(await b.handler(eventsOf(created.sessionId)));
    await stream.nextStatus();
    await phoneFlow({ mock, handler: a.handler }, created, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
  });
});
