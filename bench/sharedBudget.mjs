// Issue 12: the upstream budget with three handler instances under a flood of creates. Each instance has
// its own store client; with a shared redisStore they keep to the configured 3/s together, with a
// memoryStore each keeps its own (what every instance did before). The mock upstream counts arrivals.
// redis-server is started on a free 127.0.0.1 port and stopped by its PID.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { repo } from './lib/pages.mjs';
import { freePort } from '../scripts/lib/demoServer.mjs';

const REDIS_BIN = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
const INSTANCES = 3;
const FLOODERS = 30;

export async function startRedis() {
  const port = await freePort();
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((done) => child.once('exit', done));
  await new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('redis-server did not start within 10 s')), 10_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** Most arrivals inside any window of `ms` that starts at one of them. */
function busiest(times, ms) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[j] <= sorted[i] - ms) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function flood({ stores, seconds, server, testing }) {
  const mock = testing.createMockUpstream({ apiKey: 'test-key-not-secret' });
  const instances = stores.map((store) =>
    server.createLivenessHandler({
      apiKey: 'test-key-not-secret',
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: 'https://app.example.test',
      fetch: mock.fetch,
      store,
      // The limit under test is the shared upstream budget; every flooder is its own client.
      clientRateLimit: false,
      backgroundTimers: false,
    }),
  );
  const answers = { 201: 0, 429: 0, other: 0 };
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: FLOODERS }, async (_, i) => {
      const handler = instances[i % INSTANCES];
      while (Date.now() < until) {
        const response = await handler(new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
        await response.arrayBuffer();
        answers[response.status === 201 || response.status === 429 ? response.status : 'other'] += 1;
        // A flooder does not wait for Retry-After; it only yields so the others get a turn.
        if (response.status === 429) await new Promise((done) => setTimeout(done, 5));
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const creates = mock.calls.filter((call) => call.action === 'create').map((call) => call.at);
  return {
    seconds: Number(elapsed.toFixed(2)),
    upstreamCreates: creates.length,
    upstreamCreatesPerSecond: Number((creates.length / elapsed).toFixed(2)),
    busiestSecond: busiest(creates, 1000),
    requests: answers,
  };
}

export async function sharedBudgetBench({ quick }) {
  if (!existsSync(REDIS_BIN)) return { skipped: `no redis-server at ${REDIS_BIN}` };
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const seconds = quick ? 5 : 10;
  const redis = await startRedis();
  const clients = [];
  try {
    for (let i = 0; i < INSTANCES; i += 1) {
      const client = createClient({ url: redis.url });
      client.on('error', () => {});
      await client.connect();
      clients.push(client);
    }
    const prefix = `bench-${process.pid}:`;
    const shared = await flood({ stores: clients.map((client) => server.redisStore({ client, prefix })), seconds, server, testing });
    const perProcess = await flood({ stores: clients.map(() => server.memoryStore()), seconds, server, testing });
    return { instances: INSTANCES, flooders: FLOODERS, limit: { requests: 3, perMs: 1000 }, redisStore: shared, memoryStorePerInstance: perProcess };
  } finally {
    for (const client of clients) if (client.isOpen) await client.close();
    await redis.stop();
  }
}
