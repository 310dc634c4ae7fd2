// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import type { LivenessState } from '../../src/core/lifecycle/livenessState';
import type { SessionData } from '../../src/core/wire/parseSessionResponse';
import type { SessionStatusData } from '../../src/core/wire/parseStatusResponse';
import { initialLifecycle, transition as sessionTransition, type Lifecycle, type LifecycleEvent } from '../../src/core/lifecycle/sessionLifecycle';
import { statusTransition } from '../../src/core/lifecycle/statusTransition';

/** Both halves of the rules: the page's own events, and the backend's status answers. */
const transition = (life: Lifecycle, event: LifecycleEvent): Lifecycle =>
  event.type === 'statusAnswered' || event.type === 'statusFailed' ? statusTransition(life, event) : sessionTransition(life, event);

// The rules of a session's life, checked on the pure function alone: no React, no timers, no requests.

const session = (n: number): SessionData => ({ sessionId: `sess_${n}`, h5Link: `https://h5.example.test/a?pl=FAKE-${n}`, expiresAt: '2030-01-01T00:00:00.000Z' });
const statusUrl = (n: number) => `https://app.example.test/s/sess_${n}`;
const error = (status?: number) => (status === undefined ? new LivenessError(LivenessErrorCode.network, 'fake') : new LivenessError(LivenessErrorCode.http, 'fake', { status }));

/** Runs events from a start, each against the lifecycle the previous one left. */
function run(start: Lifecycle, ...events: ((life: Lifecycle) => LifecycleEvent)[]): Lifecycle {
  return events.reduce((life, event) => transition(life, event(life)), start);
}
const created =
  (n: number, withStatus = true) =>
  (life: Lifecycle): LifecycleEvent => ({
    type: 'created',
    attempt: life.attempt,
    session: session(n),
    statusUrl: withStatus ? statusUrl(n) : undefined,
  });
const answered =
  (status: SessionStatusData, serverClock = false) =>
  (life: Lifecycle): LifecycleEvent => ({ type: 'statusAnswered', attempt: life.attempt, status, serverClock });
const failed =
  (e: LivenessError, serverClock = false, at = 0) =>
  (life: Lifecycle): LifecycleEvent => ({ type: 'statusFailed', attempt: life.attempt, error: e, serverClock, at });
const ranOut =
  () =>
  (life: Lifecycle): LifecycleEvent => ({ type: 'linkRanOut', attempt: life.attempt });
const plain = (type: 'start' | 'retry' | 'reset') => (): LifecycleEvent => ({ type });

const fresh = initialLifecycle(true);
const ready = run(fresh, created(1));
const pending: SessionStatusData = { status: 'pending' };
const status = (life: Lifecycle): LivenessState['status'] => life.state.status;

describe('initial state', () => {
  it('is creating when enabled, idle when not; attempt 0; three automatic refreshes by default', () => {
    expect(fresh).toEqual({ state: { status: 'creating' }, attempt: 0, autoRefreshCount: 0, maxAutoRefresh: 3, finishedElsewhere: false });
    expect(status(initialLifecycle(false))).toBe('idle');
    expect(initialLifecycle(true, 0).maxAutoRefresh).toBe(0);
  });
});

describe('creating', () => {
  it('created → ready with the session, watching its status URL', () => {
    expect(ready.state).toEqual({ status: 'ready', session: session(1) });
    expect(ready.watched).toEqual({ sessionId: 'sess_1', statusUrl: statusUrl(1) });
  });

  it('created without a status URL → ready, watching nothing', () => {
    const life = run(fresh, created(1, false));
    expect(status(life)).toBe('ready');
    expect(life.watched).toBeUndefined();
  });

  it('createFailed → error, carrying the error', () => {
    const e = error(503);
    expect(run(fresh, (l) => ({ type: 'createFailed', attempt: l.attempt, error: e })).state).toEqual({ status: 'error', error: e });
  });

  it('answers for an attempt left behind change nothing', () => {
    const retried = run(fresh, plain('retry'));
    expect(transition(retried, { type: 'created', attempt: 0, session: session(1), statusUrl: statusUrl(1) })).toBe(retried);
    expect(transition(retried, { type: 'createFailed', attempt: 0, error: error() })).toBe(retried);
    expect(transition(ready, { type: 'statusAnswered', attempt: 7, status: { status: 'verified', groupId: 'g' }, serverClock: true })).toBe(ready);
  });

  it('status answers and ran-out links mean nothing while creating', () => {
    for (const event of [answered({ status: 'verified', groupId: 'g' }), answered({ status: 'expired' }), failed(error(404)), ranOut()]) {
      expect(run(fresh, event)).toBe(fresh);
    }
  });
});

describe('ready: the outcome', () => {
  it('verified → verified with session id, group and result code; nothing watched any more', () => {
    const life = run(ready, answered({ status: 'verified', groupId: 'grp_1', resultCode: '10000' }));
    expect(life.state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'grp_1', resultCode: '10000' });
    expect(life.watched).toBeUndefined();
  });

  it('failed → failed, with the reason when the backend says one', () => {
    expect(run(ready, answered({ status: 'failed', reason: 'unconfirmed' })).state).toEqual({ status: 'failed', sessionId: 'sess_1', reason: 'unconfirmed' });
    // The backend's own reason wins over what its result code would say.
    expect(run(ready, answered({ status: 'failed', resultCode: '40003', reason: 'unconfirmed' })).state).toMatchObject({ reason: 'unconfirmed' });
  });

  it.each([
    ['40001', 'device'],
    ['40003', 'device'],
    ['40011', 'device'],
    ['41000', 'liveness'],
    ['41009', 'liveness'],
    ['40000', 'unknown'],
    ['40012', 'unknown'],
    ['40999', 'unknown'],
    ['41010', 'unknown'],
    ['10001', 'unknown'],
    ['4100', 'unknown'],
    ['041001', 'unknown'],
    ['4100x', 'unknown'],
    [undefined, 'unknown'],
  ] as const)('failed with only resultCode %s → reason %s (the same ranges as the server)', (resultCode, reason) => {
    const state = run(ready, answered({ status: 'failed', ...(resultCode ? { resultCode } : {}) })).state;
    expect(state).toEqual({ status: 'failed', sessionId: 'sess_1', ...(resultCode ? { resultCode } : {}), reason });
  });

  it('final states stay final: no answer, ran-out link or failure moves them', () => {
    for (const final of [
      run(ready, answered({ status: 'verified', groupId: 'g' })),
      run(ready, answered({ status: 'failed' })),
      run(initialLifecycle(true, 0), created(1), answered({ status: 'expired' })),
    ]) {
      for (const event of [answered(pending), answered({ status: 'verified', groupId: 'x' }), answered({ status: 'expired' }), failed(error(500)), ranOut(), plain('start')]) {
        expect(run(final, event)).toBe(final);
      }
    }
  });

  it('a pending answer before the link ran out changes nothing', () => {
    expect(run(ready, answered(pending))).toBe(ready);
    expect(run(ready, answered(pending, true))).toBe(ready);
  });

  it('failed status requests before the link ran out change nothing (polling backs off)', () => {
    for (const e of [error(), error(500), error(404), error(429)]) expect(run(ready, failed(e))).toBe(ready);
  });
});

describe('ready: the link runs out', () => {
  it('with a status URL: asks first (due: ask), and replaces nothing yet', () => {
    const life = run(ready, ranOut());
    expect(status(life)).toBe('ready');
    expect(life.watched?.due).toBe('ask');
    expect(life.attempt).toBe(0);
    // A second tick of the clock asks nothing more.
    expect(run(life, ranOut())).toBe(life);
  });

  it('without a status URL: replaced at once', () => {
    const life = run(fresh, created(1, false), ranOut());
    expect(life).toMatchObject({ state: { status: 'creating' }, attempt: 1, autoRefreshCount: 1 });
  });

  it('the status then says verified or failed: that outcome, no new session', () => {
    expect(run(ready, ranOut(), answered({ status: 'verified', groupId: 'g' })).state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'g' });
    expect(status(run(ready, ranOut(), answered({ status: 'failed' })))).toBe('failed');
  });

  it('the server says expired (asked or not): replaced by a new attempt', () => {
    for (const life of [run(ready, ranOut(), answered({ status: 'expired' }, true)), run(ready, answered({ status: 'expired' }, true))]) {
      expect(life).toMatchObject({ state: { status: 'creating' }, attempt: 1, autoRefreshCount: 1, watched: undefined });
    }
  });

  it('pending from a backend that told its time wins: due becomes wait, nothing is replaced, until it says expired', () => {
    const waiting = run(ready, ranOut(), answered(pending, true));
    expect(waiting).toMatchObject({ state: { status: 'ready' }, attempt: 0, watched: { sessionId: 'sess_1', due: 'wait' } });
    // More pending answers, ran-out ticks and failed requests: still the same link.
    expect(run(waiting, answered(pending, true), ranOut(), failed(error(503), true), failed(error()))).toBe(waiting);
    expect(run(waiting, answered({ status: 'expired' }, true))).toMatchObject({ state: { status: 'creating' }, attempt: 1 });
    expect(status(run(waiting, answered({ status: 'verified', groupId: 'g' }, true)))).toBe('verified');
  });

  it('pending from a backend that never told its time: our clock decides, the link is replaced', () => {
    expect(run(ready, ranOut(), answered(pending, false))).toMatchObject({ state: { status: 'creating' }, attempt: 1, autoRefreshCount: 1 });
  });

  it('an unreadable status: replaced unless the backend knows its clock (then it is asked again)', () => {
    expect(run(ready, ranOut(), failed(error(500), false))).toMatchObject({ state: { status: 'creating' }, attempt: 1 });
    expect(run(ready, ranOut(), failed(error(), false))).toMatchObject({ state: { status: 'creating' }, attempt: 1 });
    const asking = run(ready, ranOut());
    expect(run(asking, failed(error(500), true))).toBe(asking);
    expect(run(asking, failed(error(), true))).toBe(asking);
  });

  it('a session the server no longer knows (404, 410) cannot be decided: replaced', () => {
    for (const code of [404, 410]) expect(run(ready, ranOut(), failed(error(code), true))).toMatchObject({ state: { status: 'creating' }, attempt: 1 });
  });
});

describe('opened: the phone (or a tab opened here) has the check', () => {
  const OPENED_AT = '2026-01-01T00:00:30.000Z';
  const CHECKING = '2026-01-01T00:01:00.000Z';
  const scanned = run(ready, answered({ status: 'pending', openedAt: OPENED_AT }));
  const tapped = (life: Lifecycle) => transition(life, { type: 'linkOpened', attempt: life.attempt });

  it('a pending answer with openedAt: ready → opened, same session, still watched', () => {
    expect(scanned.state).toEqual({ status: 'opened', session: session(1), openedAt: OPENED_AT });
    expect(scanned.watched).toEqual(ready.watched);
    expect(scanned.attempt).toBe(ready.attempt);
    // Asked again with nothing new: the very same lifecycle (no new state, no callback).
    expect(run(scanned, answered({ status: 'pending', openedAt: OPENED_AT }))).toBe(scanned);
  });

  it('checkingSince (the phone passed, the result is being confirmed): opened with checkingSince, from ready too', () => {
    const checking = run(scanned, answered({ status: 'pending', openedAt: OPENED_AT, checkingSince: CHECKING }));
    expect(checking.state).toEqual({ status: 'opened', session: session(1), openedAt: OPENED_AT, checkingSince: CHECKING });
    expect(run(checking, answered({ status: 'pending', openedAt: OPENED_AT, checkingSince: CHECKING }))).toBe(checking);
    // Opened on this device (no short link, so no openedAt), then confirmed.
    expect(run(ready, answered({ status: 'pending', checkingSince: CHECKING })).state).toEqual({ status: 'opened', session: session(1), checkingSince: CHECKING });
  });

  it('linkOpened (the person tapped the link): ready → opened at once, without openedAt; only from ready', () => {
    expect(tapped(ready).state).toEqual({ status: 'opened', session: session(1) });
    expect(tapped(ready).watched).toEqual(ready.watched);
    for (const life of [fresh, initialLifecycle(false), scanned, run(ready, answered({ status: 'verified', groupId: 'g' }))]) expect(tapped(life)).toBe(life);
    // Also without a status URL.
    expect(status(tapped(run(fresh, created(1, false))))).toBe('opened');
    // A tap for an attempt left behind changes nothing.
    expect(transition(ready, { type: 'linkOpened', attempt: 5 })).toBe(ready);
  });

  it('is never replaced by expiry: ran-out links, pending answers and errors past its time keep it', () => {
    for (const opened of [scanned, tapped(ready), tapped(run(fresh, created(1, false)))]) {
      const after = run(opened, ranOut(), answered(pending, false), ranOut(), answered(pending, true), failed(error(500), false), failed(error(), true), ranOut());
      expect(after).toBe(opened);
      expect(after.attempt).toBe(0);
    }
  });

  it('a link that ran out before the phone opened it, then opened: still opened, not replaced', () => {
    // Due (our clock says the time is up) but the server says a phone has it now.
    const life = run(ready, ranOut(), answered({ status: 'pending', openedAt: OPENED_AT }, false));
    expect(life.state).toMatchObject({ status: 'opened', openedAt: OPENED_AT });
    expect(run(life, ranOut(), answered(pending, false))).toBe(life);
  });

  it('the server decides: verified, failed (with reason) or expired, never a new session on its own', () => {
    expect(run(scanned, answered({ status: 'verified', groupId: 'g' })).state).toEqual({ status: 'verified', sessionId: 'sess_1', groupId: 'g' });
    expect(run(scanned, answered({ status: 'failed', resultCode: '40002' })).state).toEqual({ status: 'failed', sessionId: 'sess_1', resultCode: '40002', reason: 'device' });
    const expired = run(scanned, answered({ status: 'expired' }, true));
    expect(expired).toMatchObject({ state: { status: 'expired', sessionId: 'sess_1' }, attempt: 0, autoRefreshCount: 0, watched: undefined });
  });

  it('a session the server no longer knows (404, 410) ends expired; other errors are asked again', () => {
    for (const code of [404, 410]) expect(run(scanned, failed(error(code), true)).state).toEqual({ status: 'expired', sessionId: 'sess_1' });
    for (const e of [error(), error(500), error(429), error(403)]) expect(run(scanned, failed(e, true))).toBe(scanned);
  });

  it('retry ("Start again") leaves it for exactly one new attempt; reset goes idle', () => {
    expect(run(scanned, plain('retry'))).toMatchObject({ state: { status: 'creating' }, attempt: 1, autoRefreshCount: 0, watched: undefined });
    expect(run(scanned, plain('reset'))).toMatchObject({ state: { status: 'idle' }, attempt: 1, watched: undefined });
    // Answers for the cancelled session change nothing afterwards.
    const retried = run(scanned, plain('retry'));
    expect(transition(retried, { type: 'statusAnswered', attempt: 0, status: { status: 'verified', groupId: 'g' }, serverClock: true })).toBe(retried);
  });
});

describe('the automatic refresh limit', () => {
  const expireOnce = [ranOut(), answered({ status: 'expired' })];

  it('refreshes maxAutoRefresh times in a row, then expired with the last session id', () => {
    let life = ready;
    for (let n = 1; n <= 3; n += 1) {
      life = run(life, ...expireOnce);
      expect(life).toMatchObject({ state: { status: 'creating' }, autoRefreshCount: n, attempt: n });
      life = run(life, created(n + 1));
    }
    life = run(life, ...expireOnce);
    expect(life.state).toEqual({ status: 'expired', sessionId: 'sess_4' });
    expect(life.autoRefreshCount).toBe(3);
  });

  it('maxAutoRefresh 0: expired at the first run-out; without a status URL too', () => {
    expect(run(initialLifecycle(true, 0), created(1), ...expireOnce).state).toEqual({ status: 'expired', sessionId: 'sess_1' });
    expect(run(initialLifecycle(true, 0), created(1, false), ranOut()).state).toEqual({ status: 'expired', sessionId: 'sess_1' });
  });

  it('configure changes the limit in place (and nothing else)', () => {
    const life = transition(ready, { type: 'configure', maxAutoRefresh: 0 });
    expect(life).toEqual({ ...ready, maxAutoRefresh: 0 });
    expect(transition(life, { type: 'configure', maxAutoRefresh: 0 })).toBe(life);
    expect(run(life, ...expireOnce).state).toEqual({ status: 'expired', sessionId: 'sess_1' });
  });
});

describe('retry, reset, start', () => {
  const everyState: [string, Lifecycle][] = [
    ['creating', fresh],
    ['ready', ready],
    ['error', run(fresh, (l) => ({ type: 'createFailed', attempt: l.attempt, error: error(400) }))],
    ['verified', run(ready, answered({ status: 'verified', groupId: 'g' }))],
    ['failed', run(ready, answered({ status: 'failed' }))],
    ['expired', run(initialLifecycle(true, 0), created(1), answered({ status: 'expired' }))],
    ['idle', initialLifecycle(false)],
    ['refreshed twice', run(ready, ranOut(), answered({ status: 'expired' }), created(2), ranOut(), answered({ status: 'expired' }))],
  ];

  it.each(everyState)('retry from %s: a new attempt, creating, refresh count back to 0', (_name, life) => {
    expect(run(life, plain('retry'))).toMatchObject({ state: { status: 'creating' }, attempt: life.attempt + 1, autoRefreshCount: 0, watched: undefined, finishedElsewhere: false });
  });

  it.each(everyState)('reset from %s: idle, a new attempt, nothing watched', (_name, life) => {
    expect(run(life, plain('reset'))).toMatchObject({ state: { status: 'idle' }, attempt: life.attempt + 1, autoRefreshCount: 0, watched: undefined });
  });

  it('start only moves idle, and keeps its attempt (a prefetch under attempt 0 is still used)', () => {
    expect(run(initialLifecycle(false), plain('start'))).toMatchObject({ state: { status: 'creating' }, attempt: 0 });
    expect(run(run(ready, plain('reset')), plain('start'))).toMatchObject({ state: { status: 'creating' }, attempt: 1 });
    for (const [name, life] of everyState.filter(([n]) => n !== 'idle')) expect(run(life, plain('start')), name).toBe(life);
  });
});

describe('resume after a same-tab round trip', () => {
  const resumed = transition(fresh, { type: 'resumeFound', watched: { sessionId: 'sess_42', statusUrl: statusUrl(42), resumeUntil: 600_000 } });

  it('resumeFound: creating (no create request), watching the returned session', () => {
    expect(resumed).toMatchObject({ state: { status: 'creating' }, attempt: 0, watched: { sessionId: 'sess_42' } });
    // A create answer cannot land on it.
    expect(run(resumed, created(1))).toBe(resumed);
  });

  it('pending keeps waiting, also past its time; verified and failed end it', () => {
    expect(run(resumed, answered(pending), answered(pending, true), ranOut())).toBe(resumed);
    expect(run(resumed, answered({ status: 'verified', groupId: 'g' })).state).toEqual({ status: 'verified', sessionId: 'sess_42', groupId: 'g' });
    expect(run(resumed, answered({ status: 'failed', resultCode: '10001' })).state).toEqual({ status: 'failed', sessionId: 'sess_42', resultCode: '10001', reason: 'unknown' });
  });

  it('transient errors (network, timeout, 5xx, 429) keep it while it can still be decided', () => {
    const timeout = new LivenessError(LivenessErrorCode.timeout, 'fake');
    for (const e of [error(), timeout, error(500), error(502), error(503), error(429), error(401)]) expect(run(resumed, failed(e, false, 599_999))).toBe(resumed);
  });

  it('errors past the window: error state (offering a retry), the session dropped', () => {
    const e = error(503);
    expect(run(resumed, failed(e, false, 600_000))).toMatchObject({ state: { status: 'error', error: e }, watched: undefined });
  });

  it('only 404, 410 or expired drop it for a fresh session (not counted as a refresh)', () => {
    for (const event of [failed(error(404)), failed(error(410)), answered({ status: 'expired' })]) {
      expect(run(resumed, event)).toMatchObject({ state: { status: 'creating' }, attempt: 1, autoRefreshCount: 0, watched: undefined });
    }
  });

  it('foreignFound: idle, finished elsewhere; start clears it', () => {
    const foreign = transition(fresh, { type: 'foreignFound' });
    expect(foreign).toMatchObject({ state: { status: 'idle' }, finishedElsewhere: true, attempt: 0 });
    expect(run(foreign, plain('start'))).toMatchObject({ state: { status: 'creating' }, finishedElsewhere: false, attempt: 0 });
    expect(run(foreign, plain('retry')).finishedElsewhere).toBe(false);
  });
});
