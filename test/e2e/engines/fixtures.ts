// The suite's `test` (origins, console watch, notes) with one more fixture: `open`, which hands a test
// a fresh page of the project's engine and device. Playwright Test stays the one runner; a project
// picks the engine (`use: { engine, device }` in playwright.config.ts) and each runs alone:
//   npm run test:e2e -- --project=webkit-phone
// A worker starts its Firefox (puppeteer-core) or its Xvfb + WebKitWebDriver once, on first use, and
// stops them by their own PIDs when it ends; each test gets its own context or WebDriver session.
import { randomUUID } from 'node:crypto';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { test as base } from '../fixtures.js';
import { DESKTOP, IPHONE } from '../devices.js';
import { chromiumPage } from './chromiumPage.js';
import { keepScreenshot, type EngineName, type EnginePage } from './enginePage.js';
import { firefoxPage, launchFirefox, type Device } from './firefoxPage.js';
import { isNewSessionHang, startWebKit, webkitPage, type WebKitServer } from './webkitPage.js';

export { expect } from '../fixtures.js';

export type DeviceName = 'phone' | 'desktop';

/** The user agents each engine presents: an Android phone for Firefox, an iPhone and a Mac for WebKit. */
const DEVICES: Record<Exclude<EngineName, 'chromium'>, Record<DeviceName, Device>> = {
  firefox: {
    phone: { width: 390, height: 844, scale: 3, userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0' },
    desktop: { width: 1280, height: 800, scale: 2, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0' },
  },
  webkit: {
    // MiniBrowser's window is at least 447 px wide; the phone layout follows the user agent.
    phone: { width: 447, height: 844, scale: 3, userAgent: IPHONE.userAgent },
    desktop: {
      width: 1280,
      height: 800,
      scale: 1,
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    },
  },
};

export interface OpenOptions {
  /** Another user agent for this page (an in-app browser, say). */
  userAgent?: string;
}

export interface Opened {
  page: EnginePage;
  /** The browser's id on the demo server: `clientStats(origin, client)` counts its API requests. */
  client: string;
}

interface EngineFixtures {
  /** The project's engine (an option: `test.use({ engine })` or the project's `use`). */
  engine: EngineName;
  /** The project's device. */
  device: DeviceName;
  /** A fresh page of the engine (own cookies and storage), closed with the test. */
  open: (options?: OpenOptions) => Promise<Opened>;
  /** Keeps a screenshot of `page` as screenshots/e2e/<project>-<name>.png; returns its path. */
  shot: (page: EnginePage, name: string) => Promise<string>;
}

interface WorkerFixtures {
  /** Launched on first use, shared by the worker's tests, closed when the worker ends. */
  firefoxBrowser: () => Promise<FirefoxBrowser>;
  /**
   * Xvfb + WebKitWebDriver, started on first use for the worker's device scale, stopped when it ends;
   * with `restart`, the running one is stopped and a new one started.
   */
  webkitServer: (scale: number, restart?: boolean) => Promise<WebKitServer>;
}

export const test = base.extend<EngineFixtures, WorkerFixtures>({
  engine: ['chromium', { option: true }],
  device: ['phone', { option: true }],

  firefoxBrowser: [
    async ({}, use) => {
      let launched: Promise<FirefoxBrowser> | undefined;
      await use(() => (launched ??= launchFirefox()));
      if (launched) await (await launched).close();
    },
    { scope: 'worker' },
  ],

  webkitServer: [
    async ({}, use) => {
      let started: Promise<WebKitServer> | undefined;
      await use(async (scale, restart = false) => {
        if (restart && started) {
          const old = started;
          started = undefined;
          await (await old).stop();
        }
        return (started ??= startWebKit(scale));
      });
      if (started) await (await started).stop();
    },
    { scope: 'worker' },
  ],

  open: async ({ engine, device, origin, browser: lazyChromium, firefoxBrowser, webkitServer, watcher }, use) => {
    const closers: (() => Promise<unknown>)[] = [];
    const report = (text: string) => {
      if (!watcher.allowed.some((pattern) => pattern.test(text))) watcher.problems.push(text);
    };
    await use(async (options = {}) => {
      const client = `c${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      let opened: { page: EnginePage; close: () => Promise<unknown> };
      if (engine === 'chromium') {
        opened = await chromiumPage(lazyChromium, { ...(device === 'phone' ? IPHONE : DESKTOP), ...(options.userAgent ? { userAgent: options.userAgent } : {}) }, origin, client, report);
      } else {
        const spec = { ...DEVICES[engine][device], ...(options.userAgent ? { userAgent: options.userAgent } : {}) };
        opened =
          engine === 'firefox'
            ? await firefoxPage(await firefoxBrowser(), spec, origin, client, report)
            : await webkitPage(await webkitServer(spec.scale), spec, origin, client).catch(async (error: unknown) => {
                // MiniBrowser never started: once more, on a new WebKitWebDriver.
                if (!isNewSessionHang(error)) throw error;
                return webkitPage(await webkitServer(spec.scale, true), spec, origin, client);
              });
      }
      closers.push(opened.close);
      return { page: opened.page, client };
    });
    for (const close of closers) await close();
  },

  shot: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      const path = await keepScreenshot(page, `${testInfo.project.name}-${name}`);
      testInfo.annotations.push({ type: 'screenshot', description: path });
      return path;
    });
  },
});
