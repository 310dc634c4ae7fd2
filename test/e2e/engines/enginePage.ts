// One page of a browser tab, the same for the three engines the suite drives: Chromium (Playwright),
// Firefox (puppeteer-core over WebDriver BiDi) and WebKit (selenium-webdriver over classic WebDriver,
// WebKitGTK's MiniBrowser). The flows in phoneFlow.spec.ts and desktopFlow.spec.ts are written once
// against it. Only what all three can do is here: no network events (WebKit has none; requests are
// counted by the demo server per browser, see `clientStats`), no touch, no media emulation.
import jsQR from 'jsqr';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { AssertionError, ROOT, rootIn, sleep } from '../helpers.js';
import { SCREENSHOT_DIR, STATE_TIMEOUT_MS } from '../settings.js';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface EnginePage {
  readonly engine: EngineName;
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  /** Runs `fn(arg)` in the page (serialised: it sees only its argument) and returns its JSON result. */
  evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R>;
  /** A real click (a user gesture: links with `target=_blank` open their tab). */
  click(selector: string): Promise<void>;
  /** Types `text` into the field, as a person does (key by key, its events firing). */
  type(selector: string, text: string): Promise<void>;
  /**
   * Picks a file in an `<input type="file">`, as the file dialog would (the input's `change` fires):
   * Playwright's `setInputFiles`, puppeteer's `uploadFile` (WebDriver BiDi `input.setFiles`), WebDriver's
   * Element Send Keys with the file's path (WebKitWebDriver sets it as the input's file).
   */
  setInputFiles(selector: string, path: string): Promise<void>;
  back(): Promise<void>;
  reload(): Promise<void>;
  /** PNG of the viewport, or of one element. */
  screenshot(selector?: string): Promise<Buffer>;
  /** Brings this tab to the front, as a person switching back to it does (background tabs are hidden). */
  bringToFront(): Promise<void>;
  /** Runs `action` and returns the tab it opened. */
  newTab(action: () => Promise<void>): Promise<EnginePage>;
  close(): Promise<void>;
}

/** Waits until `fn(arg)` is truthy in the page (polled: the same in every engine). */
export async function waitUntil<A>(page: EnginePage, fn: (arg: A) => unknown, arg: A, what: string, timeoutMs = STATE_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A navigation in progress can make a script fail once: that is "not yet".
    const ok = await page.evaluate(fn, arg).catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new AssertionError(`${page.engine}: waited ${timeoutMs} ms for ${what}`);
    await sleep(100);
  }
}

/** What the component's root says: `state/mode`, or `no root`. */
export const rootSays = (page: EnginePage) =>
  page
    .evaluate((root) => {
      const element = document.querySelector(root);
      return element ? `${element.getAttribute('data-state')}/${element.getAttribute('data-mode')}` : 'no root';
    }, ROOT)
    .catch((error: Error) => `unreadable (${error.message.split('\n')[0]})`);

export async function waitForState(page: EnginePage, state: string, mode?: string): Promise<void> {
  await waitUntil(page, (selector) => document.querySelector(selector) !== null, rootIn(state, mode), `data-state=${state}${mode ? ` data-mode=${mode}` : ''}`).catch(async (error: Error) => {
    throw new AssertionError(`${error.message}; the page shows ${await rootSays(page)} at ${safePath(await page.url().catch(() => '?'))}`);
  });
}

export async function waitForUrl(page: EnginePage, test: (url: URL) => boolean, what: string, timeoutMs = STATE_TIMEOUT_MS): Promise<URL> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = await page.url().catch(() => '');
    if (url && test(new URL(url))) return new URL(url);
    if (Date.now() > deadline) throw new AssertionError(`${page.engine}: waited ${timeoutMs} ms for ${what}; at ${safePath(url)}`);
    await sleep(100);
  }
}

/** The component's visible text. */
export const rootText = (page: EnginePage) => page.evaluate((root) => document.querySelector(root)?.textContent ?? '', ROOT);

export const safePath = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** A named screenshot in screenshots/e2e/ (gitignored), for people to look at. Returns its path. */
export async function keepScreenshot(page: EnginePage, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = fileURLToPath(new URL(`${name}.png`, SCREENSHOT_DIR));
  writeFileSync(path, await page.screenshot());
  return path;
}

/** Decodes the QR code the page shows, from a screenshot of `[data-slot=qrCode]` as the engine renders it. */
export async function decodeQrIn(page: EnginePage): Promise<string> {
  await waitUntil(page, (selector) => document.querySelector(selector) !== null, `${ROOT} [data-slot="qrCode"] svg`, 'the QR code');
  const shot = await page.screenshot(`${ROOT} [data-slot="qrCode"]`);
  const png = PNG.sync.read(shot);
  const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!result) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = fileURLToPath(new URL(`${page.engine}-qr-undecodable.png`, SCREENSHOT_DIR));
    writeFileSync(path, shot);
    throw new AssertionError(`${page.engine}: the QR code (${png.width}x${png.height} px screenshot, kept in ${path}) did not decode`);
  }
  return result.data;
}

/** The demo's count of one browser's API requests (by its `e2e-client` cookie). */
export interface ClientStats {
  create: number;
  status: number;
  events: number;
  cancel: number;
  /** Link sends (`POST …/send`, issue 24). */
  send: number;
}

export async function clientStats(origin: string, client: string): Promise<ClientStats> {
  const response = await fetch(`${origin}/demo/stats?client=${encodeURIComponent(client)}`);
  if (!response.ok) throw new AssertionError(`GET /demo/stats?client= answered ${response.status}`);
  return (await response.json()) as ClientStats;
}
