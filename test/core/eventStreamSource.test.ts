import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAFETY_POLL_MS } from '../../src/core/lifecycle/eventStreamSource';
import { LivenessSessionController, type LivenessSessionOptions } from '../../src/core/lifecycle/LivenessSessionController';
import type { LivenessState } from '../../src/core/lifecycle/livenessState';
import { advance, NOW, setPage, installPageClock } from './pageClock.js';

// Issue 14, the browser half: the push source behind the controller's status-source interface, with
// a fake EventSource in jsdom (which has none) and fake timers. Loading the module above up front
// puts it in the module cache, so the controller's lazy import of it settles within microtasks.

const ENDPOINT = 'https://app.example.test/api/liveness/sessions';
const INTERVAL = 2_000;

/** EventSource as the controller uses it, driven by the test: open, push, drop (browser reconnects), refuse (closed for good). */
class FakeEventSource {
  static all: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit,
  ) {
    FakeEventSource.all.push(this);
  }
  get withCredentials() {
    return Boolean(this.init?.withCredentials);
  }
  close() {
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  push(body: unknown) {
    if (this.readyState !== 1) throw new Error('push on a stream that is not open');
    this.onmessage?.(new MessageEvent('message', { data: typeof body === 'string' ? body : JSON.stringify(body) }));
  }
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
  refuse() {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

const streams = () => FakeEventSource.all;
const openStreams = () => FakeEventSource.all.filter((stream) => stream.readyState !== 2);

installPageClock();

beforeEach(() => {
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
  setPage({ hidden: false });
});

// Links that outlive every test: expiry and replacement have tests of their own.
const TTL = 60 * 60_000;
const pending = (n = 1) => ({ sessionId: `sess_${n}`, status: 'pending', expiresAt: new Date(NOW + TTL).toISOString() });
const verified = (n = 1) => ({ sessionId: `sess_${n}`, status: 'verified', groupId: 'group-FAKE', expiresAt: new Date(NOW + TTL).toISOString() });

/** The backend: creates answer with `eventsUrl` (unless `extra` says otherwise), status requests with `status()`. */
function backend(extra: Record<string, unknown> | ((n: number) => Record<string, unknown>) = {}, status: () => unknown = () => pending()) {
  const gets: number[] = [];
  let posts = 0;
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    if ((init.method ?? 'GET') === 'POST') {
      posts += 1;
      const body = {
        sessionId: `sess_${posts}`,
        h5Link: `https://h5.example.test/a?pl=FAKE-${posts}`,
        expiresAt: new Date(Date.now() + TTL).toISOString(),
        statusUrl: `${ENDPOINT}/sess_${posts}`,
        eventsUrl: `${ENDPOINT}/sess_${posts}/events`,
        ...(typeof extra === 'function' ? extra(posts) : extra),
      };
      return new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json' } });
    }
    gets.push(Date.now());
    return new Response(JSON.stringify(status()), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, gets };
}

async function mount(options: Partial<LivenessSessionOptions> & { fetch: typeof globalThis.fetch }) {
  const onVerified = vi.fn();
  const onStateChange = vi.fn<(state: LivenessState) => void>();
  const controller = new LivenessSessionController({ endpoint: ENDPOINT, onVerified, onStateChange, ...options }, new QueryClient());
  const unsubscribe = controller.subscribe(() => undefined);
  await advance(0);
  await vi.dynamicImportSettled();
  await advance(0);
  return { controller, onVerified, onStateChange, unsubscribe };
}

describe('the event-stream source (transport auto, eventsUrl, EventSource)', () => {
  it('opens the stream at eventsUrl; while it is up, a safety status request at most every 30 s (2 per minute)', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    expect(view.controller.getSnapshot().status).toBe('ready');
    expect(streams().map((stream) => stream.url)).toEqual([`${ENDPOINT}/sess_1/events`]);
    expect(streams()[0]!.withCredentials).toBe(false);
    streams()[0]!.open();
    streams()[0]!.push(pending());
    await advance(10 * 60_000);
    // 10 minutes: at most 20 safety requests, none closer together than 30 s.
    expect(server.gets.length).toBeLessThanOrEqual(20);
    expect(server.gets.length).toBeGreaterThanOrEqual(19);
    const gaps = server.gets.slice(1).map((at, i) => at - server.gets[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(SAFETY_POLL_MS);
    expect(SAFETY_POLL_MS).toBeLessThanOrEqual(30_000);
    view.unsubscribe();
  });

  it('each pushed event puts the safety request off: a stream that keeps talking needs none', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    const [stream] = streams();
    stream!.open();
    for (let i = 0; i < 10; i += 1) {
      stream!.push({ ...pending(), openedAt: new Date(NOW + i).toISOString() });
      await advance(20_000);
    }
    expect(server.gets).toEqual([]);
    view.unsubscribe();
  });

  it('polls at the normal interval until the stream is up, and while it is down', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    const [stream] = streams();
    // Never opens (a proxy that holds it): polling after one interval, then every interval.
    await advance(10_000);
    expect(server.gets.length).toBe(5);
    stream!.open();
    stream!.push(pending());
    const atOpen = server.gets.length;
    await advance(29_000);
    expect(server.gets.length).toBe(atOpen);
    view.unsubscribe();
  });

  it('a stream that opens but delivers no event (a proxy that buffers it) does not count as up: polling goes on', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    await advance(10_000);
    expect(server.gets.length).toBe(5);
    view.unsubscribe();
  });

  it('a stream that drops mid-session: polling takes over within one interval, the stream back up stops it again', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    const [stream] = streams();
    stream!.open();
    stream!.push(pending());
    await advance(5_000);
    expect(server.gets).toEqual([]);
    const droppedAt = Date.now();
    stream!.drop();
    // The browser retries the connection every few seconds; each failed try fires another error.
    for (let i = 0; i < 5; i += 1) {
      await advance(1_500);
      stream!.drop();
    }
    expect(server.gets[0]! - droppedAt).toBeLessThanOrEqual(INTERVAL);
    expect(server.gets.length).toBeGreaterThanOrEqual(3);
    // Reconnected: the backend sends the status first, and the stream is up again.
    stream!.open();
    stream!.push(pending());
    const atReopen = server.gets.length;
    await advance(25_000);
    expect(server.gets.length).toBe(atReopen);
    view.unsubscribe();
  });

  it("a refused stream (503 over the server's bound, 404, 401: closed for good) leaves polling at the interval", async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.refuse();
    await advance(20_000);
    expect(server.gets.length).toBe(10);
    view.unsubscribe();
  });

  it('a store outage (the stream refused, status 503 store_unavailable with Retry-After: 2 for 30 s): polls every 2 s, no error, then the outcome', async () => {
    const outageTo = NOW + 30_000;
    const server = backend();
    const inner = server.fetch;
    const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
      if ((init.method ?? 'GET') === 'POST') return inner(input, init);
      server.gets.push(Date.now());
      if (Date.now() < outageTo) {
        return new Response(JSON.stringify({ error: { code: 'store_unavailable', message: 'x' } }), { status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '2' } });
      }
      return new Response(JSON.stringify(verified()), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof globalThis.fetch;
    const view = await mount({ fetch });
    // The stream's own request was answered 503 too: EventSource gives up on it for good.
    streams()[0]!.refuse();
    await advance(32_000);
    const gaps = server.gets.slice(1).map((at, i) => at - server.gets[i]!);
    expect(gaps.filter((gap) => gap !== INTERVAL)).toEqual([]);
    expect(server.gets.length).toBeGreaterThanOrEqual(15);
    expect(view.onStateChange.mock.calls.map(([state]) => state.status)).not.toContain('error');
    expect(view.controller.getSnapshot().status).toBe('verified');
    view.unsubscribe();
  });

  it('hidden: the stream is closed and nothing is asked; shown again: a new stream and exactly one read', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    streams()[0]!.push(pending());
    setPage({ hidden: true });
    expect(openStreams()).toEqual([]);
    const before = server.gets.length;
    await advance(5 * 60_000);
    expect(server.gets.length).toBe(before);
    expect(streams()).toHaveLength(1);
    setPage({ hidden: false });
    await advance(0);
    expect(openStreams()).toHaveLength(1);
    expect(streams()).toHaveLength(2);
    expect(server.gets.length).toBe(before + 1);
    streams()[1]!.open();
    streams()[1]!.push(pending());
    await advance(29_000);
    expect(server.gets.length).toBe(before + 1);
    view.unsubscribe();
  });

  it('offline likewise: closed, silent, then a new stream and one read when back online', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    setPage({ online: false });
    expect(openStreams()).toEqual([]);
    await advance(60_000);
    expect(server.gets).toEqual([]);
    setPage({ online: true });
    await advance(0);
    expect(openStreams()).toHaveLength(1);
    expect(server.gets).toHaveLength(1);
    // Another "online" while already online opens nothing more.
    setPage({ online: true });
    await advance(0);
    expect(openStreams()).toHaveLength(1);
    view.unsubscribe();
  });

  it('the outcome is reported once: pushed, then the stream is closed and nothing more is asked; a poll answering it too changes nothing', async () => {
    let outcome = pending();
    const server = backend({}, () => outcome);
    const view = await mount({ fetch: server.fetch });
    const [stream] = streams();
    stream!.open();
    outcome = verified();
    const onMessage = stream!.onmessage!;
    stream!.push(verified());
    expect(view.controller.getSnapshot().status).toBe('verified');
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    expect(view.onVerified).toHaveBeenCalledWith({ sessionId: 'sess_1', groupId: 'group-FAKE' });
    expect(openStreams()).toEqual([]);
    // A late event that was already on its way, and a safety read that was due, change nothing.
    onMessage(new MessageEvent('message', { data: JSON.stringify(verified()) }));
    await advance(120_000);
    expect(server.gets).toEqual([]);
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    expect(view.onStateChange.mock.calls.filter(([state]) => state.status === 'verified')).toHaveLength(1);
    view.unsubscribe();
  });

  it('a poll that learns the outcome while the stream is down reports it once, and closes the stream', async () => {
    let outcome = pending();
    const server = backend({}, () => outcome);
    const view = await mount({ fetch: server.fetch });
    const [stream] = streams();
    stream!.open();
    stream!.drop();
    outcome = verified();
    await advance(INTERVAL);
    expect(view.controller.getSnapshot().status).toBe('verified');
    expect(openStreams()).toEqual([]);
    await advance(60_000);
    expect(server.gets).toHaveLength(1);
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    view.unsubscribe();
  });

  it('an event that is not a status: the stream is closed and polling decides', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    streams()[0]!.push('not json');
    expect(openStreams()).toEqual([]);
    expect(view.controller.getSnapshot().status).toBe('ready');
    await advance(INTERVAL * 3);
    expect(server.gets.length).toBe(3);
    view.unsubscribe();
  });

  it('unmounting closes the stream and leaves no timer', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    view.unsubscribe();
    await advance(0);
    expect(openStreams()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('when the link runs out, the status is read at once; a new link gets a new stream and the old one is closed', async () => {
    const expiresAt = new Date(NOW + 60_000).toISOString();
    const status = () => ({ sessionId: 'sess_1', status: Date.now() < NOW + 60_000 ? 'pending' : 'expired', expiresAt });
    // Only the first link runs out here; the new one lives on.
    const server = backend((n) => (n === 1 ? { expiresAt } : {}), status);
    const view = await mount({ fetch: server.fetch });
    streams()[0]!.open();
    streams()[0]!.push(status());
    await advance(60_000);
    // The new session's watch code loads once the page is idle (the next task: 1 ms on a fake clock
    // that is ticking), then its stream.
    await advance(1);
    await vi.dynamicImportSettled();
    await advance(0);
    // The safety read at 30 s, then the read at the link's end.
    expect(server.gets).toEqual([NOW + SAFETY_POLL_MS, NOW + 60_000]);
    expect(streams().map((stream) => [stream.url, stream.readyState])).toEqual([
      [`${ENDPOINT}/sess_1/events`, 2],
      [`${ENDPOINT}/sess_2/events`, 0],
    ]);
    view.unsubscribe();
  });

  it('credentials: include opens the stream withCredentials (cookies to another origin)', async () => {
    const server = backend();
    const view = await mount({ fetch: server.fetch, endpoint: { url: ENDPOINT, credentials: 'include' } });
    expect(streams()[0]!.withCredentials).toBe(true);
    view.unsubscribe();
  });
});

describe('polling instead of the stream', () => {
  const polls = async (options: Partial<LivenessSessionOptions>, extra: Record<string, unknown> = {}) => {
    const server = backend(extra);
    const view = await mount({ fetch: server.fetch, ...options });
    await advance(10_000);
    view.unsubscribe();
    return { gets: server.gets.length, streams: streams().length };
  };

  it("transport: 'poll'", async () => {
    expect(await polls({ transport: 'poll' })).toEqual({ gets: 6, streams: 0 });
  });

  it('a backend whose create answer has no eventsUrl', async () => {
    expect(await polls({}, { eventsUrl: undefined })).toEqual({ gets: 6, streams: 0 });
  });

  it('an endpoint with custom headers (EventSource cannot send them)', async () => {
    expect(await polls({ endpoint: { url: ENDPOINT, headers: { 'X-CSRF': 'FAKE' } } })).toEqual({ gets: 6, streams: 0 });
  });

  it('a browser without EventSource', async () => {
    vi.stubGlobal('EventSource', undefined);
    expect(await polls({})).toEqual({ gets: 6, streams: 0 });
  });

  it("the stream's code fails to load (a stale chunk after a deploy)", async () => {
    vi.doMock('../../src/core/lifecycle/eventStreamSource', () => {
      throw new Error('chunk load failed');
    });
    try {
      vi.resetModules();
      const { LivenessSessionController: Fresh } = await import('../../src/core/lifecycle/LivenessSessionController');
      const server = backend();
      const controller = new Fresh({ endpoint: ENDPOINT, fetch: server.fetch }, new QueryClient());
      const unsubscribe = controller.subscribe(() => undefined);
      await advance(0);
      await vi.dynamicImportSettled();
      await advance(10_000);
      unsubscribe();
      expect(streams()).toHaveLength(0);
      expect(server.gets.length).toBeGreaterThanOrEqual(5);
    } finally {
      vi.doUnmock('../../src/core/lifecycle/eventStreamSource');
      vi.resetModules();
    }
  });
});
