// The README's picture, docs/images/overview.png, taken from the demo (`npm start`: the component, the
// server half and the mock upstream, with fake values only) in Debian's Chromium:
//   1. a desktop: the QR code to scan;
//   2. a phone (an iPhone's size and user agent): the button that opens the check;
//   3. the same phone on the check (the mock upstream's simulated H5 page);
//   4. the phone back on the page after Pass: verified.
// The four are laid side by side, with captions, on one page that Chromium draws into the PNG.
//
//   node scripts/docs-screenshots.mjs            writes docs/images/overview.png
// Run it after a change that shows (the views, their text, the default look) and look at the picture.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';
import { startDemo } from './lib/demoServer.mjs';
/* global document -- used only inside functions that run in the browser (page.evaluate and the like) */

const OUT = new URL('../docs/images/overview.png', import.meta.url);
const ROOT = '[data-liveness-session]';
const DESKTOP = {
  viewport: { width: 1100, height: 800 },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  deviceScaleFactor: 2,
};
const IPHONE = {
  viewport: { width: 390, height: 844 },
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

const demo = await startDemo();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
try {
  const shots = [];

  const desktop = await (await browser.newContext({ ...DESKTOP, locale: 'en-US', reducedMotion: 'reduce' })).newPage();
  await desktop.goto(`${demo.origin}/?locale=en`);
  await desktop.waitForSelector(`${ROOT}[data-qr="drawn"] [data-slot="qrCode"] svg`, { timeout: 20_000 });
  shots.push({ caption: 'Desktop: scan the code', png: await desktop.locator(ROOT).screenshot() });

  const phone = await (await browser.newContext({ ...IPHONE, locale: 'en-US', reducedMotion: 'reduce' })).newPage();
  await phone.goto(`${demo.origin}/?locale=en`);
  await phone.waitForSelector(`${ROOT}[data-state="ready"][data-mode="link"]`, { timeout: 20_000 });
  shots.push({ caption: 'Phone: tap to start', png: await phone.locator(ROOT).screenshot() });

  await phone.locator(`${ROOT} a[data-slot="primaryLink"]`).tap();
  await phone.waitForSelector('[data-mock-outcome="pass"]', { timeout: 20_000 });
  shots.push({ caption: 'Phone: the check (mock page)', png: await phone.screenshot() });

  await phone.locator('[data-mock-outcome="pass"]').tap();
  await phone.waitForSelector(`${ROOT}[data-state="verified"]`, { timeout: 20_000 });
  shots.push({ caption: 'Back on the page: verified', png: await phone.locator(ROOT).screenshot() });

  // One picture: the shots side by side at their CSS size, on a light background, each with its caption.
  const sheet = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 })).newPage();
  const figures = shots
    .map(({ caption, png }, index) => {
      const width = index === 2 ? 240 : 'auto';
      return `<figure><img src="data:image/png;base64,${png.toString('base64')}" style="width:${width === 'auto' ? 'auto' : `${width}px`}"><figcaption>${caption}</figcaption></figure>`;
    })
    .join('');
  await sheet.setContent(`<!doctype html><html><head><style>
    body { margin: 0; font: 15px/1.4 'Liberation Sans', Arial, sans-serif; color: #1f2328; background: #ffffff; }
    main { display: inline-flex; gap: 28px; align-items: flex-start; padding: 24px; background: #f6f8fa; }
    figure { margin: 0; display: flex; flex-direction: column; align-items: center; gap: 10px; }
    img { display: block; border: 1px solid #d0d7de; border-radius: 8px; background: #fff; }
    figcaption { font-weight: 600; }
  </style></head><body><main>${figures}</main></body></html>`);
  // Each image at half its pixel size: the CSS size it had on its page (device scale factor 2).
  await sheet.evaluate(async () => {
    const images = [...document.images];
    await Promise.all(images.map((image) => image.decode()));
    for (const image of images) if (!image.style.width || image.style.width === 'auto') image.style.width = `${image.naturalWidth / 2}px`;
  });
  const picture = await sheet.locator('main').screenshot();
  mkdirSync(new URL('.', OUT), { recursive: true });
  writeFileSync(OUT, picture);
  console.log(`wrote ${OUT.pathname.replace(/^.*\/docs\//, 'docs/')} (${picture.length} bytes)`);
} finally {
  await browser.close();
  await demo.stop();
}
