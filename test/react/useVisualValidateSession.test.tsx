import { QueryClient } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LivenessErrorCode } from '../../src/core/LivenessError';
import { useVisualValidateSession, type LivenessState, type UseVisualValidateSessionOptions } from '../../src/react/useVisualValidateSession';
import { zhTW } from '../../src/locales';
import { livenessQueryKey, visualValidateSessionOptions } from '../../src/react/visualValidateSessionOptions';
import { createFetch, ENDPOINT, errorReply, flushMicrotasks, LINK, LINK_2, newQueryClient, sessionReply, wrapperWith, type Reply } from './helpers';

afterEach(() => {
  vi.useRealTimers();
});

function renderSession(options: Partial<UseVisualValidateSessionOptions> & { fetch: typeof globalThis.fetch }, wrap: { client?: QueryClient; strict?: boolean } = {}, explicitClient?: QueryClient) {
  return renderHook((props: Partial<UseVisualValidateSessionOptions>) => useVisualValidateSession({ endpoint: ENDPOINT, ...options, ...props }, explicitClient), {
    wrapper: wrapperWith(wrap),
    initialProps: {},
  });
}

// The session entries (the ones holding the link); status-polling entries live beside them.
function livenessQueries(client: QueryClient) {
  return client.getQueryCache().findAll({ queryKey: [...livenessQueryKey, 'session'] });
}

function allLivenessQueries(client: QueryClient) {
  return client.getQueryCache().findAll({ queryKey: [...livenessQueryKey] });
}

describe('useVisualValidateSession: one session per mount', () => {
  it('makes exactly one POST under React.StrictMode and reaches ready', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { strict: true, client: newQueryClient() });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init.method).toBe('POST');
    expect(result.current.session).toEqual({ sessionId: 'sess_1', h5Link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' });
    // The one request was not cancelled by StrictMode's simulated unmount.
    expect(calls[0]!.init.signal!.aborted).toBe(false);
    // Nothing more happens later either.
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(1);
  });

  it('makes exactly one POST under StrictMode without a provider', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { strict: true });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls).toHaveLength(1);
  });

  it('makes no extra POST on re-renders with new option objects', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result, rerender } = renderSession({ fetch }, { strict: true, client: newQueryClient() });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    for (let i = 0; i < 5; i += 1) rerender({ onStateChange: () => undefined, returnUrl: `https://app.example.test/r${i}` });
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(result.current.status).toBe('ready');
  });

  it('starts in creating, then ready', async () => {
    const { fetch } = createFetch(sessionReply());
    const { result } = renderSession({ fetch });
    expect(result.current.status).toBe('creating');
    expect(result.current.state).toEqual({ status: 'creating' });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.error).toBeUndefined();
  });
});

describe('useVisualValidateSession: query clients', () => {
  it('works without a QueryClientProvider', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.session?.h5Link).toBe(LINK);
    expect(calls).toHaveLength(1);
  });

  it('uses the provider’s client: the query lands in its cache under the library’s key prefix', async () => {
    const client = newQueryClient();
    const { fetch } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { client });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    const queries = livenessQueries(client);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.queryKey.slice(0, 2)).toEqual(['react-liveness-session', 'session']);
    expect(queries[0]!.state.data).toEqual(result.current.session);
  });

  it('prefers an explicit queryClient argument over the provider’s', async () => {
    const providerClient = newQueryClient();
    const explicitClient = newQueryClient();
    const { fetch } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { client: providerClient }, explicitClient);
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(livenessQueries(explicitClient)).toHaveLength(1);
    expect(livenessQueries(providerClient)).toHaveLength(0);
  });

  it('forgets the session (and its link) when the component unmounts', async () => {
    const client = newQueryClient();
    const { fetch } = createFetch(sessionReply());
    const { result, unmount } = renderSession({ fetch }, { client, strict: true });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(livenessQueries(client)).toHaveLength(1);
    unmount();
    await flushMicrotasks();
    expect(allLivenessQueries(client)).toHaveLength(0);
    expect(
      JSON.stringify(
        client
          .getQueryCache()
          .getAll()
          .map((q) => q.state.data),
      ),
    ).not.toContain('FAKE-not-a-secret');
  });

  it('aborts the in-flight request on unmount', async () => {
    const client = newQueryClient();
    const { fetch, calls } = createFetch({ kind: 'hang' });
    const { unmount } = renderSession({ fetch }, { client, strict: true });
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.init.signal!.aborted).toBe(false);
    unmount();
    await flushMicrotasks();
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    expect(calls).toHaveLength(1);
    expect(livenessQueries(client)).toHaveLength(0);
  });

  it('shares a prefetched session: prefetchQuery + the same sessionKey makes no extra POST', async () => {
    const client = newQueryClient();
    const { fetch, calls } = createFetch(sessionReply());
    await client.prefetchQuery(visualValidateSessionOptions({ endpoint: ENDPOINT, fetch, sessionKey: 'checkout' }));
    expect(calls).toHaveLength(1);
    const { result } = renderSession({ fetch, sessionKey: 'checkout' }, { client, strict: true });
    expect(result.current.status).toBe('ready');
    expect(result.current.session?.sessionId).toBe('sess_1');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
  });
});

describe('useVisualValidateSession: retry policy (fake timers)', () => {
  async function advance(ms: number) {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ms);
    });
  }

  // react-query hands results to React through its notify manager's timer, which fake timers run
  // only when the clock moves; a few milliseconds is far below any back-off being measured.
  async function settle() {
    await advance(5);
  }

  /** Renders with fake timers and returns the call log after the first request went out. */
  async function start(replies: Reply[], options: Partial<UseVisualValidateSessionOptions> = {}) {
    vi.useFakeTimers();
    const { fetch, calls } = createFetch(...replies);
    const view = renderSession({ fetch, ...options }, { client: newQueryClient() });
    await advance(0);
    expect(calls).toHaveLength(1);
    return { ...view, calls };
  }

  it('retries a network error twice with 1 s then 2 s back-off, then reports it', async () => {
    const { result, calls } = await start([{ kind: 'reject' }]);
    await advance(999);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
    await advance(1999);
    expect(calls).toHaveLength(2);
    expect(result.current.status).toBe('creating');
    await advance(1);
    expect(calls).toHaveLength(3);
    await settle();
    expect(result.current.status).toBe('error');
    expect(result.current.error?.code).toBe(LivenessErrorCode.network);
    await advance(120_000);
    expect(calls).toHaveLength(3);
  });

  it('retries a 503 and honours its Retry-After', async () => {
    const { result, calls } = await start([errorReply(503, 'upstream_unavailable', { 'Retry-After': '5' })]);
    await advance(4999);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
    await advance(4999);
    expect(calls).toHaveLength(2);
    await advance(1);
    expect(calls).toHaveLength(3);
    await settle();
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatchObject({ code: 'http', status: 503, serverCode: 'upstream_unavailable', retryAfterMs: 5000 });
    await advance(120_000);
    expect(calls).toHaveLength(3);
  });

  it('retries a 429 after Retry-After: 7 and recovers when the next answer is good', async () => {
    const { result, calls } = await start([errorReply(429, 'rate_limited', { 'Retry-After': '7' }), sessionReply()]);
    await advance(6999);
    expect(calls).toHaveLength(1);
    expect(result.current.status).toBe('creating');
    await advance(1);
    expect(calls).toHaveLength(2);
    await settle();
    expect(result.current.status).toBe('ready');
    await advance(120_000);
    expect(calls).toHaveLength(2);
  });

  it('retries a timeout', async () => {
    const { result, calls } = await start([{ kind: 'hang' }, sessionReply()], { timeoutMs: 3000 });
    await advance(3000);
    expect(calls).toHaveLength(1);
    await advance(1000);
    expect(calls).toHaveLength(2);
    await settle();
    expect(result.current.status).toBe('ready');
  });

  it.each([400, 401, 403, 404, 422])('never retries HTTP %i', async (status) => {
    const { result, calls } = await start([errorReply(status, 'bad')]);
    await settle();
    expect(result.current.status).toBe('error');
    expect(result.current.error).toMatchObject({ code: 'http', status });
    await advance(120_000);
    expect(calls).toHaveLength(1);
  });

  it('never retries an invalid link or an invalid response', async () => {
    const bad = await start([sessionReply({ h5Link: 'javascript:alert(1)' })]);
    await advance(60_000);
    expect(bad.calls).toHaveLength(1);
    expect(bad.result.current.error?.code).toBe(LivenessErrorCode.invalidLink);
    bad.unmount();
    const html = await start([{ kind: 'json', status: 200, body: ['not', 'a', 'session'] }]);
    await advance(60_000);
    expect(html.calls).toHaveLength(1);
    expect(html.result.current.error?.code).toBe(LivenessErrorCode.invalidResponse);
  });

  it('retries at most `retry` times', async () => {
    const none = await start([{ kind: 'reject' }], { retry: 0 });
    await advance(0);
    expect(none.result.current.status).toBe('error');
    await advance(60_000);
    expect(none.calls).toHaveLength(1);
  });
});

describe('useVisualValidateSession: retry, reset, start, enabled', () => {
  it('retry() after an error creates exactly one new session', async () => {
    const { fetch, calls } = createFetch(errorReply(400, 'bad_request'), sessionReply());
    const { result } = renderSession({ fetch }, { strict: true, client: newQueryClient() });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(calls).toHaveLength(1);
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(2);
  });

  it('retry() from ready replaces the session with exactly one new one and forgets the old', async () => {
    const client = newQueryClient();
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { strict: true, client });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.session?.h5Link).toBe(LINK_2));
    expect(calls).toHaveLength(2);
    expect(livenessQueries(client)).toHaveLength(1);
    expect(JSON.stringify(livenessQueries(client).map((q) => q.state.data))).not.toContain(LINK);
  });

  it('retry() while creating aborts the pending request and makes exactly one more', async () => {
    const { fetch, calls } = createFetch({ kind: 'hang' }, sessionReply());
    const { result } = renderSession({ fetch }, { client: newQueryClient() });
    await waitFor(() => expect(calls).toHaveLength(1));
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls[0]!.init.signal!.aborted).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('reset() goes idle without a request; start() then creates exactly one', async () => {
    const client = newQueryClient();
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch }, { client });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    act(() => result.current.reset());
    expect(result.current.status).toBe('idle');
    expect(result.current.session).toBeUndefined();
    // The next attempt's (empty, disabled) entry may exist; no session data may remain.
    expect(livenessQueries(client).map((q) => q.state.data)).toEqual(livenessQueries(client).map(() => undefined));
    expect(JSON.stringify(livenessQueries(client).map((q) => q.state.data))).not.toContain('FAKE');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    act(() => result.current.start());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls).toHaveLength(2);
  });

  it('enabled: false does nothing until start()', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch, enabled: false }, { strict: true, client: newQueryClient() });
    expect(result.current.status).toBe('idle');
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(0);
    expect(result.current.status).toBe('idle');
    act(() => result.current.start());
    act(() => result.current.start());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls).toHaveLength(1);
  });
});

describe('useVisualValidateSession: request body', () => {
  it.each([
    ['zh-TW', 'zh-Hant'],
    ['zh-CN', 'zh'],
    ['en', 'en'],
    [zhTW, 'zh-Hant'],
  ] as const)('sends locale %o as %s', async (locale, wire) => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch, locale });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    // Without a returnUrl the page names itself (pageUrl): its own tab comes back here when the server allows it.
    expect(calls[0]!.body).toEqual({ locale: wire, pageUrl: location.href });
  });

  it('sends the browser’s locale when none is given (jsdom prefers en-US), and forwards returnUrl', async () => {
    const { fetch, calls } = createFetch(sessionReply());
    const { result } = renderSession({ fetch, returnUrl: 'https://app.example.test/verified' });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(calls[0]!.body).toEqual({ locale: 'en', returnUrl: 'https://app.example.test/verified' });
    expect(calls[0]!.url).toBe(ENDPOINT);
  });

  it('applies allowedHosts: a link to another host becomes an invalid_link error', async () => {
    const { fetch } = createFetch(sessionReply());
    const { result } = renderSession({ fetch, allowedHosts: ['*.kych5.test'] });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error?.code).toBe(LivenessErrorCode.invalidLink);
    expect(result.current.session).toBeUndefined();
  });
});

describe('useVisualValidateSession: callbacks under StrictMode', () => {
  it('fire once per transition on the happy path', async () => {
    const onStateChange = vi.fn<(state: LivenessState) => void>();
    const onSessionCreated = vi.fn();
    const onError = vi.fn();
    const { fetch } = createFetch(sessionReply());
    const { result } = renderSession({ fetch, onStateChange, onSessionCreated, onError }, { strict: true, client: newQueryClient() });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await new Promise((r) => setTimeout(r, 20));
    expect(onStateChange.mock.calls.map(([s]) => s.status)).toEqual(['creating', 'ready']);
    expect(onSessionCreated).toHaveBeenCalledTimes(1);
    expect(onSessionCreated).toHaveBeenCalledWith(result.current.session);
    expect(onError).not.toHaveBeenCalled();
  });

  it('fire once per transition through error, retry and ready', async () => {
    const onStateChange = vi.fn<(state: LivenessState) => void>();
    const onSessionCreated = vi.fn();
    const onError = vi.fn();
    const { fetch } = createFetch(errorReply(401, 'unauthorized'), sessionReply());
    const { result } = renderSession({ fetch, onStateChange, onSessionCreated, onError }, { strict: true, client: newQueryClient() });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'http', status: 401, serverCode: 'unauthorized' });
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await new Promise((r) => setTimeout(r, 20));
    expect(onStateChange.mock.calls.map(([s]) => s.status)).toEqual(['creating', 'error', 'creating', 'ready']);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onSessionCreated).toHaveBeenCalledTimes(1);
  });

  it('onError fires once, after the automatic retries, not per attempt', async () => {
    vi.useFakeTimers();
    const onError = vi.fn();
    const onStateChange = vi.fn<(state: LivenessState) => void>();
    const { fetch, calls } = createFetch({ kind: 'reject' });
    renderSession({ fetch, onError, onStateChange }, { strict: true, client: newQueryClient() });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(calls).toHaveLength(3);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onStateChange.mock.calls.map(([s]) => s.status)).toEqual(['creating', 'error']);
  });
});
