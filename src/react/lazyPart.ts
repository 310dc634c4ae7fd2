import { useEffect, useSyncExternalStore } from 'react';

/**
 * Code the component loads only when it is likely to show it (a rarely shown view, its English text,
 * the QR encoder). Its module is imported once; once it is there it is read synchronously, so a part
 * that has loaded renders in the very commit of the state that shows it. There is no Suspense boundary:
 * React.lazy suspends once even for a loaded module, and a boundary that showed its fallback holds its
 * content back for React's reveal throttle (about 300 ms). Until the module is there, the view renders
 * its own placeholder, and the commit after its arrival shows it.
 */
export interface LazyPart<T> {
  /**
   * Starts loading the module, once (again after a failure); resolves with it. Idempotent and cheap:
   * call it as soon as the part becomes likely, from an effect or an event, never from render.
   */
  load(): Promise<T>;
  /** The module, once loaded; `undefined` before. */
  current(): T | undefined;
  /** Called once, when the module has loaded. */
  subscribe(listener: () => void): () => void;
}

/** A lazily loaded part: `importer` is a function that returns `import('./Module.js')`. */
export function lazyPart<T>(importer: () => Promise<T>): LazyPart<T> {
  let module: T | undefined;
  let loading: Promise<T> | undefined;
  const listeners = new Set<() => void>();
  return {
    load: () =>
      (loading ??= importer().then(
        (loaded) => {
          module = loaded;
          listeners.forEach((listener) => listener());
          return loaded;
        },
        (error: unknown) => {
          // A chunk that failed (offline, a deploy replaced it) is tried again on the next load().
          loading = undefined;
          throw error;
        },
      )),
    current: () => module,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Starts loading parts without waiting for them; a failure leaves their placeholders up. */
export function preload(...parts: LazyPart<unknown>[]): void {
  for (const part of parts) if (!part.current()) part.load().catch(() => undefined);
}

const nothing = () => undefined;
const noSubscription = () => nothing;

/**
 * The part's module when it has loaded and the component `shows` it in this render, else `undefined`
 * (render the placeholder). Only a part that is shown re-renders the component when it arrives: parts
 * loaded ahead of their state cost no render, and no commit, while the page waits for something else.
 * The server render and the hydrating render always see `undefined`, whatever the browser already
 * holds, so both render the placeholder (rule 5); the loaded part follows right after hydration. With
 * `load` (by default when shown), the part is loaded after the commit if it is not there yet.
 */
export function useLazyPart<T>(part: LazyPart<T>, shows: boolean, load = shows): T | undefined {
  const module = useSyncExternalStore(shows ? part.subscribe : noSubscription, shows ? part.current : nothing, nothing);
  useEffect(() => {
    if (load) preload(part);
  }, [part, load]);
  return module;
}
