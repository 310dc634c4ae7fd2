import type { QueryClient } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useVisualValidateSession, type LivenessState, type UseVisualValidateSessionOptions } from '../../src/react/useVisualValidateSession';
import { advance, createBackend, ENDPOINT, errorReply, FAKE_TIMERS, newQueryClient, sessionStorageDump, setResumeParam, statusReply, statusUrlOf, wrapperWith, type BackendOptions } from './helpers';

// The waiting lifecycle, part 2: final states, expiry and automatic refresh, resuming after a round trip.

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  sessionStorage.clear();
  setResumeParam(undefined);
});

function renderWaiting(options: Partial<UseVisualValidateSessionOptions> = {}, backend: BackendOptions = {}, wrap: { strict?: boolean; client?: QueryClient } = {}) {
  const server = createBackend(backend);
  const callbacks = {
    onVerified: vi.fn(),
    onFailed: vi.fn(),
    onExpired: vi.fn(),
    onSessionCreated: vi.fn(),
    onError: vi.fn(),
    onStateChange: vi.fn<(state: LivenessState) => void>(),
  };
  const view = renderHook(() => useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch, ...callbacks, ...options }), {
    wrapper: wrapperWith({ client: wrap.client ?? newQueryClient(), ...(wrap.strict ? { strict: true } : {}) }),
  });
  return { ...view, ...server, ...callbacks };
}

const noLink = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/FAKE|h5\.example\.test/);

describe('final states', () => {
  it.each([false, true])('verified (StrictMode %s): carries sessionId and groupId, not the link; stops polling; onVerified once', async (strict) => {
    const view = renderWaiting({}, { status: [statusReply('pending'), statusReply('pending'), statusReply('verified', { groupId: 'grp_1', resultCode: '10000' })] }, { strict });
    await advance(10);
    expect(view.result.current.status).toBe('ready');
    await advance(4010);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1', resultCode: '10000' });
    noLink(view.result.current.state);
    expect(view.result.current.session).toBeUndefined();
    const gets = view.gets().length;
    await advance(120_000);
    expect(view.gets()).toHaveLength(gets);
    expect(view.posts()).toHaveLength(1);
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    expect(view.onVerified).toHaveBeenCalledWith({ sessionId: 'sess_1', groupId: 'grp_1', resultCode: '10000' });
    expect(view.onFailed).not.toHaveBeenCalled();
    expect(view.onExpired).not.toHaveBeenCalled();
    expect(view.onStateChange.mock.calls.map(([s]) => s.status)).toEqual(['creating', 'ready', 'verified']);
    noLink(view.onStateChange.mock.calls.at(-1));
  });

  it.each([false, true])('failed (StrictMode %s): carries resultCode and the reason it maps to; stops polling; onFailed once', async (strict) => {
    const view = renderWaiting({}, { status: [statusReply('failed', { resultCode: '10002' })] }, { strict });
    await advance(10);
    await advance(10);
    expect(view.result.current.state).toEqual({ status: 'failed', sessionId: 'sess_1', resultCode: '10002', reason: 'unknown' });
    noLink(view.result.current.state);
    const gets = view.gets().length;
    expect(gets).toBeLessThanOrEqual(strict ? 2 : 1);
    await advance(120_000);
    expect(view.gets()).toHaveLength(gets);
    expect(view.onFailed).toHaveBeenCalledTimes(1);
    expect(view.onFailed).toHaveBeenCalledWith({ sessionId: 'sess_1', resultCode: '10002', reason: 'unknown' });
    expect(view.onVerified).not.toHaveBeenCalled();
  });

  it('accepts other backends’ spellings (SUCCESS, group_id, a numeric result_code)', async () => {
    const view = renderWaiting({}, { status: [statusReply('SUCCESS', { group_id: 'grp_9', result_code: 10000 })] });
    await advance(20);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_9', resultCode: '10000' });
  });

  it('"verified" without a groupId is not a verification: keeps waiting', async () => {
    const view = renderWaiting({}, { status: [statusReply('verified')] });
    await advance(20);
    await advance(10_000);
    expect(view.result.current.status).toBe('ready');
    expect(view.onVerified).not.toHaveBeenCalled();
  });

  it('retry() from failed creates exactly one new session and polls its status', async () => {
    const view = renderWaiting({}, { status: [statusReply('failed')] });
    await advance(20);
    expect(view.result.current.status).toBe('failed');
    view.setStatus(statusReply('pending'));
    act(() => view.result.current.retry());
    await advance(20);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_2');
    expect(view.posts()).toHaveLength(2);
    expect(view.gets().at(-1)!.url).toBe(statusUrlOf('sess_2'));
    await advance(10_000);
    expect(view.posts()).toHaveLength(2);
    expect(view.onFailed).toHaveBeenCalledTimes(1);
  });

  it('the server saying expired once auto-refresh is off gives expired with the sessionId; onExpired once', async () => {
    const view = renderWaiting({ maxAutoRefresh: 0 }, { status: [statusReply('expired')] }, { strict: true });
    await advance(20);
    expect(view.result.current.state).toEqual({ status: 'expired', sessionId: 'sess_1' });
    const calls = view.calls.length;
    await advance(120_000);
    expect(view.calls).toHaveLength(calls);
    expect(view.posts()).toHaveLength(1);
    expect(view.onExpired).toHaveBeenCalledTimes(1);
    expect(view.onExpired).toHaveBeenCalledWith({ sessionId: 'sess_1' });
  });
});

describe('expiry and automatic refresh', () => {
  const shortLived = { session: () => ({ expiresAt: inMs(60_000) }) };

  it('replaces an expired link with exactly one new session and goes back to ready', async () => {
    const view = renderWaiting({}, shortLived, { strict: true });
    await advance(20);
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    await advance(59_000);
    expect(view.posts()).toHaveLength(1);
    await advance(1000);
    await advance(20);
    expect(view.posts()).toHaveLength(2);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_2');
    expect(view.result.current.autoRefreshCount).toBe(1);
    // It polls the new session, not the old one.
    await advance(2000);
    expect(view.gets().at(-1)!.url).toBe(statusUrlOf('sess_2'));
    expect(view.onExpired).not.toHaveBeenCalled();
  });

  it('refreshes at most maxAutoRefresh (3) times in a row, then stays expired', async () => {
    const view = renderWaiting({}, shortLived, { strict: true });
    await advance(20);
    for (let i = 0; i < 6; i += 1) await advance(60_100);
    expect(view.posts()).toHaveLength(4);
    expect(view.result.current.state).toEqual({ status: 'expired', sessionId: 'sess_4' });
    expect(view.result.current.autoRefreshCount).toBe(3);
    const calls = view.calls.length;
    await advance(300_000);
    expect(view.calls).toHaveLength(calls);
    expect(view.onExpired).toHaveBeenCalledTimes(1);
    expect(view.onSessionCreated).toHaveBeenCalledTimes(4);
  });

  it('retry() from expired creates exactly one new session and resets the counter', async () => {
    const view = renderWaiting({ maxAutoRefresh: 1 }, shortLived);
    await advance(20);
    await advance(60_100);
    await advance(60_100);
    expect(view.result.current.status).toBe('expired');
    expect(view.posts()).toHaveLength(2);
    act(() => view.result.current.retry());
    await advance(20);
    expect(view.posts()).toHaveLength(3);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.autoRefreshCount).toBe(0);
    // The counter starts again: one more automatic refresh before expired.
    await advance(60_100);
    expect(view.posts()).toHaveLength(4);
    await advance(20); // the expiry first asks the status once, so the new session lands a round trip later
    expect(view.result.current.status).toBe('ready');
    await advance(60_100);
    expect(view.result.current.status).toBe('expired');
    expect(view.posts()).toHaveLength(4);
    expect(view.onExpired).toHaveBeenCalledTimes(2);
  });

  it('maxAutoRefresh: 0 goes to expired at once', async () => {
    const view = renderWaiting({ maxAutoRefresh: 0 }, shortLived);
    await advance(20);
    await advance(60_000);
    await advance(20);
    expect(view.result.current.state).toEqual({ status: 'expired', sessionId: 'sess_1' });
    await advance(120_000);
    expect(view.posts()).toHaveLength(1);
  });

  it('an expiresAt already past expires right away', async () => {
    const view = renderWaiting({ maxAutoRefresh: 0 }, { session: () => ({ expiresAt: inMs(-1000) }) });
    await advance(20);
    await advance(20);
    expect(view.result.current.status).toBe('expired');
  });

  it('the server saying expired refreshes the same way, at most maxAutoRefresh times', async () => {
    const view = renderWaiting({ maxAutoRefresh: 2 }, { status: [statusReply('expired')] }, { strict: true });
    for (let i = 0; i < 10; i += 1) await advance(20);
    expect(view.posts()).toHaveLength(3);
    expect(view.result.current.state).toEqual({ status: 'expired', sessionId: 'sess_3' });
    await advance(120_000);
    expect(view.posts()).toHaveLength(3);
    expect(view.onExpired).toHaveBeenCalledTimes(1);
  });

  it('a decided session does not expire afterwards', async () => {
    const view = renderWaiting({}, { session: () => ({ expiresAt: inMs(10_000) }), status: [statusReply('verified', { groupId: 'grp_1' })] });
    await advance(20);
    expect(view.result.current.status).toBe('verified');
    await advance(60_000);
    expect(view.result.current.status).toBe('verified');
    expect(view.posts()).toHaveLength(1);
  });

  it('expiry goes by the clock even while status requests fail', async () => {
    const view = renderWaiting({}, { ...shortLived, status: [errorReply(500, 'x')] });
    await advance(20);
    await advance(60_100);
    expect(view.result.current.autoRefreshCount).toBe(1);
    expect(view.posts()).toHaveLength(2);
  });
});

describe('resume after a same-tab round trip', () => {
  function remember(sessionId: string, statusUrl = statusUrlOf(sessionId)) {
    // The entry this tab writes for a session it created (one per session, see src/core/lifecycle/resumeStore.ts).
    sessionStorage.setItem(`react-liveness-session:${sessionId}`, JSON.stringify({ statusUrl }));
  }

  it('remembers the id and status URL of a ready session, never the link', async () => {
    const view = renderWaiting();
    await advance(20);
    expect(view.result.current.status).toBe('ready');
    const stored = sessionStorageDump();
    expect(stored).toContain('sess_1');
    expect(stored).toContain(statusUrlOf('sess_1'));
    expect(stored).not.toMatch(/FAKE|h5\.example\.test|authorization\?/);
  });

  it('with the remembered id in the URL: no POST, verified from the status', async () => {
    remember('sess_42');
    setResumeParam('sess_42');
    const view = renderWaiting({}, { status: [statusReply('verified', { groupId: 'grp_42' })] }, { strict: true });
    await advance(20);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_42', groupId: 'grp_42' });
    expect(view.posts()).toHaveLength(0);
    expect(view.gets()[0]!.url).toBe(statusUrlOf('sess_42'));
    expect(view.onVerified).toHaveBeenCalledTimes(1);
    await advance(60_000);
    expect(view.calls.filter((c) => c.init.method === 'POST')).toHaveLength(0);
    // Decided: forgotten, so a reload does not adopt it again.
    expect(sessionStorageDump()).toBe('');
  });

  it('a resumed session that is still pending keeps polling without a POST, then decides', async () => {
    remember('sess_7');
    setResumeParam('sess_7');
    const view = renderWaiting({}, { status: [statusReply('pending'), statusReply('pending'), statusReply('failed', { resultCode: '10001' })] });
    await advance(20);
    expect(view.result.current.status).toBe('creating');
    await advance(4100);
    expect(view.result.current.state).toEqual({ status: 'failed', sessionId: 'sess_7', resultCode: '10001', reason: 'unknown' });
    expect(view.posts()).toHaveLength(0);
  });

  // A foreign id means the check was done in another tab or on another device, which was then sent
  // to the return URL: creating a session here would waste one. Neither is it adopted: a link someone
  // sends must not make this tab report their session as verified.
  it('a mismatched id in the URL stays idle (finishedElsewhere), reads that session’s status once and polls nothing, and start() creates one session', async () => {
    remember('sess_42');
    setResumeParam('sess_other');
    const view = renderWaiting();
    await advance(20);
    expect(view.posts()).toHaveLength(0);
    // Its outcome is read once, to be shown (issue 22), never adopted.
    expect(view.gets().map((c) => c.url)).toEqual([statusUrlOf('sess_other')]);
    await advance(10_000);
    expect(view.gets()).toHaveLength(1);
    expect(view.result.current.status).toBe('idle');
    expect(view.result.current.finishedElsewhere).toBe(true);
    act(() => view.result.current.start());
    await advance(20);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    expect(view.result.current.finishedElsewhere).toBe(false);
    expect(
      view
        .gets()
        .slice(1)
        .every((c) => c.url === statusUrlOf('sess_1')),
    ).toBe(true);
  });

  it('the id in the URL without storage stays idle too', async () => {
    setResumeParam('sess_42');
    const view = renderWaiting();
    await advance(20);
    expect(view.posts()).toHaveLength(0);
    expect(view.result.current.status).toBe('idle');
    expect(view.result.current.finishedElsewhere).toBe(true);
  });

  it('storage without the id in the URL means a normal POST', async () => {
    remember('sess_42');
    const view = renderWaiting();
    await advance(20);
    expect(view.posts()).toHaveLength(1);
  });

  it('resume: false ignores a matching pair', async () => {
    remember('sess_42');
    setResumeParam('sess_42');
    const view = renderWaiting({ resume: false });
    await advance(20);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.session?.sessionId).toBe('sess_1');
  });

  it.each([
    ['expired', [statusReply('expired'), statusReply('pending')]],
    ['404', [errorReply(404, 'not_found'), statusReply('pending')]],
  ])('a resumed session answering %s falls back to exactly one POST', async (_name, status) => {
    remember('sess_42');
    setResumeParam('sess_42');
    const view = renderWaiting({}, { status }, { strict: true });
    for (let i = 0; i < 10; i += 1) await advance(20);
    expect(view.posts()).toHaveLength(1);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    await advance(10_000);
    expect(view.posts()).toHaveLength(1);
    expect(view.gets().at(-1)!.url).toBe(statusUrlOf('sess_1'));
    expect(view.onExpired).not.toHaveBeenCalled();
    expect(sessionStorageDump()).not.toContain('sess_42');
  });

  it('sessionStorage never holds the link, through ready, refresh and verified', async () => {
    const seen: string[] = [];
    const view = renderWaiting({}, { session: (n) => ({ expiresAt: inMs(n === 1 ? 30_000 : 600_000) }) });
    for (const step of [20, 30_100, 20, 2000]) {
      await advance(step);
      seen.push(sessionStorageDump());
    }
    expect(view.result.current.session?.sessionId).toBe('sess_2');
    view.setStatus(statusReply('verified', { groupId: 'g' }));
    await advance(2100);
    expect(view.result.current.status).toBe('verified');
    seen.push(sessionStorageDump());
    expect(seen.join('\n')).toContain('sess_2');
    expect(seen.join('\n')).not.toMatch(/FAKE|h5\.example\.test|authorization\?|pl=/);
  });
});
