// 5. Server overhead: requests per second and p50/p99 latency through the Node adapter (the library's
// handler over the mock upstream in-process, zero latency, rate limit off), against the same mock
// called straight over HTTP and a bare node:http server; each server is a child process stopped by PID.
// Then heap per session in the memory store, in a child run with --expose-gc.
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repo } from './lib/pages.mjs';
import { median, quantile } from './lib/stats.mjs';

const CONCURRENCY = 16;

async function startChild(mode) {
  const child = spawn(process.execPath, [join(repo, 'bench/lib/serverChild.mjs'), mode, repo], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  return { rps: total / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), statuses };
}

const CREATE = { method: 'POST', path: '/api/liveness/sessions', body: '{"locale":"en"}' };
const AUTH = { Authorization: 'Bearer test-key-not-secret' };

async function scenario(mode, make, { total, repeats, setup }) {
  const server = await startChild(mode);
  try {
    const ctx = setup ? await setup(server.port) : {};
    await load(server.port, Math.min(300, total), (i) => make(i, ctx)); // warm-up
    const runs = [];
    for (let r = 0; r < repeats; r += 1) runs.push(await load(server.port, total, (i) => make(i, ctx)));
    const pick = (key) => ({
      median: Number(median(runs.map((x) => x[key])).toFixed(key === 'rps' ? 0 : 2)),
      min: Number(Math.min(...runs.map((x) => x[key])).toFixed(key === 'rps' ? 0 : 2)),
      max: Number(Math.max(...runs.map((x) => x[key])).toFixed(key === 'rps' ? 0 : 2)),
    });
    return { rps: pick('rps'), p50Ms: pick('p50'), p99Ms: pick('p99'), statuses: runs[0].statuses };
  } finally {
    await server.stop();
  }
}

export async function serverOverheadBench({ quick }) {
  const total = quick ? 1000 : 2000;
  const repeats = quick ? 1 : 3;
  const opts = { total, repeats };
  const out = { requests: total, concurrency: CONCURRENCY, repeats };
  out.adapterCreate = await scenario('adapter', () => CREATE, opts);
  out.adapterStatus = await scenario('adapter', (i, ctx) => ({ method: 'GET', path: ctx.paths[i % ctx.paths.length] }), {
    ...opts,
    setup: async (port) => {
      const agent = new http.Agent({ keepAlive: true });
      const paths = [];
      for (let i = 0; i < 100; i += 1) paths.push(new URL(JSON.parse((await request(agent, port, CREATE)).body).statusUrl, 'http://127.0.0.1').pathname);
      agent.destroy();
      return { paths };
    },
  });
  out.directCreate = await scenario('direct', () => ({
    method: 'POST',
    path: '/volc/asset/CreateVisualValidateSession',
    headers: AUTH,
    body: '{"CallbackURL":"https://app.example.com/api/liveness/callback?sid=x"}',
  }), opts);
  // The mock has no status call; its cheapest authenticated answer (a result query for an unknown token, 404) stands in.
  out.directResultQuery = await scenario('direct', () => ({ method: 'POST', path: '/volc/asset/GetVisualValidateResult', headers: AUTH, body: '{"BytedToken":"2026FAKE"}' }), opts);
  out.floor = await scenario('floor', () => ({ method: 'GET', path: '/' }), opts);
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(repo, 'bench/lib/memoryChild.mjs'), repo, '10000'], { maxBuffer: 1 << 20 });
  out.memory = JSON.parse(stdout.trim().split('\n').at(-1));
  return out;
}
