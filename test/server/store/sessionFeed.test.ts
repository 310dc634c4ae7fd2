// @vitest-environment node
// Issue 14: how event streams hear of changes. The memory store tells of its writes; a store of the
// app's own without `subscribe` is wrapped, so that the handler's own writes are heard, whichever
// route makes them, and its methods still run on the app's object.
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionPatch, type SessionStore, type StoredSession } from '../../../src/server.js';
import { sessionFeed } from '../../../src/server/store/sessionFeed.js';

function session(id: string): StoredSession {
  const now = Date.now();
  return { id, version: 0, status: 'pending', bytedToken: 't', h5Link: 'https://h5.test/', qrUrl: 'https://app.test/l/x', createdAt: now, expiresAt: now + 60_000, purgeAt: now + 120_000 };
}

async function writes(store: SessionStore, heard: string[]) {
  await store.create(session('s1'));
  heard.push('created');
  await store.update('s1', 0, { openedAt: 1 });
  heard.push('updated');
  expect(await store.update('s1', 0, { watchedAt: 1 })).toBeUndefined();
  heard.push('lost a compare-and-set');
  await store.delete('s1');
  heard.push('deleted');
  await store.create(session('other'));
}

describe('change notifications', () => {
  it("memoryStore: create, a successful update and delete notify the session's listeners (live), a lost compare-and-set does not", async () => {
    const store = memoryStore();
    const heard: string[] = [];
    const subscription = store.subscribe!('s1', () => heard.push('change'));
    expect(subscription.live).toBe(true);
    await writes(store, heard);
    expect(heard).toEqual(['change', 'created', 'change', 'updated', 'lost a compare-and-set', 'change', 'deleted']);
    subscription.close();
    await store.create(session('s1'));
    expect(heard.at(-1)).toBe('deleted');
  });

  it('a listener that throws keeps neither the write nor the other listeners from going on', async () => {
    const store = memoryStore();
    let other = 0;
    store.subscribe!('s1', () => {
      throw new Error('listener bug');
    });
    store.subscribe!('s1', () => (other += 1));
    await store.create(session('s1'));
    expect(other).toBe(1);
    expect(await store.get('s1')).toBeDefined();
  });

  it('a store without subscribe (a class with private fields) is wrapped: its writes are heard, never live, and it keeps working', async () => {
    class AppStore implements SessionStore {
      readonly #inner = memoryStore();
      calls = 0;
      get(id: string) {
        this.calls += 1;
        return this.#inner.get(id);
      }
      create(value: StoredSession) {
        return this.#inner.create(value);
      }
      update(id: string, version: number, patch: SessionPatch) {
        return this.#inner.update(id, version, patch);
      }
      delete(id: string) {
        return this.#inner.delete(id);
      }
    }
    const app = new AppStore();
    const feed = sessionFeed(app);
    expect(feed.store).not.toBe(app);
    const heard: string[] = [];
    const subscription = feed.subscribe('s1', () => heard.push('change'));
    expect(subscription.live).toBe(false);
    await writes(feed.store, heard);
    expect(heard).toEqual(['change', 'created', 'change', 'updated', 'lost a compare-and-set', 'change', 'deleted']);
    await feed.store.get('other');
    expect(app.calls).toBe(1);
  });

  it('a store with subscribe is used as it is', () => {
    const store = memoryStore();
    expect(sessionFeed(store).store).toBe(store);
  });
});
