import { focusManager, onlineManager } from '@tanstack/react-query';
import { act, render, renderHook } from '@testing-library/react';
import { startTransition, StrictMode, Suspense, use, useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useVisualValidateSession, type UseVisualValidateSessionOptions } from '../../src/react/useVisualValidateSession';
import { createSkewedBackend, SKEW_ENDPOINT, type ClockSignal } from '../core/skewedBackend';
import { advance, createBackend, ENDPOINT, errorReply, FAKE_TIMERS, flushMicrotasks, newQueryClient, statusReply, statusUrlOf, wrapperWith, type BackendOptions, type Reply } from './helpers';

// One test (or a few) per defect that issue 11 names, each seen failing on the hook as it was before
// the lifecycle moved into core. They go through the public hook only, never its internals.

const NOW = Date.parse('2026-01-01T00:00:00.000Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

function renderWaiting(options: Partial<UseVisualValidateSessionOptions>, fetch: typeof globalThis.fetch, strict = false) {
  return renderHook(() => useVisualValidateSession({ endpoint: ENDPOINT, fetch, ...options }), {
    wrapper: wrapperWith({ client: newQueryClient(), ...(strict ? { strict: true } : {}) }),
  });
}

/**
 * What a page unload does to a tab: the page's code stops (no React clean-up runs), sessionStorage
 * stays. Here: unmount, then put sessionStorage back the way it was while the page was up.
 */
async function leavePage(...views: { unmount: () => void }[]) {
  const kept = Object.entries<string>({ ...sessionStorage });
  for (const view of views) view.unmount();
  await flushMicrotasks();
  sessionStorage.clear();
  for (const [key, value] of kept) sessionStorage.setItem(key, value);
}

/** The phone comes back to the return URL, as the server's callback redirect sends it. */
function comeBackTo(path: string) {
  window.history.replaceState(null, '', path);
}

// ---------------------------------------------------------------------------------------------
describe('defect 1: a browser clock that is off burns sessions', () => {
  const TTL = 120_000;
  const cases: [string, number, ClockSignal][] = [
    ['60 s ahead, Date header', -60_437, 'date'],
    ['60 s behind, Date header', 60_437, 'date'],
    ['10 min ahead, Date header', -600_250, 'date'],
    ['10 min behind, Date header', 600_250, 'date'],
    ['60 s ahead, expiresInMs', -60_437, 'expiresInMs'],
    ['60 s behind, expiresInMs', 60_437, 'expiresInMs'],
    ['10 min ahead, expiresInMs', -600_250, 'expiresInMs'],
    ['10 min behind, expiresInMs', 600_250, 'expiresInMs'],
  ];

  it.each(cases)('browser %s: each code stays up for its whole server-side life and is replaced within 1 s of its end, one POST per session', async (_name, skewMs, clock) => {
    const server = createSkewedBackend({ skewMs, ttlMs: TTL, clock });
    const view = renderWaiting({ endpoint: SKEW_ENDPOINT }, server.fetch);
    await advance(10);
    for (let n = 1; n <= 3; n += 1) {
      const id = `sess_${n}`;
      expect(view.result.current.session?.sessionId).toBe(id);
      expect(server.posts()).toHaveLength(n);
      // Up to one millisecond before the server's expiry: still the same code, no new session.
      await advance(server.localExpiryOf(id) - Date.now() - 1);
      expect(view.result.current.status).toBe('ready');
      expect(view.result.current.session?.sessionId).toBe(id);
      expect(server.posts()).toHaveLength(n);
      // Within a second of it (the Date header tells the time to the second): replaced by exactly one.
      await advance(1001);
      await advance(10);
      expect(server.posts()).toHaveLength(n + 1);
      expect(view.result.current.session?.sessionId).toBe(`sess_${n + 1}`);
    }
  });

  it.each(['date', 'expiresInMs'] as const)('a status answer of pending wins over the clock (%s): the server still confirming a result past expiresAt keeps the code up', async (clock) => {
    let verified = false;
    const server = createSkewedBackend({
      skewMs: -60_000,
      ttlMs: TTL,
      clock,
      holdPending: () => true,
      outcome: (id) => (verified && id === 'sess_1' ? { status: 'verified', groupId: 'grp_1' } : undefined),
    });
    const view = renderWaiting({ endpoint: SKEW_ENDPOINT }, server.fetch);
    await advance(10);
    await advance(server.localExpiryOf('sess_1') - Date.now() + 30_000);
    expect(view.result.current.status).toBe('ready');
    expect(view.result.current.session?.sessionId).toBe('sess_1');
    expect(server.posts()).toHaveLength(1);
    // It keeps asking at the poll interval meanwhile.
    const after = server.gets().filter((c) => c.at > server.localExpiryOf('sess_1'));
    expect(after.length).toBeGreaterThanOrEqual(14);
    verified = true;
    await advance(2010);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(server.posts()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('defect 2: the same-tab round trip throws a finished check away after one error', () => {
  const transient: [string, Reply][] = [
    ['a 503', errorReply(503, 'unavailable')],
    ['a network blip', { kind: 'reject' }],
    ['a 500', errorReply(500, 'internal_error')],
  ];

  it.each(transient)('%s on the first status request: the person’s verification is still reported, no new session', async (_name, first) => {
    const page1 = createBackend();
    const before = renderWaiting({}, page1.fetch);
    await advance(10);
    expect(before.result.current.session?.sessionId).toBe('sess_1');
    await leavePage(before);

    comeBackTo('/?livenessSessionId=sess_1');
    const page2 = createBackend({ status: [first, statusReply('verified', { groupId: 'grp_1' })] });
    const onVerified = vi.fn();
    const view = renderWaiting({ onVerified }, page2.fetch, true);
    await advance(10);
    expect(view.result.current.status).toBe('creating');
    await advance(4010);
    expect(view.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    expect(onVerified).toHaveBeenCalledTimes(1);
    expect(page2.posts()).toHaveLength(0);
    expect(page2.gets().every((c) => c.url === statusUrlOf('sess_1'))).toBe(true);
  });

  it('a 429 is retried no sooner than its Retry-After, then the result is reported', async () => {
    const page1 = createBackend();
    const before = renderWaiting({}, page1.fetch);
    await advance(10);
    await leavePage(before);

    comeBackTo('/?livenessSessionId=sess_1');
    const page2 = createBackend({ status: [errorReply(429, 'rate_limited', { 'Retry-After': '9' }), statusReply('failed', { resultCode: '10002' })] });
    const view = renderWaiting({}, page2.fetch);
    await advance(10);
    expect(page2.gets()).toHaveLength(1);
    await advance(8900);
    expect(page2.gets()).toHaveLength(1);
    await advance(200);
    expect(page2.gets()).toHaveLength(2);
    expect(view.result.current.state).toEqual({ status: 'failed', sessionId: 'sess_1', resultCode: '10002', reason: 'unknown' });
    expect(page2.posts()).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('defect 3: ?livenessSessionId= stays in the address', () => {
  it('is removed once the resumed session is decided, keeping the other query parameters and the hash; a reload then starts afresh', async () => {
    const page1 = createBackend();
    const before = renderWaiting({}, page1.fetch);
    await advance(10);
    await leavePage(before);

    comeBackTo('/checkout?step=2&livenessSessionId=sess_1&plan=a%20b#verify');
    const page2 = createBackend({ status: [statusReply('verified', { groupId: 'grp_1' })] });
    const view = renderWaiting({}, page2.fetch);
    await advance(10);
    expect(view.result.current.status).toBe('verified');
    expect(window.location.pathname).toBe('/checkout');
    expect(window.location.search).toBe('?step=2&plan=a%20b');
    expect(window.location.hash).toBe('#verify');

    // A reload of that page is a normal visit now, not "finished in another tab".
    await leavePage(view);
    const page3 = createBackend();
    const reloaded = renderWaiting({}, page3.fetch);
    await advance(10);
    expect(reloaded.result.current.finishedElsewhere).toBe(false);
    expect(reloaded.result.current.status).toBe('ready');
    expect(page3.posts()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('defect 4: the private QueryClient under StrictMode', () => {
  it('is mounted and unmounted in balance: no focus or online listener is left after unmount', async () => {
    expect(focusManager.hasListeners()).toBe(false);
    expect(onlineManager.hasListeners()).toBe(false);
    const server = createBackend();
    const view = renderHook(() => useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch }), { wrapper: StrictMode });
    await advance(10);
    expect(view.result.current.status).toBe('ready');
    view.unmount();
    await flushMicrotasks();
    expect(focusManager.hasListeners()).toBe(false);
    expect(onlineManager.hasListeners()).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
describe('defect 5: side effects during render', () => {
  // A transition whose render suspends is thrown away: React keeps showing what it committed. Options
  // from that render must not reach the session; only committed ones may.
  const never = new Promise<never>(() => undefined);
  function Suspends(): ReactNode {
    return use(never);
  }

  it('a render React throws away does not change what the session does (its options never reach it)', async () => {
    const server = createBackend({ noStatusUrl: true, session: () => ({ expiresAt: new Date(NOW + 10_000).toISOString() }) });
    let setVersion: (v: number) => void = () => undefined;
    let renders = 0;
    function Consumer({ version }: { version: number }) {
      renders += 1;
      const { status } = useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch, maxAutoRefresh: version === 0 ? 0 : 3 });
      return (
        <>
          <p data-testid="status">{status}</p>
          {version === 1 ? <Suspends /> : null}
        </>
      );
    }
    function App() {
      const [version, set] = useState(0);
      setVersion = set;
      return (
        <Suspense fallback={<p>fallback</p>}>
          <Consumer version={version} />
        </Suspense>
      );
    }
    const view = render(<App />);
    await advance(10);
    expect(view.getByTestId('status')).toHaveTextContent('ready');
    const rendersBefore = renders;
    act(() => startTransition(() => setVersion(1)));
    await advance(10);
    // The transition rendered the consumer with the new options, then was set aside (still showing ready).
    expect(renders).toBeGreaterThan(rendersBefore);
    expect(view.getByTestId('status')).toHaveTextContent('ready');
    expect(view.queryByText('fallback')).toBeNull();
    // The link runs out: the committed options say no automatic refresh.
    await advance(10_000);
    await advance(10);
    expect(view.getByTestId('status')).toHaveTextContent('expired');
    expect(server.posts()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('defect 6: two components on one page share one sessionStorage entry', () => {
  /** The page after the round trip: the finished session is verified, new ones (`new_n`) pending. */
  const afterReturn = (sessionId: string, groupId: string): BackendOptions => ({
    session: (n) => ({ sessionId: `new_${n}`, statusUrl: statusUrlOf(`new_${n}`) }),
    statusOf: (url) => (url === statusUrlOf(sessionId) ? statusReply('verified', { groupId }) : statusReply('pending')),
  });

  it('each keeps its own resume: the round trip of the first is picked up by the first, the second creates its own', async () => {
    const page1 = createBackend();
    const first = renderWaiting({ sessionKey: 'first' }, page1.fetch);
    const second = renderWaiting({ sessionKey: 'second' }, page1.fetch);
    await advance(10);
    expect(first.result.current.session?.sessionId).toBe('sess_1');
    expect(second.result.current.session?.sessionId).toBe('sess_2');
    await leavePage(first, second);

    comeBackTo('/?livenessSessionId=sess_1');
    const page2 = createBackend(afterReturn('sess_1', 'grp_1'));
    const firstAgain = renderWaiting({ sessionKey: 'first' }, page2.fetch);
    const secondAgain = renderWaiting({ sessionKey: 'second' }, page2.fetch);
    await advance(10);
    expect(firstAgain.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1' });
    // The second component's check was not the one done: it starts its own, it does not adopt the first's.
    expect(secondAgain.result.current.finishedElsewhere).toBe(false);
    expect(secondAgain.result.current.status).not.toBe('verified');
    expect(page2.posts()).toHaveLength(1);
  });

  it('and the second component’s round trip is picked up by the second', async () => {
    const page1 = createBackend();
    const first = renderWaiting({ sessionKey: 'first' }, page1.fetch);
    const second = renderWaiting({ sessionKey: 'second' }, page1.fetch);
    await advance(10);
    await leavePage(first, second);

    comeBackTo('/?livenessSessionId=sess_2');
    const page2 = createBackend(afterReturn('sess_2', 'grp_2'));
    const firstAgain = renderWaiting({ sessionKey: 'first' }, page2.fetch);
    const secondAgain = renderWaiting({ sessionKey: 'second' }, page2.fetch);
    await advance(10);
    expect(secondAgain.result.current.state).toEqual({ status: 'verified', sessionId: 'sess_2', groupId: 'grp_2' });
    expect(firstAgain.result.current.status).not.toBe('verified');
    expect(page2.posts()).toHaveLength(1);
  });
});
