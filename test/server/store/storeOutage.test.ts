// @vitest-environment node
// Issues 23 (item 3) and 28 (items 3, 4): a store that cannot answer. Every route answers 503
// `store_unavailable` with `Retry-After` within the request's deadline (never a 500, never a hang), a
// store that is set up wrong answers 500 `store_misconfigured`, `onEvent` hears `store.error` with the
// class only, and the background work picks up where it was once the store is back. The stores here
// are the memory store behind a switch that makes it fail the way Redis clients fail; the same
// behaviour against a real redis-server stopped and started by PID is in redisOutage.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLivenessHandler, memoryStore, type LivenessServerEvent, type SessionStore } from '../../../src/server.js';
import { API_KEY, BASE, createSession, elapse, errorInText, getStatus, PUBLIC_URL, request, settle, setup, tokenOf, UPSTREAM_URL } from '../helpers.js';
import { createMockUpstream } from '../../../src/testing.js';

/** What Redis clients reject with, as they word it (node-redis, ioredis, Redis replies); the secret must never come out. */
const SECRET = 'redis://default:hunter2@10.0.0.5:6379 liveness:session:{abc}';
const FAILURES = {
  connection: () => Object.assign(new Error(`connect ECONNREFUSED ${SECRET}`), { code: 'ECONNREFUSED' }),
  offline: () => Object.assign(new Error('The client is closed'), { name: 'ClientClosedError' }),
  socket: () => Object.assign(new Error(`Socket closed unexpectedly ${SECRET}`), { name: 'SocketClosedUnexpectedlyError' }),
  clusterDown: () => Object.assign(new Error(`CLUSTERDOWN The cluster is down ${SECRET}`), { name: 'ErrorReply' }),
  moved: () => Object.assign(new Error(`MOVED 3999 127.0.0.1:6381 ${SECRET}`), { name: 'ErrorReply' }),
  loading: () => Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ErrorReply' }),
  crossSlot: () => Object.assign(new Error(`CROSSSLOT Keys in request don't hash to the same slot ${SECRET}`), { name: 'ErrorReply' }),
  noScript: () => Object.assign(new Error('NOSCRIPT No matching script. Please use EVAL.'), { name: 'ErrorReply' }),
  wrongType: () => Object.assign(new Error(`WRONGTYPE Operation against a key holding the wrong kind of value script: 1, on @user_script:1. ${SECRET}`), { name: 'ErrorReply' }),
  unknownCommand: () => Object.assign(new Error("ERR unknown command 'EVAL', with args beginning with: "), { name: 'ErrorReply' }),
} as const;
type Failure = keyof typeof FAILURES;

const METHODS = ['get', 'create', 'update', 'delete', 'getRecord', 'swapRecord', 'takeSlot', 'returnSlot', 'time'] as const;

/**
 * The memory store behind a switch: `up`, failing with one of FAILURES, or `hang` (commands that never
 * come back, as a client that queues them while it reconnects). Counts the calls that reached it.
 */
function switchableStore() {
  const inner = memoryStore();
  const state: { mode: 'up' | 'hang' | Failure; calls: number; hung: number } = { mode: 'up', calls: 0, hung: 0 };
  const store = { ...inner };
  for (const name of METHODS) {
    const method = (inner as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name];
    if (!method) continue;
    (store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      state.calls += 1;
      if (state.mode === 'up') return method.apply(inner, args);
      if (state.mode === 'hang') {
        state.hung += 1;
        return new Promise(() => {});
      }
      return Promise.reject(FAILURES[state.mode]());
    };
  }
  return { store, state };
}

const storeErrors = (events: LivenessServerEvent[]) => events.filter((event) => event.type === 'store.error');

/** Every route a browser, a phone or a load balancer calls, for one session. */
async function everyRoute(handler: ReturnType<typeof setup>['handler'], created: { sessionId: string; qrUrl?: string; h5Link: string }) {
  const id = created.sessionId;
  const json = { 'Content-Type': 'application/json' };
  return {
    create: await handler(request(`${BASE}/sessions`, { method: 'POST', headers: json, body: '{}' })),
    createIdempotent: await handler(request(`${BASE}/sessions`, { method: 'POST', headers: { ...json, 'Idempotency-Key': 'key-0123456789abcdef' }, body: '{}' })),
    status: await handler(request(`${BASE}/sessions/${id}`)),
    statusHead: await handler(request(`${BASE}/sessions/${id}`, { method: 'HEAD' })),
    cancel: await handler(request(`${BASE}/sessions/${id}`, { method: 'DELETE' })),
    events: await handler(request(`${BASE}/sessions/${id}/events`)),
    shortLink: await handler(new Request(created.qrUrl!)),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a store that cannot answer', () => {
  it.each(['connection', 'offline', 'socket', 'clusterDown', 'moved', 'loading'] as const)(
    'every route answers 503 store_unavailable with Retry-After while the store fails (%s), never 500',
    async (failure) => {
      const { store, state } = switchableStore();
      // With the upstream budget on (its default), as it is in production: kept in the store.
      const { handler, events, mock } = setup({ store, upstreamRateLimit: undefined });
      const created = await createSession(handler);
      const before = mock.stats.create;
      state.mode = failure;
      const answers = await everyRoute(handler, created);
      for (const [route, response] of Object.entries(answers)) {
        expect(response.status, route).toBe(503);
        expect(response.headers.get('Retry-After'), route).toMatch(/^[1-9]\d*$/);
        expect(response.headers.get('Cache-Control'), route).toBe('no-store');
        if (route === 'statusHead') continue;
        const text = await response.text();
        expect(JSON.parse(text), route).toEqual({ error: { code: 'store_unavailable', message: expect.any(String) } });
        expect(text, route).not.toMatch(/hunter2|10\.0\.0\.5|ECONNREFUSED|liveness:session/);
      }
      // A create that cannot even read its budget never reaches the upstream (nothing is billed for it).
      expect(mock.stats.create).toBe(before);
      const health = await handler(request(`${BASE}/health`));
      expect(health.status).toBe(503);
      expect(storeErrors(events).length).toBeGreaterThan(0);
    },
  );

  it('a store that hangs: every route answers 503 store_unavailable within storeTimeoutMs, and the hung calls do not pile up', async () => {
    const { store, state } = switchableStore();
    const { handler, events } = setup({ store, storeTimeoutMs: 200 });
    const created = await createSession(handler);
    state.mode = 'hang';
    const answers = await everyRoute(handler, created);
    for (const [route, response] of Object.entries(answers)) {
      expect(response.status, route).toBe(503);
      expect(response.headers.get('Retry-After'), route).toMatch(/^[1-9]\d*$/);
    }
    expect(storeErrors(events)).toContainEqual({ type: 'store.error', code: 'store_unavailable', storeError: 'timeout' });
    // After the first call that did not come back, the others are answered at once instead of joining it.
    const hungBefore = state.hung;
    await Promise.all(Array.from({ length: 50 }, () => handler(request(`${BASE}/sessions/${created.sessionId}`))));
    expect(state.hung - hungBefore).toBeLessThanOrEqual(1);
  });

  it('the phone landing on the callback during an outage sees the neutral page, in words for any device', async () => {
    const { store, state } = switchableStore();
    const { handler, mock } = setup({ store, storeTimeoutMs: 200 });
    const urls = [];
    for (const device of ['desktop', 'mobile'] as const) urls.push(mock.decide(tokenOf((await createSession(handler, { device })).h5Link), 'pass')!);
    for (const mode of ['connection', 'hang'] as const) {
      state.mode = mode;
      for (const url of urls) {
        const response = await handler(new Request(url, { headers: { 'Accept-Language': 'en' } }));
        expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
        expect(response.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
        const html = await response.text();
        expect(html).toContain('data-liveness-callback="neutral"');
        // DESIGN rule 10: someone who started on their phone is never sent to a computer.
        expect(html).not.toMatch(/computer|error|wrong/i);
      }
    }
  });

  it('a misconfigured store (CROSSSLOT, NOSCRIPT, WRONGTYPE, unknown command) answers 500 store_misconfigured, and onEvent hears the class, never a key or an address', async () => {
    for (const failure of ['crossSlot', 'noScript', 'wrongType', 'unknownCommand'] as const) {
      const { store, state } = switchableStore();
      const { handler, events } = setup({ store });
      state.mode = failure;
      const response = await handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
      expect(response.status, failure).toBe(500);
      const text = await response.text();
      expect(errorInText(text).code, failure).toBe('store_misconfigured');
      expect(text).not.toMatch(/hunter2|10\.0\.0\.5|liveness:session|CROSSSLOT|WRONGTYPE/);
      const expected = { crossSlot: 'crossslot', noScript: 'noscript', wrongType: 'wrong_type', unknownCommand: 'unknown_command' }[failure];
      expect(storeErrors(events), failure).toContainEqual({ type: 'store.error', code: 'store_misconfigured', storeError: expected });
      expect(JSON.stringify(events)).not.toMatch(/hunter2|10\.0\.0\.5|liveness:session|Keys in request/);
    }
  });

  it('store.error events carry the class only', async () => {
    const { store, state } = switchableStore();
    const { handler, events } = setup({ store });
    const created = await createSession(handler);
    for (const failure of Object.keys(FAILURES) as Failure[]) {
      state.mode = failure;
      await handler(request(`${BASE}/sessions/${created.sessionId}`));
    }
    const errors = storeErrors(events);
    expect(new Set(errors.map((event) => event.storeError))).toEqual(new Set(['connection', 'cluster_down', 'moved', 'busy', 'crossslot', 'noscript', 'wrong_type', 'unknown_command']));
    for (const event of errors) expect(Object.keys(event).sort()).toEqual(['code', 'storeError', 'type']);
  });

  it('getSession rejects with a LivenessStoreError that names the class and nothing else', async () => {
    const { store, state } = switchableStore();
    const { handler } = setup({ store });
    const created = await createSession(handler);
    state.mode = 'connection';
    const error = await handler.getSession(created.sessionId).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'LivenessStoreError', code: 'store_unavailable', storeError: 'connection' });
    expect(String((error as Error).message)).not.toMatch(/hunter2|10\.0\.0\.5/);
    expect((error as Error).cause).toBeUndefined();
  });

  it('storeTimeoutMs must be a positive number', () => {
    expect(() => createLivenessHandler({ apiKey: API_KEY, storeTimeoutMs: 0 })).toThrow(/storeTimeoutMs/);
    expect(() => createLivenessHandler({ apiKey: API_KEY, storeTimeoutMs: Number.NaN })).toThrow(/storeTimeoutMs/);
  });
});

describe('after the outage', () => {
  it('the callback that landed during the outage is recovered by the probe while the desktop watches; the session ends verified', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { store, state } = switchableStore();
    const { handler, mock } = setup({ store });
    // The desktop is watching; the phone then finished its check while the store was down.
    const created2 = await settle(createSession(handler));
    expect((await settle(getStatus(handler, created2.sessionId))).status).toBe('pending');
    state.mode = 'connection';
    const url = mock.decide(tokenOf(created2.h5Link), 'pass')!;
    const callback = await settle(handler(new Request(url)));
    expect(await callback.text()).toContain('data-liveness-callback="neutral"');
    await elapse(5_000);
    state.mode = 'up';
    // The desktop keeps polling: the check for a lost callback finds the result.
    let status = 'pending';
    for (let i = 0; i < 20 && status === 'pending'; i += 1) {
      await elapse(2_000);
      status = (await settle(getStatus(handler, created2.sessionId))).status;
    }
    expect(status).toBe('verified');
  });

  it('background timers survive the outage: a result call that was due runs once the store is back, with no request', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const mock = createMockUpstream({ apiKey: API_KEY });
    const { store, state } = switchableStore();
    let resultCalls = 0;
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      upstreamRateLimit: false,
      store,
      // The first result call gets no answer (a 503 of the upstream): the retry is left to the timers.
      fetch: (input, init) => {
        const req = new Request(input, init);
        if (req.url.includes('GetVisualValidateResult') && (resultCalls += 1) === 1) return Promise.resolve(new Response('busy', { status: 503 }));
        return mock(req);
      },
    });
    const created = await settle(createSession(handler));
    const callback = await settle(handler(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(await callback.text()).toContain('data-liveness-callback="pending"');
    // The store goes down before the retry falls due, and stays down for 20 s.
    state.mode = 'connection';
    await elapse(20_000);
    expect(resultCalls).toBe(1);
    state.mode = 'up';
    await elapse(40_000);
    expect(resultCalls).toBe(2);
    state.mode = 'up';
    expect((await handler.getSession(created.sessionId))?.status).toBe('verified');
  });

  it('a GroupId answered while the store cannot record it is kept and recorded once the store is back (the token is spent)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const inner = memoryStore();
    let broken = true;
    const store: SessionStore = {
      ...inner,
      async update(id, version, patch) {
        if (broken && patch.groupId !== undefined) throw FAILURES.connection();
        return inner.update(id, version, patch);
      },
    };
    const { handler, mock } = setup({ store });
    const created = await settle(createSession(handler));
    const callback = await settle(handler(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(callback.status).toBe(503);
    expect(await callback.text()).toContain('data-liveness-callback="neutral"');
    broken = false;
    await elapse(30_000);
    expect(await settle(getStatus(handler, created.sessionId))).toMatchObject({ status: 'verified', groupId: expect.any(String) });
    expect(mock.stats.result).toBe(1);
  });
});
