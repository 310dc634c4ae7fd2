// The suite's `test`: Playwright Test with the demo's origins, a watch on every page for console
// errors and uncaught page errors (any one fails the test), and a phone context for desktop tests.
import { test as base, expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { DESKTOP, IPHONE } from './devices.js';
import { safeUrl } from './helpers.js';

export { expect };

interface Watcher {
  problems: string[];
  allowed: RegExp[];
}

interface Fixtures {
  /** The default demo, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The demo whose sessions live EXPIRY_TTL_MS (the expiry test). */
  shortOrigin: string;
  /** Console errors, page errors and Vite reloads seen on any watched page: the test fails on any. */
  watcher: Watcher;
  /** Console errors matching `pattern` are the point of the test, not a problem. */
  allowConsole: (pattern: RegExp) => void;
  /** Watches a context's pages (the test's own context is watched already). */
  watch: (context: BrowserContext, label: string) => void;
  /** A fresh iPhone context's first page, watched like the test's own. */
  phone: Page;
  /** Another person's desktop: a fresh desktop context's first page, watched like the test's own. */
  bystander: Page;
  /** Adds a line to the test's report (printed by the measurements reporter, kept in the HTML report). */
  note: (text: string) => void;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npm run test:e2e\` (playwright.config.ts starts the demo)`);
  return value;
}

/** A fixture: the first page of a fresh, watched context for `device`, closed with the test. */
function pageInNewContext(device: BrowserContextOptions, label: string) {
  return async ({ browser, watch }: { browser: Browser; watch: Fixtures['watch'] }, use: (page: Page) => Promise<void>) => {
    const context = await browser.newContext({ ...device });
    watch(context, label);
    await use(await context.newPage());
    await context.close();
  };
}

export const test = base.extend<Fixtures>({
  origin: async ({}, use) => use(required('E2E_ORIGIN')),
  shortOrigin: async ({}, use) => use(required('E2E_SHORT_ORIGIN')),

  watcher: [
    async ({}, use) => {
      const watcher: Watcher = { problems: [], allowed: [] };
      await use(watcher);
      expect(watcher.problems, 'console errors, page errors or Vite reloads on the pages of this test').toEqual([]);
    },
    { auto: true },
  ],

  allowConsole: async ({ watcher }, use) => {
    await use((pattern) => watcher.allowed.push(pattern));
  },

  watch: async ({ watcher }, use) => {
    const { problems, allowed } = watcher;
    const watchPage = (label: string) => (page: Page) => {
      page.on('console', (message) => {
        const text = message.text();
        // Vite reloads the page when it re-optimises dependencies: that would create a second session.
        if (/\[vite\].*reloading/i.test(text)) problems.push(`${label}: Vite reloaded the page (${text.slice(0, 120)})`);
        if (message.type() !== 'error') return;
        if (allowed.some((pattern) => pattern.test(text))) return;
        const source = message.location()?.url;
        problems.push(`${label} console error on ${safeUrl(page.url())}: ${text.slice(0, 300)}${source ? ` (${safeUrl(source)})` : ''}`);
      });
      page.on('pageerror', (error) => problems.push(`${label} page error on ${safeUrl(page.url())}: ${String(error.message).slice(0, 300)}`));
    };
    await use((context, label) => {
      context.pages().forEach(watchPage(label));
      context.on('page', watchPage(label));
    });
  },

  context: async ({ context, watch }, use, testInfo) => {
    watch(context, testInfo.project.name === 'phone' ? 'phone' : 'desktop');
    await use(context);
  },

  phone: pageInNewContext(IPHONE, 'phone'),
  bystander: pageInNewContext(DESKTOP, 'bystander'),

  note: async ({}, use, testInfo) => {
    await use((text) => testInfo.annotations.push({ type: 'note', description: text }));
  },
});
