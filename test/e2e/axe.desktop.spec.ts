// 5. axe on the desktop views: ready (QR), verified and error, each light and dark.
import { test } from './fixtures.js';
import { assert, openDemo, phonePress, waitForState } from './helpers.js';
import { scanBoth } from './axe.js';

test.use({ deviceScaleFactor: 1, reducedMotion: 'reduce' });

test('5. axe: ready (QR) and verified, light and dark', async ({ page, origin, note }) => {
  const found: string[] = [];
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await scanBoth(page, 'ready-qr', found, note);
  await page.getByLabel('Dark').setChecked(false);
  assert(created.qrUrl, 'the create response has no qrUrl');
  await phonePress(created.qrUrl, 'pass');
  await waitForState(page, 'verified');
  await scanBoth(page, 'verified', found, note);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});

test('5. axe: error (POST routed to 500), light and dark; Try again recovers', async ({ page, origin, note, allowConsole }) => {
  // The browser logs every failed request as a console error; these three are the point of the test.
  allowConsole(/Failed to load resource: the server responded with a status of 500/);
  await page.route(`${origin}/api/liveness/sessions`, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'Simulated.' } }) })
      : route.continue(),
  );
  await page.goto(`${origin}/`);
  await waitForState(page, 'error'); // after the two automatic retries (1 s + 2 s)
  const found: string[] = [];
  await scanBoth(page, 'error', found, note);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
  await page.unroute(`${origin}/api/liveness/sessions`);
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitForState(page, 'ready', 'qr');
});
