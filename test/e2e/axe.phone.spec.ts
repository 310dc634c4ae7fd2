// 5. axe on the phone view: ready (link), light and dark.
import { test } from './fixtures.js';
import { assert, openDemo, waitForState } from './helpers.js';
import { scanBoth } from './axe.js';

test.use({ reducedMotion: 'reduce' });

test('5. axe: ready (link, phone), light and dark', async ({ page, origin, note }) => {
  await openDemo(page, origin);
  await waitForState(page, 'ready', 'link');
  const found: string[] = [];
  await scanBoth(page, 'ready-link', found, note);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});
