// @vitest-environment node
// Issue 23 item 3 on a real redis-server (`appendonly yes`), stopped and started again by PID on the
// same port while sessions are pending, under two handler instances with node-redis clients as an app
// would make them (default reconnection): every route answers 503 store_unavailable meanwhile, the
// phone on the callback sees the neutral page, and afterwards the pending sessions finish, the lost
// callback is found by the probe, and the subscriber pushes again. How long each part takes is
// measured by bench/redisOutage.mjs, not here.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandler, type LivenessServerEvent, type RedisSessionStore } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY, BASE, PUBLIC_URL, UPSTREAM_URL, createSession, getStatus, phoneFlow, request, tokenOf } from '../helpers.js';
import { skipRedis, startRestartableRedis, type RestartableRedis } from '../redisServer.js';
import { sseReader } from '../sseReader.js';

let redis: RestartableRedis;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  if (!skipRedis) redis = await startRestartableRedis();
}, 20_000);
afterAll(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await redis?.remove();
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

describe.skipIf(skipRedis)('redis-server stopped and started again while sessions are pending', () => {
  it('routes answer 503 store_unavailable meanwhile; afterwards the sessions finish, the lost callback is found, and streams push again', { timeout: 60_000 }, async () => {
    process.on('unhandledRejection', onUnhandled);
    const mock = createMockUpstream({ apiKey: API_KEY });
    const events: LivenessServerEvent[] = [];
    const instances: { handler: LivenessHandler; store: RedisSessionStore }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const store = redisStore({ client: await redis.connect(), prefix: 'outage:' });
      stores.push(store);
      const handler = createLivenessHandler({
        apiKey: API_KEY,
        upstreamUrl: UPSTREAM_URL,
        publicUrl: PUBLIC_URL,
        store,
        fetch: mock.fetch,
        // The check for a lost callback, often enough for a short test.
        probeIntervalMs: 1_000,
        onEvent: (event) => events.push(event),
      });
      instances.push({ handler, store });
    }
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const pushed = await createSession(a.handler);
    const lostCallback = await createSession(a.handler);
    const left = await createSession(a.handler);
    // The desktops are watching (a status poll marks each session watched).
    for (const created of [pushed, lostCallback, left]) expect((await getStatus(b.handler, created.sessionId)).status).toBe('pending');
    const stream = sseReader(await b.handler(request(`${BASE}/sessions/${pushed.sessionId}/events`)));
    expect((await stream.nextStatus())?.status).toBe('pending');

    await redis.stop();
    const id = left.sessionId;
    const json = { 'Content-Type': 'application/json' };
    const answers = {
      create: await a.handler(request(`${BASE}/sessions`, { method: 'POST', headers: json, body: '{}' })),
      status: await b.handler(request(`${BASE}/sessions/${id}`)),
      cancel: await a.handler(request(`${BASE}/sessions/${id}`, { method: 'DELETE' })),
      events: await b.handler(request(`${BASE}/sessions/${id}/events`)),
      shortLink: await a.handler(new Request(left.qrUrl!)),
    };
    for (const [route, response] of Object.entries(answers)) {
      expect(response.status, route).toBe(503);
      expect(response.headers.get('Retry-After'), route).toMatch(/^[1-9]\d*$/);
      expect((await response.json()).error.code, route).toBe('store_unavailable');
    }
    expect((await a.handler(request(`${BASE}/health`))).status).toBe(503);
    // The phone finishes its check now: the callback cannot be read, and the page fits any device.
    const callback = await a.handler(new Request(mock.decide(tokenOf(lostCallback.h5Link), 'pass')!));
    expect(callback.status).toBe(503);
    expect(await callback.text()).toContain('data-liveness-callback="neutral"');
    expect(events.filter((event) => event.type === 'store.error').map((event) => event.storeError)).toContain('connection');
    // The create that could not take its budget slot never reached the upstream (nothing billed for it).
    expect(mock.stats.create).toBe(3);

    await redis.start();
    // The clients reconnect by themselves; the health route says so first.
    await vi.waitFor(async () => expect((await a.handler(request(`${BASE}/health`))).status).toBe(200), { timeout: 15_000, interval: 100 });
    // The data was kept (appendonly): the pending sessions are there, and still pending.
    expect((await getStatus(a.handler, left.sessionId)).status).toBe('pending');
    // B's subscriber is up again: a result recorded by A reaches B's stream without a poll.
    await vi.waitFor(
      () => {
        const probe = b.store.subscribe!(pushed.sessionId, () => undefined);
        const live = probe.live;
        probe.close();
        expect(live).toBe(true);
      },
      { timeout: 15_000, interval: 50 },
    );
    await phoneFlow({ mock, handler: a.handler }, pushed, 'pass', 'link');
    expect((await stream.rest()).at(-1)).toMatchObject({ status: 'verified' });
    // The callback that landed during the outage: found by the check for a lost callback while the desktop polls.
    await vi.waitFor(async () => expect((await getStatus(b.handler, lostCallback.sessionId)).status).toBe('verified'), { timeout: 20_000, interval: 500 });
    expect(mock.stats.result).toBeGreaterThanOrEqual(2);
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
