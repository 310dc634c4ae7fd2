// Chromium through Playwright itself, behind the same EnginePage as Firefox and WebKit, so the flows
// written once for the three engines run in Debian's Chromium too (the `phone` project).
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import type { EnginePage } from './enginePage.js';
import type { ProblemSink } from './firefoxPage.js';

class ChromiumPage implements EnginePage {
  readonly engine = 'chromium' as const;
  constructor(
    private readonly page: Page,
    private readonly report: ProblemSink,
  ) {
    page.on('pageerror', (error) => report(`chromium page error: ${error.message.slice(0, 300)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') report(`chromium console error: ${message.text().slice(0, 300)}`);
    });
  }
  async goto(url: string) {
    await this.page.goto(url);
  }
  async url() {
    return this.page.url();
  }
  evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R> {
    return this.page.evaluate<R, unknown>(fn as (arg: unknown) => R, arg);
  }
  async click(selector: string) {
    await this.page.locator(selector).first().click();
  }
  async type(selector: string, text: string) {
    await this.page.locator(selector).first().pressSequentially(text);
  }
  async setInputFiles(selector: string, path: string) {
    await this.page.locator(selector).first().setInputFiles(path);
  }
  async back() {
    await this.page.goBack();
  }
  async reload() {
    await this.page.reload();
  }
  async screenshot(selector?: string) {
    return selector ? this.page.locator(selector).first().screenshot({ animations: 'disabled' }) : this.page.screenshot({ animations: 'disabled' });
  }
  async bringToFront() {
    await this.page.bringToFront();
  }
  async newTab(action: () => Promise<void>): Promise<EnginePage> {
    const opened = this.page.context().waitForEvent('page', { timeout: 10_000 });
    await action();
    const tab = await opened;
    await tab.waitForLoadState('load');
    return new ChromiumPage(tab, this.report);
  }
  async close() {
    await this.page.close();
  }
}

export async function chromiumPage(browser: Browser, device: BrowserContextOptions, origin: string, client: string, report: ProblemSink) {
  const context = await browser.newContext({ ...device });
  await context.addCookies([{ name: 'e2e-client', value: client, url: origin }]);
  const page = new ChromiumPage(await context.newPage(), report);
  return { page: page as EnginePage, close: () => context.close() };
}
