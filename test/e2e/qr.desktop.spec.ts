// 1. Desktop QR code, scanned by a phone: the code encodes the server's qrUrl, the phone passes or
// fails the simulated check, the desktop shows the outcome. The Pass → verified latency is measured.
import type { Page } from '@playwright/test';
import { test } from './fixtures.js';
import { assert, decodeQr, openDemo, ROOT, rootIn, screenshot, sleep, trackApi, waitForState } from './helpers.js';
import { measure } from './measure.js';
import { PASS_RUNS } from './settings.js';

const GROUP_ID = /^group-\d{14}-[a-z0-9]{5}$/;
// The lazy QR chunk as the demo's Vite server serves it: the library's QrCodeImage module and the
// qrcode.react dependency (pre-bundled as qrcode__react.js).
const QR_MODULE = /QrCodeImage|qrcode[._]+react/i;

interface Sides {
  page: Page;
  phone: Page;
  origin: string;
  warn: (text: string) => void;
}

/**
 * Desktop shows the QR code; it encodes the server's `qrUrl`; a phone opens it, lands on the simulated
 * H5 page and presses Pass or Fail; the desktop page reaches the outcome. Returns ms from the press to
 * the desktop's new `data-state`.
 */
async function qrRoundTrip({ page, phone, origin, warn }: Sides, outcome: 'pass' | 'fail', shotName?: string, pressDelayMs = 0) {
  const api = trackApi(page, origin);
  const modules: string[] = [];
  page.on('request', (request) => modules.push(request.url()));
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  if (shotName) await screenshot(page, `${shotName}-ready-qr`);
  // The desktop loads the lazy QR encoder (the phone test checks that a phone never does).
  await page.waitForSelector(`${ROOT}[data-qr="drawn"] [data-slot="qrCode"] svg`, { timeout: 5_000 });
  assert(
    modules.some((url) => QR_MODULE.test(url)),
    'the desktop never requested the QR encoder module',
  );

  const decoded = await decodeQr(page);
  assert(typeof created.qrUrl === 'string', 'the create response has no qrUrl');
  assert(decoded === created.qrUrl, `QR code decodes to ${decoded}, the server issued ${created.qrUrl}`);

  const phoneApi = trackApi(phone, origin);
  await phone.goto(decoded);
  assert(new URL(phone.url()).pathname.startsWith('/mock-upstream/h5/'), `the QR URL led to ${new URL(phone.url()).pathname}, not the H5 page`);
  const button = phone.locator(`[data-mock-outcome="${outcome}"]`);
  await button.waitFor({ timeout: 10_000 });
  if (shotName) await screenshot(phone, `${shotName}-phone-h5`);

  const want = outcome === 'pass' ? 'verified' : 'failed';
  // The desktop listens to the event stream (it polled every 2 s before it had one, and does where it
  // has none). The runs still spread their presses over a 2 s cycle, so a page that fell back to
  // polling would show the poll's spread in the measurements instead of one lucky number.
  if (pressDelayMs) await sleep(pressDelayMs);
  const pressed = performance.now();
  const reached = page.waitForSelector(rootIn(want), { timeout: 15_000 });
  await button.tap();
  await reached.catch(async () => {
    const got = await page.$eval(ROOT, (el) => el.getAttribute('data-state'));
    throw new Error(`desktop page did not reach ${want} within 15 s of pressing ${outcome} (shows ${got})`);
  });
  const latency = performance.now() - pressed;
  if (shotName) await screenshot(page, `${shotName}-desktop-${want}`);

  assert((await page.textContent('[data-testid="demo-state"]')) === want, 'demo status line disagrees with data-state');
  const groupId = await page.textContent('[data-testid="demo-group-id"]', { timeout: 1000 }).catch(() => null);
  if (outcome === 'pass') assert(groupId && GROUP_ID.test(groupId), `demo shows group id ${groupId}`);
  else assert(groupId === null, `a failed check shows a group id (${groupId})`);
  assert(api.creates.length === 1, `desktop page made ${api.creates.length} create requests, want 1`);

  // A photographed code stops working once the session is decided.
  const again = await fetch(decoded, { redirect: 'manual' });
  assert(again.status === 410, `the used QR URL answers ${again.status}, want 410`);

  // Where the phone ended up after the callback (the demo's own page, with a new session).
  await phone.waitForURL((url) => !url.pathname.startsWith('/mock-upstream/'), { timeout: 10_000 });
  await phone.waitForLoadState('load');
  const landed = new URL(phone.url());
  if (landed.pathname === '/' && landed.searchParams.has('livenessSessionId')) {
    await phone.waitForSelector(ROOT, { timeout: 5_000 }).catch(() => undefined);
    await sleep(500);
    if (shotName) await screenshot(phone, `${shotName}-phone-after-callback`);
    const state = await phone.$eval(ROOT, (el) => el.getAttribute('data-state')).catch(() => 'none');
    warn(`the phone lands on the demo's return URL (state ${state}) and starts ${phoneApi.creates.length} new session(s) there`);
  }
  return latency;
}

for (let run = 1; run <= PASS_RUNS; run += 1) {
  test(`1. desktop QR → phone Pass → verified (run ${run}/${PASS_RUNS})`, async ({ page, phone, origin, note }, testInfo) => {
    const warn = (text: string) => note(`warning: ${text}`);
    const ms = await qrRoundTrip({ page, phone, origin, warn }, 'pass', run === 1 ? 'qr-pass' : undefined, ((run - 1) * 2000) / PASS_RUNS);
    await measure(testInfo, { passToVerifiedMs: Math.round(ms) });
    note(`Pass → verified on desktop: ${Math.round(ms)} ms`);
  });
}

test('1. desktop QR → phone Fail → failed', async ({ page, phone, origin, note }, testInfo) => {
  const warn = (text: string) => note(`warning: ${text}`);
  const ms = await qrRoundTrip({ page, phone, origin, warn }, 'fail', 'qr-fail');
  await measure(testInfo, { failToFailedMs: Math.round(ms) });
  note(`Fail → failed on desktop: ${Math.round(ms)} ms`);
});
