import { focusManager, onlineManager, QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessSessionController, type LivenessSessionOptions } from '../../src/core/lifecycle/LivenessSessionController';
import type { LivenessState } from '../../src/core/lifecycle/livenessState';
import { livenessQueryKey, visualValidateSessionOptions } from '../../src/react/visualValidateSessionOptions';
import type { StatusSourceContext, StatusSourceFactory } from '../../src/core/lifecycle/statusSource';
import { createSkewedBackend, SKEW_ENDPOINT, type ClockSignal } from './skewedBackend';
import { urlOf } from '../fetchInput.js';
import { advance, NOW, setPage, installPageClock } from './pageClock.js';

// The session controller on its own: no React, fake timers, a real QueryClient, a backend stand-in.

installPageClock();
afterEach(() => setPage({ hidden: false }));

interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A backend stand-in: create answers from `creates` (the last repeats), status answers from `statuses`. */
function backend(creates: (n: number) => Reply | 'reject', statuses: (url: string, n: number) => Reply | 'reject' = () => ({ body: { status: 'pending' } })) {
  const calls: { method: string; url: string; at: number; headers: Record<string, string>; signal: AbortSignal | undefined }[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url: urlOf(input), at: Date.now(), headers: { ...(init.headers as Record<string, string>) }, signal: init.signal ?? undefined });
    const n = calls.filter((c) => c.method === method).length;
    const reply = method === 'POST' ? creates(n) : statuses(urlOf(input), n);
    if (reply === 'reject') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? (method === 'POST' ? 201 : 200), headers: { 'Content-Type': 'application/json', ...reply.headers } });
  });
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    posts: () => calls.filter((c) => c.method === 'POST'),
    gets: () => calls.filter((c) => c.method === 'GET'),
  };
}

const created = (n: number, extra: Record<string, unknown> = {}): Reply => ({
  body: { sessionId: `sess_${n}`, h5Link: `https://h5.example.test/a?pl=FAKE-${n}`, expiresAt: new Date(Date.now() + 120_000).toISOString(), statusUrl: `${SKEW_ENDPOINT}/sess_${n}`, ...extra },
});

function mount(options: Partial<LivenessSessionOptions> & { fetch: typeof globalThis.fetch }, client = new QueryClient(), createSource?: StatusSourceFactory) {
  const callbacks = {
    onStateChange: vi.fn<(state: LivenessState) => void>(),
    onSessionCreated: vi.fn(),
    onVerified: vi.fn(),
    onFailed: vi.fn(),
    onExpired: vi.fn(),
    onError: vi.fn(),
  };
  const controller = new LivenessSessionController({ endpoint: SKEW_ENDPOINT, ...callbacks, ...options }, client, false, createSource);
  const notified = vi.fn();
  const unsubscribe = controller.subscribe(notified);
  return { controller, client, unsubscribe, notified, ...callbacks, states: () => callbacks.onStateChange.mock.calls.map(([s]) => s.status), snap: () => controller.getSnapshot() };
}

describe('construction and mount', () => {
  it('has no side effects until subscribed: no request, no listener, no timer', async () => {
    const add = vi.spyOn(window, 'addEventListener');
    const server = backend((n) => created(n));
    const controller = new LivenessSessionController({ endpoint: SKEW_ENDPOINT, fetch: server.fetch }, new QueryClient());
    await advance(60_000);
    expect(server.calls).toHaveLength(0);
    expect(add).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(controller.getSnapshot().status).toBe('creating');
    expect(controller.getServerSnapshot()).toBe(controller.getSnapshot());
  });

  it('the first subscriber mounts it: one POST, then ready; each transition notifies and reports once', async () => {
    const server = backend((n) => created(n));
    const view = mount({ fetch: server.fetch });
    await advance(0);
    expect(server.posts()).toHaveLength(1);
    expect(view.snap()).toMatchObject({ status: 'ready', session: { sessionId: 'sess_1' }, autoRefreshCount: 0, finishedElsewhere: false });
    expect(view.states()).toEqual(['creating', 'ready']);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    // The server snapshot stays what the first render saw.
    expect(view.controller.getServerSnapshot().status).toBe('creating');
    // start() while busy does nothing.
    view.controller.start();
    await advance(10_000);
    expect(server.posts()).toHaveLength(1);
  });

  it('an unsubscribe followed by a subscribe in the same task (StrictMode) changes nothing', async () => {
    const server = backend(() => ({ status: 201, body: {} }));
    const slow = vi.fn(() => new Promise<Response>(() => undefined));
    const view = mount({ fetch: slow });
    view.unsubscribe();
    const again = view.controller.subscribe(() => undefined);
    await advance(0);
    expect(slow).toHaveBeenCalledTimes(1);
    const signal = (slow.mock.calls[0] as unknown as [string, RequestInit])[1].signal!;
    expect(signal.aborted).toBe(false);
    expect(view.states()).toEqual(['creating']);
    again();
    await advance(0);
    expect(signal.aborted).toBe(true);
    expect(server.calls).toHaveLength(0);
  });

  it('destroy leaves nothing: request aborted, cache entry gone, no timer, no listener; subscribing again starts afresh', async () => {
    const added: string[] = [];
    const removed: string[] = [];
    vi.spyOn(window, 'addEventListener').mockImplementation(function (this: Window, type: string) {
      added.push(type);
    });
    vi.spyOn(window, 'removeEventListener').mockImplementation(function (this: Window, type: string) {
      removed.push(type);
    });
    const server = backend((n) => created(n));
    const client = new QueryClient();
    const view = mount({ fetch: server.fetch }, client);
    await advance(2000);
    expect(server.gets().length).toBeGreaterThan(0);
    expect(client.getQueryCache().findAll({ queryKey: livenessQueryKey })).toHaveLength(1);
    view.unsubscribe();
    await advance(0);
    expect(client.getQueryCache().findAll({ queryKey: livenessQueryKey })).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(removed.sort()).toEqual(added.sort());
    const calls = server.calls.length;
    await advance(300_000);
    expect(server.calls).toHaveLength(calls);
    // Remounted (React may keep a component and mount it again): a new session, reported again.
    view.controller.subscribe(() => undefined);
    await advance(0);
    expect(server.posts()).toHaveLength(2);
    expect(view.controller.getSnapshot().session?.sessionId).toBe('sess_2');
  });

  it('a private client is mounted with the controller and unmounted with it', async () => {
    expect(focusManager.hasListeners()).toBe(false);
    const server = backend((n) => created(n));
    const controller = new LivenessSessionController({ endpoint: SKEW_ENDPOINT, fetch: server.fetch }, new QueryClient(), true);
    const off = controller.subscribe(() => undefined);
    expect(focusManager.hasListeners()).toBe(true);
    expect(onlineManager.hasListeners()).toBe(true);
    off();
    await advance(0);
    expect(focusManager.hasListeners()).toBe(false);
    expect(onlineManager.hasListeners()).toBe(false);
  });

  it('shares a prefetched session: ready from construction, no POST', async () => {
    const server = backend((n) => created(n));
    const client = new QueryClient();
    await client.prefetchQuery(visualValidateSessionOptions({ endpoint: SKEW_ENDPOINT, fetch: server.fetch, sessionKey: 'checkout' }));
    const controller = new LivenessSessionController({ endpoint: SKEW_ENDPOINT, fetch: server.fetch, sessionKey: 'checkout' }, client);
    expect(controller.getServerSnapshot().session?.sessionId).toBe('sess_1');
    controller.subscribe(() => undefined);
    await advance(10);
    expect(server.posts()).toHaveLength(1);
    expect(controller.getSnapshot().status).toBe('ready');
  });
});

describe('Idempotency-Key', () => {
  it('is the same on react-query’s automatic retries of one attempt, and new for retry() and for each automatic refresh', async () => {
    const server = backend(
      (n) => (n === 1 ? { status: 503, body: { error: { code: 'unavailable', message: 'fake' } } } : n === 2 ? 'reject' : created(n, { expiresAt: new Date(Date.now() + 60_000).toISOString() })),
      () => ({ body: { status: 'pending' } }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(3100);
    expect(server.posts()).toHaveLength(3);
    expect(view.snap().status).toBe('ready');
    const keys = () => server.posts().map((c) => c.headers['Idempotency-Key']);
    expect(keys()[0]).toMatch(/^[\w-]{16,}$/);
    expect(new Set(keys())).toEqual(new Set([keys()[0]]));
    // The link runs out (status pending from a backend without a clock): an automatic refresh.
    await advance(60_000);
    expect(server.posts()).toHaveLength(4);
    view.controller.retry();
    await advance(10);
    expect(server.posts()).toHaveLength(5);
    expect(new Set(keys()).size).toBe(3);
  });
});

describe('time is the server’s', () => {
  const skews = [-600_000, -60_000, 60_000, 600_000];

  it.each(skews.flatMap((skew) => (['date', 'expiresInMs', 'both'] as ClockSignal[]).map((clock) => [skew, clock] as const)))(
    'browser clock %i ms off, server tells time by %s: each link lives its whole server life, is replaced within 1 s of its end, three times, then expired',
    async (skew, clock) => {
      const server = createSkewedBackend({ skewMs: -skew, ttlMs: 120_000, clock });
      const view = mount({ fetch: server.fetch });
      await advance(10);
      for (let n = 1; n <= 4; n += 1) {
        expect(view.snap().session?.sessionId).toBe(`sess_${n}`);
        await advance(server.localExpiryOf(`sess_${n}`) - Date.now() - 1);
        expect(view.snap().session?.sessionId).toBe(`sess_${n}`);
        expect(server.posts()).toHaveLength(n);
        await advance(clock === 'date' ? 1011 : 11);
        expect(view.snap().status).toBe(n < 4 ? 'ready' : 'expired');
      }
      expect(view.snap().state).toEqual({ status: 'expired', sessionId: 'sess_4' });
      expect(view.onExpired).toHaveBeenCalledTimes(1);
      expect(server.posts()).toHaveLength(4);
      // The offset it learned, for countdowns.
      expect(view.snap().serverTimeOffsetMs).toBeLessThanOrEqual(-skew);
      expect(view.snap().serverTimeOffsetMs).toBeGreaterThan(-skew - 1000);
    },
  );

  it('an old backend that tells no time: the browser’s own clock decides, as before', async () => {
    const server = createSkewedBackend({ skewMs: 0, ttlMs: 60_000, clock: 'none' });
    const view = mount({ fetch: server.fetch });
    await advance(10);
    await advance(59_980);
    expect(server.posts()).toHaveLength(1);
    await advance(30);
    expect(server.posts()).toHaveLength(2);
    expect(view.snap().serverTimeOffsetMs).toBe(0);
  });

  it('pending past expiresAt from a backend that tells time: keeps the link and keeps asking every 2 s; replaced once it says expired', async () => {
    let hold = true;
    const server = createSkewedBackend({ skewMs: 60_000, ttlMs: 60_000, clock: 'both', holdPending: () => hold });
    const view = mount({ fetch: server.fetch });
    await advance(10);
    const end = server.localExpiryOf('sess_1');
    await advance(end - Date.now() + 20_000);
    expect(view.snap().session?.sessionId).toBe('sess_1');
    const asked = server
      .gets()
      .filter((c) => c.at >= end)
      .map((c) => c.at - end);
    expect(asked.length).toBeGreaterThanOrEqual(10);
    hold = false;
    await advance(2010);
    expect(view.snap().session?.sessionId).toBe('sess_2');
    expect(view.snap().autoRefreshCount).toBe(1);
  });

  it('the link is not replaced while the page is hidden or offline; it is asked and replaced once someone can see it', async () => {
    const server = createSkewedBackend({ skewMs: -30_000, ttlMs: 60_000, clock: 'date' });
    const view = mount({ fetch: server.fetch });
    await advance(10);
    setPage({ hidden: true });
    await advance(5 * 60_000);
    expect(server.posts()).toHaveLength(1);
    expect(server.gets()).toHaveLength(1);
    setPage({ online: false });
    setPage({ hidden: false });
    await advance(60_000);
    expect(server.calls).toHaveLength(2);
    setPage({ online: true });
    await advance(10);
    // One status request for the old link (it says expired), then its replacement.
    expect(server.gets().filter((c) => c.url.endsWith('/sess_1'))).toHaveLength(2);
    expect(server.posts()).toHaveLength(2);
    expect(view.snap().session?.sessionId).toBe('sess_2');
  });
});

describe('polling', () => {
  it('every 2 s while visible and online, backing off on errors (doubling to 30 s, at least Retry-After)', async () => {
    const server = backend(
      (n) => created(n, { expiresAt: '2030-01-01T00:00:00.000Z' }),
      (_url, n) => (n === 2 || n === 3 ? { status: 503, body: {} } : n === 4 ? { status: 429, body: {}, headers: { 'Retry-After': '45' } } : { body: { status: 'pending' } }),
    );
    mount({ fetch: server.fetch });
    await advance(2000 + 4000 + 8000 + 45_000 + 2000 + 10);
    const gaps = server
      .gets()
      .map((c, i, all) => (i ? c.at - all[i - 1]!.at : 0))
      .slice(1);
    expect(gaps).toEqual([2000, 4000, 8000, 45_000, 2000]);
  });
});

describe('a store outage on the server (issue 23: 503 store_unavailable with Retry-After)', () => {
  it('keeps polling at the Retry-After the server asks for, shows no error during a 30 s outage, and shows the outcome at the next poll after it', async () => {
    const outageFrom = NOW + 3_000;
    const outageTo = NOW + 33_000;
    const server = backend(
      (n) => created(n, { expiresAt: '2030-01-01T00:00:00.000Z' }),
      () => {
        const now = Date.now();
        if (now < outageFrom) return { body: { status: 'pending' } };
        if (now < outageTo) return { status: 503, body: { error: { code: 'store_unavailable', message: 'x' } }, headers: { 'Retry-After': '2' } };
        return { body: { status: 'verified', groupId: 'group-FAKE' } };
      },
    );
    const view = mount({ fetch: server.fetch });
    await advance(34_000);
    const during = server.gets().filter((call) => call.at >= outageFrom && call.at < outageTo);
    // Every 2 s as the server asked, not backing off to 30 s: the outcome is seen right after the outage.
    expect(during.length).toBeGreaterThanOrEqual(14);
    expect(during.map((call, i) => (i ? call.at - during[i - 1]!.at : 2000))).toEqual(during.map(() => 2000));
    expect(view.states()).not.toContain('error');
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.snap().status).toBe('verified');
  });

  it('errors without Retry-After still back off (doubling to 30 s)', async () => {
    const server = backend(
      (n) => created(n, { expiresAt: '2030-01-01T00:00:00.000Z' }),
      (_url, n) => (n === 1 ? { body: { status: 'pending' } } : { status: 503, body: {} }),
    );
    mount({ fetch: server.fetch });
    await advance(2000 + 4000 + 8000 + 16_000 + 30_000 + 10);
    const gaps = server
      .gets()
      .map((c, i, all) => (i ? c.at - all[i - 1]!.at : 0))
      .slice(1);
    expect(gaps).toEqual([2000, 4000, 8000, 16_000, 30_000]);
  });
});

describe('status request timeout', () => {
  it.each([
    ['the default', 15_000, undefined],
    ['timeoutMs 5000', 5000, 5000],
    ['timeoutMs 0 (no create timeout)', 15_000, 0],
    ['timeoutMs 60000', 15_000, 60_000],
  ])('%s: a hung status request is cut after %i ms', async (_name, want, timeoutMs) => {
    const hung: AbortSignal[] = [];
    const fetch = vi.fn(async (_input: string | URL | Request, init: RequestInit = {}) => {
      if (init.method === 'POST') return new Response(JSON.stringify(created(1).body), { status: 201 });
      hung.push(init.signal!);
      return new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    mount({ fetch: fetch, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    await advance(want - 10);
    expect(hung).toHaveLength(1);
    expect(hung[0]!.aborted).toBe(false);
    await advance(20);
    expect(hung[0]!.aborted).toBe(true);
  });
});

describe('resume after a same-tab round trip', () => {
  function remembered(sessionId: string, owner?: string) {
    sessionStorage.setItem(`react-liveness-session:${sessionId}`, JSON.stringify({ statusUrl: `${SKEW_ENDPOINT}/${sessionId}`, owner }));
  }

  it.each([
    ['a 503', { status: 503, body: {} }],
    ['a network error', 'reject' as const],
    ['a 500', { status: 500, body: {} }],
    ['a 401', { status: 401, body: {} }],
  ])('%s on each of the first three reads: retried with back-off until the outcome arrives; no POST', async (_name, bad) => {
    remembered('sess_42');
    window.history.replaceState(null, '', '/done?livenessSessionId=sess_42');
    const server = backend(
      (n) => created(n),
      (_url, n) => (n <= 3 ? bad : { body: { status: 'verified', groupId: 'grp_42' } }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(4000 + 8000 + 16_000 + 10);
    expect(view.snap().state).toEqual({ status: 'verified', sessionId: 'sess_42', groupId: 'grp_42' });
    expect(server.posts()).toHaveLength(0);
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    expect(window.location.search).toBe('');
    expect(sessionStorage.length).toBe(0);
  });

  it('gives up after the result window (10 min) of unreadable answers: error, offering a new session', async () => {
    remembered('sess_42');
    window.history.replaceState(null, '', '/?x=1&livenessSessionId=sess_42#top');
    const server = backend(
      (n) => created(n),
      () => ({ status: 503, body: {} }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(9 * 60_000);
    expect(view.snap().status).toBe('creating');
    await advance(2 * 60_000);
    expect(view.snap().status).toBe('error');
    expect(view.snap().error).toMatchObject({ status: 503 });
    expect(window.location.search + window.location.hash).toBe('?x=1#top');
    expect(server.posts()).toHaveLength(0);
    view.controller.retry();
    await advance(10);
    expect(server.posts()).toHaveLength(1);
  });

  it('picks up only the entry of its own sessionKey; another component’s entry is neither adopted nor "finished elsewhere"', async () => {
    remembered('sess_42', 'other');
    window.history.replaceState(null, '', '/?livenessSessionId=sess_42');
    const server = backend((n) => created(n));
    const view = mount({ fetch: server.fetch, sessionKey: 'mine' });
    await advance(10);
    expect(view.snap()).toMatchObject({ status: 'ready', finishedElsewhere: false, session: { sessionId: 'sess_1' } });
    expect(server.gets().every((c) => c.url.endsWith('/sess_1'))).toBe(true);
  });

  it('two components without a sessionKey: the first to mount picks it up, the second creates its own', async () => {
    remembered('sess_42');
    window.history.replaceState(null, '', '/?livenessSessionId=sess_42');
    const server = backend(
      (n) => created(n),
      (url) => ({ body: { status: url.endsWith('sess_42') ? 'pending' : 'pending' } }),
    );
    const first = mount({ fetch: server.fetch });
    const second = mount({ fetch: server.fetch });
    await advance(10);
    expect(first.snap().status).toBe('creating');
    expect(second.snap().session?.sessionId).toBe('sess_1');
    expect(server.posts()).toHaveLength(1);
  });
});

describe('the status source interface', () => {
  it('a source other than polling plugs in: it gets the session, the page’s activity, and hands answers on', async () => {
    const contexts: StatusSourceContext[] = [];
    const source = { setActive: vi.fn(), check: vi.fn(), stop: vi.fn() };
    const push: StatusSourceFactory = (context) => {
      contexts.push(context);
      return source;
    };
    const server = backend((n) => created(n));
    const view = mount({ fetch: server.fetch }, new QueryClient(), push);
    await advance(10);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ target: { sessionId: 'sess_1', statusUrl: `${SKEW_ENDPOINT}/sess_1` }, intervalMs: 2000, active: true });
    setPage({ hidden: true });
    expect(source.setActive).toHaveBeenLastCalledWith(false);
    setPage({ hidden: false });
    expect(source.setActive).toHaveBeenLastCalledWith(true);
    // One read on demand goes through the controller (and teaches it the clock).
    await contexts[0]!.read(new AbortController().signal);
    expect(server.gets()).toHaveLength(1);
    // A pushed answer decides the session like a polled one.
    contexts[0]!.answer({ sessionId: 'sess_1', status: 'verified', groupId: 'grp_push' });
    expect(view.snap().state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_push' });
    expect(source.stop).toHaveBeenCalledTimes(1);
  });
});

describe('options', () => {
  it('enabled false → idle until start(); turning it true starts, turning it false resets', async () => {
    const server = backend((n) => created(n));
    const view = mount({ fetch: server.fetch, enabled: false });
    await advance(10);
    expect(view.snap().status).toBe('idle');
    expect(server.calls).toHaveLength(0);
    view.controller.setOptions({ endpoint: SKEW_ENDPOINT, fetch: server.fetch, enabled: true });
    await advance(10);
    expect(view.snap().status).toBe('ready');
    view.controller.setOptions({ endpoint: SKEW_ENDPOINT, fetch: server.fetch, enabled: false });
    expect(view.snap().status).toBe('idle');
    expect(server.posts()).toHaveLength(1);
  });

  it('callbacks come from the latest options', async () => {
    const server = backend((n) => created(n));
    const view = mount({ fetch: server.fetch });
    const later = vi.fn();
    view.controller.setOptions({ endpoint: SKEW_ENDPOINT, fetch: server.fetch, onSessionCreated: later });
    await advance(10);
    expect(later).toHaveBeenCalledTimes(1);
    expect(view.onSessionCreated).not.toHaveBeenCalled();
  });
});

describe('opened: the phone has the check', () => {
  const OPENED = { status: 'pending', openedAt: '2026-01-01T00:00:05.000Z' };

  it('a status answer with openedAt: opened (onStateChange once), the session kept, still polled; expiry never replaces it', async () => {
    // The server's clock says the link ends at 60 s; the phone opened it at 5 s and keeps the check for minutes.
    const server = backend(
      (n) => created(n, { expiresAt: new Date(Date.now() + 60_000).toISOString() }),
      (_url, n) => ({ body: n === 1 ? { status: 'pending' } : OPENED }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(2010);
    expect(view.snap().state).toEqual({ status: 'opened', session: expect.objectContaining({ sessionId: 'sess_1' }), openedAt: OPENED.openedAt });
    expect(view.snap().session?.sessionId).toBe('sess_1');
    expect(view.states()).toEqual(['creating', 'ready', 'opened']);
    await advance(10 * 60_000);
    // Ten minutes past its end on both clocks: the same session, asked all along, never a second POST.
    expect(server.posts()).toHaveLength(1);
    expect(view.snap().status).toBe('opened');
    expect(view.snap().autoRefreshCount).toBe(0);
    expect(server.gets().length).toBeGreaterThan(250);
    expect(view.states()).toEqual(['creating', 'ready', 'opened']);
  });

  it('a backend that tells no time and a link that ran out: still not replaced once opened', async () => {
    const server = createSkewedBackend({ skewMs: 0, ttlMs: 60_000, clock: 'none', holdPending: () => true, outcome: () => undefined });
    const view = mount({ fetch: server.fetch, pollIntervalMs: 2000 });
    await advance(10);
    view.controller.markOpened();
    expect(view.snap().status).toBe('opened');
    await advance(5 * 60_000);
    expect(server.posts()).toHaveLength(1);
    expect(view.snap().status).toBe('opened');
  });

  it('then the outcome: verified, with onVerified once', async () => {
    let outcome: Record<string, unknown> = OPENED;
    const server = backend(
      (n) => created(n),
      () => ({ body: outcome }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(10);
    expect(view.snap().status).toBe('opened');
    outcome = { ...OPENED, checkingSince: '2026-01-01T00:00:40.000Z' };
    await advance(2000);
    expect(view.snap().state).toMatchObject({ status: 'opened', checkingSince: '2026-01-01T00:00:40.000Z' });
    outcome = { status: 'verified', groupId: 'grp_1', resultCode: '10000', openedAt: OPENED.openedAt };
    await advance(2000);
    expect(view.snap().state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1', resultCode: '10000' });
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    expect(view.states()).toEqual(['creating', 'ready', 'opened', 'opened', 'verified']);
  });

  it('markOpened (the link tapped here): opened at once, with no status URL too; an expired link on our clock is then left alone', async () => {
    const server = backend((n) => created(n, { statusUrl: undefined, expiresAt: new Date(Date.now() + 30_000).toISOString() }));
    const view = mount({ fetch: server.fetch });
    await advance(10);
    view.controller.markOpened();
    expect(view.snap().state).toEqual({ status: 'opened', session: expect.objectContaining({ sessionId: 'sess_1' }) });
    await advance(5 * 60_000);
    expect(server.posts()).toHaveLength(1);
    expect(server.gets()).toHaveLength(0);
    expect(view.snap().status).toBe('opened');
  });

  it('an unopened link with the same backend is still replaced at its end (the rule is about opened links only)', async () => {
    const server = backend((n) => created(n, { statusUrl: undefined, expiresAt: new Date(Date.now() + 30_000).toISOString() }));
    const view = mount({ fetch: server.fetch });
    await advance(30_010);
    expect(server.posts()).toHaveLength(2);
    expect(view.snap().session?.sessionId).toBe('sess_2');
  });
});

describe('retry() cancels the session it leaves', () => {
  const deletes = (server: ReturnType<typeof backend>) => server.calls.filter((c) => c.method === 'DELETE');

  it.each(['ready', 'opened'] as const)('while %s: DELETE {statusUrl} with the endpoint’s headers and the create answer’s owner key, and exactly one new session at once', async (state) => {
    const server = backend(
      (n) => created(n, { qrUrl: `https://app.example.test/api/liveness/l/FAKEKEY${n}AAAAAAAAAAAAAA`, ownerKey: `FAKEOWNER${n}AAAAAAAAAAAA` }),
      () => ({ body: state === 'opened' ? { status: 'pending', openedAt: '2026-01-01T00:00:01.000Z' } : { status: 'pending' } }),
    );
    const view = mount({ fetch: server.fetch, endpoint: { url: SKEW_ENDPOINT, headers: { Authorization: 'Bearer FAKE-app-token' } } });
    await advance(10);
    expect(view.snap().status).toBe(state);
    view.controller.retry();
    expect(deletes(server)).toEqual([
      expect.objectContaining({
        url: `${SKEW_ENDPOINT}/sess_1`,
        headers: expect.objectContaining({ Authorization: 'Bearer FAKE-app-token', 'Liveness-Owner-Key': 'FAKEOWNER1AAAAAAAAAAAA' }),
      }),
    ]);
    // Never what the QR code shows (issue 21): whoever sees the code must not be able to cancel.
    expect(JSON.stringify(deletes(server)[0]!.headers)).not.toContain('FAKEKEY1');
    // The new session does not wait for the cancel's answer.
    expect(view.snap().status).toBe('creating');
    await advance(10);
    expect(server.posts()).toHaveLength(2);
    expect(view.snap().session?.sessionId).toBe('sess_2');
  });

  it.each([
    ['404', { status: 404, body: { error: { code: 'not_found', message: 'x' } } }],
    ['405', { status: 405, body: { error: { code: 'method_not_allowed', message: 'x' } } }],
    ['an HTML page', { status: 200, body: '<!doctype html>' }],
    ['a network error', 'reject'],
  ] as const)('a backend without the route (%s): the new session comes all the same, nothing is reported', async (_name, reply) => {
    const server = backend(
      (n) => created(n),
      () => (server.calls.at(-1)?.method === 'DELETE' ? reply : { body: { status: 'pending' } }),
    );
    const view = mount({ fetch: server.fetch });
    await advance(10);
    view.controller.retry();
    await advance(10);
    expect(deletes(server)).toHaveLength(1);
    expect(view.snap().session?.sessionId).toBe('sess_2');
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.states()).toEqual(['creating', 'ready', 'creating', 'ready']);
  });

  it('a backend whose answer has no ownerKey (only a qrUrl): the DELETE carries no key header', async () => {
    const server = backend((n) => created(n, { qrUrl: `https://app.example.test/api/liveness/l/FAKEKEY${n}AAAAAAAAAAAAAA` }));
    const view = mount({ fetch: server.fetch });
    await advance(10);
    view.controller.retry();
    expect(deletes(server)).toHaveLength(1);
    expect(Object.keys(deletes(server)[0]!.headers)).not.toContain('Liveness-Owner-Key');
    expect(Object.keys(deletes(server)[0]!.headers)).not.toContain('Liveness-Link-Key');
  });

  it('a fetch that throws at once instead of rejecting does not break retry()', async () => {
    const server = backend((n) => created(n));
    const fetch = vi.fn((input: string | URL | Request, init?: RequestInit) => {
      if (init?.method === 'DELETE') throw new TypeError('FAKE synchronous failure');
      return server.fetch(input, init);
    }) as unknown as typeof globalThis.fetch;
    const view = mount({ fetch });
    await advance(10);
    expect(() => view.controller.retry()).not.toThrow();
    await advance(10);
    expect(view.snap().session?.sessionId).toBe('sess_2');
  });

  it('nothing to cancel: no DELETE after an outcome, an error, while creating, or without a status URL; reset() cancels nothing', async () => {
    let verdict: Record<string, unknown> = { status: 'pending' };
    const server = backend(
      (n) => created(n, n === 3 ? { statusUrl: undefined } : {}),
      () => ({ body: verdict }),
    );
    const view = mount({ fetch: server.fetch });
    view.controller.retry(); // creating
    await advance(10);
    verdict = { status: 'failed', resultCode: '41002' };
    await advance(2000);
    expect(view.snap().state).toMatchObject({ status: 'failed', reason: 'liveness' });
    expect(view.onFailed).toHaveBeenCalledWith({ sessionId: 'sess_2', resultCode: '41002', reason: 'liveness' });
    view.controller.retry(); // failed
    await advance(10);
    expect(view.snap().session?.sessionId).toBe('sess_3');
    view.controller.retry(); // ready, but sess_3 has no status URL
    await advance(10);
    view.controller.reset();
    expect(deletes(server)).toHaveLength(0);
  });
});
