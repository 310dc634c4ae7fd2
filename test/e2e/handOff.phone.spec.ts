// 6. The hand-off on a phone (link mode): tapping the link moves the page to `opened` at once ("Finish
// the check in the new tab"); the new tab's Pass then verifies it. axe on the opened view, light and dark.
import { test } from './fixtures.js';
import { scanBoth } from './axe.js';
import { assert, openDemo, ROOT, screenshot, waitForState } from './helpers.js';

test.use({ reducedMotion: 'reduce' });

test('6. phone: tapping the link (linkTarget _blank) shows opened at once, the link still offered; the new tab’s Pass → verified', async ({ context, page, origin, note }) => {
  const found: string[] = [];
  await openDemo(page, origin, '/?linkTarget=_blank');
  await waitForState(page, 'ready', 'link');
  const popupPromise = context.waitForEvent('page', { timeout: 10_000 });
  await page.locator(`${ROOT} a[data-slot="primaryLink"]`).tap();
  // The tab opens although the link left the page with the tap.
  const popup = await popupPromise;
  await popup.waitForLoadState('load');
  assert(new URL(popup.url()).pathname.startsWith('/mock-upstream/h5/'), `the link opened ${new URL(popup.url()).pathname}`);
  await waitForState(page, 'opened', 'link');
  const text = (await page.textContent(ROOT)) ?? '';
  assert(text.includes('Finish the check in the new tab'), `the opened view says: ${text}`);
  assert(!text.includes('Not you?'), 'a tapped link asks "Not you?"');
  // Issue 22: the new tab may be gone; the way back into the check stays.
  assert((await page.textContent(`${ROOT} a[data-slot="primaryLink"]`)) === 'Continue the check', 'the opened view offers no way back into the check');
  await screenshot(page, 'handoff-opened-link');
  await scanBoth(page, 'opened-link', found, note);
  await popup.locator('[data-mock-outcome="pass"]').tap();
  await waitForState(page, 'verified');
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});
