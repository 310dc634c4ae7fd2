import { onlineManager, type QueryClient } from '@tanstack/react-query';
import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessErrorCode } from '../../src/core/LivenessError';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn as en } from '../../src/react/text/displayText';
import { useVisualValidateSession, type LivenessState, type UseVisualValidateSessionOptions } from '../../src/react/useVisualValidateSession';
import {
  advance,
  createBackend,
  ENDPOINT,
  errorReply,
  expectProgressOrRetry,
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
  type Reply,
} from './helpers';

// Fault injection in the browser half (issue 6): a slow, flaky, offline, hostile or changing backend,
// a hidden tab, an unmount mid-request. Whatever happens: no duplicate sessions, nothing left running
// after unmount, and the person always sees progress or a way to retry.

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const OTHER_ENDPOINT = 'https://app.example.test/api/v2/liveness/sessions';

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  restoreVisibility();
  onlineManager.setOnline(true);
  vi.useRealTimers();
  sessionStorage.clear();
});

function callbackSpies() {
  return {
    onVerified: vi.fn(),
    onFailed: vi.fn(),
    onExpired: vi.fn(),
    onSessionCreated: vi.fn(),
    onError: vi.fn(),
    onStateChange: vi.fn<(state: LivenessState) => void>(),
  };
}

function renderFaultyHook(options: Partial<UseVisualValidateSessionOptions> = {}, backend: BackendOptions = {}, wrap: { strict?: boolean; client?: QueryClient } = {}) {
  const server = createBackend(backend);
  const callbacks = callbackSpies();
  const view = renderHook((props: Partial<UseVisualValidateSessionOptions>) => useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch, ...callbacks, ...options, ...props }), {
    wrapper: wrapperWith({ client: wrap.client ?? newQueryClient(), ...(wrap.strict ? { strict: true } : {}) }),
    initialProps: {},
  });
  return { ...view, ...server, ...callbacks, states: () => callbacks.onStateChange.mock.calls.map(([s]) => s.status) };
}

function renderFaultyComponent(props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = {}, strict = false) {
  const server = createBackend(backend);
  const callbacks = callbackSpies();
  const client = newQueryClient();
  const ui = (extra: Partial<LivenessSessionProps>) => {
    const element = <LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={client} mode="qr" {...callbacks} {...props} {...extra} />;
    return strict ? <StrictMode>{element}</StrictMode> : element;
  };
  const view = render(ui({}));
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  return {
    ...view,
    ...server,
    ...callbacks,
    root,
    states: () => callbacks.onStateChange.mock.calls.map(([s]) => s.status),
    rerenderWith: (extra: Partial<LivenessSessionProps>) => view.rerender(ui(extra)),
    /** Moves the clock in steps, checking after each that the person sees progress or a way to retry. */
    async watch(ms: number, step = 250) {
      for (let elapsed = 0; elapsed < ms; elapsed += step) {
        await advance(Math.min(step, ms - elapsed));
        expectProgressOrRetry(view.container);
      }
    },
  };
}

async function click(element: HTMLElement) {
  act(() => {
    fireEvent.click(element);
  });
  await advance(20);
}

const posted = (view: { posts: () => { at: number }[] }) => view.posts().map((c) => c.at - NOW);
const gaps = (times: number[]) => times.slice(1).map((t, i) => Math.round((t - times[i]!) / 1000));

// ---------------------------------------------------------------------------------------------
describe('1. backend slower than the timeout', () => {
  // Three tries (the first and `retry: 2` more), each cut at the timeout, with 1 s and 2 s between.
  const slow = (n: number): Reply | Record<string, never> => (n <= 3 ? { kind: 'hang' } : {});

  it.each([
    ['timeoutMs: 1000', 1000],
    ['the default 40 s', undefined],
  ] as const)('hook (%s): creating → 2 automatic retries → error "timeout"; retry() makes exactly one more POST', async (_name, timeoutMs) => {
    const t = timeoutMs ?? 40_000;
    const view = renderFaultyHook(timeoutMs === undefined ? {} : { timeoutMs }, { session: slow });
    await advance(0);
    expect(view.posts()).toHaveLength(1);
    await advance(t + 1000 + t + 2000 + t - 10);
    expect(view.result.current.status).toBe('creating');
    expect(posted(view)).toEqual([0, t + 1000, 2 * t + 3000]);
    await advance(20);
    expect(view.result.current.status).toBe('error');
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.timeout);
    // Each timed-out request was really cancelled, not left running in the background.
    for (const call of view.posts()) expect(call.init.signal!.aborted).toBe(true);
    expect(view.onError).toHaveBeenCalledTimes(1);
    expect(view.states()).toEqual(['creating', 'error']);
    await advance(300_000);
    expect(view.posts()).toHaveLength(3);
    expect(view.delivered()).toEqual([]);

    act(() => view.result.current.retry());
    await advance(20);
    expect(view.posts()).toHaveLength(4);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_4');
    await advance(60_000);
    expect(view.posts()).toHaveLength(4);
    expect(view.delivered()).toEqual(['sess_4']);
  });

  it('hook: retry: 0 gives up after the one timed-out request', async () => {
    const view = renderFaultyHook({ timeoutMs: 1000, retry: 0 }, { session: slow });
    await advance(1010);
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.timeout);
    await advance(60_000);
    expect(view.posts()).toHaveLength(1);
  });

  it('component: busy while trying, then the timeout message and a "Try again" button that creates exactly one session', async () => {
    const view = renderFaultyComponent({ timeoutMs: 1000 }, { session: slow });
    expect(view.root()).toHaveAttribute('data-state', 'creating');
    expect(view.root()).toHaveAttribute('aria-busy', 'true');
    await view.watch(5990, 100);
    expect(view.root()).toHaveAttribute('data-state', 'creating');
    expect(view.posts()).toHaveLength(3);
    await view.watch(20, 10);
    expect(view.root()).toHaveAttribute('data-state', 'error');
    expect(view.root()).not.toHaveAttribute('aria-busy');
    expect(view.container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(en.timeoutError);
    await view.watch(120_000, 5000);
    expect(view.posts()).toHaveLength(3);
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.posts()).toHaveLength(4);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.container.querySelector('[data-slot="qrCode"]')).not.toBeNull();
    await view.watch(30_000, 1000);
    expect(view.posts()).toHaveLength(4);
  });
});

// ---------------------------------------------------------------------------------------------
describe('2. offline, then back online, while creating', () => {
  /** A backend reachable only while `net.up`: otherwise fetch rejects with a TypeError, as browsers do. */
  function flakyNetwork() {
    const net = { up: false };
    const backend: BackendOptions = { session: (): Reply | Record<string, never> => (net.up ? {} : { kind: 'reject', error: new TypeError('Failed to fetch') }) };
    return { net, backend };
  }

  function goOnline(net: { up: boolean }) {
    net.up = true;
    setOnline(true);
  }

  it('hook: a short outage is bridged by the back-off (1 s, 2 s); exactly one session reaches ready', async () => {
    const { net, backend } = flakyNetwork();
    setOnline(false);
    const view = renderFaultyHook({}, backend);
    await advance(1500);
    expect(view.posts()).toHaveLength(2);
    expect(view.result.current.status).toBe('creating');
    goOnline(net);
    // The back-off is not cut short by the `online` event: the third try goes at 3 s as planned.
    await advance(1490);
    expect(view.posts()).toHaveLength(2);
    await advance(20);
    expect(posted(view)).toEqual([0, 1000, 3000]);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_3');
    expect(view.delivered()).toEqual(['sess_3']);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.states()).toEqual(['creating', 'ready']);
    await advance(120_000);
    expect(view.posts()).toHaveLength(3);
    expect(view.delivered()).toEqual(['sess_3']);
  });

  it('hook: a long outage ends in error "network" (no automatic POST on reconnect); retry() then creates exactly one session', async () => {
    const { net, backend } = flakyNetwork();
    setOnline(false);
    const view = renderFaultyHook({}, backend);
    await advance(3010);
    expect(view.result.current.status).toBe('error');
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.network);
    await advance(10_000);
    goOnline(net);
    await advance(60_000);
    expect(view.posts()).toHaveLength(3);
    expect(view.result.current.status).toBe('error');
    act(() => view.result.current.retry());
    await advance(20);
    expect(view.result.current.status).toBe('ready');
    expect(view.posts()).toHaveLength(4);
    expect(view.delivered()).toEqual(['sess_4']);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    expect(view.onError).toHaveBeenCalledTimes(1);
  });

  it('hook: the connection drops with the create request in flight; the retry after coming back creates the only session', async () => {
    const net = { up: true };
    // The first request is under way when the network goes: the browser fails it with a TypeError.
    const view = renderFaultyHook(
      {},
      {
        session: (n) => (n === 1 ? { kind: 'delay', ms: 800, then: { kind: 'reject' } } : net.up ? {} : { kind: 'reject' }),
      },
    );
    await advance(400);
    net.up = false;
    setOnline(false);
    await advance(900);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('creating');
    goOnline(net);
    await advance(1000);
    expect(view.result.current.status).toBe('ready');
    expect(view.posts()).toHaveLength(2);
    expect(view.delivered()).toEqual(['sess_2']);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
  });

  it('component: busy through the outage, ready after it, never an error in between', async () => {
    const { net, backend } = flakyNetwork();
    setOnline(false);
    const view = renderFaultyComponent({}, backend);
    await view.watch(1500, 100);
    expect(view.root()).toHaveAttribute('aria-busy', 'true');
    goOnline(net);
    await view.watch(1600, 100);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.states()).toEqual(['creating', 'ready']);
    expect(view.delivered()).toEqual(['sess_3']);
    await view.watch(60_000, 2000);
    expect(view.posts()).toHaveLength(3);
  });

  it('component: a long outage shows the network message and "Try again"; one click, one session', async () => {
    const { net, backend } = flakyNetwork();
    setOnline(false);
    const view = renderFaultyComponent({}, backend);
    await view.watch(3100, 100);
    expect(view.root()).toHaveAttribute('data-state', 'error');
    expect(view.container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(en.networkError);
    goOnline(net);
    await view.watch(30_000, 1000);
    expect(view.posts()).toHaveLength(3);
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.delivered()).toEqual(['sess_4']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('3. a 500, then success', () => {
  const once500: BackendOptions = { session: (n) => (n === 1 ? errorReply(500, 'internal_error') : {}) };

  it.each([false, true])('hook (StrictMode %s): one automatic retry after 1 s reaches ready; onError never fires; onSessionCreated once', async (strict) => {
    const view = renderFaultyHook({}, once500, { strict });
    await advance(990);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('creating');
    await advance(20);
    expect(posted(view)).toEqual([0, 1000]);
    expect(view.result.current.status).toBe('ready');
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    expect(view.onSessionCreated.mock.calls[0]![0]).toMatchObject({ sessionId: 'sess_2' });
    expect(view.states()).toEqual(['creating', 'ready']);
    await advance(60_000);
    expect(view.posts()).toHaveLength(2);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
  });

  it('component: busy until the retry succeeds, then the QR code; the error view never shows', async () => {
    const view = renderFaultyComponent({}, once500, true);
    await view.watch(990, 10);
    expect(view.root()).toHaveAttribute('data-state', 'creating');
    expect(view.root()).toHaveAttribute('aria-busy', 'true');
    await view.watch(30, 10);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.container.querySelector('[data-slot="qrCode"]')).not.toBeNull();
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    expect(view.states()).toEqual(['creating', 'ready']);
    expect(view.posts()).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------
describe('4. the tab hidden for minutes while ready', () => {
  const shortLived: BackendOptions = { session: () => ({ expiresAt: inMs(60_000) }) };

  it('hook: no status requests while hidden; one at once when visible again; a link still valid is kept', async () => {
    const view = renderFaultyHook({}, { session: () => ({ expiresAt: inMs(30 * 60_000) }) });
    await advance(10);
    expect(view.gets()).toHaveLength(1);
    setVisibility('hidden');
    await advance(5 * 60_000);
    expect(view.gets()).toHaveLength(1);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('ready');
    setVisibility('visible');
    await advance(10);
    expect(view.gets()).toHaveLength(2);
    expect(view.gets()[1]!.url).toBe(statusUrlOf('sess_1'));
    expect(view.posts()).toHaveLength(1);
    await advance(2000);
    expect(view.gets()).toHaveLength(3);
  });

  it('hook: the link expires while hidden → no POST while hidden; when visible, one status GET at once, then exactly one POST', async () => {
    const view = renderFaultyHook({}, shortLived);
    await advance(10);
    setVisibility('hidden');
    await advance(10 * 60_000);
    expect(view.gets()).toHaveLength(1);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    const shownAt = Date.now();
    setVisibility('visible');
    await advance(10);
    await advance(10);
    // The old session's status first (the person may have finished on the phone meanwhile), then,
    // as soon as it says pending, its replacement.
    expect(view.gets()[1]!.url).toBe(statusUrlOf('sess_1'));
    expect(view.gets()[1]!.at).toBe(shownAt);
    expect(view.posts()).toHaveLength(2);
    expect(view.posts()[1]!.at - shownAt).toBeLessThanOrEqual(20);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_2');
    expect(view.result.current.autoRefreshCount).toBe(1);
    expect(
      view
        .gets()
        .slice(2)
        .map((c) => c.url),
    ).toEqual([statusUrlOf('sess_2')]);
    await advance(30_000);
    expect(view.posts()).toHaveLength(2);
    expect(view.onExpired).not.toHaveBeenCalled();
  });

  it('hook: the person finished on the phone while this tab was hidden and the link expired: verified, no new session', async () => {
    const view = renderFaultyHook({}, shortLived);
    await advance(10);
    setVisibility('hidden');
    await advance(5 * 60_000);
    view.setStatus(statusReply('verified', { groupId: 'grp_1' }));
    setVisibility('visible');
    await advance(10);
    await advance(10);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    await advance(120_000);
    expect(view.posts()).toHaveLength(1);
    expect(view.gets()).toHaveLength(2);
  });

  it('hook: the person finished between the last poll and the expiry, tab visible: verified, no new session', async () => {
    // The expiry asks the status once before replacing the session; a verification that happened
    // since the last poll (up to 2 s earlier) must not be thrown away by the refresh.
    const view = renderFaultyHook({ pollIntervalMs: 3_600_000 }, shortLived);
    await advance(10);
    const getsBefore = view.gets().length;
    view.setStatus(statusReply('verified', { groupId: 'grp_1' }));
    await advance(5 * 60_000);
    expect(view.gets().length).toBe(getsBefore + 1);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(view.posts()).toHaveLength(1);
    expect(view.onVerified).toHaveBeenCalledTimes(1);
  });

  it('hook: the backend says expired while it was hidden: replaced by exactly one session', async () => {
    const view = renderFaultyHook({}, shortLived);
    await advance(10);
    setVisibility('hidden');
    await advance(5 * 60_000);
    view.setStatus(statusReply('expired'), statusReply('pending'));
    setVisibility('visible');
    await advance(10);
    await advance(10);
    expect(view.posts()).toHaveLength(2);
    expect(view.result.current.session?.sessionId).toBe('sess_2');
    await advance(10_000);
    expect(view.posts()).toHaveLength(2);
  });

  it('hook: hidden for an hour costs one POST on return, never more than maxAutoRefresh however often it is hidden', async () => {
    const view = renderFaultyHook({ maxAutoRefresh: 2 }, shortLived);
    await advance(10);
    setVisibility('hidden');
    await advance(60 * 60_000);
    expect(view.posts()).toHaveLength(1);
    // Five rounds of "glance at the tab, leave it for ten minutes".
    for (let round = 0; round < 5; round += 1) {
      setVisibility('visible');
      await advance(10);
      setVisibility('hidden');
      await advance(10 * 60_000);
      expect(view.posts().length).toBeLessThanOrEqual(3);
    }
    setVisibility('visible');
    await advance(10);
    expect(view.posts()).toHaveLength(3);
    expect(view.result.current.state).toEqual({ status: 'expired', sessionId: 'sess_3' });
    expect(view.onExpired).toHaveBeenCalledTimes(1);
    await advance(60 * 60_000);
    expect(view.posts()).toHaveLength(3);
  });

  it('component: while hidden nothing is asked; when shown the expired code is replaced (busy, then a new QR code)', async () => {
    const view = renderFaultyComponent({}, shortLived);
    await view.watch(20, 10);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    setVisibility('hidden');
    await view.watch(10 * 60_000, 10_000);
    expect(view.calls).toHaveLength(2);
    setVisibility('visible');
    await view.watch(20, 10);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
    expect(view.container.querySelector('[data-slot="qrCode"]')).not.toBeNull();
    expect(view.onSessionCreated).toHaveBeenCalledTimes(2);
  });

  it('component: refreshes used up while away → "Get a new code"; one click, one session', async () => {
    const view = renderFaultyComponent({ maxAutoRefresh: 1 }, shortLived);
    await view.watch(20, 10);
    for (let round = 0; round < 3; round += 1) {
      setVisibility('hidden');
      await view.watch(5 * 60_000, 10_000);
      setVisibility('visible');
      await view.watch(20, 10);
    }
    expect(view.root()).toHaveAttribute('data-state', 'expired');
    expect(view.posts()).toHaveLength(2);
    await click(screen.getByRole('button', { name: en.newCodeButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------
describe('5. unmount in the middle of a request', () => {
  /** After unmount: the request was cancelled, no timer is left, and nothing is asked for 5 minutes. */
  async function expectNothingLeft(view: { calls: { init: RequestInit }[] }, inFlight: { init: RequestInit }, consoleError: ReturnType<typeof vi.spyOn>) {
    await flushMicrotasks();
    expect(inFlight.init.signal!.aborted).toBe(true);
    await advance(10);
    expect(vi.getTimerCount()).toBe(0);
    const before = view.calls.length;
    await advance(5 * 60_000);
    expect(view.calls).toHaveLength(before);
    expect(consoleError).not.toHaveBeenCalled();
  }

  it.each([false, true])('hook (StrictMode %s): the create request in flight', async (strict) => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyHook({}, { session: () => ({ kind: 'hang' }) }, { strict });
    await advance(500);
    expect(view.posts()).toHaveLength(1);
    expect(view.posts()[0]!.init.signal!.aborted).toBe(false);
    view.unmount();
    await expectNothingLeft(view, view.posts()[0]!, consoleError);
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.states()).toEqual(['creating']);
  });

  it('hook: the create answer is on its way (slow, not hung) when it unmounts', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyHook({}, { createDelayMs: () => 3000 });
    await advance(1000);
    view.unmount();
    await expectNothingLeft(view, view.posts()[0]!, consoleError);
    expect(view.delivered()).toEqual([]);
    expect(view.onSessionCreated).not.toHaveBeenCalled();
  });

  it('hook: waiting out the back-off after a 500', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyHook({}, { session: () => errorReply(500, 'internal_error') });
    await advance(500);
    expect(view.posts()).toHaveLength(1);
    view.unmount();
    await flushMicrotasks();
    await advance(10);
    // At most react-query's retry sleep, which cannot be cleared; when it ends the cancelled retry stops.
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    await advance(500);
    expect(vi.getTimerCount()).toBe(0);
    await advance(5 * 60_000);
    expect(view.posts()).toHaveLength(1);
    expect(view.onError).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  });

  it.each([false, true])('hook (StrictMode %s): a status request in flight', async (strict) => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyHook({}, { status: [statusReply('pending'), { kind: 'hang' }] }, { strict });
    await advance(10);
    await advance(2000);
    const inFlight = view.gets().at(-1)!;
    expect(inFlight.init.signal!.aborted).toBe(false);
    view.unmount();
    await expectNothingLeft(view, inFlight, consoleError);
  });

  it('component: the create request in flight', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyComponent({}, { session: () => ({ kind: 'hang' }) }, true);
    await advance(500);
    view.unmount();
    await expectNothingLeft(view, view.posts()[0]!, consoleError);
  });

  it('component: a status request in flight', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const view = renderFaultyComponent({}, { status: [statusReply('pending'), { kind: 'hang' }] }, true);
    await advance(10);
    await advance(2000);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    const inFlight = view.gets().at(-1)!;
    view.unmount();
    await expectNothingLeft(view, inFlight, consoleError);
  });
});

// ---------------------------------------------------------------------------------------------
describe('6. the endpoint prop changing mid-flight', () => {
  // Behaviour: the endpoint is not part of the session's identity. The current attempt keeps going
  // (no second POST, its statusUrl keeps being polled); the new endpoint is used by the next POST:
  // retry(), an automatic refresh, or an automatic retry of a failed request.

  it('hook: while the first POST is pending: no second POST; the session it returns is kept', async () => {
    const view = renderFaultyHook({}, { createDelayMs: (n) => (n === 1 ? 3000 : 0) });
    await advance(1000);
    view.rerender({ endpoint: OTHER_ENDPOINT });
    await advance(10);
    view.rerender({ endpoint: { url: OTHER_ENDPOINT, headers: { 'X-CSRF': 'fake-csrf' } } });
    await advance(1000);
    expect(view.posts()).toHaveLength(1);
    expect(view.posts()[0]!.init.signal!.aborted).toBe(false);
    await advance(1010);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    expect(view.posts().map((c) => c.url)).toEqual([ENDPOINT]);
    expect(view.delivered()).toEqual(['sess_1']);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
    await advance(10_000);
    expect(view.posts()).toHaveLength(1);
    expect(new Set(view.gets().map((c) => c.url))).toEqual(new Set([statusUrlOf('sess_1')]));
    // retry() goes to the new endpoint, with its headers.
    act(() => view.result.current.retry());
    await advance(10);
    expect(view.posts().map((c) => c.url)).toEqual([ENDPOINT, OTHER_ENDPOINT]);
    expect((view.posts()[1]!.init.headers as Record<string, string>)['X-CSRF']).toBe('fake-csrf');
    expect(view.result.current.session?.sessionId).toBe('sess_2');
  });

  it('hook: the pending POST fails after the change: its automatic retry goes to the new endpoint; still one session', async () => {
    const view = renderFaultyHook({}, { session: (n) => (n === 1 ? { kind: 'delay', ms: 2000, then: errorReply(503, 'unavailable') } : {}) });
    await advance(500);
    view.rerender({ endpoint: OTHER_ENDPOINT });
    await advance(2500 + 10);
    expect(view.posts().map((c) => c.url)).toEqual([ENDPOINT, OTHER_ENDPOINT]);
    expect(view.result.current.status).toBe('ready');
    expect(view.delivered()).toEqual(['sess_2']);
    await advance(60_000);
    expect(view.posts()).toHaveLength(2);
  });

  it('hook: while ready: no POST; the session keeps being polled; the automatic refresh uses the new endpoint', async () => {
    const view = renderFaultyHook({}, { session: () => ({ expiresAt: inMs(60_000) }) });
    await advance(10);
    for (let i = 0; i < 3; i += 1) {
      view.rerender({ endpoint: `${OTHER_ENDPOINT}?v=${i}` });
      await advance(10);
    }
    await advance(10_000);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    expect(new Set(view.gets().map((c) => c.url))).toEqual(new Set([statusUrlOf('sess_1')]));
    await advance(50_000);
    await advance(20); // the expiry first asks the status once; the new session lands a round trip later
    expect(view.posts().map((c) => c.url)).toEqual([ENDPOINT, `${OTHER_ENDPOINT}?v=2`]);
    expect(view.result.current.session?.sessionId).toBe('sess_2');
  });

  it('component: changing endpoint while creating and while ready never shows a second session or leaves the person stuck', async () => {
    const view = renderFaultyComponent({}, { createDelayMs: (n) => (n === 1 ? 3000 : 0) });
    await view.watch(1000, 100);
    view.rerenderWith({ endpoint: OTHER_ENDPOINT });
    expectProgressOrRetry(view.container);
    await view.watch(2100, 100);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    view.rerenderWith({ endpoint: `${OTHER_ENDPOINT}?again` });
    await view.watch(10_000, 500);
    expect(view.posts()).toHaveLength(1);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('7. rapid re-renders with new options and callbacks', () => {
  it.each([false, true])('hook (StrictMode %s): 50 while creating and 50 while ready: one POST, each callback once, from the latest render', async (strict) => {
    const view = renderFaultyHook({}, { createDelayMs: () => 2000 }, { strict });
    const created = Array.from({ length: 50 }, () => vi.fn());
    const changed = Array.from({ length: 50 }, () => vi.fn<(state: LivenessState) => void>());
    for (let i = 0; i < 50; i += 1) {
      view.rerender({
        endpoint: { url: ENDPOINT, headers: { 'X-Render': String(i) } },
        returnUrl: `https://app.example.test/done?r=${i}`,
        locale: i % 2 ? 'en' : 'zh-CN',
        pollIntervalMs: 2000,
        onSessionCreated: created[i],
        onStateChange: changed[i],
      });
      await advance(10);
    }
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('creating');
    await advance(1600);
    expect(view.result.current.status).toBe('ready');
    expect(view.posts()).toHaveLength(1);
    created.slice(0, 49).forEach((fn) => expect(fn).not.toHaveBeenCalled());
    expect(created[49]).toHaveBeenCalledTimes(1);
    expect(changed[49]!.mock.calls.map(([s]) => s.status)).toEqual(['ready']);
    expect(view.onSessionCreated).not.toHaveBeenCalled();

    const gets = view.gets().length;
    const verified = Array.from({ length: 50 }, () => vi.fn());
    for (let i = 0; i < 50; i += 1) {
      view.rerender({ endpoint: { url: ENDPOINT }, pollIntervalMs: 2000, onVerified: verified[i], onSessionCreated: vi.fn() });
    }
    await advance(10);
    // New option objects do not trigger a status request either.
    expect(view.gets()).toHaveLength(gets);
    view.setStatus(statusReply('verified', { groupId: 'grp_1' }));
    await advance(2000);
    expect(view.result.current.status).toBe('verified');
    verified.slice(0, 49).forEach((fn) => expect(fn).not.toHaveBeenCalled());
    expect(verified[49]).toHaveBeenCalledTimes(1);
    expect(verified[49]).toHaveBeenCalledWith({ sessionId: 'sess_1', groupId: 'grp_1' });
    expect(view.posts()).toHaveLength(1);
  });

  it('component: 50 re-renders with new theme, classNames, displayText and callbacks, while creating and while ready', async () => {
    const view = renderFaultyComponent({}, { createDelayMs: () => 2000 }, true);
    const created = Array.from({ length: 50 }, () => vi.fn());
    const props = (i: number): Partial<LivenessSessionProps> => ({
      theme: { accent: `#00${(i % 10).toString().repeat(4)}` },
      classNames: { root: `r${i}` },
      displayText: { title: `Title ${i}` },
      endpoint: { url: ENDPOINT },
      onSessionCreated: created[i],
      onStateChange: () => undefined,
    });
    for (let i = 0; i < 50; i += 1) {
      view.rerenderWith(props(i));
      expectProgressOrRetry(view.container);
    }
    await view.watch(2100, 100);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.root()).toHaveClass('r49');
    for (let i = 0; i < 50; i += 1) {
      view.rerenderWith({ ...props(i), onSessionCreated: vi.fn() });
      expectProgressOrRetry(view.container);
    }
    await view.watch(5000, 500);
    expect(view.posts()).toHaveLength(1);
    expect(created[49]).toHaveBeenCalledTimes(1);
    created.slice(0, 49).forEach((fn) => expect(fn).not.toHaveBeenCalled());
  });
});

// ---------------------------------------------------------------------------------------------
describe('8. a hostile backend', () => {
  const encoder = new TextEncoder();
  const CHUNK = 16 * 1024;

  /**
   * A 200 whose body streams `total` bytes (Infinity: never ends) of a JSON document that would be
   * accepted if it were read whole. Records how much was pulled and whether the reader gave up.
   */
  function hugeBody(prefix: string, total: number, suffix = '"}') {
    const meter = { pulled: 0, cancelled: false };
    const reply: Reply = {
      kind: 'response',
      make: () => {
        const head = encoder.encode(prefix);
        const tail = encoder.encode(suffix);
        const pad = new Uint8Array(CHUNK).fill(0x20);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (meter.pulled === 0) {
              controller.enqueue(head);
              meter.pulled += head.byteLength;
            } else if (meter.pulled + CHUNK < total - tail.byteLength) {
              controller.enqueue(pad);
              meter.pulled += CHUNK;
            } else {
              controller.enqueue(tail);
              meter.pulled += tail.byteLength;
              controller.close();
            }
          },
          cancel() {
            meter.cancelled = true;
          },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    };
    return { reply, meter };
  }

  const TEN_MB = 10 * 1024 * 1024;
  const sessionPrefix = `{"sessionId":"sess_big","h5Link":"https://h5.example.test/a","expiresAt":"2030-01-01T00:00:00.000Z","pad":"`;

  it.each([
    ['a 10 MB body', TEN_MB],
    ['a body that never ends', Infinity],
  ])('hook: %s → invalid_response after reading at most the cap, no retry, no hang', async (_name, total) => {
    const { reply, meter } = hugeBody(sessionPrefix, total);
    const view = renderFaultyHook({}, { session: () => reply });
    await advance(20);
    expect(view.result.current.status).toBe('error');
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.invalidResponse);
    expect(meter.cancelled).toBe(true);
    expect(meter.pulled).toBeLessThan(128 * 1024);
    await advance(60_000);
    expect(view.posts()).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hook: a body that starts and then stalls → timeout (retried like one), not a hang', async () => {
    const stalled: Reply = {
      kind: 'response',
      make: (signal) => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(sessionPrefix));
            // Like a real fetch: aborting the request errors its body.
            signal?.addEventListener('abort', () => controller.error(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
          },
        });
        return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
      },
    };
    const view = renderFaultyHook({ timeoutMs: 1000 }, { session: () => stalled });
    await advance(6010);
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.timeout);
    expect(view.posts()).toHaveLength(3);
    await advance(60_000);
    expect(view.posts()).toHaveLength(3);
  });

  it('component: a 10 MB body shows an error with "Try again", not a spinner forever', async () => {
    const { reply } = hugeBody(sessionPrefix, TEN_MB);
    const view = renderFaultyComponent({}, { session: (n) => (n === 1 ? reply : {}) });
    await view.watch(20, 10);
    expect(view.root()).toHaveAttribute('data-state', 'error');
    expect(view.container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(en.invalidResponseError);
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.posts()).toHaveLength(2);
  });

  const hostileLinks = [
    ['h5Link', 'javascript:alert(1)'],
    ['h5Link', 'JavaScript:alert(1)//https://h5.example.test/'],
    ['h5Link', '  javascript:alert(1)'],
    ['h5Link', 'java\tscript:alert(1)'],
    ['h5Link', 'data:text/html,<script>alert(1)</script>'],
    ['h5Link', 'vbscript:msgbox(1)'],
    ['h5Link', 'http://h5.example.test/not-https'],
    ['h5Link', '//evil.example.test/alert(1)'],
    ['qrUrl', 'javascript:alert(1)'],
  ] as const;

  it.each(hostileLinks)('hook: %s %j → error invalid_link, never ready', async (field, link) => {
    const view = renderFaultyHook({}, { session: () => ({ [field]: link }) });
    await advance(20);
    expect(view.result.current.status).toBe('error');
    expect(view.result.current.error?.code).toBe(LivenessErrorCode.invalidLink);
    expect(view.onSessionCreated).not.toHaveBeenCalled();
    expect(JSON.stringify(view.result.current.state)).not.toContain('alert(1)');
    await advance(60_000);
    expect(view.posts()).toHaveLength(1);
  });

  it.each(hostileLinks)('component (%s %j): the error view with "Try again"; no element carries a javascript:/data: URL', async (field, link) => {
    const view = renderFaultyComponent({ mode: 'link' }, { session: (n) => (n === 1 ? { [field]: link } : {}) });
    await view.watch(20, 10);
    expect(view.root()).toHaveAttribute('data-state', 'error');
    expect(view.container.querySelector('[data-slot="errorMessage"]')).toHaveTextContent(en.invalidLinkError);
    expect(view.container.querySelectorAll('a, [href]')).toHaveLength(0);
    expect(view.container.innerHTML).not.toMatch(/javascript:|alert\(1\)|data:text/i);
    await click(screen.getByRole('button', { name: en.retryButton }));
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    for (const a of Array.from(view.container.querySelectorAll('[href]'))) expect(a.getAttribute('href')).toMatch(/^https:\/\/h5\.example\.test\//);
  });

  const html = (text: string): Reply => ({
    kind: 'response',
    make: () => new Response(text, { status: 200, headers: { 'Content-Type': 'text/html' } }),
  });
  const json = (body: unknown): Reply => ({ kind: 'json', status: 200, body });
  const garbage: [string, Reply][] = [
    ['an HTML page', html('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>')],
    ['truncated JSON', html('{"status":"verified","groupId":"grp_')],
    ['{status:"hacked"}', json({ status: 'hacked' })],
    ['verified without groupId', json({ status: 'verified' })],
    ['verified with an empty groupId', json({ status: 'verified', groupId: '' })],
    ['verified with a 1000-character groupId', json({ status: 'verified', groupId: 'g'.repeat(1000) })],
    ['verified with an object as groupId', json({ status: 'verified', groupId: { toString: 'grp' } })],
    ['{data:{status:"verified"}} without group', json({ data: { status: 'verified' } })],
    ['null', json(null)],
    ['an array', json(['verified', 'grp_1'])],
    ['the string "verified"', json('verified')],
    ['a 10 MB verified answer', hugeBody('{"status":"verified","groupId":"grp_1","pad":"', TEN_MB).reply],
  ];

  it.each(garbage)('hook: a status endpoint answering %s → stays ready, backs off (4, 8, 16, 30 s), never verified', async (_name, reply) => {
    const view = renderFaultyHook({}, { status: [reply] });
    await advance(10);
    expect(view.gets()).toHaveLength(1);
    await advance(4000 + 8000 + 16_000 + 30_000 + 10);
    expect(gaps(view.gets().map((c) => c.at))).toEqual([4, 8, 16, 30]);
    expect(view.result.current.status).toBe('ready');
    expect(view.onVerified).not.toHaveBeenCalled();
    expect(view.onError).not.toHaveBeenCalled();
    expect(view.states()).toEqual(['creating', 'ready']);
    expect(view.posts()).toHaveLength(1);
  });

  it('component: a status endpoint answering garbage keeps the QR code up and never shows verified', async () => {
    const view = renderFaultyComponent({}, { status: [html('<html>oops</html>'), json({ status: 'hacked' }), json({ status: 'verified' })] });
    await view.watch(120_000, 1000);
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.container.querySelector('[data-slot="qrCode"]')).not.toBeNull();
    expect(view.states()).toEqual(['creating', 'ready']);
    expect(view.onVerified).not.toHaveBeenCalled();
    expect(view.container.innerHTML).not.toMatch(/oops|hacked/);
  });
});
