// Issue 23: how long `npx react-liveness-session doctor` takes against the mock upstream, as a user runs
// it (the bundled bin, a child process per run): every check (key, publicUrl, a create, a result call,
// the health route), the same with --no-create, the same with --redis-url on a private redis-server
// (when /usr/bin/redis-server exists; stopped by PID), and a bare `node -e ''` as the floor (Node's own
// start-up). The mock and a real handler are served from this process on 127.0.0.1.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repo } from './lib/pages.mjs';
import { summary } from './lib/stats.mjs';
import { freePort } from '../scripts/lib/demoServer.mjs';

const KEY = 'sk-bench-doctor-3f8a1c5e7b9d2046';
const REDIS_BIN = '/usr/bin/redis-server';

async function startRedis() {
  const port = await freePort();
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((done) => child.once('exit', done));
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** One child run; resolves to its wall time in ms and exit code. */
function timed(args, env = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error) => {
      resolve({ ms: performance.now() - started, code: error ? error.code : 0 });
    });
  });
}

export async function doctorBench({ quick }) {
  const runs = quick ? 5 : 15;
  const cli = join(repo, 'dist/cli.js');
  const { createLivenessHandler, toNodeHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Rate limit off: the bench runs creates back to back, faster than the account's 3 per second.
  const mock = createMockUpstream({ apiKey: KEY, publicUrl: `${origin}/mock` });
  const handler = createLivenessHandler({ apiKey: KEY, publicUrl: origin, upstreamUrl: `${origin}/mock`, fetch: mock.fetch });
  const toMock = toNodeHandler(mock);
  const toHandler = toNodeHandler(handler);
  server.on('request', (req, res) => (req.url.startsWith('/mock/') ? toMock(req, res) : toHandler(req, res)));
  const redis = existsSync(REDIS_BIN) ? await startRedis() : undefined;
  const env = { ANYFAST_API_KEY: KEY };
  const base = [cli, 'doctor', '--public-url', origin, '--upstream-url', `${origin}/mock`];
  const scenarios = {
    floor: () => timed(['-e', '']),
    everyCheck: () => timed(base, env),
    noCreate: () => timed([...base, '--no-create'], env),
    ...(redis ? { withRedis: () => timed([...base, '--redis-url', redis.url], env) } : {}),
  };
  const times = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
  const codes = new Set();
  try {
    // Interleaved, so that a busy moment of the machine spreads over every scenario alike.
    for (let i = 0; i < runs + 1; i += 1) {
      for (const [name, run] of Object.entries(scenarios)) {
        const { ms, code } = await run();
        if (name !== 'floor') codes.add(code);
        if (i > 0) times[name].push(ms); // the first round warms the file cache
      }
    }
  } finally {
    await redis?.stop();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  if ([...codes].some((code) => code !== 0)) throw new Error(`the doctor exited with ${[...codes].join(', ')} against the mock`);
  return {
    runs,
    upstreamCalls: mock.stats,
    ms: Object.fromEntries(Object.entries(times).map(([name, values]) => [name, summary(values, 1)])),
    redis: redis ? 'redis-server on 127.0.0.1' : 'skipped (no /usr/bin/redis-server)',
  };
}
