// 6. Leaks: JS heap (after forced GC, via CDP) after 10 and after 500 mount → ready → unmount cycles,
// with the app's QueryClientProvider and with the component's private client; then what is left once
// the last one is gone: live timers and intervals, in-flight fetches (counted by wrappers installed
// before the app loads, see pages/leak.html), and status requests still reaching the server.
import { launchChromium } from './lib/browser.mjs';
import { startAppServer } from './lib/pages.mjs';
import { sleep } from './lib/stats.mjs';
/* global window -- used only inside functions that run in the browser (page.evaluate and the like) */

async function heap(cdp) {
  for (let i = 0; i < 3; i += 1) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { heapUsed: usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners };
}

async function variant(server, name, cycles) {
  const browser = await launchChromium();
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${server.origin}/leak.html?variant=${name}`);
    await page.waitForFunction(() => window.benchReady === true);
    const run = (n) => page.evaluate((count) => window.benchCycles(count), n);
    const first = await run(10);
    await sleep(300);
    const after10 = await heap(cdp);
    const half = Math.floor(cycles / 2);
    const mid = await run(half - 10);
    await sleep(300);
    const afterHalf = await heap(cdp);
    const rest = await run(cycles - half);
    rest.errors += mid.errors;
    await sleep(1000);
    const afterAll = await heap(cdp);
    const statusBefore = server.count.status;
    await sleep(2500); // longer than one poll interval (2 s)
    const statusAfterUnmount = server.count.status - statusBefore;
    const left = await page.evaluate(() => ({
      timeouts: [...window.__track.timeouts.values()].map((t) => ({ ms: t.ms, where: t.where.slice(0, 160) })),
      intervals: [...window.__track.intervals.values()].map((t) => ({ ms: t.ms, where: t.where.slice(0, 160) })),
      pendingFetch: window.__track.pendingFetch,
      fetches: window.__track.fetches,
    }));
    const growth = afterAll.heapUsed - after10.heapUsed;
    return {
      cycles,
      errors: first.errors + rest.errors,
      cachedQueriesAfter: rest.cachedQueries,
      cachedQueryKeys: rest.cachedQueryKeys,
      heapAfter10: after10.heapUsed,
      heapAfterAll: afterAll.heapUsed,
      heapGrowth: growth,
      heapAfterHalf: afterHalf.heapUsed,
      bytesPerCycle: Math.round(growth / (cycles - 10)),
      // Second half only: one-off growth (JIT code, inline caches, lazily built tables) is over by then.
      bytesPerCycleSecondHalf: Math.round((afterAll.heapUsed - afterHalf.heapUsed) / (cycles - half)),
      domNodes: { after10: after10.nodes, afterAll: afterAll.nodes },
      listeners: { after10: after10.listeners, afterAll: afterAll.listeners },
      timersLeft: left.timeouts.length,
      intervalsLeft: left.intervals.length,
      leftovers: [...left.timeouts, ...left.intervals].slice(0, 5),
      pendingFetch: left.pendingFetch,
      statusRequestsAfterUnmount: statusAfterUnmount,
    };
  } finally {
    await browser.close();
  }
}

export async function leaksBench({ quick, pagesDir }) {
  const cycles = quick ? 150 : 500;
  const server = await startAppServer(pagesDir);
  try {
    return {
      provider: await variant(server, 'provider', cycles),
      private: await variant(server, 'private', cycles),
      control: await variant(server, 'control', cycles),
    };
  } finally {
    await server.close();
  }
}
