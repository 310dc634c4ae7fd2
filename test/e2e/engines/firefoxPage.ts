// Firefox ESR (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi. Playwright 1.65's own
// BiDi Firefox fails on ESR 153 (`emulation.setMediaFeaturesOverride: unknown command` at newContext),
// and no geckodriver exists here, so puppeteer drives it; Playwright Test still runs the tests.
import puppeteer, { type Browser, type BrowserContext, type ElementHandle, type Page } from 'puppeteer-core';
import { sleep } from '../helpers.js';
import type { EnginePage } from './enginePage.js';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';

/** One headless Firefox (4 to 12 s to start on 2 cores): a worker shares it; each test gets a context. */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
}

export interface Device {
  width: number;
  height: number;
  scale: number;
  userAgent: string;
}

/** Errors a page reported (uncaught exceptions, console errors): the test fails on any it does not allow. */
export type ProblemSink = (text: string) => void;

class FirefoxPage implements EnginePage {
  readonly engine = 'firefox' as const;
  constructor(
    private readonly page: Page,
    private readonly context: BrowserContext,
    private readonly device: Device,
    private readonly report: ProblemSink,
  ) {
    page.on('pageerror', (error) => report(`firefox page error: ${String((error as Error).message ?? error).slice(0, 300)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') report(`firefox console error: ${message.text().slice(0, 300)}`);
    });
  }

  async setUp() {
    await this.page.setViewport({ width: this.device.width, height: this.device.height, deviceScaleFactor: this.device.scale });
    await this.page.setUserAgent(this.device.userAgent);
  }

  async goto(url: string) {
    await this.page.goto(url, { waitUntil: 'load' });
  }
  async url() {
    return this.page.url();
  }
  evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R> {
    return this.page.evaluate(fn as (arg: unknown) => R, arg);
  }
  async click(selector: string) {
    await this.page.click(selector);
  }
  async type(selector: string, text: string) {
    await this.page.type(selector, text);
  }
  async setInputFiles(selector: string, path: string) {
    const input = (await this.page.waitForSelector(selector)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
  }
  async back() {
    await this.page.goBack({ waitUntil: 'load' });
  }
  async reload() {
    await this.page.reload({ waitUntil: 'load' });
  }
  async screenshot(selector?: string) {
    if (!selector) return Buffer.from(await this.page.screenshot({ type: 'png' }));
    const element = await this.page.waitForSelector(selector);
    return Buffer.from(await element!.screenshot({ type: 'png' }));
  }
  async bringToFront() {
    await this.page.bringToFront();
  }
  async newTab(action: () => Promise<void>): Promise<EnginePage> {
    const before = new Set(await this.context.pages());
    await action();
    for (let waited = 0; waited < 10_000; waited += 100) {
      const opened = (await this.context.pages()).find((page) => !before.has(page));
      if (opened) {
        // The tab inherits nothing of the emulation: it gets this one's device.
        const tab = new FirefoxPage(opened, this.context, this.device, this.report);
        await tab.setUp();
        return tab;
      }
      await sleep(100);
    }
    throw new Error('firefox: no new tab opened');
  }
  async close() {
    await this.page.close().catch(() => undefined);
  }
}

/** A fresh context (own cookies and storage) with one page for `device`, its API requests marked as `client`'s. */
export async function firefoxPage(browser: Browser, device: Device, origin: string, client: string, report: ProblemSink) {
  const context = await browser.createBrowserContext();
  await context.setCookie({ name: 'e2e-client', value: client, domain: new URL(origin).hostname, path: '/' });
  const page = new FirefoxPage(await context.newPage(), context, device, report);
  await page.setUp();
  return { page: page as EnginePage, close: () => context.close().catch(() => undefined) };
}
