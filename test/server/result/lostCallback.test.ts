// @vitest-environment node
// Issue 12, "lost callbacks are recovered": the person passed on the phone, but the redirect to the
// callback never arrived (network drop, closed tab, an in-app browser that stops at the redirect).
// A session that is opened or watched is checked at a low rate, and once more at its link's expiry.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession, elapse, getStatus, settle, setup, successfulResults, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The desktop's poll loop: a status request every 2 s until `until` says stop or `maxMs` passes. */
async function poll(s: ReturnType<typeof setup>, sessionId: string, maxMs: number, until = (status: string) => status !== 'pending') {
  const seen: { at: number; status: string }[] = [];
  for (let spent = 0; spent <= maxMs; spent += 2_000) {
    const status = await settle(getStatus(s.handler, sessionId));
    seen.push({ at: Date.now(), status: status.status });
    if (until(status.status)) break;
    await elapse(2_000);
  }
  return seen;
}

describe('a passed check whose callback never arrived', () => {
  it('is verified while the desktop watches, within a probe interval', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await getStatus(s.handler, created.sessionId);
    // The phone opens the code and passes; its redirect to the callback is lost.
    expect((await s.handler(new Request(created.qrUrl!))).status).toBe(302);
    await elapse(20_000);
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    const passedAt = Date.now();
    const seen = await poll(s, created.sessionId, 60_000);
    expect(seen.at(-1)!.status).toBe('verified');
    expect(seen.at(-1)!.at - passedAt).toBeLessThanOrEqual(20_000);
    expect(successfulResults(s.mock)).toBe(1);
  });

  it("is verified within 15 s of the link's expiry when it passed at the last moment, and reads pending until then", async () => {
    const s = setup({ sessionTtlMs: 120_000 });
    const created = await createSession(s.handler);
    const expiresAt = Date.parse(created.expiresAt);
    await s.handler(new Request(created.qrUrl!));
    await poll(s, created.sessionId, 118_000, () => Date.now() >= expiresAt - 2_500);
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    const seen = await poll(s, created.sessionId, 40_000);
    const last = seen.at(-1)!;
    expect(last.status).toBe('verified');
    expect(last.at - expiresAt).toBeLessThanOrEqual(15_000);
    // Never "expired" on the way: the last check was still due.
    expect(seen.map((entry) => entry.status)).not.toContain('expired');
  });

  it('is verified at the expiry check even when nobody polls (timers on a long-lived server)', async () => {
    const s = setup({ probeIntervalMs: 600_000 });
    const created = await createSession(s.handler);
    await s.handler(new Request(created.qrUrl!));
    await elapse(60_000);
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    await elapse(60_000 + 15_000, 500);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('without timers (serverless), the status polls carry the checks', async () => {
    const s = setup({ backgroundTimers: false });
    const created = await createSession(s.handler);
    await s.handler(new Request(created.qrUrl!));
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    const seen = await poll(s, created.sessionId, 60_000);
    expect(seen.at(-1)!.status).toBe('verified');
  });
});

describe('sessions nobody passed', () => {
  it('an opened session that never passes expires after its last check, with a low rate of checks', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await s.handler(new Request(created.qrUrl!));
    const expiresAt = Date.parse(created.expiresAt);
    const seen = await poll(s, created.sessionId, 180_000, (status) => status === 'expired');
    expect(seen.at(-1)!.status).toBe('expired');
    expect(seen.at(-1)!.at - expiresAt).toBeLessThanOrEqual(15_000);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'session.expired', sessionId: created.sessionId, check: 'expiry' }));
    // 60 polls over two minutes; the checks stay a handful.
    expect(s.mock.stats.result).toBeGreaterThanOrEqual(2);
    expect(s.mock.stats.result).toBeLessThanOrEqual(12);
  });

  it('a session neither opened nor watched is never checked', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await elapse(200_000, 1000);
    expect(s.mock.stats.result).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('expired');
  });

  it('a probe never fails a session: an empty GroupId before any callback leaves it pending', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await s.handler(new Request(created.qrUrl!));
    s.mock.failNext('emptyGroupId', 'result');
    await poll(s, created.sessionId, 30_000, () => s.mock.stats.result > 0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    // The person passes afterwards and the callback arrives: verified as usual.
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });
});
