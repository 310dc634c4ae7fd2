// @vitest-environment node
// Issue 28: a real Redis Cluster (Debian's redis-server in cluster mode: three masters, three
// replicas, node timeout 1 s, on free loopback ports, stopped by PID), started once for this file,
// with node-redis 5's cluster client (`createCluster({ rootNodes })`) passed to `redisStore` with
// default options. The store's contract, the shared budget, `onVerified` once across instances, the
// push from one instance to another's stream, and a master killed mid-way (last: it changes the
// cluster). Times are measured by bench/redisOutage.mjs, not here.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createLivenessHandler,
  redisStore,
  type LivenessHandler,
  type LivenessHandlerOptions,
  type LivenessServerEvent,
  type RedisSessionStore,
  type StoredSession,
  type VerifiedSession,
} from '../../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../../src/testing.js';
import { API_KEY, BASE, expectSharedBudget, createSession, errorBody, getStatus, phoneFlow, postSession, PUBLIC_URL, request, session, successfulResults, tokenOf, UPSTREAM_URL } from '../helpers.js';
import { skipCluster, startRedisCluster, type RedisCluster, type RedisClusterClient } from '../redisCluster.js';
import { sseReader } from '../sseReader.js';
import { Cluster } from 'ioredis';
import { ioredisStore } from '../../../docs/examples/redis/ioredis.js';
import type { CreateSessionResponse } from '../../../src/core/wire/protocol.js';

let cluster: RedisCluster;
let run = 0;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  if (!skipCluster) cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await cluster?.stop();
});

/** A store on a cluster client of its own; `prefix` undefined: the default one. */
async function clusterStore(prefix: string | undefined, extra: { client?: RedisClusterClient } = {}) {
  const client = extra.client ?? (await cluster.connect());
  const store = redisStore({ client: client, ...(prefix === undefined ? {} : { prefix }) });
  stores.push(store);
  return { client, store };
}

/** A session (test/server/helpers.ts) that Redis keeps for 2 minutes of the real clock (PX at purgeAt): longer than any test here. */
function longLived(id: string, overrides: Partial<StoredSession> = {}): StoredSession {
  const now = Date.now();
  return session(id, now, { expiresAt: now + 60_000, purgeAt: now + 120_000, ...overrides });
}

/** `count` handler instances, each with its own cluster client, on one prefix. */
async function instances(count: number, mock: MockUpstream, options: Partial<LivenessHandlerOptions> = {}, prefix?: string) {
  const list: { handler: LivenessHandler; store: RedisSessionStore; events: LivenessServerEvent[] }[] = [];
  for (let i = 0; i < count; i += 1) {
    const { store } = await clusterStore(prefix);
    const events: LivenessServerEvent[] = [];
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      store,
      fetch: mock.fetch,
      onEvent: (event) => events.push(event),
      ...options,
    });
    list.push({ handler, store, events });
  }
  return list;
}

/** Whether the store's change subscription for session `id` is up (a stream of it would then not read the store on a timer). */
const live = (store: RedisSessionStore, id: string) => {
  const subscription = store.subscribe!(id, () => undefined);
  const value = subscription.live;
  subscription.close();
  return value;
};

describe.skipIf(skipCluster)('redisStore on a 6-node Redis Cluster: the store contract', () => {
  const prefix = () => `rls-contract-${process.pid}-${(run += 1)}:`;

  it('round-trips sessions with a PX expiry at purgeAt; sessions spread over the masters', async () => {
    const { store, client } = await clusterStore(prefix());
    const ids = Array.from({ length: 24 }, (_, i) => `spread-${i}`);
    for (const id of ids) await store.create(longLived(id, { purgeAt: Date.now() + 5000 }));
    expect(await store.get('spread-0')).toMatchObject({ id: 'spread-0', status: 'pending', bytedToken: 'token-spread-0' });
    await expect(store.create(longLived('spread-0'))).rejects.toThrow(/already exists/);
    const masters = new Set<number>();
    for (const id of ids) masters.add((await cluster.masterOf(`x{${id}}`)).port);
    // 24 random slots on three masters: a tag per session id, not one tag for everything.
    expect(masters.size).toBeGreaterThanOrEqual(2);
    await store.delete('spread-0');
    expect(await store.get('spread-0')).toBeUndefined();
    expect(client.isOpen).toBe(true);
  });

  it('update is a compare-and-set; exactly one of 60 concurrent claims over two cluster clients wins', async () => {
    const name = prefix();
    const [one, two] = [(await clusterStore(name)).store, (await clusterStore(name)).store];
    await one.create(longLived('race-1'));
    expect(await one.update('race-1', 1, { status: 'verified' })).toBeUndefined();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? one : two).update('race-1', 0, { lease: { holder: `h${i}`, until: 1 } })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await two.get('race-1'))?.version).toBe(1);
  });

  it('records and slots: one first writer of a record wins; 60 takers get exactly the limit (the budget script on one slot, no CROSSSLOT)', async () => {
    const name = prefix();
    const [one, two] = [(await clusterStore(name)).store, (await clusterStore(name)).store];
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).swapRecord!('rec-1', null, `v${i}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const takes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? one : two).takeSlot!({ bucket: 'upstream:create', slotId: `s${i}`, limit: 3, windowMs: 60_000, blockedBy: 'upstream:results-waiting', raiseOnRefusal: { flag: 'f', ms: 1000 } }),
      ),
    );
    expect(takes.filter((take) => take.ok)).toHaveLength(3);
    expect(typeof (await one.time!())).toBe('number');
  });

  it('a prefix with a hash tag of its own keeps working (every key on its slot)', async () => {
    const { store } = await clusterStore(`{rls-tagged-${process.pid}}:`);
    await store.create(longLived('tagged-1'));
    expect((await store.update('tagged-1', 0, { watchedAt: 1 }))?.version).toBe(1);
    expect((await store.takeSlot!({ bucket: 'upstream:create', slotId: 'a', limit: 1, windowMs: 1000, blockedBy: 'upstream:results-waiting' })).ok).toBe(true);
  });
});

describe.skipIf(skipCluster)('handler instances on the cluster', () => {
  it('with default options (the default prefix) creates answer 201: no CROSSSLOT, no 500', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const [a] = await instances(1, mock);
    const response = await postSession(a!.handler);
    expect(response.status).toBe(201);
    expect(a!.events.filter((event) => event.type === 'store.error')).toEqual([]);
  });

  it('12 creates over two instances: never more than 3 upstream creates in any second (the shared budget)', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, rateLimit: { requests: 3, perMs: 1000 } });
    const [a, b] = await instances(2, mock, {}, `rls-budget-${process.pid}:`);
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => postSession((i % 2 ? a! : b!).handler).then((response) => response.status)));
    expectSharedBudget(mock, statuses);
  });

  it('15 concurrent success callbacks over two instances call onVerified exactly once, after one result call', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 30 });
    const verified: VerifiedSession[] = [];
    const [a, b] = await instances(2, mock, { upstreamRateLimit: false, onVerified: (result) => void verified.push(result) }, `rls-once-${process.pid}:`);
    const created = await createSession(a!.handler);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    await Promise.all(Array.from({ length: 15 }, (_, i) => (i % 2 ? a! : b!).handler(new Request(url))));
    await vi.waitFor(async () => expect((await getStatus(b!.handler, created.sessionId)).status).toBe('verified'), { timeout: 10_000 });
    expect(verified).toHaveLength(1);
    expect(successfulResults(mock)).toBe(1);
  });

  it('a callback on instance A reaches a stream held by instance B (pub/sub through the cluster)', { timeout: 20_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const [a, b] = await instances(2, mock, { upstreamRateLimit: false, probeIntervalMs: 600_000 }, `rls-push-${process.pid}:`);
    const created = await createSession(a!.handler);
    const stream = sseReader(await b!.handler(request(`${BASE}/sessions/${created.sessionId}/events`)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    await vi.waitFor(() => expect(live(b!.store, created.sessionId)).toBe(true), { timeout: 10_000 });
    await phoneFlow({ mock, handler: a!.handler }, created, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
  });
});

describe.skipIf(skipCluster)('ioredis (new Redis.Cluster) through the adapter in docs/examples/redis/ioredis.ts', () => {
  it('keeps the contract, and a stream on an ioredis instance hears a callback recorded by a node-redis one', { timeout: 20_000 }, async () => {
    const nodes = cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
    const redis = new Cluster(nodes);
    const subscriber = new Cluster(nodes, { shardedSubscribers: true });
    try {
      const prefix = `rls-ioredis-${process.pid}:`;
      const store = ioredisStore(redis, subscriber, prefix);
      stores.push(store);
      await store.create(longLived('io-1'));
      expect((await store.update('io-1', 0, { watchedAt: 1 }))?.version).toBe(1);
      expect(await store.update('io-1', 0, { watchedAt: 2 })).toBeUndefined();
      expect(await store.swapRecord!('rec', null, 'v', 60_000)).toBe(true);
      expect(await store.getRecord!('rec')).toBe('v');
      const takes = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.takeSlot!({ bucket: 'upstream:create', slotId: `s${i}`, limit: 3, windowMs: 60_000, blockedBy: 'upstream:results-waiting' })),
      );
      expect(takes.filter((take) => take.ok)).toHaveLength(3);
      expect(typeof (await store.time!())).toBe('number');

      const mock = createMockUpstream({ apiKey: API_KEY });
      const options = { apiKey: API_KEY, upstreamUrl: UPSTREAM_URL, publicUrl: PUBLIC_URL, fetch: mock.fetch, upstreamRateLimit: false as const, probeIntervalMs: 600_000 };
      const a = createLivenessHandler({ ...options, store: (await clusterStore(prefix)).store });
      const b = createLivenessHandler({ ...options, store });
      const created = await createSession(a);
      const stream = sseReader(await b(request(`${BASE}/sessions/${created.sessionId}/events`)));
      expect((await stream.nextStatus())?.status).toBe('pending');
      await vi.waitFor(() => expect(live(store, created.sessionId)).toBe(true), { timeout: 10_000 });
      await phoneFlow({ mock, handler: a }, created, 'pass', 'link');
      expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
    } finally {
      redis.disconnect();
      subscriber.disconnect();
    }
  });
});

// Last in the file: it kills a master, and the cluster stays with two replicas.
describe.skipIf(skipCluster)('a master killed mid-way', () => {
  it('routes answer 503 store_unavailable (never 500, never a hang) until the replica takes over; then the pending sessions finish and the push works again', { timeout: 60_000 }, async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const prefix = `rls-failover-${process.pid}:`;
    const [a, b] = await instances(2, mock, { upstreamRateLimit: false, probeIntervalMs: 600_000, storeTimeoutMs: 300 }, prefix);
    const sessions: CreateSessionResponse[] = [];
    for (let i = 0; i < 9; i += 1) sessions.push(await createSession(a!.handler));
    const victim = await cluster.masterOf(`${prefix}{${sessions[0]!.sessionId}}`);
    const onVictim: CreateSessionResponse[] = [];
    for (const created of sessions) if ((await cluster.masterOf(`${prefix}{${created.sessionId}}`)).port === victim.port) onVictim.push(created);
    expect(onVictim.length).toBeGreaterThanOrEqual(1);
    // Replication is asynchronous: give the replicas a moment, as any write made before the kill has had.
    await new Promise((resolve) => setTimeout(resolve, 200));

    await cluster.kill(victim);
    const statuses = new Set<number>();
    const codes = new Set<string>();
    // Until the replica serves the slots: every answer comes (no hang) and is a 503 with Retry-After.
    for (let round = 0; round < 200; round += 1) {
      const response = await b!.handler(request(`${BASE}/sessions/${onVictim[0]!.sessionId}`));
      statuses.add(response.status);
      if (response.status === 200) break;
      expect(response.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
      codes.add((await errorBody(response)).code);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statuses).toEqual(new Set([503, 200]));
    expect(codes).toEqual(new Set(['store_unavailable']));
    const kinds = new Set(b!.events.filter((event) => event.type === 'store.error').map((event) => event.storeError!));
    expect([...kinds].filter((kind) => !['timeout', 'connection', 'cluster_down', 'moved'].includes(kind))).toEqual([]);

    await cluster.waitHealthy();
    // Each instance's client finds the new master at its next command (a 503 or two meanwhile, as
    // the browser's polls would see). No session was lost: each was written well before the kill.
    for (const { handler } of [a!, b!]) {
      await vi.waitFor(
        async () => {
          for (const created of sessions) expect((await handler(request(`${BASE}/sessions/${created.sessionId}`))).status).toBe(200);
        },
        { timeout: 15_000, interval: 200 },
      );
    }
    for (const created of sessions) expect((await getStatus(a!.handler, created.sessionId)).status).toBe('pending');
    const stream = sseReader(await b!.handler(request(`${BASE}/sessions/${onVictim[0]!.sessionId}/events`)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    await vi.waitFor(() => expect(live(b!.store, onVictim[0]!.sessionId)).toBe(true), { timeout: 15_000 });
    await phoneFlow({ mock, handler: a!.handler }, onVictim[0]!, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
    for (const created of sessions.slice(1)) await phoneFlow({ mock, handler: a!.handler }, created, 'pass', 'link');
    for (const created of sessions) expect((await getStatus(b!.handler, created.sessionId)).status).toBe('verified');
  });
});
