// 10. The event stream drops mid-session (a proxy restart, a lost connection) and cannot come back:
// polling takes over, and the outcome still arrives, once. The time from the drop to the first poll is
// written to measurements.json (the desktop polls every 2 s).
import { test } from './fixtures.js';
import { assert, openDemo, phonePress, rootIn, sleep, trackApi, waitForState } from './helpers.js';
import { measure } from './measure.js';

test('10. the stream drops mid-session: polling takes over and the outcome arrives once', async ({ page, bystander, origin, note, allowConsole }, testInfo) => {
  // A bystander: another person's desktop waiting on the same server, as the tests running beside this
  // one are. Cutting this session's stream must leave its stream alone.
  const bystanderApi = trackApi(bystander, origin);
  await openDemo(bystander, origin);
  await waitForState(bystander, 'ready', 'qr');

  const api = trackApi(page, origin);
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await sleep(1000);
  assert(api.streams.length === 1, `the page opened ${api.streams.length} event streams, want 1`);
  assert(api.statuses.length === 0, `${api.statuses.length} status requests while the stream was up, want 0`);
  await page.evaluate(() => {
    const root = document.querySelector('[data-liveness-session]')!;
    const seen: string[] = [];
    (window as unknown as { seenStates: string[] }).seenStates = seen;
    new MutationObserver(() => seen.push(root.getAttribute('data-state') ?? '')).observe(root, { attributes: true, attributeFilter: ['data-state'] });
  });

  // From now on the browser cannot reconnect; then the open stream is cut.
  allowConsole(/ERR_|Failed to load resource|EventSource/i);
  await page.route(/\/api\/liveness\/sessions\/[^/]+\/events$/, (route) => route.abort('connectionreset'));
  const droppedAt = Date.now();
  const drop = (await (await fetch(`${origin}/demo/drop-streams?session=${encodeURIComponent(created.sessionId)}`, { method: 'POST' })).json()) as { dropped: number };
  assert(drop.dropped === 1, `the demo dropped ${drop.dropped} event streams of this session, want 1`);
  const polled = await page.waitForRequest((request) => request.method() === 'GET' && /\/api\/liveness\/sessions\/[^/]+$/.test(new URL(request.url()).pathname), { timeout: 10_000 });
  const dropToFirstPollMs = Date.now() - droppedAt;
  assert(polled, 'no status request after the stream dropped');
  // By now (≥ one 2 s poll interval after the drop) a bystander whose stream was cut would have polled
  // or reconnected.
  await sleep(Math.max(0, 2_500 - (Date.now() - droppedAt)));
  assert(
    bystanderApi.streams.length === 1 && bystanderApi.statuses.length === 0,
    `the bystander's stream was cut too: ${bystanderApi.streams.length} streams and ${bystanderApi.statuses.length} status requests, want 1 and 0`,
  );
  await bystander.close();

  assert(created.qrUrl, 'the create answer has no qrUrl');
  await phonePress(created.qrUrl, 'pass');
  await waitForState(page, 'verified');
  const pollsUntilOutcome = api.statuses.length;
  await sleep(3000);
  const seen = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
  const verifiedTransitions = seen.filter((state) => state === 'verified').length;
  note(`stream dropped → first poll after ${dropToFirstPollMs} ms; ${pollsUntilOutcome} polls until the outcome; states seen ${seen.join(' → ')}`);
  await measure(testInfo, { streamFault: { dropToFirstPollMs, pollsUntilOutcome, verifiedTransitions } });
  assert(verifiedTransitions === 1, `the page became verified ${verifiedTransitions} times`);
  assert((await page.$$(rootIn('verified'))).length === 1, 'the page does not show verified');
  assert(api.statuses.length === pollsUntilOutcome, 'status requests went on after the outcome');
  const status = (await (await fetch(`${origin}/api/liveness/sessions/${created.sessionId}`)).json()) as { status: string };
  assert(status.status === 'verified', `the server says ${status.status}`);
});
