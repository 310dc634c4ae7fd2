// What the controller's tests share: a fake clock from a fixed instant, and a page whose visibility and
// connection they change. Without React and without a browser: jsdom's document and window.
import { afterEach, beforeEach, vi } from 'vitest';

export const NOW = Date.parse('2026-01-01T00:00:00.000Z');

/** Moves the fake clock on, running the timers and the promises they settle. */
export const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/**
 * For every test of the file: fake timers and Date, from NOW; afterwards real timers again, an empty
 * sessionStorage and the address back at `/`. (A file that hides the page shows it again itself: in a
 * file whose tests leave controllers running, as a page that navigates away does, that would wake them.)
 */
export function installPageClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    sessionStorage.clear();
    window.history.replaceState(null, '', '/');
  });
}

/** Hides or shows the page, or takes the browser off or back online, firing the events browsers fire. */
export function setPage({ hidden, online }: { hidden?: boolean; online?: boolean }): void {
  if (hidden !== undefined) {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    // As browsers fire it: at the document, bubbling to the window.
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }
  if (online !== undefined) window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}
