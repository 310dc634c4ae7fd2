// 7. Status requests while the tab is visible and while it is hidden: polling (`transport: 'poll'`),
// then with the event stream up (counts are written to measurements.json; the assertions are about
// hidden tabs asking nothing, and an open stream replacing the polls).
import { test } from './fixtures.js';
import { assert, openDemo, setHidden, sleep, trackApi, waitForState } from './helpers.js';
import { measure } from './measure.js';
import { POLL_WINDOW_MS } from './settings.js';

test.use({ deviceScaleFactor: 1 });

const SAFETY_POLL_MS = 30_000;
const perMinute = (n: number) => Math.round(((n * 60_000) / POLL_WINDOW_MS) * 10) / 10;

test(`7. status polling (transport: 'poll'): visible vs hidden (${POLL_WINDOW_MS / 1000} s each)`, async ({ page, origin, note }, testInfo) => {
  const windowMs = POLL_WINDOW_MS;
  const api = trackApi(page, origin);
  await openDemo(page, origin, '/?transport=poll');
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
  assert(api.streams.length === 0, `transport: 'poll' opened ${api.streams.length} event streams`);
  assert(visible >= (windowMs / 2000) * 0.7, `only ${visible} status requests in ${windowMs} ms while visible`);
  assert(hidden === 0, `${hidden} status requests while hidden, want 0`);
  assert(onShow >= 1, 'no status request right after the page became visible again');
});

test(`7. event stream (transport: 'auto'): status requests visible vs hidden (${POLL_WINDOW_MS / 1000} s each)`, async ({ page, origin, note }, testInfo) => {
  const windowMs = POLL_WINDOW_MS;
  const api = trackApi(page, origin);
  await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await sleep(500);
  assert(api.streams.length === 1, `the page opened ${api.streams.length} event streams, want 1`);

  const count = async (ms: number) => {
    const from = { statuses: api.statuses.length, streams: api.streams.length };
    await sleep(ms);
    return { statuses: api.statuses.length - from.statuses, streams: api.streams.length - from.streams };
  };
  const visible = await count(windowMs);
  await setHidden(page, true);
  await sleep(300);
  const hidden = await count(windowMs);
  const before = { statuses: api.statuses.length, streams: api.streams.length };
  const shownAt = Date.now();
  await setHidden(page, false);
  await sleep(1000);
  const within1s = (list: number[], from: number) => list.slice(from).filter((at) => at - shownAt < 1000).length;

  const result = {
    windowMs,
    visibleStatusRequests: visible.statuses,
    hiddenStatusRequests: hidden.statuses,
    visiblePerMinute: perMinute(visible.statuses),
    hiddenPerMinute: perMinute(hidden.statuses),
    streamsWhileHidden: hidden.streams,
    statusRequestsWithin1sOfShowing: within1s(api.statuses, before.statuses),
    streamsWithin1sOfShowing: within1s(api.streams, before.streams),
  };
  note(
    `with the stream up: status requests visible ${result.visiblePerMinute}/min, hidden ${result.hiddenPerMinute}/min; on showing again ${result.streamsWithin1sOfShowing} stream and ${result.statusRequestsWithin1sOfShowing} read within 1 s`,
  );
  await measure(testInfo, { streamRequests: result });
  // A count, not a time: the safety read comes at most once per 30 s while the stream is up.
  assert(visible.statuses <= Math.ceil(windowMs / SAFETY_POLL_MS), `${visible.statuses} status requests in ${windowMs} ms with the stream up`);
  assert(visible.streams === 0, `the stream was opened again ${visible.streams} times while it was up`);
  assert(hidden.statuses === 0 && hidden.streams === 0, `hidden: ${hidden.statuses} status requests and ${hidden.streams} streams, want none`);
  assert(result.streamsWithin1sOfShowing === 1, `${result.streamsWithin1sOfShowing} streams opened on showing again, want 1`);
  assert(result.statusRequestsWithin1sOfShowing === 1, `${result.statusRequestsWithin1sOfShowing} status reads on showing again, want 1`);
});
