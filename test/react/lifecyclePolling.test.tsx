import { onlineManager, type QueryClient } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useVisualValidateSession, type UseVisualValidateSessionOptions } from '../../src/react/useVisualValidateSession';
import {
  advance,
  createBackend,
  ENDPOINT,
  errorReply,
  FAKE_TIMERS,
  flushMicrotasks,
  newQueryClient,
  restoreVisibility,
  setOnline,
  setVisibility,
  statusReply,
  statusUrlOf,
  wrapperWith,
  type BackendOptions,
} from './helpers';

// The waiting lifecycle, part 1: how often the status URL is asked, and when it is not.

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00.000Z'));
});

afterEach(() => {
  restoreVisibility();
  onlineManager.setOnline(true);
  vi.useRealTimers();
  sessionStorage.clear();
});

function renderWaiting(options: Partial<UseVisualValidateSessionOptions> = {}, backend: BackendOptions = {}, wrap: { strict?: boolean; client?: QueryClient } = {}) {
  const server = createBackend(backend);
  const view = renderHook(() => useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch, ...options }), {
    wrapper: wrapperWith({ client: wrap.client ?? newQueryClient(), ...(wrap.strict ? { strict: true } : {}) }),
  });
  return { ...view, ...server };
}

/** Renders and moves the clock until the session is ready and its first status request went out. */
async function untilPolling(...args: Parameters<typeof renderWaiting>) {
  const view = renderWaiting(...args);
  await advance(10);
  expect(view.result.current.status).toBe('ready');
  expect(view.posts()).toHaveLength(1);
  expect(view.gets()).toHaveLength(1);
  return view;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('polling cadence', () => {
  it('asks the statusUrl at once when ready, then every 2 s', async () => {
    const view = await untilPolling();
    expect(view.gets()[0]!.url).toBe(statusUrlOf('sess_1'));
    await advance(10_000);
    // 10 s of waiting: 5 more requests, 2 s apart.
    expect(view.gets()).toHaveLength(6);
    for (const gap of gaps(view.gets().map((c) => c.at))) {
      expect(gap).toBeGreaterThanOrEqual(2000);
      expect(gap).toBeLessThan(2050);
    }
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('ready');
  });

  it('honours pollIntervalMs', async () => {
    const view = await untilPolling({ pollIntervalMs: 5000 });
    await advance(4900);
    expect(view.gets()).toHaveLength(1);
    await advance(5100);
    expect(view.gets()).toHaveLength(3);
    for (const gap of gaps(view.gets().map((c) => c.at))) {
      expect(gap).toBeGreaterThanOrEqual(5000);
      expect(gap).toBeLessThan(5050);
    }
  });

  it('sends GET with the endpoint’s headers and credentials, never a body', async () => {
    const server = createBackend();
    renderHook(() => useVisualValidateSession({ endpoint: { url: ENDPOINT, headers: { 'X-CSRF': 'fake-csrf' }, credentials: 'include' }, fetch: server.fetch }), {
      wrapper: wrapperWith({ client: newQueryClient() }),
    });
    await advance(10);
    const get = server.gets()[0]!;
    expect(get.init.body).toBeUndefined();
    expect(get.init.credentials).toBe('include');
    expect((get.init.headers as Record<string, string>)['X-CSRF']).toBe('fake-csrf');
  });
});

describe('pauses while hidden or offline', () => {
  it('makes no request while the tab is hidden and one at once when it is visible again', async () => {
    const view = await untilPolling();
    setVisibility('hidden');
    await advance(30_000);
    expect(view.gets()).toHaveLength(1);
    setVisibility('visible');
    await advance(10);
    expect(view.gets()).toHaveLength(2);
    // Then back to the usual cadence.
    await advance(2000);
    expect(view.gets()).toHaveLength(3);
  });

  it('makes no request while offline and one at once on reconnect', async () => {
    const view = await untilPolling();
    setOnline(false);
    await advance(30_000);
    expect(view.gets()).toHaveLength(1);
    setOnline(true);
    await advance(10);
    expect(view.gets()).toHaveLength(2);
    await advance(2000);
    expect(view.gets()).toHaveLength(3);
  });

  it('asks at once on reconnect even when no request was held back while offline', async () => {
    const view = await untilPolling();
    await advance(500);
    setOnline(false);
    await advance(500);
    setOnline(true);
    await advance(10);
    expect(view.gets()).toHaveLength(2);
    expect(view.gets()[1]!.at - view.gets()[0]!.at).toBeLessThan(1100);
  });

  it('stays ready while paused: hiding the tab is not an error', async () => {
    const view = await untilPolling();
    setVisibility('hidden');
    setOnline(false);
    await advance(60_000);
    expect(view.result.current.status).toBe('ready');
    expect(view.posts()).toHaveLength(1);
  });
});

describe('back-off on errors', () => {
  it('doubles the wait after each failed status request (2, 4, 8, 16, 30, 30 s) and resets after a success', async () => {
    const fail = errorReply(500, 'internal_error');
    const ok = statusReply('pending');
    const view = await untilPolling({}, { status: [ok, fail, fail, fail, fail, fail, ok] });
    await advance(2000 + 4000 + 8000 + 16000 + 30000 + 30000 + 2000 + 50);
    const times = view.gets().map((c) => c.at);
    // ok, then five failures (the fourth and fifth waits hit the 30 s cap), then successes again.
    expect(times.length).toBeGreaterThanOrEqual(8);
    const seen = gaps(times)
      .slice(0, 7)
      .map((g) => Math.round(g / 1000));
    expect(seen).toEqual([2, 4, 8, 16, 30, 30, 2]);
    // A failing status request does not turn a waiting session into an error.
    expect(view.result.current.status).toBe('ready');
    await advance(2000);
    expect(
      gaps(view.gets().map((c) => c.at))
        .slice(7, 8)
        .map((g) => Math.round(g / 1000)),
    ).toEqual([2]);
  });

  it('backs off from pollIntervalMs too, capped at 30 s', async () => {
    const fail = errorReply(503, 'unavailable');
    const view = await untilPolling({ pollIntervalMs: 10_000 }, { status: [fail] });
    await advance(20_000 + 30_000 + 30_000 + 50);
    expect(gaps(view.gets().map((c) => c.at)).map((g) => Math.round(g / 1000))).toEqual([20, 30, 30]);
  });

  it('treats a network error like a 500', async () => {
    const view = await untilPolling({}, { status: [{ kind: 'reject' }] });
    await advance(4000 + 8000 + 50);
    expect(gaps(view.gets().map((c) => c.at)).map((g) => Math.round(g / 1000))).toEqual([4, 8]);
    expect(view.result.current.status).toBe('ready');
  });
});

describe('statusEndpoint for backends without statusUrl', () => {
  it('fills :id in a string', async () => {
    const view = await untilPolling({ statusEndpoint: '/api/check/:id/status' }, { noStatusUrl: true });
    expect(view.gets()[0]!.url).toBe('/api/check/sess_1/status');
    await advance(2000);
    expect(view.gets()).toHaveLength(2);
  });

  it('calls a function with the session id', async () => {
    const statusEndpoint = vi.fn((id: string) => `https://app.example.test/status?id=${id}`);
    const view = await untilPolling({ statusEndpoint }, { noStatusUrl: true });
    expect(view.gets()[0]!.url).toBe('https://app.example.test/status?id=sess_1');
    expect(statusEndpoint).toHaveBeenCalledWith('sess_1');
  });

  it('encodes the id it puts into the :id template', async () => {
    const view = renderWaiting({ statusEndpoint: '/s/:id' }, { noStatusUrl: true, session: () => ({ sessionId: 'a/b?c' }) });
    await advance(10);
    expect(view.gets()[0]!.url).toBe('/s/a%2Fb%3Fc');
  });

  it('prefers the answer’s statusUrl over statusEndpoint', async () => {
    const view = await untilPolling({ statusEndpoint: '/elsewhere/:id' });
    expect(view.gets()[0]!.url).toBe(statusUrlOf('sess_1'));
  });

  it('without statusUrl and statusEndpoint, never polls', async () => {
    const view = renderWaiting({}, { noStatusUrl: true });
    await advance(10);
    expect(view.result.current.status).toBe('ready');
    await advance(120_000);
    expect(view.gets()).toHaveLength(0);
    expect(view.calls).toHaveLength(1);
    expect(view.result.current.status).toBe('ready');
  });
});

describe('clean-up on unmount', () => {
  it('leaves no timer behind and makes no request after unmount', async () => {
    const view = await untilPolling();
    await advance(2000);
    expect(view.gets()).toHaveLength(2);
    view.unmount();
    await flushMicrotasks();
    await advance(10);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(view.calls).toHaveLength(3);
  });

  it('aborts the in-flight status request', async () => {
    const view = await untilPolling({}, { status: [statusReply('pending'), { kind: 'hang' }] });
    await advance(2000);
    expect(view.gets()).toHaveLength(2);
    const inFlight = view.gets()[1]!;
    expect(inFlight.init.signal!.aborted).toBe(false);
    view.unmount();
    await flushMicrotasks();
    await advance(10);
    expect(inFlight.init.signal!.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(view.gets()).toHaveLength(2);
  });

  it('under StrictMode: unmount after a while leaves nothing running either', async () => {
    const view = renderWaiting({}, {}, { strict: true });
    await advance(10);
    await advance(6000);
    const before = view.calls.length;
    view.unmount();
    await flushMicrotasks();
    await advance(10);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(view.calls).toHaveLength(before);
  });
});
