// 4. StrictMode: one upstream session per page load. Reads the demo's server-wide upstream counters,
// so playwright.config.ts runs it after every other test (project `desktop-alone`).
import { test } from './fixtures.js';
import { assert, demoStats, sleep, trackApi, waitForState } from './helpers.js';

test('4. StrictMode: one upstream session for the first page load, none for a reload (it keeps its session)', async ({ page, origin }) => {
  const api = trackApi(page, origin);
  const shown: string[] = [];
  for (const load of [1, 2]) {
    const before = await demoStats(origin);
    if (load === 1) await page.goto(`${origin}/`);
    else await page.reload();
    await waitForState(page, 'ready', 'qr');
    await sleep(1500); // room for a late duplicate
    const after = await demoStats(origin);
    // Issue 22: a reloaded tab repeats its create's Idempotency-Key and gets the same session back.
    const want = load === 1 ? 1 : 0;
    assert(after.create - before.create === want, `page load ${load}: ${after.create - before.create} upstream sessions, want ${want}`);
    shown.push((await page.textContent('[data-testid="demo-session-id"]')) ?? '');
    // `spent`, not `result`: the server checks watched sessions (of earlier tests too) at a low rate for a
    // lost callback; what a page load must never do is spend a token.
    assert(after.spent === before.spent, `page load ${load}: ${after.spent - before.spent} result calls spent a token, want 0`);
  }
  assert(shown[0] && shown[1] === shown[0], `the reload shows session ${shown[1]}, the first load ${shown[0]}`);
  const afterTwoLoads = api.creates.length;
  assert(afterTwoLoads === 2, `${afterTwoLoads} create requests over 2 page loads, want 2 (one per load, the second repeating the first's key)`);
  await page.getByRole('button', { name: 'New session' }).click();
  await waitForState(page, 'ready', 'qr');
  await sleep(1000);
  assert(api.creates.length === 3, `"New session" (remount) made ${api.creates.length - 2} create requests, want 1`);
});
