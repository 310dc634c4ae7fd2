// Shared steps of the end-to-end suite: waiting for states, QR decoding, request counting, a simulated
// phone over plain HTTP, axe, visibility, screenshots.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import axe from 'axe-core';
import jsQR from 'jsqr';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { SCREENSHOT_DIR, STATE_TIMEOUT_MS } from './settings.js';

export const ROOT = '[data-liveness-session]';
export const rootIn = (state: string, mode?: string) => `${ROOT}[data-state="${state}"]${mode ? `[data-mode="${mode}"]` : ''}`;

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export class AssertionError extends Error {}
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** A URL without its query: H5 links carry (fake) credentials, and reports should not. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}

// ---------- the demo ----------

export interface DemoStats {
  create: number;
  result: number;
  /** Result calls that got a GroupId (spent a token). */
  spent: number;
}

export async function demoStats(origin: string): Promise<DemoStats> {
  const response = await fetch(`${origin}/demo/stats`);
  assert(response.ok, `GET /demo/stats answered ${response.status}`);
  return (await response.json()) as DemoStats;
}

/**
 * The result calls the demo's server made for one session. Tests run two at a time against one demo,
 * so a test that must see none made for its session counts these rather than the server-wide totals.
 */
export async function sessionResultCalls(origin: string, sessionId: string): Promise<number> {
  const response = await fetch(`${origin}/demo/stats?session=${encodeURIComponent(sessionId)}`);
  assert(response.ok, `GET /demo/stats?session= answered ${response.status}`);
  return ((await response.json()) as { resultCalls: number }).resultCalls;
}

export interface CreateAnswer {
  sessionId: string;
  qrUrl?: string;
  expiresAt: string;
  [key: string]: unknown;
}

/**
 * Serves `POST /api/liveness/sessions` through Playwright's own client so each create answer is read
 * on its way to the page (a response body read later may be gone); `onAnswer` gets status and body,
 * `onRequest` is told when each create request leaves the page.
 */
export async function readCreates(page: Page, origin: string, onAnswer: (status: number, body: CreateAnswer) => void, onRequest?: () => void) {
  const url = `${origin}/api/liveness/sessions`;
  await page.route(url, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    onRequest?.();
    // route.fetch uses Playwright's own HTTP client; a reused socket the server just closed resets
    // once in a while. The request never reached the handler then, so sending it again is safe.
    const response = await route.fetch().catch((error: { code?: string }) => {
      if (error?.code !== 'ECONNRESET') throw error;
      return route.fetch();
    });
    const body = (await response.json()) as CreateAnswer;
    onAnswer(response.status(), body);
    return route.fulfill({ response, json: body });
  });
  return () => page.unroute(url);
}

/** Loads the demo and returns the body of the create answer the page got. */
export async function openDemo(page: Page, origin: string, path = '/'): Promise<CreateAnswer> {
  const answers: { status: number; body: CreateAnswer }[] = [];
  const stop = await readCreates(page, origin, (status, body) => answers.push({ status, body }));
  await page.goto(`${origin}${path}`);
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  while (answers.length === 0 && Date.now() < deadline) await sleep(50);
  await stop();
  const [first] = answers;
  assert(first, 'the page sent no create request');
  assert(first.status === 201, `POST /api/liveness/sessions answered ${first.status}`);
  return first.body;
}

const isCreate = (method: string, url: string, origin: string) => method === 'POST' && url === `${origin}/api/liveness/sessions`;
const isSessionGet = (method: string, url: string, origin: string) => method === 'GET' && url.startsWith(`${origin}/api/liveness/sessions/`);
const isEvents = (url: string) => /\/events(\?|$)/.test(url);

/** Counts create (POST), status (GET) and event-stream (GET …/events) requests a page makes, with timestamps. */
export function trackApi(page: Page, origin: string) {
  const log = { creates: [] as number[], statuses: [] as number[], streams: [] as number[] };
  page.on('request', (request) => {
    if (isCreate(request.method(), request.url(), origin)) log.creates.push(Date.now());
    else if (isSessionGet(request.method(), request.url(), origin)) (isEvents(request.url()) ? log.streams : log.statuses).push(Date.now());
  });
  return log;
}

export async function waitForState(page: Page, state: string, mode?: string) {
  await page.waitForSelector(rootIn(state, mode), { timeout: STATE_TIMEOUT_MS }).catch(async (error: Error) => {
    const got = await page.$eval(ROOT, (el) => `${el.getAttribute('data-state')}/${el.getAttribute('data-mode')}`).catch(() => 'no root');
    throw new AssertionError(`waited for data-state=${state}${mode ? ` data-mode=${mode}` : ''}, page shows ${got} (${error.message.split('\n')[0]})`);
  });
}

/** A named full-page screenshot in screenshots/e2e/, for people to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, SCREENSHOT_DIR)), fullPage: true, animations: 'disabled' });
}

// ---------- QR codes ----------

/** Screenshots `[data-slot=qrCode]` as the browser renders it and decodes it with jsQR. */
export async function decodeQr(page: Page): Promise<string> {
  // `data-qr="drawn"`: the lazily loaded encoder has drawn the code (`ready` alone may still show the placeholder).
  const element = await page.waitForSelector(`${ROOT}[data-qr="drawn"] [data-slot="qrCode"] svg`, { timeout: STATE_TIMEOUT_MS });
  const holder = (await element.evaluateHandle((svg) => svg.closest('[data-slot="qrCode"]'))).asElement();
  assert(holder, 'the QR code has no [data-slot="qrCode"] holder');
  const png = PNG.sync.read(await holder.screenshot({ animations: 'disabled' }));
  const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  assert(result, `the QR code (${png.width}x${png.height} px screenshot) did not decode`);
  return result.data;
}

// ---------- a phone without a browser ----------

/**
 * What a phone does after scanning `qrUrl`, over plain HTTP: follow the short link to the simulated H5
 * page, press Pass or Fail, and follow the callback. Returns the callback's redirect target.
 */
export async function phonePress(qrUrl: string, outcome: 'pass' | 'fail' | 'camera', headers: Record<string, string> = {}): Promise<string | null> {
  // `headers`: the phone's cookie when it opened the short link before (the link works for one phone).
  let response = await fetch(qrUrl, { redirect: 'manual', headers });
  assert(response.status === 302, `GET qrUrl answered ${response.status}, want 302`);
  const h5 = new URL(response.headers.get('location') ?? '', qrUrl);
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
  const callback = new URL(response.headers.get('location') ?? '', h5);
  response = await fetch(callback, { redirect: 'manual' });
  assert(response.status === 303 || response.status === 200, `callback answered ${response.status}`);
  return response.headers.get('location');
}

// ---------- axe ----------

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** Runs axe-core 4.14 (all default rules, color-contrast included) on the component's root (or `root`). */
export async function axeScan(page: Page, root = ROOT): Promise<AxeFinding[]> {
  // @axe-core/playwright 4.12 (4.14 needs Node 22) with the project's axe-core source.
  const results = await new AxeBuilder({ page, axeSource: axe.source })
    .include(root)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').slice(0, 200)}`),
  }));
}

// ---------- visibility ----------

/**
 * Makes the page report itself hidden (or visible again) the way a background tab does. Headless
 * Chromium keeps every tab `visible` even behind `bringToFront()` of another tab, so the property is
 * overridden and `visibilitychange` dispatched; react-query's focusManager listens to exactly that
 * event and reads `document.visibilityState`.
 */
export async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
