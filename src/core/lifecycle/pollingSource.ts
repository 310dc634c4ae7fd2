import type { LivenessError } from '../LivenessError.js';
import { MAX_POLL_BACKOFF_MS, type StatusSourceFactory } from './statusSource.js';

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
    // Both outcomes of the read are handled: nothing is left to reject.
    void read(abort.signal)
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
