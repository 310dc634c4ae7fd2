import type { SessionStore } from './sessionStore.js';

/** A store's method, bound to the store. */
export type StoreMethod = (...args: unknown[]) => unknown;

/**
 * The app's store with some of its methods stood in for: `replace` gets each method's name and the
 * method bound to the store, and returns its stand-in, or `undefined` to pass the method through.
 * A proxy rather than a copy: an app's store may be a class instance with private fields, and may have
 * methods this version does not know about; every method runs on the app's own object.
 */
export function storeProxy(store: SessionStore, replace: (name: PropertyKey, method: StoreMethod) => ((...args: never[]) => unknown) | undefined): SessionStore {
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      const method = (value as StoreMethod).bind(target);
      return replace(name, method) ?? method;
    },
  });
}
