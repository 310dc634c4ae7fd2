// 5. Server overhead: requests per second and the latency distribution (median, p75, p99, max of every
// request of every repeat) through the Node adapter (the library's handler over the mock upstream
// in-process, zero latency, rate limit off), against the same mock called straight over HTTP and a bare
// node:http server; each server is a child process stopped by PID. Then heap per session in the memory
// store, in a child run with --expose-gc.
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
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, body: Buffer.concat(chunks).toString() }));
    });
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

async function scenario(name, mode, make, { total, repeats, setup, libRoot, cpuProfDir }) {
  const server = await startChild(mode, { libRoot, cpuProf: cpuProfDir ? { dir: cpuProfDir, name } : undefined });
  try {
    const ctx = setup ? await setup(server.port) : {};
    await load(server.port, Math.min(300, total), (i) => make(i, ctx)); // warm-up
    const runs = [];
    for (let r = 0; r < repeats; r += 1) {
      const cpuBefore = await server.cpuUs();
      const run = await load(server.port, total, (i) => make(i, ctx));
      run.cpuUsPerRequest = ((await server.cpuUs()) - cpuBefore) / total;
      runs.push(run);
    }
    const rps = runs.map((x) => x.rps);
    // Requests per second is one number per repeat: its median and spread over the repeats.
    const rpsSummary = { median: Math.round(median(rps)), min: Math.round(Math.min(...rps)), max: Math.round(Math.max(...rps)), n: runs.length };
    // The server's own CPU time per request: what the code costs, whatever else the machine is doing
    // (throughput and latency also measure the load generator and every other process on the cores).
    const cpu = runs.map((x) => x.cpuUsPerRequest);
    const cpuUsPerRequest = { median: Math.round(median(cpu)), min: Math.round(Math.min(...cpu)), max: Math.round(Math.max(...cpu)), n: runs.length };
    return { rps: rpsSummary, latencyMs: latencySummary(runs), cpuUsPerRequest, statuses: runs[0].statuses };
  } finally {
    await server.stop();
  }
}

export async function serverOverheadBench({ quick, cpuProfDir, libRoot = repo }) {
  const total = quick ? 1000 : 2000;
  const repeats = quick ? 1 : 3;
  const opts = { total, repeats, libRoot, cpuProfDir };
  const out = { requests: total, concurrency: CONCURRENCY, repeats, lib: libRoot === repo ? 'dist/' : join(libRoot, 'dist/') };
  out.adapterCreate = await scenario('adapterCreate', 'adapter', () => CREATE, opts);
  out.adapterStatus = await scenario('adapterStatus', 'adapter', (i, ctx) => ({ method: 'GET', path: ctx.paths[i % ctx.paths.length] }), {
    ...opts,
    setup: async (port) => {
      const agent = new http.Agent({ keepAlive: true });
      const paths = [];
      for (let i = 0; i < 100; i += 1) paths.push(new URL(JSON.parse((await request(agent, port, CREATE)).body).statusUrl, 'http://127.0.0.1').pathname);
      agent.destroy();
      return { paths };
    },
  });
  out.directCreate = await scenario('directCreate', 'direct', () => ({
    method: 'POST',
    path: '/volc/asset/CreateVisualValidateSession',
    headers: AUTH,
    body: '{"CallbackURL":"https://app.example.com/api/liveness/callback?sid=x"}',
  }), opts);
  // The mock has no status call; its cheapest authenticated answer (a result query for an unknown token, 404) stands in.
  out.directResultQuery = await scenario('directResultQuery', 'direct', () => ({ method: 'POST', path: '/volc/asset/GetVisualValidateResult', headers: AUTH, body: '{"BytedToken":"2026FAKE"}' }), opts);
  out.floor = await scenario('floor', 'floor', () => ({ method: 'GET', path: '/' }), opts);
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(repo, 'bench/lib/memoryChild.mjs'), libRoot, '10000'], { maxBuffer: 1 << 20 });
  out.memory = JSON.parse(stdout.trim().split('\n').at(-1));
  return out;
}
