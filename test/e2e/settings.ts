// Numbers the end-to-end suite shares between its config, its tests and its reporter.

/** Session lifetime of the second demo server, which only the expiry test uses. */
export const EXPIRY_TTL_MS = 5_000;

/** How long the polling test counts status requests, visible and then hidden. */
export const POLL_WINDOW_MS = 20_000;

/** Desktop QR → phone Pass → verified runs (their latencies are measured; override with E2E_PASS_RUNS). */
export const PASS_RUNS = Number(process.env.E2E_PASS_RUNS ?? 5);

/** How long a state may take to show up (2 s polling, Vite dev transforms on a busy 2-core box). */
export const STATE_TIMEOUT_MS = 15_000;

/** Where the suite's own screenshots and measurements.json go (the bench and people read them). */
export const SCREENSHOT_DIR = new URL('../../screenshots/e2e/', import.meta.url);
