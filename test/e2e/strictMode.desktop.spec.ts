// 4. StrictMode: one upstream session per page load. Reads the demo's server-wide upstream counters,
// so playwright.config.ts runs it after every other test (project `desktop-alone`).
import { test } from './fixtures.js';
import { assert, demoStats, sleep, trackApi, waitForState } from './helpers.js';

test('4. StrictMode: one upstream session per page load', async ({ page, origin }) => {
  const api = trackApi(page, origin);
  for (const load of [1, 2]) {
    const before = await demoStats(origin);
    if (load === 1) await page.goto(`${origin}/`);
    else await page.reload();
    await waitForState(page, 'ready', 'qr');
    await sleep(1500); // room for a late duplicate
    const after = await demoStats(origin);
    assert(after.create - before.create === 1, `page load ${load}: ${after.create - before.create} upstream sessions, want 1`);
    // `spent`, not `result`: the server checks watched sessions (of earlier tests too) at a low rate for a
    // lost callback; what a page load must never do is spend a token.
    assert(after.spent === before.spent, `page load ${load}: ${after.spent - before.spent} result calls spent a token, want 0`);
  }
  const afterTwoLoads = api.creates.length;
  assert(afterTwoLoads === 2, `${afterTwoLoads} create requests over 2 page loads, want 2`);
  await page.getByRole('button', { name: 'New session' }).click();
  await waitForState(page, 'ready', 'qr');
  await sleep(1000);
  assert(api.creates.length === 3, `"New session" (remount) made ${api.creates.length - 2} create requests, want 1`);
});
