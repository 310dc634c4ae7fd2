// Issue 26: reference assets.
//
//   node bench/run.mjs --only uploads,listAssets --out bench/results-assets.json
//
// uploads: a 25 MB image through the Node adapter (toNodeHandler(createLivenessHandler({ assets })) in
//   a child process), whose CreateAsset goes over HTTP to the mock upstream in another child, as it goes
//   to Anyfast. Reported: upload → 202 time and throughput (the 25 MB streamed in, judged, sent upstream
//   as a 33 MB base64 body), the CreateAsset call's own time, and the handler process's peak RSS over its
//   RSS before (sampled every 10 ms), one upload at a time and four at once.
// listAssets: ListAssets calls per minute while 50 browsers wait on 50 assets of 10 groups (5 each) that
//   the upstream keeps `processing`: status polls every 2 s (what the browser does), event streams, and
//   polls spread over two instances sharing a redisStore. Without the shared listing each poll would be
//   a call: 50 × 30 = 1500 per minute, over the documented 10 per second.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repo } from './lib/pages.mjs';
import { summary } from './lib/stats.mjs';
import { startRedis } from './sharedBudget.mjs';

const MB = 1_000_000;
const BOUNDARY = '----LivenessBenchBoundary';
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** A JPEG of `bytes` bytes: a 4000 × 3000 frame header, filler scan data, the end marker. */
function jpeg(bytes) {
  const head = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x0b, 0xb8, 0x0f, 0xa0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xda, 0, 12, 3, 1,
    0, 2, 0x11, 3, 0x11, 0, 0x3f, 0,
  ]);
  const body = Buffer.alloc(bytes - head.length - 2, 0x5a);
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

function multipart(file) {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

function child(args, nodeArgs = []) {
  const proc = spawn(process.execPath, [...nodeArgs, join(repo, 'bench/lib/assetServerChild.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => proc.once('exit', done));
  const ready = new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line));
    });
    proc.once('exit', (code) => reject(new Error(`asset bench child exited with ${code}`)));
  });
  return {
    ready,
    stop: async () => {
      if (proc.exitCode === null) process.kill(proc.pid, 'SIGTERM');
      await exited;
    },
  };
}

function upload(port, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/liveness/assets', method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': body.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode === 202 ? resolve(performance.now() - started) : reject(new Error(`upload answered ${res.statusCode}: ${text.slice(0, 200)}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const getJson = (port, path) => fetch(`http://127.0.0.1:${port}${path}`).then((r) => (r.status === 204 ? undefined : r.json()));
const mib = (bytes) => Number((bytes / 2 ** 20).toFixed(1));

export async function uploadBench({ quick }) {
  const upstream = child(['upstream', repo]);
  const { port: upstreamPort, group } = await upstream.ready;
  const fileBytes = 25 * MB;
  const body = multipart(jpeg(fileBytes));
  // Each round in a fresh handler process: after a warm-up upload and a full GC, its RSS; after the
  // round, the kernel's high-water mark of its RSS (maxRSS). Their difference is what the round's
  // uploads took at their peak, exactly (no sampling), whatever the allocator kept from before.
  const round = async (concurrency) => {
    const handler = child(['handler', repo, `http://127.0.0.1:${upstreamPort}`, group], ['--expose-gc']);
    try {
      const { port } = await handler.ready;
      await upload(port, multipart(jpeg(200_000)));
      await getJson(port, '/bench/reset');
      const before = await getJson(port, '/bench/stats');
      const times = await Promise.all(Array.from({ length: concurrency }, () => upload(port, body)));
      const after = await getJson(port, '/bench/stats');
      return { times, creates: after.createCalls, rssBefore: before.now.rss, peakOver: after.maxRssKiB * 1024 - before.now.rss };
    } finally {
      await handler.stop();
    }
  };
  const run = async (concurrency, rounds) => {
    const results = [];
    for (let i = 0; i < rounds; i += 1) results.push(await round(concurrency));
    const uploadMs = summary(
      results.flatMap((r) => r.times),
      0,
    );
    return {
      concurrency,
      uploads: results.reduce((sum, r) => sum + r.times.length, 0),
      uploadMs,
      mbPerSecond: Number((fileBytes / MB / (uploadMs.median / 1000)).toFixed(1)),
      createAssetMs: summary(
        results.flatMap((r) => r.creates),
        0,
      ),
      rssBeforeMiB: summary(
        results.map((r) => mib(r.rssBefore)),
        1,
      ),
      peakOverBeforeMiB: summary(
        results.map((r) => mib(r.peakOver)),
        1,
      ),
    };
  };
  try {
    const sequential = await run(1, quick ? 3 : 7);
    const concurrent = await run(4, quick ? 2 : 3);
    return { fileBytes, requestBytes: body.length, base64BodyBytes: Math.ceil(fileBytes / 3) * 4, sequential, concurrent };
  } finally {
    await upstream.stop();
  }
}

async function serverModules() {
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  return { ...server, ...testing };
}

/** 10 groups × 5 assets the mock keeps `processing`; `instances` handlers over `stores`. */
async function waitingAssets(modules, stores) {
  const { createLivenessHandler, createMockUpstream, samplePhoto } = modules;
  const mock = createMockUpstream({ assetActivationMs: 3_600_000 });
  const groups = new Map(Array.from({ length: 10 }, (_, i) => [`bench-user-${i}`, mock.createGroup()]));
  const handlers = stores.map((store) =>
    createLivenessHandler({
      apiKey: 'test-key-not-secret',
      upstreamUrl: 'http://mock.invalid',
      publicUrl: 'http://127.0.0.1',
      fetch: mock.fetch,
      ...(store ? { store } : {}),
      authorize: (request) => ({ subject: request.headers.get('X-User') }),
      assets: { groupIdFor: (subject) => groups.get(subject), subjectRateLimit: false },
      // Only the browsers drive the assets here, so the count is theirs; a server's timers would add
      // reads of the same shared listing, no calls beyond one per group per interval.
      backgroundTimers: false,
    }),
  );
  const form = new FormData();
  form.append('file', new Blob([samplePhoto()], { type: 'image/png' }), 'p.png');
  const waiting = [];
  for (const user of groups.keys()) {
    for (let i = 0; i < 5; i += 1) {
      const response = await handlers[waiting.length % handlers.length](new Request('http://127.0.0.1/api/liveness/assets', { method: 'POST', headers: { 'X-User': user }, body: form }));
      const created = await response.json();
      waiting.push({ user, assetId: created.assetId });
    }
  }
  return { mock, handlers, waiting };
}

/** ListAssets calls per minute while the 50 browsers wait for `seconds`. */
async function countCalls(mock, seconds, browse) {
  const before = mock.stats.listAssets;
  const stop = browse();
  await sleep(seconds * 1000);
  await stop();
  const calls = mock.stats.listAssets - before;
  return { calls, seconds, perMinute: Math.round((calls * 60) / seconds) };
}

function polls(handlers, waiting) {
  let running = true;
  const loops = waiting.map(async ({ user, assetId }, i) => {
    // Browsers do not start in step: each starts within the first interval.
    await sleep((i * 2000) / waiting.length);
    while (running) {
      const response = await handlers[i % handlers.length](new Request(`http://127.0.0.1/api/liveness/assets/${assetId}`, { headers: { 'X-User': user } }));
      await response.text();
      await sleep(2000);
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

function streams(handlers, waiting) {
  const aborts = waiting.map(({ user, assetId }, i) => {
    const abort = new AbortController();
    void handlers[i % handlers.length](new Request(`http://127.0.0.1/api/liveness/assets/${assetId}/events`, { headers: { 'X-User': user }, signal: abort.signal })).then(async (response) => {
      const reader = response.body.getReader();
      for (;;) {
        const { done } = await reader.read().catch(() => ({ done: true }));
        if (done) break;
      }
    });
    return abort;
  });
  return async () => {
    for (const abort of aborts) abort.abort();
    await sleep(50);
  };
}

export async function listAssetsBench({ quick }) {
  const modules = await serverModules();
  const seconds = quick ? 20 : 60;
  const result = { browsers: 50, groups: 10, assetsPerGroup: 5, listIntervalMs: 2000, withoutSharedListingPerMinute: 50 * 30 };
  {
    const { mock, handlers, waiting } = await waitingAssets(modules, [undefined]);
    result.polling = await countCalls(mock, seconds, () => polls(handlers, waiting));
  }
  {
    const { mock, handlers, waiting } = await waitingAssets(modules, [undefined]);
    result.eventStreams = await countCalls(mock, seconds, () => streams(handlers, waiting));
  }
  if (existsSync(process.env.REDIS_SERVER ?? '/usr/bin/redis-server')) {
    const redis = await startRedis();
    const { createClient } = await import('redis');
    const clients = [];
    try {
      const stores = [];
      for (let i = 0; i < 2; i += 1) {
        const client = createClient({ url: redis.url });
        client.on('error', () => {});
        await client.connect();
        clients.push(client);
        stores.push(modules.redisStore({ client, prefix: 'bench-assets:', subscriber: false }));
      }
      const { mock, handlers, waiting } = await waitingAssets(modules, stores);
      result.pollingTwoInstancesRedis = await countCalls(mock, seconds, () => polls(handlers, waiting));
    } finally {
      for (const client of clients) await client.close();
      await redis.stop();
    }
  } else {
    result.pollingTwoInstancesRedis = { skipped: 'no redis-server' };
  }
  return result;
}
