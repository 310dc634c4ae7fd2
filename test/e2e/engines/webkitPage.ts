// WebKit (WebKitGTK, the engine of Safari and of every iPhone browser): Debian's MiniBrowser driven by
// WebKitWebDriver over classic WebDriver (selenium-webdriver), under a private Xvfb. It has no headless
// mode and no network events; the window is at least 447 px wide (its toolbar); the user agent is set
// per session with --user-agent; GDK_SCALE sets devicePixelRatio for the driver's browsers.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../freePort.js';
import { PNG } from 'pngjs';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { sleep } from '../helpers.js';
import type { EnginePage } from './enginePage.js';
import type { Device } from './firefoxPage.js';

export const XVFB_PATH = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Xvfb and WebKitWebDriver for one worker, each stopped by its own PID. */
export interface WebKitServer {
  url: string;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startWebKit(scale: number): Promise<WebKitServer> {
  // -displayfd: Xvfb picks a free display and writes its number to fd 3 once it accepts clients.
  const xvfb = spawn(XVFB_PATH, ['-displayfd', '3', '-screen', '0', '1600x2600x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it had a display`)));
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
  });
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: `:${display}`, GDK_SCALE: String(scale) },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    const up = await fetch(`${url}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (waited > 15_000) {
      await Promise.all([stopProcess(driver), stopProcess(xvfb)]);
      throw new Error('WebKitWebDriver did not answer within 15 s');
    }
    await sleep(100);
  }
  return { url, stop: async () => void (await Promise.all([stopProcess(driver), stopProcess(xvfb)])) };
}

/**
 * How long one WebDriver command may take. WebKitGTK's driver now and then never answers a command in CI
 * (once a test ran into its 90 s timeout, then the driver was gone): a command that hangs fails here, named.
 */
const COMMAND_TIMEOUT_MS = 45_000;
/**
 * Starting MiniBrowser takes about a second; in one CI run of 201 tests it never came back (a new session
 * hung). The test's page is then opened again on a new WebKitWebDriver (fixtures.ts), once.
 */
const NEW_SESSION = 'new session (MiniBrowser started)';
const NEW_SESSION_TIMEOUT_MS = 20_000;

/** A WebDriver command that did not answer in time. */
export class WebDriverHang extends Error {
  constructor(
    readonly command: string,
    timeoutMs: number,
  ) {
    super(`webkit: WebKitWebDriver did not answer ${command} within ${timeoutMs / 1000} s`);
  }
}

/** Whether `error` says that MiniBrowser never started (the one hang a new driver gets round). */
export const isNewSessionHang = (error: unknown) => error instanceof WebDriverHang && error.command === NEW_SESSION;

/** `work`, or a WebDriverHang naming `what` once it has taken `timeoutMs`. */
export function inTime<T>(what: string, work: Promise<T>, timeoutMs = COMMAND_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WebDriverHang(what, timeoutMs)), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

class WebKitPage implements EnginePage {
  readonly engine = 'webkit' as const;
  constructor(
    private readonly driver: WebDriver,
    private readonly handle: string,
  ) {}

  /** One session drives every window: each command first makes this page's window the current one. */
  private run<T>(what: string, command: (driver: WebDriver) => Promise<T>): Promise<T> {
    return inTime(
      what,
      (async () => {
        if ((await this.driver.getWindowHandle().catch(() => undefined)) !== this.handle) await this.driver.switchTo().window(this.handle);
        return command(this.driver);
      })(),
    );
  }

  async goto(url: string) {
    await this.run('get', (driver) => driver.get(url));
  }
  async url() {
    return this.run('getCurrentUrl', (driver) => driver.getCurrentUrl());
  }
  async evaluate<A, R>(fn: (arg: A) => R, arg: A): Promise<R> {
    return this.run('executeScript', (driver) => driver.executeScript<R>(`return (${fn.toString()})(arguments[0]);`, arg));
  }
  async click(selector: string) {
    await this.run(`click ${selector}`, async (driver) => (await driver.findElement(By.css(selector))).click());
  }
  async type(selector: string, text: string) {
    await this.run(`sendKeys ${selector}`, async (driver) => (await driver.findElement(By.css(selector))).sendKeys(text));
  }
  async setInputFiles(selector: string, path: string) {
    // The path as the keys: WebKitWebDriver makes it the file input's file (the driver and the browser
    // share this machine, so no upload to a remote end is needed).
    await this.run(`sendKeys (a file) ${selector}`, async (driver) => (await driver.findElement(By.css(selector))).sendKeys(path));
  }
  async back() {
    await this.run('back', (driver) => driver.navigate().back());
  }
  async reload() {
    await this.run('refresh', (driver) => driver.navigate().refresh());
  }
  async screenshot(selector?: string) {
    if (!selector) return Buffer.from(await this.run('takeScreenshot', (driver) => driver.takeScreenshot()), 'base64');
    // WebKitWebDriver's element screenshot is cut or shifted (it paints only the viewport, and crops at
    // the wrong place once scrolled): take the viewport and cut the element out of it here.
    await this.run('scrollIntoView', (driver) => driver.executeScript('document.querySelector(arguments[0]).scrollIntoView({ block: "center" })', selector));
    // Let the scroll reach the screen before the picture is taken.
    await sleep(250);
    const rect = await this.run('getBoundingClientRect', (driver) =>
      driver.executeScript<{ x: number; y: number; width: number; height: number }>(
        `const r = document.querySelector(arguments[0]).getBoundingClientRect();
       return { x: r.left, y: r.top, width: r.width, height: r.height };`,
        selector,
      ),
    );
    const whole = PNG.sync.read(Buffer.from(await this.run('takeScreenshot', (driver) => driver.takeScreenshot()), 'base64'));
    // The screenshot may be in device pixels or in CSS pixels: scale by what it measures against the viewport.
    const viewport = await this.run('innerWidth', (driver) => driver.executeScript<number>('return innerWidth'));
    const k = whole.width / viewport;
    const x = Math.round(rect.x * k);
    const y = Math.round(rect.y * k);
    const width = Math.min(Math.round(rect.width * k), whole.width - x);
    const height = Math.min(Math.round(rect.height * k), whole.height - y);
    const part = new PNG({ width, height });
    PNG.bitblt(whole, part, x, y, width, height, 0, 0);
    return PNG.sync.write(part);
  }
  async bringToFront() {
    // Every MiniBrowser window is its own top-level window, shown and visible: making it current is all.
    await this.run('switchTo', async () => undefined);
  }
  async newTab(action: () => Promise<void>): Promise<EnginePage> {
    const before = new Set(await inTime('getAllWindowHandles', this.driver.getAllWindowHandles()));
    await action();
    for (let waited = 0; waited < 10_000; waited += 100) {
      const opened = (await inTime('getAllWindowHandles', this.driver.getAllWindowHandles())).find((handle) => !before.has(handle));
      if (opened) return new WebKitPage(this.driver, opened);
      await sleep(100);
    }
    throw new Error('webkit: no new window opened');
  }
  async close() {
    await this.run('close', (driver) => driver.close());
  }
}

/**
 * A fresh MiniBrowser session (own cookies and storage) for `device`: its user agent on the command
 * line, its window as small as MiniBrowser allows (447 px wide: phone layouts are judged by the user
 * agent), and its API requests marked as `client`'s.
 */
export async function webkitPage(server: WebKitServer, device: Device, origin: string, client: string) {
  const driver = await inTime(
    NEW_SESSION,
    new Builder()
      .usingServer(server.url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation', `--user-agent=${device.userAgent}`] },
      })
      .build(),
    NEW_SESSION_TIMEOUT_MS,
  );
  try {
    await inTime('setRect', driver.manage().window().setRect({ width: device.width, height: device.height }));
    // A cookie needs a page of its origin first: a small one of the demo's that starts nothing.
    await inTime('get', driver.get(`${origin}/demo/stats?client=${encodeURIComponent(client)}`));
    await inTime('addCookie', driver.manage().addCookie({ name: 'e2e-client', value: client, path: '/' }));
    const page = new WebKitPage(driver, await inTime('getWindowHandle', driver.getWindowHandle()));
    return { page: page as EnginePage, close: () => inTime('quit', driver.quit()).catch(() => undefined) };
  } catch (error) {
    await inTime('quit', driver.quit()).catch(() => undefined);
    throw error;
  }
}
