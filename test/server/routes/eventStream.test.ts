// @vitest-environment node
// Issue 14: `GET {basePath}/sessions/:id/events` pushes the status as Server-Sent Events: the current
// status at once, every change after it, a heartbeat, the end after a final status; bounded per
// handler; an aborted request releases everything.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OWNER_KEY_HEADER } from '../../../src/core/wire/protocol.js';
import { createLivenessHandler, memoryStore, type SessionStore } from '../../../src/server.js';
import { API_KEY, BASE, createSession, elapse, errorBody, getStatus, phoneFlow, PUBLIC_URL, request, setup, successfulResults, tokenOf, UPSTREAM_URL } from '../helpers.js';
import { sseReader } from '../sseReader.js';

afterEach(() => {
  vi.useRealTimers();
});

const eventsOf = (id: string, init?: RequestInit) => request(`${BASE}/sessions/${id}/events`, init);

/** What the status route says, without the millisecond count that differs between any two answers. */
const comparable = ({ expiresInMs: _, ...rest }: { expiresInMs?: number }) => rest;

describe('GET {basePath}/sessions/:id/events', () => {
  it('is a text/event-stream that is neither cached, buffered nor compressed, and starts with the status the status route gives', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    expect(created.eventsUrl).toBe(`${BASE}/sessions/${created.sessionId}/events`);
    const abort = new AbortController();
    const response = await s.handler(request(created.eventsUrl!, { signal: abort.signal }));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toMatch(/\bno-store\b/);
    expect(response.headers.get('Cache-Control')).toMatch(/\bno-transform\b/);
    expect(response.headers.get('X-Accel-Buffering')).toBe('no');
    expect(response.headers.get('Content-Encoding')).toBeNull();
    const stream = sseReader(response);
    expect(await stream.next()).toEqual({ kind: 'retry', ms: 2000 });
    const first = await stream.next();
    expect(first.kind).toBe('data');
    const status = await getStatus(s.handler, created.sessionId);
    expect(comparable((first as { data: typeof status }).data)).toEqual(comparable(status));
    expect(status.status).toBe('pending');
    abort.abort();
    expect(await stream.next()).toEqual({ kind: 'end' });
  });

  it('pushes each change (openedAt, checkingSince, the outcome) once, then ends after the final status', async () => {
    // The result lags the callback by a second, so the session is seen "checking" on the way.
    const s = setup({}, { notReadyMs: 1_500 });
    const created = await createSession(s.handler);
    const stream = sseReader(await s.handler(eventsOf(created.sessionId)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    const opened = await s.handler(request(created.qrUrl!));
    expect(opened.status).toBe(302);
    const withOpened = await stream.nextStatus();
    expect(withOpened).toMatchObject({ status: 'pending', openedAt: expect.any(String) });
    expect(withOpened?.checkingSince).toBeUndefined();
    const flow = phoneFlow(s, created, 'pass', 'qr', opened.headers.get('Set-Cookie')!.split(';')[0]);
    const checking = await stream.nextStatus();
    expect(checking).toMatchObject({ status: 'pending', openedAt: withOpened!.openedAt, checkingSince: expect.any(String) });
    const rest = await stream.rest();
    await flow;
    // The outcome, once; then the stream ended (rest() returned).
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatchObject({ status: 'verified', groupId: expect.any(String), openedAt: withOpened!.openedAt });
    expect(comparable(rest[0]!)).toEqual(comparable(await getStatus(s.handler, created.sessionId)));
    expect(successfulResults(s.mock)).toBe(1);
    // Like status answers, events never carry the link, its short URL, the token or the key.
    const said = JSON.stringify([withOpened, checking, ...rest]);
    for (const secret of [created.h5Link, created.qrUrl!, tokenOf(created.h5Link), API_KEY]) expect(said).not.toContain(secret);
  });

  it("a cancel (issue 13's DELETE route) reaches the stream with no code of its own: expired, then the end", async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const stream = sseReader(await s.handler(eventsOf(created.sessionId)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    const cancelled = await s.handler(request(`${BASE}/sessions/${created.sessionId}`, { method: 'DELETE', headers: { [OWNER_KEY_HEADER]: created.ownerKey! } }));
    expect(cancelled.status).toBe(200);
    expect((await stream.rest()).map((status) => status.status)).toEqual(['expired']);
  });

  it('a stream opened on a decided session sends it and ends at once', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'fail', 'link');
    const all = await sseReader(await s.handler(eventsOf(created.sessionId))).rest();
    expect(all).toEqual([expect.objectContaining({ status: 'failed', reason: expect.any(String) })]);
  });

  it('sends expired and ends when the link runs out unused (after the last check, which the stream drives)', async () => {
    const s = setup({ sessionTtlMs: 300, backgroundTimers: false });
    const created = await createSession(s.handler);
    const all = await sseReader(await s.handler(eventsOf(created.sessionId))).rest();
    expect(all.map((status) => status.status)).toEqual(['pending', 'expired']);
    // The stream counted as watching: the check at expiry for a lost callback was made.
    expect(s.mock.calls.filter((call) => call.action === 'result')).toHaveLength(1);
  });

  it('sends a heartbeat comment every 15 s and nothing else while nothing changes', async () => {
    vi.useFakeTimers();
    const s = setup({ backgroundTimers: false, sessionTtlMs: 600_000, probeIntervalMs: 600_000 });
    const created = await createSession(s.handler);
    const abort = new AbortController();
    const stream = sseReader(await s.handler(eventsOf(created.sessionId, { signal: abort.signal })));
    expect((await stream.next()).kind).toBe('retry');
    expect((await stream.next()).kind).toBe('data');
    const blocks: string[] = [];
    let reading = true;
    const collect = (async () => {
      while (reading) {
        const block = await stream.next();
        if (block.kind === 'end') break;
        blocks.push(block.kind);
      }
    })();
    await elapse(14_900, 100);
    expect(blocks).toEqual([]);
    await elapse(200, 100);
    expect(blocks).toEqual(['comment']);
    await elapse(45_000, 500);
    expect(blocks).toEqual(['comment', 'comment', 'comment', 'comment']);
    reading = false;
    abort.abort();
    await collect;
  });

  it('marks the session watched, like a status poll', async () => {
    const store = memoryStore();
    const s = setup({ store });
    const created = await createSession(s.handler);
    expect((await store.get(created.sessionId))?.watchedAt).toBeUndefined();
    const abort = new AbortController();
    const stream = sseReader(await s.handler(eventsOf(created.sessionId, { signal: abort.signal })));
    await stream.nextStatus();
    await vi.waitFor(async () => expect((await store.get(created.sessionId))?.watchedAt).toEqual(expect.any(Number)));
    abort.abort();
  });

  it('drives due result retries while the desktop only listens (no timers, no polls: serverless)', async () => {
    vi.useFakeTimers();
    const s = setup({ backgroundTimers: false });
    const created = await createSession(s.handler);
    const stream = sseReader(await s.handler(eventsOf(created.sessionId)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    // The first two result calls fail; the callback answers "pending" and nothing runs on a timer.
    s.mock.failNext('serverError', 'result');
    s.mock.failNext('serverError', 'result');
    const statuses: string[] = [];
    const reading = (async () => {
      for (let status = await stream.nextStatus(); status; status = await stream.nextStatus()) statuses.push(status.status);
    })();
    const flow = phoneFlow(s, created, 'pass', 'link');
    await elapse(10_000, 100);
    await flow;
    await reading;
    expect(statuses.at(-1)).toBe('verified');
    expect(s.mock.calls.filter((call) => call.action === 'result').map((call) => call.status)).toEqual([500, 500, 200]);
  });

  it('finds a passed check whose callback was lost while the desktop only listens (probes, no timers)', async () => {
    vi.useFakeTimers();
    const s = setup({ backgroundTimers: false, probeIntervalMs: 5_000 });
    const created = await createSession(s.handler);
    const stream = sseReader(await s.handler(eventsOf(created.sessionId)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    const rest = stream.rest();
    await elapse(12_000, 100);
    expect((await rest).map((status) => status.status)).toEqual(['verified']);
    expect(successfulResults(s.mock)).toBe(1);
  });

  it('answers 503 with Retry-After over maxEventStreams, and an aborted stream frees its place at once', async () => {
    const s = setup({ maxEventStreams: 2 });
    const created = await createSession(s.handler);
    const aborts = [new AbortController(), new AbortController()];
    const open = await Promise.all(aborts.map((abort) => s.handler(eventsOf(created.sessionId, { signal: abort.signal }))));
    expect(open.map((response) => response.status)).toEqual([200, 200]);
    const refused = await s.handler(eventsOf(created.sessionId));
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await errorBody(refused)).code).toBe('too_many_streams');
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', httpStatus: 503, code: 'too_many_streams' }));
    // The status route keeps answering: the browser polls instead.
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    aborts[0]!.abort();
    expect((await s.handler(eventsOf(created.sessionId))).status).toBe(200);
    // A consumer that cancels the body (the Node adapter, when the client is gone) frees its place too.
    await open[1]!.body!.cancel();
    const again = await s.handler(eventsOf(created.sessionId, { signal: aborts[1]!.signal }));
    expect(again.status).toBe(200);
  });

  it('an aborted request leaves no timer, no listener and no count behind', async () => {
    vi.useFakeTimers();
    const store = memoryStore();
    let listening = 0;
    // The store's own subscribe, counted.
    const counted: SessionStore = {
      ...store,
      subscribe(id, onChange) {
        listening += 1;
        const subscription = store.subscribe!(id, onChange);
        return {
          get live() {
            return subscription.live;
          },
          close: () => ((listening -= 1), subscription.close()),
        };
      },
    };
    const s = setup({ store: counted, backgroundTimers: false, maxEventStreams: 1 });
    const created = await createSession(s.handler);
    const before = vi.getTimerCount();
    const abort = new AbortController();
    const stream = sseReader(await s.handler(eventsOf(created.sessionId, { signal: abort.signal })));
    await stream.nextStatus();
    await elapse(1_000);
    expect(listening).toBe(1);
    expect(vi.getTimerCount()).toBeGreaterThan(before);
    abort.abort();
    expect(listening).toBe(0);
    expect(vi.getTimerCount()).toBe(before);
    expect(await stream.next()).toEqual({ kind: 'end' });
    expect((await s.handler(eventsOf(created.sessionId))).status).toBe(200);
  });

  it('a store that fails for a while: the stream keeps reading as a poll would, and gets the outcome', async () => {
    vi.useFakeTimers();
    const store = memoryStore();
    let failing = false;
    const flaky: SessionStore = {
      ...store,
      get: (id) => (failing ? Promise.reject(new Error('store down')) : store.get(id)),
    };
    const s = setup({ store: flaky, backgroundTimers: false });
    const created = await createSession(s.handler);
    const stream = sseReader(await s.handler(eventsOf(created.sessionId)));
    expect((await stream.nextStatus())?.status).toBe('pending');
    await elapse(500);
    failing = true;
    // The outcome is written while the store cannot be read: the change notification's read fails.
    const session = (await store.get(created.sessionId))!;
    await store.update(created.sessionId, session.version, { status: 'verified', groupId: 'group-FAKE', decidedAt: Date.now() });
    await elapse(5_000);
    failing = false;
    const rest = stream.rest();
    await elapse(3_000);
    expect((await rest).map((status) => status.status)).toEqual(['verified']);
  });

  it("follows the status route's rules: authorize, 404 for unknown ids, GET and HEAD only", async () => {
    const s = setup({ authorize: (req) => req.headers.get('X-User') === 'ok' });
    const created = await postSession201(s);
    expect((await s.handler(eventsOf(created))).status).toBe(403);
    const user = { headers: { 'X-User': 'ok' } };
    expect((await s.handler(eventsOf('nope-not-a-session', user))).status).toBe(404);
    expect((await s.handler(eventsOf('A'.repeat(22), user))).status).toBe(404);
    const post = await s.handler(eventsOf(created, { ...user, method: 'POST' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('Allow')).toBe('GET, HEAD');
    const head = await s.handler(eventsOf(created, { ...user, method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(head.body).toBeNull();
  });

  it("another subject's session is a 404, exactly like an unknown one; its own subject gets the stream", async () => {
    const s = setup({ authorize: (req) => ({ subject: req.headers.get('X-Test-User') ?? 'nobody' }) });
    const alice = { headers: { 'X-Test-User': 'user-alice' } };
    const response = await s.handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...alice.headers }, body: '{}' }));
    const { sessionId } = (await response.json()) as { sessionId: string };
    const mallory = await s.handler(eventsOf(sessionId, { headers: { 'X-Test-User': 'user-mallory' } }));
    const unknown = await s.handler(eventsOf('A'.repeat(22), { headers: { 'X-Test-User': 'user-mallory' } }));
    expect(mallory.status).toBe(404);
    expect(await mallory.text()).toBe(await unknown.text());
    const abort = new AbortController();
    const own = await s.handler(eventsOf(sessionId, { ...alice, signal: abort.signal }));
    expect(own.status).toBe(200);
    const first = await sseReader(own).nextStatus();
    expect(first).toMatchObject({ sessionId, status: 'pending' });
    expect(JSON.stringify(first)).not.toContain('user-alice');
    abort.abort();
  });

  it('maxEventStreams: 0 turns the route off: create answers carry no eventsUrl, and the route is 404', async () => {
    const s = setup({ maxEventStreams: 0 });
    const created = await createSession(s.handler);
    expect(created.eventsUrl).toBeUndefined();
    expect((await s.handler(eventsOf(created.sessionId))).status).toBe(404);
  });

  it('rejects a maxEventStreams that is not a whole number', () => {
    for (const value of [-1, 1.5, Number.NaN]) {
      expect(() => createLivenessHandler({ apiKey: API_KEY, maxEventStreams: value })).toThrow(/maxEventStreams/);
    }
  });

  it("with a store that has no subscribe: this handler's own writes are pushed, and another instance's are read every 2 s", async () => {
    const shared = memoryStore();
    // A store of the app's own, without change notifications.
    const plain = (): SessionStore => ({
      get: (id) => shared.get(id),
      create: (session) => shared.create(session),
      update: (id, version, patch) => shared.update(id, version, patch),
      delete: (id) => shared.delete(id),
    });
    const a = setup({ store: plain(), probeIntervalMs: 600_000 });
    const b = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      fetch: a.mock.fetch,
      upstreamRateLimit: false,
      store: plain(),
      probeIntervalMs: 600_000,
    });
    const created = await createSession(a.handler);
    const onA = sseReader(await a.handler(eventsOf(created.sessionId)));
    const onB = sseReader(await b(eventsOf(created.sessionId)));
    await onA.nextStatus();
    await onB.nextStatus();
    await phoneFlow(a, created, 'pass', 'link');
    // Each hears "checking" (pending with checkingSince) unless the result came first, then the outcome, once.
    for (const heard of [await onA.rest(), await onB.rest()]) {
      expect(heard.at(-1)).toMatchObject({ status: 'verified', groupId: expect.any(String) });
      expect(heard.slice(0, -1).every((status) => status.status === 'pending' && status.checkingSince)).toBe(true);
    }
  });
});

async function postSession201(s: ReturnType<typeof setup>): Promise<string> {
  const response = await s.handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'ok' }, body: '{}' }));
  expect(response.status).toBe(201);
  return ((await response.json()) as { sessionId: string }).sessionId;
}
