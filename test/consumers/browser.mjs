// Debian's Chromium for the consumer tests: the two devices, QR decoding and a phone that finishes
// the simulated check the way a person's phone does (a real page: redirects, cookies and all).
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export const executablePath = CHROMIUM_PATH;

export const DESKTOP = {
  viewport: { width: 1280, height: 800 },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  deviceScaleFactor: 2,
  isMobile: false,
  hasTouch: false,
};

export const IPHONE = {
  viewport: { width: 390, height: 844 },
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

/** A fresh persistent context (its own profile under `scratch`) with a device's settings. */
export async function launchBrowser(scratch, device = DESKTOP) {
  const profile = mkdtempSync(join(scratch, 'chromium-'));
  return chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_ARGS], ...device });
}

/** A URL without its query: H5 links carry (fake) credentials, and reports should not. */
export function safeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}

/** Screenshots `[data-slot=qrCode]` as the browser renders it and decodes it with jsQR. */
export async function decodeQr(page) {
  // `data-qr="drawn"` is what docs/testing.md tells apps' tests to wait for: the lazy encoder has drawn the code.
  const element = await page.waitForSelector('[data-liveness-session][data-qr="drawn"] [data-slot="qrCode"] svg', { timeout: 15_000 });
  const holder = await element.evaluateHandle((svg) => svg.closest('[data-slot="qrCode"]'));
  const png = PNG.sync.read(await holder.asElement().screenshot({ animations: 'disabled' }));
  const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!result) throw new Error(`the QR code (${png.width}x${png.height} px screenshot) did not decode`);
  return result.data;
}

/**
 * A phone scans `qrUrl`: a fresh iPhone context opens it, follows the short link to the mock's
 * simulated H5 page, presses Pass or Fail, and follows the callback off the mock. Returns where the
 * phone landed and the H5 page's URL (both without queries).
 */
export async function phoneCompletes(scratch, qrUrl, outcome) {
  const context = await launchBrowser(scratch, IPHONE);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(qrUrl);
    const h5 = new URL(page.url());
    if (!h5.pathname.startsWith('/mock-upstream/h5/')) throw new Error(`the short link led the phone to ${safeUrl(page.url())}, not the mock's H5 page`);
    const button = page.locator(`[data-mock-outcome="${outcome}"]`);
    await button.waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/mock-upstream/'), { timeout: 15_000 }), button.tap()]);
    await page.waitForLoadState('load');
    if (errors.length) throw new Error(`the phone's pages threw: ${errors.join(' | ').slice(0, 300)}`);
    return { h5: safeUrl(h5.href), landed: safeUrl(page.url()) };
  } finally {
    await context.close().catch(() => undefined);
  }
}
