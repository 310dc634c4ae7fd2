import type { LivenessError } from '../LivenessError.js';
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

/** How the outcome of one session is learned: polling now; a push source (Server-Sent Events) can sit beside it. */
export interface StatusSource {
  /** The page became visible and online (`true`), or hidden or offline: pause, and on return read once at once. */
  setActive(active: boolean): void;
  /** Read once now (the link's time is up), unless a read is already under way. */
  check(): void;
  /** Stop for good: no timer, no request left. */
  stop(): void;
}

export type StatusSourceFactory = (context: StatusSourceContext) => StatusSource;

/** The delay before the next status request: the interval, doubled per consecutive failure, capped. */
export function pollDelay(intervalMs: number, failures: number): number {
  return failures > 0 ? Math.min(intervalMs * 2 ** failures, MAX_POLL_BACKOFF_MS) : intervalMs;
}

/**
 * The delay after a failed status request: the server's `Retry-After` when it sent one (a 503 while its
 * store restarts, a 429), never sooner than the interval and at most a minute: it knows when to ask
 * again, and backing off past it would leave the person waiting long after the outage; the doubling
 * back-off otherwise (network errors, answers without the header).
 */
export function retryDelay(intervalMs: number, failures: number, retryAfterMs: number | undefined): number {
  return retryAfterMs === undefined ? pollDelay(intervalMs, failures) : Math.min(Math.max(retryAfterMs, intervalMs), 60_000);
}

/**
 * Asks the status every `intervalMs` while the page is visible and online, none while it is not, one
 * at once when it is again. Failures back off (doubling, up to 30 s), or wait the server's `Retry-After`.
 */
export const pollingSource: StatusSourceFactory = ({ read, intervalMs, active }) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading: AbortController | undefined;
  let failures = 0;
  let stopped = false;
  const poll = () => {
    if (reading || stopped) return;
    clearTimeout(timer);
    const abort = (reading = new AbortController());
    read(abort.signal)
      .then(
        () => ((failures = 0), intervalMs),
        (error: LivenessError) => retryDelay(intervalMs, (failures += 1), error.retryAfterMs),
      )
      .then((delay) => {
        reading = undefined;
        if (active && !stopped) timer = setTimeout(poll, delay);
      });
  };
  if (active) poll();
  return {
    setActive(now) {
      active = now;
      if (now) poll();
      else clearTimeout(timer);
    },
    check: poll,
    stop() {
      stopped = true;
      clearTimeout(timer);
      reading?.abort();
    },
  };
};

/**
 * A source whose code is loaded when first needed (so pages that never use it never download it). It
 * starts once loaded, with the page's state at that moment; if the code cannot be loaded, it polls.
 */
export const lazySource =
  (load: () => Promise<StatusSourceFactory>): StatusSourceFactory =>
  (context) => {
    let source: StatusSource | undefined;
    let stopped = false;
    let due = false;
    load()
      .catch(() => pollingSource)
      .then((factory) => {
        if (stopped) return;
        source = factory(context);
        if (due) source.check();
      });
    return {
      setActive(now) {
        context.active = now;
        source?.setActive(now);
      },
      check() {
        due = true;
        source?.check();
      },
      stop() {
        stopped = true;
        source?.stop();
      },
    };
  };
