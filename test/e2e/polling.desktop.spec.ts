// 7. Status polling while the tab is visible and while it is hidden (counts are written to
// measurements.json; the assertion is about hidden tabs asking nothing).
import { test } from './fixtures.js';
import { assert, openDemo, setHidden, sleep, trackApi, waitForState } from './helpers.js';
import { measure } from './measure.js';
import { POLL_WINDOW_MS } from './settings.js';

test.use({ deviceScaleFactor: 1 });

test(`7. status polling: visible vs hidden (${POLL_WINDOW_MS / 1000} s each)`, async ({ page, origin, note }, testInfo) => {
  const windowMs = POLL_WINDOW_MS;
  const api = trackApi(page, origin);
  await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await sleep(500);

  const count = async (ms: number) => {
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

  const perMinute = (n: number) => Math.round(((n * 60_000) / windowMs) * 10) / 10;
  const result = {
    windowMs,
    visibleRequests: visible,
    hiddenRequests: hidden,
    visiblePerMinute: perMinute(visible),
    hiddenPerMinute: perMinute(hidden),
    requestsWithin1sOfShowing: onShow,
  };
  note(`status requests: visible ${result.visiblePerMinute}/min, hidden ${result.hiddenPerMinute}/min, on showing again ${onShow} within 1 s`);
  await measure(testInfo, { statusPolling: result });
  assert(visible >= (windowMs / 2000) * 0.7, `only ${visible} status requests in ${windowMs} ms while visible`);
  assert(hidden === 0, `${hidden} status requests while hidden, want 0`);
  assert(onShow >= 1, 'no status request right after the page became visible again');
});
