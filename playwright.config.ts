import { defineConfig } from '@playwright/test';
import type { DeviceName } from './test/e2e/engines/fixtures.js';
import type { EngineName } from './test/e2e/engines/enginePage.js';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';
import { DESKTOP, IPHONE } from './test/e2e/devices.js';
import { EXPIRY_TTL_MS } from './test/e2e/settings.js';

/*
 * End-to-end tests in Debian's Chromium against the demo (`demo/server.mjs`: the React app, the
 * `/server` handler and the mock upstream with its simulated H5 page, on one 127.0.0.1 port).
 *
 *   npm run test:e2e                       everything
 *   npx playwright test --project phone    one project; `-g "expiry"` for tests by name
 *   E2E_PASS_RUNS=<n> npm run test:e2e     n measured Pass → verified runs instead of 5
 *
 * Two demos run as Playwright web servers, on free ports (PORT=0; the port is read from the line the
 * demo prints): the default one, and one with SESSION_TTL_MS=5000 for the expiry test. Playwright
 * starts them one after the other (they share a Vite dependency cache) and stops them at the end.
 * Traces and screenshots of failed tests go to test-results/e2e/, an HTML report to
 * test-results/e2e-report/; the suite's own screenshots and measurements.json to screenshots/e2e/.
 */

const repo = import.meta.dirname;

/** A demo server: no file watcher and a private Vite cache, so nothing reloads a page mid-test. */
function demo(name: string, originVariable: string, env: Record<string, string> = {}) {
  return {
    name,
    command: `"${process.execPath}" demo/server.mjs`,
    cwd: repo,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_QUIET: '1',
      DEMO_WATCH: '0',
      DEMO_VITE_CACHE_DIR: join(repo, 'node_modules/.cache/react-liveness-session-tools/vite'),
      ...env,
    },
    // The demo prints `demo: http://127.0.0.1:<port>/`; the named group becomes process.env[originVariable].
    wait: { stdout: new RegExp(`demo: (?<${originVariable}>http://127\\.0\\.0\\.1:\\d+)/`) },
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    timeout: 60_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  };
}

/**
 * A project in Firefox (puppeteer-core) or WebKit (selenium-webdriver + MiniBrowser): see test/e2e/engines/.
 * WebKit's tests are retried once, in a fresh worker with a new driver: WebKitGTK's WebKitWebDriver once
 * stopped answering in CI (a command hung until the test's timeout; 35 local runs since never did). A hung
 * command fails after 45 s, named (webkitPage.ts `inTime`); a retried test is listed as flaky in the report.
 */
const engineProject = (engine: EngineName, device: DeviceName) => ({
  name: `${engine}-${device}`,
  testMatch: device === 'phone' ? PHONE_FLOW : DESKTOP_FLOW,
  use: { engine, device },
  ...(engine === 'webkit' ? { retries: 1 } : {}),
});
const PHONE_FLOW = /engines\/phoneFlow\.spec\.ts$/;
const DESKTOP_FLOW = /engines\/desktopFlow\.spec\.ts$/;

export default defineConfig<{ engine: EngineName; device: DeviceName }>({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  // Files run in parallel on two workers, the tests of one file in order.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }], ['./test/e2e/measurementsReporter.ts']],
  globalSetup: './test/e2e/globalSetup.ts',
  webServer: [demo('demo', 'E2E_ORIGIN'), demo('demo (short TTL)', 'E2E_SHORT_ORIGIN', { SESSION_TTL_MS: String(EXPIRY_TTL_MS) })],
  use: {
    // Never a downloaded browser: Debian's, with the flags this machine needs.
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'desktop', testMatch: /\.desktop\.spec\.ts$/, testIgnore: /strictMode/, use: { ...DESKTOP } },
    // The phone flows written for the three engines (engines/phoneFlow.spec.ts) run here in Chromium too.
    { name: 'phone', testMatch: [/\.phone\.spec\.ts$/, PHONE_FLOW], use: { ...IPHONE, engine: 'chromium', device: 'phone' } },
    // Issue 22: the same flows in the two other engines people use. Each runs alone too:
    // `npm run test:e2e -- --project=webkit-phone`.
    engineProject('firefox', 'phone'),
    engineProject('firefox', 'desktop'),
    engineProject('webkit', 'phone'),
    engineProject('webkit', 'desktop'),
    // Every story of the built Storybook (npm run build-storybook) in Firefox: play function, then axe;
    // and the all-states grid drawn by WebKit (screenshots/all-states-webkit.png).
    { name: 'firefox-stories', testMatch: /stories\/storiesInFirefox\.spec\.ts$/ },
    { name: 'webkit-stories', testMatch: /stories\/allStatesInWebKit\.spec\.ts$/ },
    // Reads the demo's server-wide upstream counters, so it runs after everything else, alone.
    {
      name: 'desktop-alone',
      testMatch: /strictMode\.desktop\.spec\.ts$/,
      dependencies: ['desktop', 'phone', 'firefox-phone', 'firefox-desktop', 'webkit-phone', 'webkit-desktop'],
      use: { ...DESKTOP },
    },
  ],
});
