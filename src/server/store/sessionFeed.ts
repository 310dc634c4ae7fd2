import { ChangeListeners } from './changeListeners.js';
import type { SessionStore, SessionSubscription } from './sessionStore.js';
import { storeProxy } from './storeProxy.js';

/** Where a handler's event streams hear of session changes. */
export interface SessionFeed {
  /** The store the handler writes through (the app's own, or one that tells the feed of each write). */
  store: SessionStore;
  subscribe(id: string, onChange: () => void): SessionSubscription;
}

const WRITES = new Set<PropertyKey>(['create', 'update', 'delete']);

/**
 * The store's own change notifications when it has them (`memoryStore`, `redisStore`). A store without
 * them is wrapped, so that every write this handler makes (whichever route or module makes it) is heard
 * at once; its subscriptions are never `live`, because writes of other instances go unheard, and so the
 * streams also read the store at the poll interval.
 */
export function sessionFeed(store: SessionStore): SessionFeed {
  if (typeof store.subscribe === 'function') {
    return { store, subscribe: (id, onChange) => store.subscribe!(id, onChange) };
  }
  const listeners = new ChangeListeners();
  const observed = storeProxy(store, (name, method) => {
    if (!WRITES.has(name)) return undefined;
    return async (...args: unknown[]) => {
      const result = await method(...args);
      const id = name === 'create' ? (args[0] as { id: string }).id : (args[0] as string);
      // A lost compare-and-set (`undefined`) changed nothing.
      if (name !== 'update' || result !== undefined) listeners.notify(id);
      return result;
    };
  });
  return { store: observed, subscribe: (id, onChange) => ({ live: false, close: listeners.add(id, onChange) }) };
}
