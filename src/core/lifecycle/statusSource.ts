import type { WatchedSession } from './sessionLifecycle.js';

/** Default time between two status requests while the page is visible. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Longest wait between status requests while the backend keeps failing. */
export const MAX_POLL_BACKOFF_MS = 30_000;

/**
 * What a status source gets from the controller. It never parses or judges an answer itself: it
 * decides when to ask, and hands what it hears on.
 */
export interface StatusSourceContext {
  target: WatchedSession;
  /** One status request; its answer or error has reached the lifecycle when the promise settles. Rejects on error. */
  read: (signal: AbortSignal) => Promise<void>;
  /** A status answer that arrived some other way (a pushed event): the raw JSON body. */
  answer: (json: unknown) => void;
  intervalMs: number;
  /** Whether the page is visible and online right now. */
  active: boolean;
}

/** How the outcome of one session is learned: polling (pollingSource.ts) or pushed (eventStreamSource.ts). */
export interface StatusSource {
  /** The page became visible and online (`true`), or hidden or offline: pause, and on return read once at once. */
  setActive(active: boolean): void;
  /** Read once now (the link's time is up), unless a read is already under way. */
  check(): void;
  /** Stop for good: no timer, no request left. */
  stop(): void;
}

export type StatusSourceFactory = (context: StatusSourceContext) => StatusSource;

/**
 * A source whose code is loaded when first needed (so pages that never use it never download it). It
 * starts once loaded, with the page's state at that moment. If the code cannot be loaded it falls back
 * to `fallback`; without one, it tries again on the next `check()` or return of the page.
 */
export const lazySource =
  <Context extends { active: boolean }>(load: () => Promise<(context: Context) => StatusSource>, fallback?: (context: Context) => StatusSource): ((context: Context) => StatusSource) =>
  (context) => {
    let source: StatusSource | undefined;
    let loading = false;
    let stopped = false;
    let due = false;
    const start = () => {
      if (source || loading || stopped) return;
      loading = true;
      // A failed load falls back to polling: nothing is left to reject.
      void load()
        .catch(() => fallback)
        .then((factory) => {
          loading = false;
          if (stopped || !factory) return;
          source = factory(context);
          if (due) source.check();
        });
    };
    start();
    return {
      setActive(now) {
        context.active = now;
        if (source) source.setActive(now);
        else if (now) start();
      },
      check() {
        due = true;
        if (source) source.check();
        else start();
      },
      stop() {
        stopped = true;
        source?.stop();
      },
    };
  };
