// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../../../src/server.js';
import { SlidingWindows } from '../../../src/server/upstream/slidingWindows.js';
import { UpstreamBudget } from '../../../src/server/upstream/upstreamBudget.js';

describe('SlidingWindows', () => {
  it('allows `limit` slots, then refuses with a retry time until the oldest leaves the window', () => {
    let now = 0;
    const windows = new SlidingWindows(() => now);
    const take = (i: number) => windows.take({ bucket: 'b', slotId: String(i), limit: 3, windowMs: 1050 });
    expect([take(1), take(2), take(3)].every((r) => r.ok)).toBe(true);
    expect(take(4)).toEqual({ ok: false, retryAfterMs: 1050 });
    now = 1049;
    expect(take(5)).toEqual({ ok: false, retryAfterMs: 1 });
    now = 1050;
    expect([take(6), take(7), take(8)].every((r) => r.ok)).toBe(true);
    expect(take(9).ok).toBe(false);
  });

  it('never lets more than the limit through in any window, unlike a token bucket', () => {
    // A bucket of 3 refilling 3/s passes 3 at t=0 plus refills at ~333 and ~667 ms: 5 in one second.
    let now = 0;
    const windows = new SlidingWindows(() => now);
    const granted: number[] = [];
    for (now = 0; now < 3000; now += 50) if (windows.take({ bucket: 'b', slotId: String(now), limit: 3, windowMs: 1050 }).ok) granted.push(now);
    for (const start of granted) expect(granted.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(3);
    expect(granted).toEqual([0, 50, 100, 1050, 1100, 1150, 2100, 2150, 2200]);
  });

  it('buckets are independent', () => {
    const windows = new SlidingWindows(() => 0);
    expect(windows.take({ bucket: 'a', slotId: '1', limit: 1, windowMs: 1000 }).ok).toBe(true);
    expect(windows.take({ bucket: 'b', slotId: '1', limit: 1, windowMs: 1000 }).ok).toBe(true);
    expect(windows.take({ bucket: 'a', slotId: '2', limit: 1, windowMs: 1000 }).ok).toBe(false);
  });
});

describe('UpstreamBudget', () => {
  const budget = (store: SessionStore, clock: () => number) => new UpstreamBudget(store, { requests: 3, perMs: 1000 }, { requests: 2, perMs: 60_000 }, clock);

  it('holds each window 5 % longer than perMs, against jitter on the way to the upstream', async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    for (let i = 0; i < 3; i += 1) expect((await b.upstreamSlot('create')).ok).toBe(true);
    expect(await b.upstreamSlot('create')).toEqual({ ok: false, retryAfterMs: 1050 });
  });

  it('counts creates and results apart, as the upstream does', async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    for (let i = 0; i < 3; i += 1) expect((await b.upstreamSlot('create')).ok).toBe(true);
    expect((await b.upstreamSlot('result')).ok).toBe(true);
  });

  it('results go before creates: a refused result call holds creates back for a window', async () => {
    let now = 0;
    const b = budget(memoryStore({ clock: () => now }), () => now);
    for (let i = 0; i < 3; i += 1) expect((await b.upstreamSlot('result')).ok).toBe(true);
    expect((await b.upstreamSlot('result')).ok).toBe(false);
    // The create window is empty, yet a create waits while a person's result call does.
    expect((await b.upstreamSlot('create')).ok).toBe(false);
    now = 1051;
    expect((await b.upstreamSlot('result')).ok).toBe(true);
    expect((await b.upstreamSlot('create')).ok).toBe(true);
  });

  it('probes leave a result slot free and step aside for waiting results', async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    expect((await b.upstreamSlot('probe')).ok).toBe(true);
    expect((await b.upstreamSlot('probe')).ok).toBe(true);
    expect((await b.upstreamSlot('probe')).ok).toBe(false);
    expect((await b.upstreamSlot('result')).ok).toBe(true);
  });

  it('per client: a client of its own, handed back when the shared budget refuses', async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    const first = await b.clientSlot('203.0.113.1');
    expect(first.ok).toBe(true);
    if (first.ok) await first.giveBack();
    expect((await b.clientSlot('203.0.113.1')).ok).toBe(true);
    expect((await b.clientSlot('203.0.113.1')).ok).toBe(true);
    expect(await b.clientSlot('203.0.113.1')).toMatchObject({ ok: false });
    expect((await b.clientSlot('203.0.113.2')).ok).toBe(true);
  });

  it("issue 21: result calls are charged to the session's creator, one per window; other creators and creates are not held back", async () => {
    let now = 0;
    const b = budget(memoryStore({ clock: () => now }), () => now);
    const alice = await UpstreamBudget.clientId('203.0.113.1');
    const bob = await UpstreamBudget.clientId('203.0.113.2');
    expect(alice).toMatch(/^[0-9a-f]{32}$/);
    expect(alice).not.toContain('203.0.113.1');
    expect((await b.upstreamSlot('result', alice)).ok).toBe(true);
    // Alice's sessions get one result slot per window, whatever the lane; the refusal raises no flag.
    expect(await b.upstreamSlot('result', alice)).toMatchObject({ ok: false });
    expect((await b.upstreamSlot('recheck', alice)).ok).toBe(false);
    expect((await b.upstreamSlot('probe', alice)).ok).toBe(false);
    expect((await b.upstreamSlot('create')).ok).toBe(true);
    expect((await b.upstreamSlot('result', bob)).ok).toBe(true);
    now = 1051;
    expect((await b.upstreamSlot('result', alice)).ok).toBe(true);
  });

  it('issue 21: a recheck leaves a result slot free and never holds creates back', async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    expect((await b.upstreamSlot('recheck')).ok).toBe(true);
    expect((await b.upstreamSlot('recheck')).ok).toBe(true);
    expect((await b.upstreamSlot('recheck')).ok).toBe(false);
    expect((await b.upstreamSlot('create')).ok).toBe(true);
    expect((await b.upstreamSlot('result')).ok).toBe(true);
  });

  it("issue 21: a creator's slot is handed back when the shared budget refuses, and with clientRateLimit: false nothing is charged", async () => {
    const b = budget(memoryStore({ clock: () => 0 }), () => 0);
    const alice = await UpstreamBudget.clientId('203.0.113.1');
    const others = [];
    for (let i = 0; i < 3; i += 1) others.push(await b.upstreamSlot('result'));
    expect(await b.upstreamSlot('result', alice)).toMatchObject({ ok: false });
    // One of the others is handed back: Alice's own slot was returned too, so she gets the free one at once.
    const other = others[0]!;
    if (other.ok) await other.giveBack();
    expect((await b.upstreamSlot('result', alice)).ok).toBe(true);
    const unlimited = new UpstreamBudget(memoryStore({ clock: () => 0 }), { requests: 3, perMs: 1000 }, false, () => 0);
    expect((await unlimited.upstreamSlot('result', alice)).ok).toBe(true);
    expect((await unlimited.upstreamSlot('result', alice)).ok).toBe(true);
  });

  it("a store without slots gets a budget of the handler's own", async () => {
    const bare = memoryStore();
    delete bare.takeSlot;
    delete bare.returnSlot;
    const b = budget(bare, () => 0);
    for (let i = 0; i < 3; i += 1) expect((await b.upstreamSlot('create')).ok).toBe(true);
    expect((await b.upstreamSlot('create')).ok).toBe(false);
  });
});
