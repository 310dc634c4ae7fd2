import { ChangeListeners } from './changeListeners.js';
import type { SessionStore, SessionSubscription } from './sessionStore.js';

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
  // A proxy rather than a copy: an app's store may be a class instance with private fields, and may
  // have methods this version does not know about. Every method runs on the app's own object.
  const observed = new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      if (!WRITES.has(name)) return value.bind(target);
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        const id = name === 'create' ? (args[0] as { id: string }).id : (args[0] as string);
        // A lost compare-and-set (`undefined`) changed nothing.
        if (name !== 'update' || result !== undefined) listeners.notify(id);
        return result;
      };
    },
  });
  return { store: observed, subscribe: (id, onChange) => ({ live: false, close: listeners.add(id, onChange) }) };
}
