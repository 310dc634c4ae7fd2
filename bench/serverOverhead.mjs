// 5. Server overhead: requests per second and the latency distribution (median, p75, p99, max of every
// request of every repeat) through the Node adapter (the library's handler over the mock upstream
// in-process, zero latency, rate limit off), against the same mock called straight over HTTP and a bare
// node:http server; each server is a child process stopped by PID, all of them up at once and measured
// in rounds (one run of each per round), so the ratios compare runs taken side by side. Each run also
// charges the server its own CPU time per request. Then heap per session in the memory store, in a
// child run with --expose-gc.
//
// `cpuProfDir`: each server child runs with `node --cpu-prof` and writes `<scenario>.cpuprofile` there
// (read them with `node bench/lib/cpuProfileTop.mjs FILE`). `libRoot`: a folder holding another build's
// `dist/` to load instead of this checkout's (to compare two builds under the same load).
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repo } from './lib/pages.mjs';
import { median, quantile } from './lib/stats.mjs';

const CONCURRENCY = 16;

async function startChild(mode, { libRoot = repo, cpuProf } = {}) {
  const flags = cpuProf ? ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${cpuProf.dir}`, `--cpu-prof-name=${cpuProf.name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, join(repo, 'bench/lib/serverChild.mjs'), mode, libRoot], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const exited = new Promise((done) => child.once('exit', done));
  const port = await new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) done(JSON.parse(line).port);
    });
    child.once('exit', (code) => fail(new Error(`server child (${mode}) exited with ${code}`)));
  });
  return {
    port,
    /** The child's CPU time so far, in µs (user + system). */
    cpuUs: () =>
      new Promise((done) => {
        child.once('message', ({ user, system }) => done(user + system));
        child.send('cpu');
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

function request(agent, port, { method, path, body, headers = {} }) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } : headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.once('error', fail);
    req.end(body);
  });
}

/** `total` requests, at most CONCURRENCY in flight; `make(i)` gives each request's options. */
async function load(port, total, make) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  const statuses = {};
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const r = await request(agent, port, make(i));
        latencies.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { rps: total / seconds, latencies, statuses };
}

const CREATE = { method: 'POST', path: '/api/liveness/sessions', body: '{"locale":"en"}' };
const AUTH = { Authorization: 'Bearer test-key-not-secret' };

/**
 * Each request's latency, pooled over the repeats: median, p75, p99 and max, so a slow tail shows in
 * p75 and max and not only a shift of the median.
 */
function latencySummary(runs) {
  const all = runs.flatMap((x) => x.latencies);
  const r = (x) => Number(x.toFixed(2));
  return { median: r(median(all)), p75: r(quantile(all, 0.75)), p99: r(quantile(all, 0.99)), max: r(Math.max(...all)), n: all.length };
}

function spread(values, digits = 0) {
  const r = (x) => Number(x.toFixed(digits));
  return { median: r(median(values)), min: r(Math.min(...values)), max: r(Math.max(...values)), n: values.length };
}

/**
 * Every server started and warmed up first, then the repeats taken in rounds: one run of each scenario
 * per round. On a machine shared with other work the load drifts over the minute the bench takes; runs
 * taken side by side feel the same drift, so the ratios are taken per round, then their median.
 */
async function measure(scenarios, { total, repeats, libRoot, cpuProfDir }) {
  const live = [];
  try {
    for (const scenario of scenarios) {
      const server = await startChild(scenario.mode, { libRoot, cpuProf: cpuProfDir ? { dir: cpuProfDir, name: scenario.key } : undefined });
      const entry = { scenario, server, ctx: {}, runs: [] };
      live.push(entry);
      entry.ctx = scenario.setup ? await scenario.setup(server.port) : {};
      await load(server.port, Math.min(300, total), (i) => scenario.make(i, entry.ctx)); // warm-up
    }
    for (let round = 0; round < repeats; round += 1) {
      for (const entry of live) {
        const cpuBefore = await entry.server.cpuUs();
        const run = await load(entry.server.port, total, (i) => entry.scenario.make(i, entry.ctx));
        run.cpuUsPerRequest = ((await entry.server.cpuUs()) - cpuBefore) / total;
        entry.runs.push(run);
      }
    }
    const out = {};
    for (const { scenario, runs } of live) {
      out[scenario.key] = {
        // Requests per second is one number per run: its median and spread over the rounds.
        rps: spread(runs.map((x) => x.rps)),
        latencyMs: latencySummary(runs),
        // The server's own CPU time per request: what the code costs, whatever else the machine is doing
        // (throughput and latency also measure the load generator and every other process on the cores).
        cpuUsPerRequest: spread(runs.map((x) => x.cpuUsPerRequest)),
        statuses: runs[0].statuses,
        perRound: { rps: runs.map((x) => Math.round(x.rps)), cpuUsPerRequest: runs.map((x) => Math.round(x.cpuUsPerRequest)) },
      };
    }
    return out;
  } finally {
    await Promise.all(live.map(({ server }) => server.stop()));
  }
}

/** `a` against `b` in each round, in per cent: throughput a/b, and CPU per request b/a (higher is better for a). */
function ratios(a, b) {
  const rounds = a.perRound.rps.map((_, i) => i);
  return {
    rpsPercent: spread(rounds.map((i) => (a.perRound.rps[i] / b.perRound.rps[i]) * 100)),
    cpuPercent: spread(rounds.map((i) => (b.perRound.cpuUsPerRequest[i] / a.perRound.cpuUsPerRequest[i]) * 100)),
  };
}

export async function serverOverheadBench({ quick, cpuProfDir, libRoot = repo }) {
  // Many short rounds rather than a few long ones: what other work does to the cores changes within
  // seconds, and a round's runs then share it. The create server's sessions (300 + 20 × 400) stay under
  // the memory store's 10,000, past which every create would also pay for making room.
  const total = quick ? 250 : 400;
  const repeats = quick ? 4 : 20;
  const out = { requests: total, concurrency: CONCURRENCY, repeats, lib: libRoot === repo ? 'dist/' : join(libRoot, 'dist/') };
  const measured = await measure(
    [
      { key: 'adapterCreate', mode: 'adapter', make: () => CREATE },
      {
        key: 'adapterStatus',
        mode: 'adapter',
        make: (i, ctx) => ({ method: 'GET', path: ctx.paths[i % ctx.paths.length] }),
        setup: async (port) => {
          const agent = new http.Agent({ keepAlive: true });
          const paths = [];
          for (let i = 0; i < 100; i += 1) paths.push(new URL(JSON.parse((await request(agent, port, CREATE)).body).statusUrl, 'http://127.0.0.1').pathname);
          agent.destroy();
          return { paths };
        },
      },
      {
        key: 'directCreate',
        mode: 'direct',
        make: () => ({ method: 'POST', path: '/volc/asset/CreateVisualValidateSession', headers: AUTH, body: '{"CallbackURL":"https://app.example.com/api/liveness/callback?sid=x"}' }),
      },
      // The mock has no status call; its cheapest authenticated answer (a result query for an unknown token, 404) stands in.
      { key: 'directResultQuery', mode: 'direct', make: () => ({ method: 'POST', path: '/volc/asset/GetVisualValidateResult', headers: AUTH, body: '{"BytedToken":"2026FAKE"}' }) },
      { key: 'floor', mode: 'floor', make: () => ({ method: 'GET', path: '/' }) },
    ],
    { total, repeats, libRoot, cpuProfDir },
  );
  Object.assign(out, measured);
  out.ratios = { statusToFloor: ratios(measured.adapterStatus, measured.floor), createToDirect: ratios(measured.adapterCreate, measured.directCreate) };
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(repo, 'bench/lib/memoryChild.mjs'), libRoot, '10000'], { maxBuffer: 1 << 20 });
  out.memory = JSON.parse(stdout.trim().split('\n').at(-1));
  return out;
}
