// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../src/server.js';
import { fakeClock, session } from '../helpers.js';

describe('memoryStore', () => {
  it('stores, returns copies, and deletes', async () => {
    const store = memoryStore();
    const original = session('a', Date.now());
    await store.create(original);
    original.status = 'verified';
    const read = await store.get('a');
    expect(read?.status).toBe('pending');
    read!.status = 'failed';
    expect((await store.get('a'))?.status).toBe('pending');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('rejects a duplicate id', async () => {
    const store = memoryStore();
    await store.create(session('a', Date.now()));
    await expect(store.create(session('a', Date.now()))).rejects.toThrow(/already exists/);
  });

  it('update is a compare-and-set on version, which it bumps; undefined removes a field', async () => {
    const store = memoryStore();
    await store.create(session('a', Date.now()));
    expect(await store.update('a', 1, { status: 'verified' })).toBeUndefined();
    const claimed = await store.update('a', 0, { status: 'checking', lease: { holder: 'h', until: 5 } });
    expect(claimed).toMatchObject({ status: 'checking', version: 1, lease: { holder: 'h', until: 5 }, bytedToken: 'token-a' });
    expect(await store.update('a', 0, { status: 'checking' })).toBeUndefined();
    const released = await store.update('a', 1, { lease: undefined });
    expect(released).toMatchObject({ version: 2 });
    expect(released && 'lease' in released).toBe(false);
    expect(await store.update('missing', 0, { status: 'checking' })).toBeUndefined();
  });

  it('exactly one of many concurrent claims wins', async () => {
    const store = memoryStore();
    await store.create(session('a', Date.now()));
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.update('a', 0, { lease: { holder: `h${i}`, until: 1 } })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records: a compare-and-set with a time to live', async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock: clock.now });
    expect(await store.swapRecord!('k', null, 'one', 1000)).toBe(true);
    expect(await store.swapRecord!('k', null, 'two', 1000)).toBe(false);
    expect(await store.getRecord!('k')).toBe('one');
    expect(await store.swapRecord!('k', 'one', 'two', 1000)).toBe(true);
    clock.advance(1000);
    expect(await store.getRecord!('k')).toBeUndefined();
    expect(await store.swapRecord!('k', null, 'three', 1000)).toBe(true);
    expect(await store.swapRecord!('k', 'three', null, 0)).toBe(true);
    expect(await store.getRecord!('k')).toBeUndefined();
  });

  it('slots: a sliding window per bucket, a kept reserve, a flag that holds lower lanes back, and give-backs', async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock: clock.now });
    const take = (slotId: string, extra = {}) => store.takeSlot!({ bucket: 'b', slotId, limit: 2, windowMs: 1000, ...extra });
    expect(await take('1')).toEqual({ ok: true });
    // A lane that must leave one slot free gets none while one is taken.
    expect(await take('x', { keep: 1 })).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(await take('2')).toEqual({ ok: true });
    expect(await take('3', { raiseOnRefusal: { flag: 'f', ms: 500 } })).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(await take('4', { blockedBy: 'f' })).toEqual({ ok: false, retryAfterMs: 500 });
    clock.advance(600);
    expect(await take('5', { blockedBy: 'f' })).toEqual({ ok: false, retryAfterMs: 400 });
    await store.returnSlot!('b', '2');
    expect(await take('6', { blockedBy: 'f' })).toEqual({ ok: true });
    clock.advance(400);
    expect(await take('7')).toEqual({ ok: true });
  });

  it('forgets sessions at purgeAt', async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock: clock.now });
    await store.create(session('a', clock.now()));
    clock.advance(1999);
    expect(await store.get('a')).toBeDefined();
    clock.advance(1);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.update('a', 0, { status: 'checking' })).toBeUndefined();
  });

  it('is bounded: when full it evicts the oldest', async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxSessions: 3, clock: clock.now });
    for (const id of ['a', 'b', 'c', 'd']) {
      await store.create(session(id, clock.now()));
      clock.advance(10);
    }
    expect(await store.get('a')).toBeUndefined();
    for (const id of ['b', 'c', 'd']) expect(await store.get(id)).toBeDefined();
  });

  it('when full, evicts expired sessions before live ones', async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxSessions: 3, clock: clock.now });
    await store.create(session('old-live', clock.now(), { purgeAt: clock.now() + 10_000 }));
    await store.create(session('short', clock.now(), { purgeAt: clock.now() + 100 }));
    await store.create(session('live', clock.now(), { purgeAt: clock.now() + 10_000 }));
    clock.advance(200);
    await store.create(session('new', clock.now(), { purgeAt: clock.now() + 10_000 }));
    expect(await store.get('old-live')).toBeDefined();
    expect(await store.get('live')).toBeDefined();
    expect(await store.get('new')).toBeDefined();
  });

  it('when full, a session whose purgeAt an update brought forward is swept once it has expired, before the oldest live one is evicted', async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxSessions: 3, clock: clock.now });
    for (const id of ['a', 'b', 'c']) await store.create(session(id, clock.now(), { purgeAt: clock.now() + 10_000 }));
    // Full of live sessions: the oldest goes.
    await store.create(session('d', clock.now(), { purgeAt: clock.now() + 10_000 }));
    expect(await store.get('a')).toBeUndefined();
    // The store skips looking for expired sessions while none can have expired; an update that brings a
    // purgeAt forward must count.
    expect(await store.update('c', 0, { purgeAt: clock.now() + 100 })).toBeDefined();
    clock.advance(200);
    await store.create(session('e', clock.now(), { purgeAt: clock.now() + 10_000 }));
    for (const id of ['b', 'd', 'e']) expect(await store.get(id)).toBeDefined();
  });

  it('when full, never evicts a session that holds a GroupId still owed to onVerified (issue 16)', async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxSessions: 3, clock: clock.now });
    const owed = { status: 'checking' as const, groupId: 'group-OWED', verifiedAt: clock.now(), purgeAt: clock.now() + 86_400_000 };
    await store.create(session('owed', clock.now(), owed));
    for (let i = 0; i < 10; i += 1) {
      clock.advance(10);
      await store.create(session(`s${i}`, clock.now(), { purgeAt: clock.now() + 60_000 }));
    }
    expect(await store.get('owed')).toMatchObject({ groupId: 'group-OWED' });
    let present = 0;
    for (let i = 0; i < 10; i += 1) if (await store.get(`s${i}`)) present += 1;
    expect(present).toBe(2);
  });

  it('never holds more than maxSessions', async () => {
    const store = memoryStore({ maxSessions: 50 });
    const now = Date.now();
    for (let i = 0; i < 500; i += 1) await store.create(session(`s${i}`, now, { purgeAt: now + 60_000 }));
    let present = 0;
    for (let i = 0; i < 500; i += 1) if (await store.get(`s${i}`)) present += 1;
    expect(present).toBe(50);
    expect(await store.get('s499')).toBeDefined();
    expect(await store.get('s449')).toBeUndefined();
  });

  it('rejects a bad maxSessions', () => {
    expect(() => memoryStore({ maxSessions: 0 })).toThrow(/maxSessions/);
  });
});
