import type { LivenessError } from '../LivenessError.js';
import type { StatusSourceFactory } from './statusSource.js';

/** While the stream is up, a status request at most this often: a stalled stream still ends the wait. */
export const SAFETY_POLL_MS = 30_000;

/**
 * Listens to the backend's event stream (`eventsUrl`, Server-Sent Events) and reads the status only as
 * a safety net: every 30 s at most while the stream is up, at the poll interval while it is down (it
 * dropped and the browser reconnects, or it was refused). Hidden or offline: the stream is closed and
 * nothing is asked; on return it reconnects and the status is read once.
 */
export const eventStreamSource =
  (url: string, withCredentials: boolean): StatusSourceFactory =>
  ({ read, answer, intervalMs, active }) => {
    let stream: EventSource | undefined;
    let up = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reading: AbortController | undefined;
    let failures = 0;
    let stopped = false;
    const wait = (delay: number) => {
      clearTimeout(timer);
      if (active && !stopped) timer = setTimeout(poll, up ? SAFETY_POLL_MS : delay);
    };
    const poll = () => {
      if (reading || stopped) return;
      clearTimeout(timer);
      const abort = (reading = new AbortController());
      read(abort.signal)
        .then(
          () => ((failures = 0), intervalMs),
          // The polling source's `retryDelay`, written out: importing it would split a shared chunk off the entry.
          (error: LivenessError) => {
            failures += 1;
            return error.retryAfterMs === undefined ? Math.min(intervalMs * 2 ** failures, 30_000) : Math.min(Math.max(error.retryAfterMs, intervalMs), 60_000);
          },
        )
        .then((delay) => {
          reading = undefined;
          wait(delay);
        });
    };
    const close = () => {
      stream?.close();
      stream = undefined;
      up = false;
    };
    const open = () => {
      const source = (stream = new EventSource(url, { withCredentials }));
      // Up once the first event arrives, not when the connection opens: the backend sends the status at
      // once, so a proxy that buffers the stream (headers through, events held) never counts as up.
      source.onmessage = (event) => {
        try {
          up = true;
          answer(JSON.parse(event.data as string));
          wait(intervalMs);
        } catch {
          // Not a status: this stream cannot be trusted. Polling decides from here.
          close();
          wait(intervalMs);
        }
      };
      source.onerror = () => {
        // Dropped (the browser reconnects by itself) or refused for good: poll until it is up again.
        // Only the first error after being up starts the clock: later ones must not push it back.
        if (up) {
          up = false;
          wait(intervalMs);
        }
      };
    };
    if (active) {
      open();
      // The stream's first event is the status; should it not come, polling starts after one interval.
      wait(intervalMs);
    }
    return {
      setActive(now) {
        const was = active;
        active = now;
        if (!now) {
          close();
          clearTimeout(timer);
        } else if (!was) {
          open();
          poll();
        }
      },
      check: poll,
      stop() {
        stopped = true;
        close();
        clearTimeout(timer);
        reading?.abort();
      },
    };
  };
