#!/usr/bin/env node
/*
 * End-to-end tests in real Chromium against the demo (`node demo/server.mjs`), which serves the app,
 * the `/server` handler and the mock upstream with its simulated H5 page on one 127.0.0.1 port.
 *
 *   node test/e2e/run.mjs [--only <substring>] [--runs <n pass round trips, default 5>]
 *
 * Two demo servers run as child processes (one with the default session lifetime, one with
 * SESSION_TTL_MS=5000 for the expiry test) and are stopped by their own PIDs at the end, also on
 * failure or Ctrl-C. Every test gets fresh Chromium persistent contexts in fresh temp dirs. Any
 * console error or uncaught page error fails the test that caused it. Screenshots go to
 * screenshots/e2e/, measurements to screenshots/e2e/measurements.json. Exits 1 when a test fails,
 * 2 when Chromium is missing.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executablePath, median, screenshotDir, startDemo } from './helpers.mjs';
import {
  axeDesktop,
  axeError,
  axeMobile,
  expiryFlow,
  mobileNewTab,
  mobileSameTab,
  qrRoundTrip,
  statusPolling,
  strictModeOneSession,
} from './tests.mjs';

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const only = argValue('--only');
const passRuns = Number(argValue('--runs') ?? 5);
const TEST_TIMEOUT_MS = 90_000;
const EXPIRY_TTL_MS = 5_000;
const POLL_WINDOW_MS = 20_000;

const servers = [];
async function stopServers() {
  await Promise.all(servers.splice(0).map((server) => server.stop().catch(() => undefined)));
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopServers().finally(() => process.exit(130));
  });
}
// A stray rejection (say, from a playwright call a timed-out test left behind) must not leave the
// demo servers running: stop them, then fail.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    console.error(`e2e: ${event}:`, error);
    stopServers().finally(() => process.exit(1));
  });
}
// Last resort when the process exits some other way: servers still listed get SIGKILL, by PID.
process.on('exit', () => {
  for (const server of servers) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const results = [];
const measurements = { passToVerifiedMs: [], failToFailedMs: [] };

/** Runs one test with its own cleanup list, problem list and time limit; prints one line. */
async function runTest(name, fn) {
  if (only && !name.includes(only)) return;
  const t = {
    problems: [],
    allowedConsole: [],
    notes: [],
    cleanups: [],
    cleanup(fn) {
      this.cleanups.push(fn);
    },
    note(text) {
      this.notes.push(text);
    },
    warn(text) {
      this.notes.push(`warning: ${text}`);
    },
  };
  const started = Date.now();
  let error;
  let timer;
  try {
    await Promise.race([
      fn(t),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
      }),
    ]);
  } catch (caught) {
    error = caught;
  } finally {
    clearTimeout(timer);
    for (const cleanup of t.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  const ms = Date.now() - started;
  const problems = [...(error ? [String(error?.message ?? error)] : []), ...t.problems];
  const ok = problems.length === 0;
  results.push({ name, ok, ms, problems, notes: t.notes });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)`);
  for (const note of t.notes) console.log(`       · ${note}`);
  for (const problem of problems) console.log(`       - ${problem}`);
}

async function main() {
  if (!existsSync(executablePath)) {
    console.error(`e2e: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
    return 2;
  }
  const started = Date.now();
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });

  // The short-lifetime server only serves the expiry test.
  // One after the other: the first may have to fill the (private, shared by both) Vite dependency cache.
  const main = await startDemo();
  servers.push(main);
  const short = await startDemo({ SESSION_TTL_MS: String(EXPIRY_TTL_MS) });
  servers.push(short);
  console.log(`e2e: demo on ${main.origin} (pid ${main.pid}), short-TTL demo on ${short.origin} (pid ${short.pid}), ${((Date.now() - started) / 1000).toFixed(1)} s to start`);
  const origin = main.origin;

  try {
    for (let run = 1; run <= passRuns; run += 1) {
      await runTest(`1. desktop QR → phone Pass → verified (run ${run}/${passRuns})`, async (t) => {
        const ms = await qrRoundTrip(t, origin, 'pass', run === 1 ? 'qr-pass' : undefined, ((run - 1) * 2000) / passRuns);
        measurements.passToVerifiedMs.push(Math.round(ms));
        t.note(`Pass → verified on desktop: ${Math.round(ms)} ms`);
      });
    }
    await runTest('1. desktop QR → phone Fail → failed', async (t) => {
      const ms = await qrRoundTrip(t, origin, 'fail', 'qr-fail');
      measurements.failToFailedMs.push(Math.round(ms));
      t.note(`Fail → failed on desktop: ${Math.round(ms)} ms`);
    });

    // The expiry test and the polling measurement mostly wait for the clock: they run alongside the
    // phone and axe tests (lines print as tests finish). The timing runs above stay alone, and the
    // StrictMode test, which reads the server-wide upstream counters, runs after everything else.
    await Promise.all([
      runTest(`2. expiry: code refreshed 3 times (TTL ${EXPIRY_TTL_MS} ms), then expired, then "Get a new code"`, (t) => expiryFlow(t, short.origin)),
      runTest(`7. status polling: visible vs hidden (${POLL_WINDOW_MS / 1000} s each)`, async (t) => {
        measurements.statusPolling = await statusPolling(t, origin, POLL_WINDOW_MS);
      }),
      (async () => {
        await runTest('3. phone: link mode, new tab, Pass → original tab verified', (t) => mobileNewTab(t, origin));
        await runTest('3. phone: same-tab round trip resumes the session without a new POST', (t) => mobileSameTab(t, origin));
        await runTest('5. axe: ready (QR) and verified, light and dark', (t) => axeDesktop(t, origin));
        await runTest('5. axe: error (POST routed to 500), light and dark; Try again recovers', (t) => axeError(t, origin));
        await runTest('5. axe: ready (link, phone), light and dark', (t) => axeMobile(t, origin));
      })(),
    ]);
    await runTest('4. StrictMode: one upstream session per page load', (t) => strictModeOneSession(t, origin));
  } finally {
    await stopServers();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  const summary = {
    date: new Date().toISOString(),
    durationMs: Date.now() - started,
    passed,
    failed,
    passToVerifiedMs: {
      runs: measurements.passToVerifiedMs,
      median: measurements.passToVerifiedMs.length ? median(measurements.passToVerifiedMs) : null,
    },
    failToFailedMs: measurements.failToFailedMs,
    statusPolling: measurements.statusPolling ?? null,
    tests: results.map(({ name, ok, ms, problems }) => ({ name, ok, ms, problems })),
  };
  writeFileSync(join(screenshotDir, 'measurements.json'), JSON.stringify(summary, null, 2) + '\n');

  console.log('');
  if (summary.passToVerifiedMs.median !== null) {
    console.log(`measured: Pass → verified median ${summary.passToVerifiedMs.median} ms over ${measurements.passToVerifiedMs.length} runs (${measurements.passToVerifiedMs.join(', ')} ms)`);
  }
  if (summary.statusPolling) {
    const p = summary.statusPolling;
    console.log(`measured: status requests ${p.visiblePerMinute}/min visible, ${p.hiddenPerMinute}/min hidden (${p.visibleRequests} and ${p.hiddenRequests} in ${p.windowMs / 1000} s)`);
  }
  console.log(`screenshots and measurements.json in ${screenshotDir}`);
  console.log(`${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return failed > 0 || results.length === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error) => {
    console.error(error);
    await stopServers();
    console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    process.exitCode = 1;
  },
);
