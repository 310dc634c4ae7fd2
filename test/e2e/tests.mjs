// The end-to-end tests, against the demo (`demo/server.mjs`: the React app, the `/server` handler and
// the mock upstream with its simulated H5 page, all on one 127.0.0.1 port). Run by ./run.mjs.
import {
  assert,
  axeScan,
  decodeQr,
  DESKTOP,
  demoStats,
  IPHONE,
  launch,
  phonePress,
  ROOT,
  rootIn,
  screenshot,
  setHidden,
  sleep,
  trackApi,
  STATE_TIMEOUT_MS,
  waitForState,
} from './helpers.mjs';

const GROUP_ID = /^group-\d{14}-[a-z0-9]{5}$/;
// The lazy QR chunk as the demo's Vite server serves it: the library's QrCodeImage module and the
// qrcode.react dependency (pre-bundled as qrcode__react.js).
const QR_MODULE = /QrCodeImage|qrcode[._]+react/i;

/** Loads the demo and returns the body of the create answer the page got (read on its way in). */
async function openDemo(t, page, origin, path = '/') {
  const answers = [];
  const url = `${origin}/api/liveness/sessions`;
  await page.route(url, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    // route.fetch uses Playwright's own HTTP client; a reused socket the server just closed resets
    // once in a while. The request never reached the handler then, so sending it again is safe.
    const response = await route.fetch().catch((error) => {
      if (error?.code !== 'ECONNRESET') throw error;
      return route.fetch();
    });
    const body = await response.json();
    answers.push({ status: response.status(), body });
    return route.fulfill({ response, json: body });
  });
  await page.goto(`${origin}${path}`);
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  while (answers.length === 0 && Date.now() < deadline) await sleep(50);
  await page.unroute(url);
  assert(answers.length > 0, 'the page sent no create request');
  assert(answers[0].status === 201, `POST /api/liveness/sessions answered ${answers[0].status}`);
  return answers[0].body;
}

// ---------- 1. desktop QR code, scanned by a phone ----------

/**
 * Desktop shows the QR code; it encodes the server's `qrUrl`; a phone opens it, lands on the simulated
 * H5 page and presses Pass or Fail; the desktop page reaches the outcome. Returns ms from the press to
 * the desktop's new `data-state`.
 */
export async function qrRoundTrip(t, origin, outcome, shotName, pressDelayMs = 0) {
  const { page } = await launch(t, DESKTOP);
  const api = trackApi(page, origin);
  const modules = [];
  page.on('request', (request) => modules.push(request.url()));
  const created = await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'qr');
  if (shotName) await screenshot(page, `${shotName}-ready-qr`);
  // The desktop loads the lazy QR encoder (the phone test checks that a phone never does).
  await page.waitForSelector(`${ROOT} [data-slot="qrCode"] svg`, { timeout: 5_000 });
  assert(modules.some((url) => QR_MODULE.test(url)), 'the desktop never requested the QR encoder module');

  const decoded = await decodeQr(page);
  assert(typeof created.qrUrl === 'string', 'the create response has no qrUrl');
  assert(decoded === created.qrUrl, `QR code decodes to ${decoded}, the server issued ${created.qrUrl}`);

  const { page: phone } = await launch(t, IPHONE);
  const phoneApi = trackApi(phone, origin);
  await phone.goto(decoded);
  assert(new URL(phone.url()).pathname.startsWith('/mock-upstream/h5/'), `the QR URL led to ${new URL(phone.url()).pathname}, not the H5 page`);
  const button = phone.locator(`[data-mock-outcome="${outcome}"]`);
  await button.waitFor({ timeout: 10_000 });
  if (shotName) await screenshot(phone, `${shotName}-phone-h5`);

  const want = outcome === 'pass' ? 'verified' : 'failed';
  // The desktop polls every 2 s from when it got the code. Without a delay, every run presses at the
  // same point of that cycle and measures the same number; the runner spreads the delays over the cycle.
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

  // Where the phone ended up after the callback (see the report: the demo's own page, with a new session).
  await phone.waitForURL((url) => !url.pathname.startsWith('/mock-upstream/'), { timeout: 10_000 });
  await phone.waitForLoadState('load');
  const landed = new URL(phone.url());
  if (landed.pathname === '/' && landed.searchParams.has('livenessSessionId')) {
    await phone.waitForSelector(ROOT, { timeout: 5_000 }).catch(() => undefined);
    await sleep(500);
    if (shotName) await screenshot(phone, `${shotName}-phone-after-callback`);
    const state = await phone.$eval(ROOT, (el) => el.getAttribute('data-state')).catch(() => 'none');
    t.warn(`the phone lands on the demo's return URL (state ${state}) and starts ${phoneApi.creates.length} new session(s) there`);
  }
  return latency;
}

// ---------- 2. expiry and refresh ----------

export async function expiryFlow(t, origin) {
  const { page } = await launch(t, DESKTOP);
  const api = trackApi(page, origin);
  const responses = [];
  // Read each create answer on its way to the page (a response body read later may be gone).
  await page.route(`${origin}/api/liveness/sessions`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    // route.fetch uses Playwright's own HTTP client; a reused socket the server just closed resets
    // once in a while. The request never reached the handler then, so sending it again is safe.
    const response = await route.fetch().catch((error) => {
      if (error?.code !== 'ECONNRESET') throw error;
      return route.fetch();
    });
    const body = await response.json();
    responses.push(body);
    return route.fulfill({ response, json: body });
  });
  await page.goto(`${origin}/`);
  const seen = [];
  for (let i = 0; i < 4; i += 1) {
    // Each code: wait for its create answer, for `ready`, and decode it.
    while (responses.length <= i) await sleep(50);
    const created = responses[i];
    await page.waitForFunction(
      (sid) => document.querySelector('[data-testid="demo-status"]')?.textContent?.includes(sid) &&
        document.querySelector('[data-liveness-session]')?.getAttribute('data-state') === 'ready',
      created.sessionId,
      { timeout: 15_000 },
    );
    const decoded = await decodeQr(page);
    assert(decoded === created.qrUrl, `code ${i + 1} decodes to ${decoded}, the server issued ${created.qrUrl}`);
    assert(!seen.includes(decoded), `code ${i + 1} repeats an earlier URL`);
    seen.push(decoded);
    if (i === 0) await screenshot(page, 'expiry-1-ready');
    if (i === 1) await screenshot(page, 'expiry-2-refreshed');
  }
  await waitForState(page, 'expired');
  await screenshot(page, 'expiry-3-expired');
  await sleep(500);
  assert(api.creates.length === 4, `${api.creates.length} sessions before "expired", want 4 (1 + 3 refreshes)`);
  assert((await page.$(`${ROOT} [data-slot="qrCode"]`)) === null, 'an expired page still shows a QR code');
  const old = await fetch(seen[0], { redirect: 'manual' });
  assert(old.status === 410, `an expired code's URL answers ${old.status}, want 410`);

  await page.getByRole('button', { name: 'Get a new code' }).click();
  await waitForState(page, 'ready', 'qr');
  const fresh = await decodeQr(page);
  assert(!seen.includes(fresh), 'the new code repeats an old URL');
  assert(api.creates.length === 5, `"Get a new code" made ${api.creates.length - 4} create requests, want 1`);
  await screenshot(page, 'expiry-4-new-code');
}

// ---------- 3. phone: link mode, new tab and same tab ----------

export async function mobileNewTab(t, origin) {
  const { context, page } = await launch(t, IPHONE);
  const modules = [];
  page.on('request', (request) => modules.push(request.url()));
  await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'link');
  await screenshot(page, 'mobile-ready-link');
  await sleep(500); // a late preload would show up by now
  const qrModules = modules.filter((url) => QR_MODULE.test(url));
  assert(qrModules.length === 0, `a phone in link mode requested the QR encoder: ${qrModules.map((url) => new URL(url).pathname).join(', ')}`);
  assert((await page.$(`${ROOT} svg`)) === null, 'link mode renders an <svg> (QR code)');
  assert((await page.$(`${ROOT} [data-slot="qrCode"]`)) === null, 'link mode renders a qrCode slot');
  const link = page.locator(`${ROOT} a[data-slot="primaryLink"]`);
  assert((await link.getAttribute('target')) === '_blank', `link target is ${await link.getAttribute('target')}`);
  assert(/\bnoopener\b/.test((await link.getAttribute('rel')) ?? ''), 'link lacks rel=noopener');

  const popupPromise = context.waitForEvent('page', { timeout: 10_000 });
  await link.tap();
  const popup = await popupPromise;
  await popup.waitForLoadState('load');
  assert(new URL(popup.url()).pathname.startsWith('/mock-upstream/h5/'), `the link opened ${new URL(popup.url()).pathname}`);
  await screenshot(popup, 'mobile-newtab-h5');
  const popupApi = trackApi(popup, origin);
  await popup.locator('[data-mock-outcome="pass"]').tap();
  // Headless Chromium keeps the first tab visible, so it keeps polling while the second is in front.
  await waitForState(page, 'verified');
  await screenshot(page, 'mobile-newtab-verified');
  const groupId = await page.textContent('[data-testid="demo-group-id"]');
  assert(GROUP_ID.test(groupId ?? ''), `demo shows group id ${groupId}`);
  await popup.waitForURL((url) => !url.pathname.startsWith('/mock-upstream/'), { timeout: 10_000 });
  await popup.waitForSelector(ROOT, { timeout: 5_000 }).catch(() => undefined);
  await sleep(500);
  const landed = new URL(popup.url());
  // The second tab is sent to the return URL, naming a session it did not create: it must neither
  // adopt that session nor create one of its own (an upstream session costs money and rate limit).
  assert(landed.pathname === '/' && landed.searchParams.has('livenessSessionId'), `the second tab landed on ${landed.pathname}`);
  await waitForState(popup, 'idle');
  await screenshot(popup, 'mobile-newtab-second-tab-after-callback');
  const text = (await popup.textContent(ROOT)) ?? '';
  assert(text.includes('Your check is done'), 'the second tab does not say the check was done elsewhere');
  await sleep(1_000);
  assert(popupApi.creates.length === 0, `the second tab made ${popupApi.creates.length} create requests`);
}

export async function mobileSameTab(t, origin) {
  const { page } = await launch(t, IPHONE);
  const api = trackApi(page, origin);
  const created = await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'link');
  const link = page.locator(`${ROOT} a[data-slot="primaryLink"]`);
  await link.evaluate((a) => a.removeAttribute('target'));
  const createsBefore = api.creates.length;
  assert(createsBefore === 1, `${createsBefore} create requests before leaving, want 1`);

  await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/mock-upstream/h5/')), link.tap()]);
  await page.locator('[data-mock-outcome="pass"]').tap();
  await page.waitForURL((url) => url.pathname === '/' && url.searchParams.has('livenessSessionId'), { timeout: 10_000 });
  const resumedId = new URL(page.url()).searchParams.get('livenessSessionId');
  assert(resumedId === created.sessionId, 'the return URL names another session');
  await waitForState(page, 'verified');
  await screenshot(page, 'mobile-sametab-verified');
  await sleep(300);
  assert(api.creates.length === createsBefore, `the resumed page made ${api.creates.length - createsBefore} create request(s), want 0`);
  const groupId = await page.textContent('[data-testid="demo-group-id"]');
  assert(GROUP_ID.test(groupId ?? ''), `demo shows group id ${groupId}`);
  const stored = await page.evaluate(() => sessionStorage.getItem('react-liveness-session'));
  assert(stored === null, 'the session id stays in sessionStorage after the outcome');
}

// ---------- 4. StrictMode: one upstream session per page load ----------

export async function strictModeOneSession(t, origin) {
  const { page } = await launch(t, DESKTOP);
  const api = trackApi(page, origin);
  for (const load of [1, 2]) {
    const before = await demoStats(origin);
    if (load === 1) await page.goto(`${origin}/`);
    else await page.reload();
    await waitForState(page, 'ready', 'qr');
    await sleep(1500); // room for a late duplicate
    const after = await demoStats(origin);
    assert(after.create - before.create === 1, `page load ${load}: ${after.create - before.create} upstream sessions, want 1`);
    assert(after.result === before.result, `page load ${load}: ${after.result - before.result} result calls, want 0`);
  }
  assert(api.creates.length === 2, `${api.creates.length} create requests over 2 page loads, want 2`);
  await page.getByRole('button', { name: 'New session' }).click();
  await waitForState(page, 'ready', 'qr');
  await sleep(1000);
  assert(api.creates.length === 3, `"New session" (remount) made ${api.creates.length - 2} create requests, want 1`);
}

// ---------- 5. axe ----------

async function scanBoth(t, page, name, found) {
  for (const dark of [false, true]) {
    await page.getByLabel('Dark').setChecked(dark);
    await page.waitForSelector(`${ROOT}[data-color-scheme="${dark ? 'dark' : 'light'}"]`);
    const label = `${name}-${dark ? 'dark' : 'light'}`;
    await screenshot(page, `axe-${label}`);
    for (const violation of await axeScan(page)) {
      found.push(`${label}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.join(' | ')}`);
    }
    t.note(`axe ${label}: scanned`);
  }
}

export async function axeDesktop(t, origin) {
  const { page } = await launch(t, DESKTOP, { deviceScaleFactor: 1, reducedMotion: 'reduce' });
  const found = [];
  const created = await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'qr');
  await scanBoth(t, page, 'ready-qr', found);
  await page.getByLabel('Dark').setChecked(false);
  await phonePress(created.qrUrl, 'pass');
  await waitForState(page, 'verified');
  await scanBoth(t, page, 'verified', found);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
}

export async function axeError(t, origin) {
  // The browser logs every failed request as a console error; these three are the point of the test.
  t.allowedConsole.push(/Failed to load resource: the server responded with a status of 500/);
  const { page } = await launch(t, DESKTOP, { deviceScaleFactor: 1, reducedMotion: 'reduce' });
  await page.route(`${origin}/api/liveness/sessions`, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'Simulated.' } }) })
      : route.continue(),
  );
  await page.goto(`${origin}/`);
  await waitForState(page, 'error'); // after the two automatic retries (1 s + 2 s)
  const found = [];
  await scanBoth(t, page, 'error', found);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
  await page.unroute(`${origin}/api/liveness/sessions`);
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitForState(page, 'ready', 'qr');
}

export async function axeMobile(t, origin) {
  const { page } = await launch(t, IPHONE, { reducedMotion: 'reduce' });
  await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'link');
  const found = [];
  await scanBoth(t, page, 'ready-link', found);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
}

// ---------- polling while visible and hidden ----------

export async function statusPolling(t, origin, windowMs) {
  const { page } = await launch(t, DESKTOP, { deviceScaleFactor: 1 });
  const api = trackApi(page, origin);
  await openDemo(t, page, origin);
  await waitForState(page, 'ready', 'qr');
  await sleep(500);

  const count = async (ms) => {
    const from = api.statuses.length;
    await sleep(ms);
    return api.statuses.length - from;
  };
  const visible = await count(windowMs);
  await setHidden(page, true);
  assert((await page.evaluate(() => document.visibilityState)) === 'hidden', 'could not make the page hidden');
  await sleep(300); // a request already in flight may land
  const hidden = await count(windowMs);
  const beforeShow = api.statuses.length;
  const shownAt = Date.now();
  await setHidden(page, false);
  await sleep(1000);
  const onShow = api.statuses.slice(beforeShow).filter((at) => at - shownAt < 1000).length;

  const perMinute = (n) => Math.round((n * 60_000) / windowMs * 10) / 10;
  const result = { windowMs, visibleRequests: visible, hiddenRequests: hidden, visiblePerMinute: perMinute(visible), hiddenPerMinute: perMinute(hidden), requestsWithin1sOfShowing: onShow };
  t.note(`status requests: visible ${result.visiblePerMinute}/min, hidden ${result.hiddenPerMinute}/min, on showing again ${onShow} within 1 s`);
  assert(visible >= (windowMs / 2000) * 0.7, `only ${visible} status requests in ${windowMs} ms while visible`);
  assert(hidden === 0, `${hidden} status requests while hidden, want 0`);
  assert(onShow >= 1, 'no status request right after the page became visible again');
  return result;
}
