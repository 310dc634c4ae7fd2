// 4. Polling cost, on the demo (`node demo/server.mjs`, pages opened with `?transport=poll`): status
// requests per minute while the tab is visible and while it is hidden, the delay of the first request
// once visible again, and the time from the server knowing the result (its callback route answered) to
// the page showing `verified`. bench/push.mjs compares it with the event stream.
//
// Hiding a tab: headless Chromium keeps every tab "visible" (bringing another tab to front changes
// nothing, and CDP's Emulation.setFocusEmulationEnabled only fakes focus). react-query's focusManager
// decides from `document.visibilityState` on each `visibilitychange` event, so the page's
// `document.visibilityState`/`hidden` are overridden and the event dispatched, exactly what a real
// tab switch delivers. Page.setWebLifecycleState('frozen') would stop all JS instead: not "hidden".
import { launchChromium } from './lib/browser.mjs';
import { startDemo } from '../scripts/lib/demoServer.mjs';
import { sleep, summary } from './lib/stats.mjs';
/* global window, document, MutationObserver -- used only inside functions that run in the browser (page.evaluate and the like) */

const STATUS = /\/api\/liveness\/sessions\/[^/?]+(\?|$)/;

export async function setVisibility(page, state) {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}

export async function waitState(page, state, timeout = 30_000) {
  await page.waitForSelector(`[data-liveness-session][data-state="${state}"]`, { timeout });
}

export async function pollingBench({ quick }) {
  const windowMs = quick ? 8_000 : 20_000;
  const resultRuns = quick ? 3 : 7;
  const demo = await startDemo();
  const browser = await launchChromium();
  try {
    const { page } = browser;
    const statusAt = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && STATUS.test(new URL(request.url()).pathname)) statusAt.push(Date.now());
    });
    await page.goto(`${demo.origin}/?transport=poll`);
    await waitState(page, 'ready');
    await sleep(500);
    const count = async (ms) => {
      const from = Date.now();
      await sleep(ms);
      return statusAt.filter((t) => t >= from && t < from + ms).length;
    };
    const visible = await count(windowMs);
    await setVisibility(page, 'hidden');
    const hidden = await count(windowMs);
    const shownAt = Date.now();
    await setVisibility(page, 'visible');
    await sleep(1000);
    const firstAfterVisible = statusAt.find((t) => t >= shownAt);

    // Server knows the result → page shows it.
    const latencies = [];
    for (let i = 0; i < resultRuns; i += 1) {
      await page.goto(`${demo.origin}/?transport=poll&run=${i}`);
      await waitState(page, 'ready');
      const href = await page.getAttribute('[data-slot="secondaryLink"]', 'href');
      const token = new URL(href).searchParams.get('bytedToken');
      await page.evaluate(() => {
        window.__verifiedAt = null;
        const root = document.querySelector('[data-liveness-session]');
        new MutationObserver(() => {
          if (window.__verifiedAt === null && root.getAttribute('data-state') === 'verified') window.__verifiedAt = Date.now();
        }).observe(root, { attributes: true });
      });
      // Phone presses Pass: the simulated H5 page redirects to the callback; the callback fetches the result.
      await sleep(300 + ((i * 733) % 1700)); // land at a different point of the 2 s poll cycle each run
      const decide = await fetch(`${demo.origin}/mock-upstream/h5/liveness-face/decide?bytedToken=${encodeURIComponent(token)}&outcome=pass&lng=en`, { redirect: 'manual' });
      const callback = await fetch(new URL(decide.headers.get('location'), demo.origin), { redirect: 'manual' });
      await callback.arrayBuffer();
      const known = Date.now();
      await page.waitForFunction(() => window.__verifiedAt !== null, null, { timeout: 10_000 });
      latencies.push((await page.evaluate(() => window.__verifiedAt)) - known);
    }
    return {
      windowMs,
      statusPerMinuteVisible: Number(((visible * 60_000) / windowMs).toFixed(1)),
      statusPerMinuteHidden: Number(((hidden * 60_000) / windowMs).toFixed(1)),
      firstRequestAfterVisibleMs: firstAfterVisible ? firstAfterVisible - shownAt : null,
      resultToPageMs: summary(latencies, 0),
      hideMethod: 'document.visibilityState override + visibilitychange event (headless tabs never hide)',
    };
  } finally {
    await browser.close();
    await demo.stop();
  }
}
