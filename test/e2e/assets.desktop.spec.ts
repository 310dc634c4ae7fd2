// Issue 26 on the desktop, in Chromium: verified through the QR code, then reference files picked on
// the desktop: an accepted photo, one refused in the browser (the reason in words, nothing sent), and
// axe on the asset panel in both schemes.
import { writeFileSync } from 'node:fs';
import { expect, test } from './fixtures.js';
import { assert, axeScan, openDemo, phonePress, screenshot, waitForState } from './helpers.js';
import { samplePhoto } from '../../src/testing/samplePhoto.js';
import { png } from '../media/mediaFiles.js';

const ASSETS = '[data-liveness-assets]';

test.use({ deviceScaleFactor: 1, reducedMotion: 'reduce' });

test('desktop: after verified, a photo → active and a 10 000 × 10 px image refused in words without an upload; axe finds nothing, light and dark', async ({ page, origin, note }, testInfo) => {
  const uploads: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/liveness/assets') uploads.push(request.url());
  });
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  assert(created.qrUrl, 'the create response has no qrUrl');
  await phonePress(created.qrUrl, 'pass');
  await waitForState(page, 'verified');
  const panel = page.locator(ASSETS);
  await expect(panel).toHaveAttribute('data-state', 'idle');
  // A desktop takes no photo with the camera: only the file picker.
  await expect(panel.getByLabel('Take a photo')).toHaveCount(0);
  const good = testInfo.outputPath('portrait.png');
  const strip = testInfo.outputPath('strip.png');
  writeFileSync(good, samplePhoto());
  writeFileSync(strip, png(10_000, 10));
  const input = panel.getByLabel('Choose a photo or video');
  await input.setInputFiles(good);
  await expect(panel.locator('[data-slot="item"]').first()).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
  await input.setInputFiles(strip);
  const refused = panel.locator('[data-slot="item"]').nth(1);
  await expect(refused).toHaveAttribute('data-state', 'rejected');
  await expect(refused.getByRole('status')).toContainText('The picture is too small (10000 × 10 px).');
  await expect(refused.getByRole('status')).toContainText('Each side needs at least 300 px');
  expect(uploads, 'the refused image was never sent').toHaveLength(1);
  const found: string[] = [];
  for (const dark of [false, true]) {
    await page.getByLabel('Dark').setChecked(dark);
    await page.waitForSelector(`${ASSETS}[data-color-scheme="${dark ? 'dark' : 'light'}"]`);
    await screenshot(page, `assets-desktop-${dark ? 'dark' : 'light'}`);
    for (const violation of await axeScan(page, ASSETS)) found.push(`${dark ? 'dark' : 'light'}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.join(' | ')}`);
    note(`axe assets ${dark ? 'dark' : 'light'}: scanned`);
  }
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});
