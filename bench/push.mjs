// 9. Pushed results against polling, in one run on one demo (`node demo/server.mjs`): for each
// transport (`?transport=poll`, and the default event stream), the time from the phone pressing Pass
// to the desktop showing `verified` (10 runs each, the press landing at a different point of the 2 s
// poll cycle each time), and the status requests per minute while the tab is visible (the stream up)
// and while it is hidden. The phone is plain HTTP: the simulated H5 page's Pass, then its redirect to
// the callback, which fetches the result; the desktop is Chromium, its state read by a MutationObserver.
import { launchChromium } from './lib/browser.mjs';
import { startDemo } from '../scripts/lib/demoServer.mjs';
import { sleep, summary } from './lib/stats.mjs';
import { setVisibility, waitState } from './polling.mjs';
import { watchStream } from './lib/watchStream.mjs';
/* global window, document, MutationObserver -- used only inside functions that run in the browser (page.evaluate and the like) */

const STATUS = /\/api\/liveness\/sessions\/[^/?]+$/;
const EVENTS = /\/api\/liveness\/sessions\/[^/?]+\/events$/;

async function measureTransport(origin, transport, { windowMs, hiddenMs, runs }) {
  const browser = await launchChromium();
  try {
    const { page } = browser;
    const seen = { status: [], events: [] };
    page.on('request', (request) => {
      if (request.method() !== 'GET') return;
      const path = new URL(request.url()).pathname;
      if (STATUS.test(path)) seen.status.push(Date.now());
      else if (EVENTS.test(path)) seen.events.push(Date.now());
    });
    const query = transport === 'poll' ? 'transport=poll' : 'transport=auto';

    // Requests while one session waits: visible (the stream up), then hidden.
    await page.goto(`${origin}/?${query}`);
    await waitState(page, 'ready');
    await sleep(500);
    const count = async (ms) => {
      const from = Date.now();
      await sleep(ms);
      const within = (list) => list.filter((t) => t >= from && t < from + ms).length;
      return { status: within(seen.status), events: within(seen.events) };
    };
    const visible = await count(windowMs);
    await setVisibility(page, 'hidden');
    await sleep(300);
    const hidden = await count(hiddenMs);
    await setVisibility(page, 'visible');

    // Pass → verified, `runs` times, each on a new page and session.
    const passToVerified = [];
    const knownToVerified = [];
    for (let i = 0; i < runs; i += 1) {
      await page.goto(`${origin}/?${query}&run=${i}`);
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
      // A different point of the 2 s poll cycle each run (and a stream that has been up a while).
      await sleep(300 + ((i * 733) % 1700));
      const pressed = Date.now();
      const decide = await fetch(`${origin}/mock-upstream/h5/liveness-face/decide?bytedToken=${encodeURIComponent(token)}&outcome=pass&lng=en`, { redirect: 'manual' });
      const callback = await fetch(new URL(decide.headers.get('location'), origin), { redirect: 'manual' });
      await callback.arrayBuffer();
      const known = Date.now();
      await page.waitForFunction(() => window.__verifiedAt !== null, null, { timeout: 10_000 });
      const shown = await page.evaluate(() => window.__verifiedAt);
      passToVerified.push(shown - pressed);
      knownToVerified.push(shown - known);
    }
    const perMinute = (n, ms) => Number(((n * 60_000) / ms).toFixed(1));
    return {
      statusPerMinuteVisible: perMinute(visible.status, windowMs),
      statusPerMinuteHidden: perMinute(hidden.status, hiddenMs),
      streamsOpenedVisible: visible.events,
      streamsOpenedHidden: hidden.events,
      passToVerifiedMs: summary(passToVerified, 0),
      resultKnownToVerifiedMs: summary(knownToVerified, 0),
      runs: passToVerified,
    };
  } finally {
    await browser.close();
  }
}

export async function pushBench({ quick }) {
  // A full minute visible: the stream's safety read comes every 30 s, so shorter windows say little.
  const settings = quick ? { windowMs: 20_000, hiddenMs: 10_000, runs: 5 } : { windowMs: 60_000, hiddenMs: 20_000, runs: 10 };
  const demo = await startDemo();
  try {
    const poll = await measureTransport(demo.origin, 'poll', settings);
    const stream = await measureTransport(demo.origin, 'auto', settings);
    return {
      ...settings,
      poll,
      stream,
      speedup: Number((poll.passToVerifiedMs.median / Math.max(1, stream.passToVerifiedMs.median)).toFixed(1)),
      hideMethod: 'document.visibilityState override + visibilitychange event (headless tabs never hide)',
    };
  } finally {
    await demo.stop();
  }
}

/**
 * Across instances: the callback lands on instance A, the desktop's stream is held by instance B, both
 * on one redis-server (started and stopped by PID), each with its own connection. Time from the callback
 * request leaving to B's stream carrying `verified`: through pub/sub (the subscriber duplicated from
 * B's client), and with `subscriber: false` (B reads the store every 2 s) for reference.
 */
export async function crossInstanceBench({ quick }) {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const { repo } = await import('./lib/pages.mjs');
  const { startRedis } = await import('./sharedBudget.mjs');
  if (!existsSync(process.env.REDIS_SERVER ?? '/usr/bin/redis-server')) return { skipped: 'no redis-server' };
  const { createClient } = await import('redis');
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const runs = quick ? 5 : 10;
  const redis = await startRedis();
  const clients = [];
  const stores = [];
  const connect = async () => {
    const client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  const measure = async (subscriber) => {
    const prefix = `bench-push-${subscriber === false ? 'poll' : 'pubsub'}:`;
    const mock = testing.createMockUpstream({ apiKey: 'test-key-not-secret' });
    const [a, b] = await Promise.all(
      [0, 1].map(async (i) => {
        const store = server.redisStore({ client: await connect(), prefix, ...(i === 1 && subscriber === false ? { subscriber: false } : {}) });
        stores.push(store);
        return server.createLivenessHandler({
          apiKey: 'test-key-not-secret',
          upstreamUrl: 'https://upstream.example.test',
          publicUrl: 'https://app.example.test',
          fetch: mock.fetch,
          store,
          upstreamRateLimit: false,
          clientRateLimit: false,
        });
      }),
    );
    const times = [];
    for (let i = 0; i < runs; i += 1) {
      const created = await (await a(new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }))).json();
      const stream = watchStream(await b(new Request(`https://app.example.test${created.eventsUrl}`)));
      // Let the subscription settle, and land at a different point of B's 2 s reading cycle each run.
      await sleep(500 + ((i * 733) % 1700));
      const callbackUrl = mock.decide(new URL(created.h5Link).searchParams.get('bytedToken'), 'pass');
      const started = performance.now();
      await (await a(new Request(callbackUrl))).arrayBuffer();
      const at = await stream.verified;
      if (at === undefined) throw new Error('the stream on instance B ended without verified');
      times.push(Math.round(at - started));
      await stream.cancel();
    }
    return summary(times, 0);
  };
  try {
    const pubsub = await measure(undefined);
    const fallback = await measure(false);
    return { runs, pubsub, fallback };
  } finally {
    for (const store of stores) await store.close();
    for (const client of clients) await client.close().catch(() => undefined);
    await redis.stop();
  }
}
