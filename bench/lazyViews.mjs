// Lazily loaded views (issue 25, item 4): the time from the state change that shows a view to its text
// on screen, each view's chunks fetched as on a first visit (fresh page load per run, no HTTP cache),
// against the link view, which is up front and drawn in the commit of its state. And the QR code drawn
// after a refresh and after Start again (issue 27): the new session's create answer → the new code
// painted.
// bench/pages/views.jsx drives each case with a backend stand-in in the page.
/* global window -- used only inside functions that run in the browser (page.evaluate and the like) */
import { launchChromium } from './lib/browser.mjs';
import { startAppServer } from './lib/pages.mjs';
import { summary } from './lib/stats.mjs';

export const VIEW_CASES = ['link', 'opened', 'error', 'verified', 'failed', 'resumed', 'expired', 'consent', 'countdown', 'elsewhere', 'inApp'];
export const QR_CASES = ['refreshed', 'startAgain', 'baselineSecondCode'];
const IN_APP_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';

async function oneRun(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .waitForFunction(() => window.__bench?.done === true, null, { timeout: 15_000, polling: 10 })
    .catch((error) => {
      throw new Error(`${url}: the case did not finish (${error.message})`);
    });
  return page.evaluate(() => ({ inDom: window.__bench.text - window.__bench.from, painted: window.__bench.painted - window.__bench.from }));
}

/** `latency`: the backend stand-in's answer time (ms); 0 is the worst case for views a request brings. */
export async function lazyViewsBench({ quick, pagesDir, latency = 50 }) {
  const runs = quick ? 10 : 30;
  const warmup = 2;
  const server = await startAppServer(pagesDir);
  const browsers = { default: await launchChromium(), inApp: await launchChromium({ args: [`--user-agent=${IN_APP_UA}`] }) };
  const out = { runs, latencyMs: latency, views: {}, qr: {}, worstCase: {} };
  try {
    for (const name of [...VIEW_CASES, ...QR_CASES]) {
      const { page } = name === 'inApp' ? browsers.inApp : browsers.default;
      const samples = [];
      for (let i = 0; i < runs + warmup; i += 1) {
        const sample = await oneRun(page, `${server.origin}/views.html?case=${name}&latency=${latency}&run=${i}`);
        if (i >= warmup) samples.push(sample);
      }
      const result = { textInDomMs: summary(samples.map((s) => s.inDom)), textPaintedMs: summary(samples.map((s) => s.painted)) };
      if (QR_CASES.includes(name)) out.qr[name] = result;
      else out.views[name] = result;
    }
    // Issue 27's targets against the bare QRCodeSVG's second code: median ≤ 1.2×, p75 ≤ 1.3×, max ≤ 2×.
    const base = out.qr.baselineSecondCode.textPaintedMs;
    for (const name of ['refreshed', 'startAgain']) {
      const x = out.qr[name].textPaintedMs;
      out.qr[name].ratios = { median: Number((x.median / base.median).toFixed(2)), p75: Number((x.p75 / base.p75).toFixed(2)), max: Number((x.max / base.max).toFixed(2)) };
    }
    // The views a request brings, with a backend that answers at once: nothing could be fetched first.
    for (const name of ['error', 'resumed']) {
      const samples = [];
      for (let i = 0; i < runs + warmup; i += 1) {
        const sample = await oneRun(browsers.default.page, `${server.origin}/views.html?case=${name}&latency=0&run=${i}`);
        if (i >= warmup) samples.push(sample);
      }
      out.worstCase[name] = { textInDomMs: summary(samples.map((s) => s.inDom)), textPaintedMs: summary(samples.map((s) => s.painted)) };
    }
  } finally {
    await browsers.default.close();
    await browsers.inApp.close();
    await server.close();
  }
  return out;
}
