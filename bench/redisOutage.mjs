// Issues 23 (item 3) and 28: what a Redis outage costs, measured against real redis-server processes
// (Debian's, on free 127.0.0.1 ports, stopped and started by PID), two handler instances with node-redis
// clients as an app makes them, default handler options, the mock upstream in process.
//
//   node bench/redisOutage.mjs [--quick]   (needs dist/: npm run build; writes bench/redisOutage.json)
//
// 1. `restart`: one redis-server with `appendonly yes`, stopped (SIGTERM) for `downMs` and started again
//    on the same port while sessions are pending and their desktops poll every 2 s. Reported: how long
//    routes answered 503 (from the stop to the first 200 after the start: the outage plus the reconnect),
//    every status seen meanwhile, how long after the start the first 200 came, how long after it a
//    session whose phone finished after the start was verified (callback), how long a session whose
//    callback landed during the outage took to be found (the probe, every 15 s by default, while the
//    desktop polls), when instance B's stream subscription was live again, and the heap of the process
//    before and after 2 000 requests answered during the outage.
// 2. `failover`: a 6-node Redis Cluster (3 masters, 3 replicas, cluster-node-timeout 1 s); the master of
//    a pending session is killed (SIGKILL) and both instances' status polls (every 100 ms) are timed
//    until each answers 200 again. Reported: how long routes answered 503, whether any session was lost
//    (all were written at least 200 ms before the kill), and the push latency from a callback on
//    instance A to a stream on instance B before and after the failover.
// Times are reported, never asserted (the tests assert behaviour).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { summary } from './lib/stats.mjs';
import { watchStream } from './lib/watchStream.mjs';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const self = fileURLToPath(import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const API_KEY = 'test-key-not-secret';
const ORIGIN = 'https://app.example.test';

/** The tests' redis-server helpers (TypeScript), compiled for this script. */
async function helpers() {
  // Inside the repository, so that the bundle's `import 'redis'` finds its node_modules.
  const dir = join(repo, 'node_modules', '.cache', 'rls-bench-redis');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `helpers-${process.pid}.mjs`);
  await build({
    stdin: { contents: "export * from './test/server/redisServer.ts'; export * from './test/server/redisCluster.ts';", resolveDir: repo, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['redis'],
    outfile,
    logLevel: 'silent',
  });
  const module = await import(pathToFileURL(outfile).href);
  rmSync(outfile, { force: true });
  return module;
}

async function library() {
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  return { ...server, ...testing };
}

const post = () => new Request(`${ORIGIN}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
const get = (path) => new Request(`${ORIGIN}${path}`);

async function instancesOn(lib, makeClient, options = {}) {
  const mock = lib.createMockUpstream({ apiKey: API_KEY });
  const list = [];
  for (let i = 0; i < 2; i += 1) {
    const store = lib.redisStore({ client: await makeClient(), ...(options.prefix ? { prefix: options.prefix } : {}) });
    const handler = lib.createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', publicUrl: ORIGIN, fetch: mock.fetch, store, ...options.handler });
    list.push({ handler, store });
  }
  return { mock, list };
}

/** Push latency: a callback on A, the stream on B, `runs` times. */
async function pushLatency(mock, a, b, runs) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const created = await (await a.handler(post())).json();
    const stream = watchStream(await b.handler(get(created.eventsUrl)));
    // B subscribes to this session when its stream opens: give it the moment a page would.
    await sleep(300 + ((i * 137) % 400));
    const started = performance.now();
    await (await a.handler(new Request(mock.decide(new URL(created.h5Link).searchParams.get('bytedToken'), 'pass')))).arrayBuffer();
    const at = await stream.verified;
    await stream.cancel();
    if (at === undefined) throw new Error('the stream on B ended without verified');
    times.push(Math.round(at - started));
  }
  return summary(times, 0);
}

async function restartBench(lib, tools, { quick }) {
  const downMs = quick ? 2_000 : 5_000;
  const redis = await tools.startRestartableRedis();
  const { mock, list } = await instancesOn(lib, () => redis.connect(), { prefix: 'bench-outage:' });
  const [a, b] = list;
  try {
    const later = await (await a.handler(post())).json();
    const lost = await (await a.handler(post())).json();
    for (const created of [later, lost]) await b.handler(get(created.statusUrl));
    // The desktops keep polling every 2 s, as the browser does.
    let polling = true;
    const polls = (async () => {
      while (polling) {
        for (const created of [later, lost]) await (await b.handler(get(created.statusUrl))).arrayBuffer().catch(() => undefined);
        await sleep(2_000);
      }
    })();
    const stream = watchStream(await b.handler(get(later.eventsUrl)));
    await sleep(500);

    const seen = new Map();
    const count = (status) => seen.set(status, (seen.get(status) ?? 0) + 1);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const stoppedAt = performance.now();
    await redis.stop();
    // The phone finishes during the outage: its callback cannot be read (the neutral page).
    const callbackDuring = await a.handler(new Request(mock.decide(new URL(lost.h5Link).searchParams.get('bytedToken'), 'pass')));
    count(`callback ${callbackDuring.status}`);
    await callbackDuring.arrayBuffer();
    // 2 000 requests during the outage, to see that nothing piles up.
    for (let i = 0; i < 2_000; i += 1) {
      const response = await a.handler(get(later.statusUrl));
      count(response.status);
      await response.arrayBuffer();
    }
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const firstMs = [];
    while (performance.now() - stoppedAt < downMs) {
      const started = performance.now();
      const response = await a.handler(get(later.statusUrl));
      firstMs.push(performance.now() - started);
      count(response.status);
      await response.arrayBuffer();
      await sleep(50);
    }
    const startedAt = performance.now();
    await redis.start();
    const restartedMs = performance.now() - startedAt;
    let firstOkAt;
    for (;;) {
      const response = await a.handler(get(later.statusUrl));
      count(response.status);
      await response.arrayBuffer();
      if (response.status === 200) {
        firstOkAt = performance.now();
        break;
      }
      await sleep(20);
    }
    // B's subscription to the session its stream watches comes back.
    let liveAt;
    for (;;) {
      const probe = b.store.subscribe(later.sessionId, () => undefined);
      const live = probe.live;
      probe.close();
      if (live) {
        liveAt = performance.now();
        break;
      }
      await sleep(20);
    }
    // The phone of `later` finishes now: its callback lands on A, B's stream hears it.
    const callbackAt = performance.now();
    await (await a.handler(new Request(mock.decide(new URL(later.h5Link).searchParams.get('bytedToken'), 'pass')))).arrayBuffer();
    const pushedAt = await stream.verified;
    // The callback lost in the outage: found by the probe while the desktop polls.
    let lostVerifiedAt;
    for (let i = 0; i < 400 && lostVerifiedAt === undefined; i += 1) {
      const body = await (await b.handler(get(lost.statusUrl))).json();
      if (body.status === 'verified') lostVerifiedAt = performance.now();
      else await sleep(100);
    }
    polling = false;
    await polls;
    await stream.cancel();
    const ms = (x) => (x === undefined ? null : Math.round(x));
    return {
      downMs,
      redisStartMs: ms(restartedMs),
      routes503Ms: ms(firstOkAt - stoppedAt),
      firstOkAfterStartMs: ms(firstOkAt - startedAt - restartedMs),
      answersDuringOutage: Object.fromEntries(seen),
      statusAnswerDuringOutageMs: summary(firstMs, 2),
      heapUsedDeltaDuringOutage: heapAfter - heapBefore,
      subscriptionLiveAfterStartMs: ms(liveAt - startedAt - restartedMs),
      callbackAfterStartToPushOnBMs: ms(pushedAt - callbackAt),
      lostCallbackFoundAfterStartMs: ms(lostVerifiedAt === undefined ? undefined : lostVerifiedAt - startedAt - restartedMs),
      resultCalls: mock.stats.result,
    };
  } finally {
    for (const { store } of list) await store.close().catch(() => undefined);
    await redis.remove();
  }
}

async function failoverBench(lib, tools, { quick }) {
  const runs = quick ? 5 : 10;
  const cluster = await tools.startRedisCluster();
  const prefix = 'bench-failover:';
  const { mock, list } = await instancesOn(lib, () => cluster.connect(), { prefix, handler: { upstreamRateLimit: false, probeIntervalMs: 600_000 } });
  const [a, b] = list;
  try {
    const pushBefore = await pushLatency(mock, a, b, runs);
    const sessions = [];
    for (let i = 0; i < 30; i += 1) sessions.push(await (await a.handler(post())).json());
    const victim = await cluster.masterOf(`${prefix}{${sessions[0].sessionId}}`);
    const onVictim = [];
    for (const created of sessions) if ((await cluster.masterOf(`${prefix}{${created.sessionId}}`)).port === victim.port) onVictim.push(created);
    await sleep(200);
    const killedAt = performance.now();
    await cluster.kill(victim);
    const answered = { a: new Map(), b: new Map() };
    const okAt = {};
    const longest = [];
    await Promise.all(
      Object.entries({ a, b }).map(async ([name, instance]) => {
        for (;;) {
          const started = performance.now();
          const response = await instance.handler(get(onVictim[0].statusUrl));
          longest.push(performance.now() - started);
          answered[name].set(response.status, (answered[name].get(response.status) ?? 0) + 1);
          await response.arrayBuffer();
          if (response.status === 200) {
            okAt[name] = performance.now();
            return;
          }
          await sleep(100);
        }
      }),
    );
    let readable = 0;
    for (const created of sessions) if ((await a.handler(get(created.statusUrl))).status === 200) readable += 1;
    await cluster.waitHealthy();
    const pushAfter = await pushLatency(mock, a, b, runs);
    return {
      masters: 3,
      nodeTimeoutMs: 1000,
      sessionsOnKilledMaster: onVictim.length,
      routes503Ms: { a: Math.round(okAt.a - killedAt), b: Math.round(okAt.b - killedAt) },
      answers: { a: Object.fromEntries(answered.a), b: Object.fromEntries(answered.b) },
      longestAnswerMs: Math.round(Math.max(...longest)),
      sessionsLost: sessions.length - readable,
      sessions: sessions.length,
      pushBeforeMs: pushBefore,
      pushAfterMs: pushAfter,
    };
  } finally {
    for (const { store } of list) await store.close().catch(() => undefined);
    await cluster.stop();
  }
}

/** Both measurements. */
export async function redisOutageBench({ quick = false } = {}) {
  const tools = await helpers();
  const lib = await library();
  const restart = await restartBench(lib, tools, { quick });
  const failover = await failoverBench(lib, tools, { quick });
  return { restart, failover };
}

if (process.argv[1] === self) {
  const quick = process.argv.includes('--quick');
  const result = await redisOutageBench({ quick });
  const report = { generatedAt: new Date().toISOString(), command: `node --expose-gc bench/redisOutage.mjs${quick ? ' --quick' : ''}`, node: process.version, ...result };
  writeFileSync(join(repo, 'bench/redisOutage.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
