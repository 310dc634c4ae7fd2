// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { memoryStore, type StoredSession } from '../../src/server.js';
import { fakeClock } from './helpers.js';

function session(id: string, now: number, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    id,
    status: 'pending',
    bytedToken: `token-${id}`,
    h5Link: `https://h5.example.test/?t=${id}`,
    createdAt: now,
    expiresAt: now + 1000,
    purgeAt: now + 2000,
    ...overrides,
  };
}

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

  it('update is a compare-and-set on status', async () => {
    const store = memoryStore();
    await store.create(session('a', Date.now()));
    expect(await store.update('a', 'checking', { status: 'verified' })).toBeUndefined();
    const claimed = await store.update('a', 'pending', { status: 'checking', claimedAt: 5 });
    expect(claimed).toMatchObject({ status: 'checking', claimedAt: 5, bytedToken: 'token-a' });
    expect(await store.update('a', 'pending', { status: 'checking' })).toBeUndefined();
    expect(await store.update('missing', 'pending', { status: 'checking' })).toBeUndefined();
  });

  it('exactly one of many concurrent claims wins', async () => {
    const store = memoryStore();
    await store.create(session('a', Date.now()));
    const results = await Promise.all(Array.from({ length: 100 }, () => store.update('a', 'pending', { status: 'checking' })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets sessions at purgeAt', async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock: clock.now });
    await store.create(session('a', clock.now()));
    clock.advance(1999);
    expect(await store.get('a')).toBeDefined();
    clock.advance(1);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.update('a', 'pending', { status: 'checking' })).toBeUndefined();
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
