// @vitest-environment node
// Issue 29, item 3: `result.retry` means "a call will be made again" and apps alert on it. A clean
// success (the first result call answers, `onVerified` succeeds at once) must emit none; a call that
// really is retried still emits one. Fake timers: nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LivenessHandlerOptions } from '../../../src/server.js';
import { createSession, elapse, getStatus, settle, setup, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const retries = (s: ReturnType<typeof setup>) => s.events.filter((event) => event.type === 'result.retry');

// The upstream takes a moment to answer, as the real one does: the clock moves during each call.
const UPSTREAM = { latencyMs: 40 };

async function passThroughCallback(options: Partial<LivenessHandlerOptions>) {
  const s = setup(options, UPSTREAM);
  const created = await settle(createSession(s.handler));
  await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
  await elapse(5_000);
  expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  return s;
}

describe('result.retry on a clean success', () => {
  it('is not emitted when the first result call answers (no onVerified)', async () => {
    const s = await passThroughCallback({});
    expect(s.events.some((event) => event.type === 'session.verified')).toBe(true);
    expect(retries(s)).toEqual([]);
  });

  it('is not emitted when the first result call answers and onVerified succeeds at once', async () => {
    const s = await passThroughCallback({ onVerified: async () => {} });
    expect(s.events.some((event) => event.type === 'session.verified')).toBe(true);
    expect(retries(s)).toEqual([]);
  });

  it('is not emitted when a lost callback is recovered by a probe and onVerified succeeds at once', async () => {
    const s = setup({ onVerified: async () => {} }, UPSTREAM);
    const created = await settle(createSession(s.handler));
    // The desktop watches (a status read), the phone passes, its redirect to the callback never arrives.
    await getStatus(s.handler, created.sessionId);
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    await elapse(20_000);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
    expect(s.events.find((event) => event.type === 'session.verified')).toMatchObject({ check: 'persist' });
    expect(retries(s)).toEqual([]);
  });
});

describe('result.retry when a call is retried', () => {
  it('is emitted once for a result call that got no answer, with the attempt and the wait', async () => {
    const s = setup({ onVerified: async () => {} }, UPSTREAM);
    const created = await settle(createSession(s.handler));
    s.mock.failNext('serverError', 'result');
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    await elapse(5_000);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
    expect(retries(s)).toEqual([expect.objectContaining({ sessionId: created.sessionId, check: 'callback', attempt: 1, retryInMs: 1000 })]);
  });

  it('is emitted once for an onVerified call that failed', async () => {
    let calls = 0;
    const s = await passThroughCallback({
      onVerified: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database is down');
      },
    });
    expect(retries(s)).toEqual([expect.objectContaining({ check: 'persist', code: 'on_verified_failed', attempt: 1 })]);
  });
});
