// Shared pieces of the end-to-end suite: the demo server as a child process, fresh Chromium
// contexts, console/page-error watching, QR decoding, a simulated phone over plain HTTP, axe.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs';
import { startDemo } from '../../scripts/lib/demoServer.mjs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const screenshotDir = join(repoRoot, 'screenshots', 'e2e');
export const executablePath = CHROMIUM_PATH;

export { CHROMIUM_ARGS };

export const DESKTOP = {
  viewport: { width: 1280, height: 800 },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  deviceScaleFactor: 2,
  isMobile: false,
  hasTouch: false,
};

export const IPHONE = {
  viewport: { width: 390, height: 844 },
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

/** How long a state may take to show up (2 s polling, Vite dev transforms on a busy 2-core box). */
export const STATE_TIMEOUT_MS = 15_000;

export const ROOT = '[data-liveness-session]';
export const rootIn = (state, mode) => `${ROOT}[data-state="${state}"]${mode ? `[data-mode="${mode}"]` : ''}`;

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export class AssertionError extends Error {}
export function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

// ---------- the demo server ----------

export { startDemo };

export async function demoStats(origin) {
  const response = await fetch(`${origin}/demo/stats`);
  assert(response.ok, `GET /demo/stats answered ${response.status}`);
  return response.json();
}

// ---------- browsers ----------

/**
 * A fresh persistent context in a fresh temp dir. Every page it opens is watched: console errors and
 * uncaught page errors are collected in `problems` (the runner fails the test on any of them, unless
 * `allow` matches the message).
 */
export async function launch(t, device, extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'liveness-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ...device,
    ...extra,
  });
  t.cleanup(async () => {
    await context.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const label = device === IPHONE ? 'phone' : 'desktop';
  const watch = (page) => {
    page.on('console', (message) => {
      const text = message.text();
      // Vite reloads the page when it re-optimises dependencies: that would create a second session.
      if (/\[vite\].*reloading/i.test(text)) t.problems.push(`${label}: Vite reloaded the page (${text.slice(0, 120)})`);
      if (message.type() !== 'error') return;
      if (t.allowedConsole.some((pattern) => pattern.test(text))) return;
      const source = message.location()?.url;
      t.problems.push(`${label} console error on ${safeUrl(page.url())}: ${text.slice(0, 300)}${source ? ` (${safeUrl(source)})` : ''}`);
    });
    page.on('pageerror', (error) => t.problems.push(`${label} page error on ${safeUrl(page.url())}: ${String(error.message).slice(0, 300)}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** A URL without its query: H5 links carry (fake) credentials, and reports should not. */
export function safeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}

const isCreate = (request, origin) => request.method() === 'POST' && request.url() === `${origin}/api/liveness/sessions`;
const isStatus = (request, origin) => request.method() === 'GET' && request.url().startsWith(`${origin}/api/liveness/sessions/`);

/** Counts create (POST) and status (GET) requests a page makes, with timestamps. */
export function trackApi(page, origin) {
  const log = { creates: [], statuses: [] };
  page.on('request', (request) => {
    if (isCreate(request, origin)) log.creates.push(Date.now());
    else if (isStatus(request, origin)) log.statuses.push(Date.now());
  });
  return log;
}

export async function waitForState(page, state, mode) {
  await page.waitForSelector(rootIn(state, mode), { timeout: STATE_TIMEOUT_MS }).catch(async (error) => {
    const got = await page.$eval(ROOT, (el) => `${el.getAttribute('data-state')}/${el.getAttribute('data-mode')}`).catch(() => 'no root');
    throw new AssertionError(`waited for data-state=${state}${mode ? ` data-mode=${mode}` : ''}, page shows ${got} (${error.message.split('\n')[0]})`);
  });
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// ---------- QR codes ----------

/** Screenshots `[data-slot=qrCode]` as the browser renders it and decodes it with jsQR. */
export async function decodeQr(page) {
  const element = await page.waitForSelector(`${ROOT} [data-slot="qrCode"] svg`, { timeout: STATE_TIMEOUT_MS });
  const holder = await element.evaluateHandle((svg) => svg.closest('[data-slot="qrCode"]'));
  const png = PNG.sync.read(await holder.asElement().screenshot({ animations: 'disabled' }));
  const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  assert(result, `the QR code (${png.width}x${png.height} px screenshot) did not decode`);
  return result.data;
}

// ---------- a phone without a browser ----------

/**
 * What a phone does after scanning `qrUrl`, over plain HTTP: follow the short link to the simulated H5
 * page, press Pass or Fail, and follow the callback. Returns the callback's redirect target.
 */
export async function phonePress(qrUrl, outcome) {
  let response = await fetch(qrUrl, { redirect: 'manual' });
  assert(response.status === 302, `GET qrUrl answered ${response.status}, want 302`);
  const h5 = new URL(response.headers.get('location'), qrUrl);
  const html = await (await fetch(h5)).text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  assert(action, 'simulated H5 page has no form');
  response = await fetch(new URL(action.replace(/&amp;/g, '&'), h5), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ bytedToken: h5.searchParams.get('bytedToken') ?? '', lng: h5.searchParams.get('lng') ?? '', outcome }),
    redirect: 'manual',
  });
  assert(response.status === 302, `pressing ${outcome} answered ${response.status}, want 302`);
  const callback = new URL(response.headers.get('location'), h5);
  response = await fetch(callback, { redirect: 'manual' });
  assert(response.status === 303 || response.status === 200, `callback answered ${response.status}`);
  return response.headers.get('location');
}

// ---------- axe ----------

const axeSource = require('axe-core').source;

/** Runs axe-core (all default rules, color-contrast included) on the component's root. */
export async function axeScan(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async (selector) => {
    const result = await window.axe.run(document.querySelector(selector), { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').slice(0, 200)}`),
    }));
  }, ROOT);
  return results;
}

// ---------- visibility ----------

/**
 * Makes the page report itself hidden (or visible again) the way a background tab does. Headless
 * Chromium keeps every tab `visible` even behind `bringToFront()` of another tab, so the property is
 * overridden and `visibilitychange` dispatched; react-query's focusManager listens to exactly that
 * event and reads `document.visibilityState`.
 */
export async function setHidden(page, hidden) {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
