// @vitest-environment node
// Issue 21, finding 3: a check for a lost callback (a probe, or the check at the link's expiry) that is
// already under way when the real success callback arrives. Such a check may never fail a session,
// and that must hold for the answer it brings back, not only while the session is still `pending`
// when the answer is written: the callback's own result call decides.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, elapse, getStatus, settle, setup, successfulResults, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a lost-callback check in flight when the success callback arrives', () => {
  it.each([
    // A probe falls due 1 s after the desktop first asks; the check at expiry when the link runs out.
    ['a probe', { probeIntervalMs: 1_000 }],
    ['the check at expiry', { probeIntervalMs: 600_000, sessionTtlMs: 2_000 }],
  ])("%s that hears an empty GroupId does not fail it: the callback's own result call verifies", async (_kind, options) => {
    // Every upstream answer takes 1.5 s, and the check's answer is an empty GroupId (the person had not passed yet).
    const s = setup(options, { latencyMs: 1_500 });
    const created = await settle(createSession(s.handler));
    expect((await settle(getStatus(s.handler, created.sessionId))).status).toBe('pending');
    s.mock.failNext('emptyGroupId', 'result');
    await elapse(1_100);
    // The check is under way (its answer comes in 1.5 s); now the person passes and the phone calls back.
    expect(s.mock.stats.result).toBe(1);
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    const page = await settle(s.handler(new Request(url)));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-liveness-callback="verified"');
    expect((await settle(getStatus(s.handler, created.sessionId))).status).toBe('verified');
    // The check's call and the callback's: the token is spent once.
    expect(s.mock.stats.result).toBe(2);
    expect(successfulResults(s.mock)).toBe(1);
    expect(s.events.filter((event) => event.type === 'session.failed')).toEqual([]);
  });

  it('control: without a check in flight the same callback verifies with one result call', async () => {
    const s = setup({ probeIntervalMs: 600_000 }, { latencyMs: 1_500 });
    const created = await settle(createSession(s.handler));
    await settle(getStatus(s.handler, created.sessionId));
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    expect(await (await settle(s.handler(new Request(url)))).text()).toContain('data-liveness-callback="verified"');
    expect(s.mock.stats.result).toBe(1);
  });
});
