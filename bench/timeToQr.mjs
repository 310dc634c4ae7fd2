// 3. Time to QR: create response arriving → QR painted, the library against a bare QRCodeSVG-from-fetch
// baseline, alternating runs on fresh page loads; commits from mount to ready counted with <Profiler>
// in the react-dom/profiling build (Profiler's onRender is a no-op in the normal production build).
import { launchChromium } from './lib/browser.mjs';
import { startAppServer } from './lib/pages.mjs';
import { median, summary } from './lib/stats.mjs';
/* global window -- used only inside functions that run in the browser (page.evaluate and the like) */

async function oneRun(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench?.done === true, null, { timeout: 10_000, polling: 10 });
  return page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
    return {
      createToQr: at('qr-painted') - at('create-response'),
      createToDom: at('qr-inserted') - at('create-response'),
      mountToQr: at('qr-painted') - at('mount'),
      commitsAtReady: window.__bench.commitsAtReady,
      commitsAtQr: window.__bench.commitsAtQr,
    };
  });
}

export async function timeToQrBench({ quick, pagesDir, profilingDir }) {
  const runs = quick ? 10 : 30;
  const warmup = 3;
  const out = {};
  {
    const server = await startAppServer(pagesDir);
    const browser = await launchChromium();
    try {
      const samples = { library: [], baseline: [] };
      for (let i = 0; i < runs + warmup; i += 1) {
        for (const [name, file] of [
          ['library', 'ttq'],
          ['baseline', 'baseline'],
        ]) {
          const run = await oneRun(browser.page, `${server.origin}/${file}.html?run=${i}`);
          if (i >= warmup) samples[name].push(run);
        }
      }
      for (const name of ['library', 'baseline']) {
        out[name] = {
          createToQrMs: summary(samples[name].map((s) => s.createToQr)),
          createToDomMs: summary(samples[name].map((s) => s.createToDom)),
          mountToQrMs: summary(samples[name].map((s) => s.mountToQr)),
        };
      }
      out.ratio = Number((median(samples.library.map((s) => s.createToQr)) / median(samples.baseline.map((s) => s.createToQr))).toFixed(2));
      // Issue 27's targets: median ≤ 1.2×, p75 ≤ 1.3×, max ≤ 2× the baseline's.
      const of = (key) => Number((out.library.createToQrMs[key] / out.baseline.createToQrMs[key]).toFixed(2));
      out.ratios = { median: of('median'), p75: of('p75'), max: of('max') };
      // The code in the DOM (before the frame that paints it): headless Chromium paints on the vsync
      // cadence while the loading view's spinner turns, at once after a bare page's change.
      const dom = (key) => Number((out.library.createToDomMs[key] / out.baseline.createToDomMs[key]).toFixed(2));
      out.ratiosInDom = { median: dom('median'), p75: dom('p75'), max: dom('max') };
      out.ratioMountToQr = Number((median(samples.library.map((s) => s.mountToQr)) / median(samples.baseline.map((s) => s.mountToQr))).toFixed(2));
      out.runs = runs;
    } finally {
      await browser.close();
      await server.close();
    }
  }
  {
    const server = await startAppServer(profilingDir);
    const browser = await launchChromium();
    try {
      const commits = { library: [], baseline: [] };
      for (let i = 0; i < 5; i += 1) {
        for (const [name, file] of [
          ['library', 'ttq'],
          ['baseline', 'baseline'],
        ]) {
          const run = await oneRun(browser.page, `${server.origin}/${file}.html?run=${i}`);
          commits[name].push(run.commitsAtReady);
        }
      }
      out.commitsToReady = { library: median(commits.library), baseline: median(commits.baseline), samples: commits };
    } finally {
      await browser.close();
      await server.close();
    }
  }
  return out;
}
