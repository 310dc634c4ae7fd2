// Where issue 27's create gap goes (create via the Node adapter against the mock called directly): the
// library's handler calls the upstream in-process through the fetch API (`fetch(url, init)` with a signal,
// a Response streamed back), where the "direct" scenario hands the mock one Request. In this process,
// no HTTP, µs per call (median of 5 runs of CALLS after a warm-up):
//   - the mock's create called with a Request, its answer read as text (what "direct" pays past HTTP);
//   - the same through `mock.fetch(url, init)` as the library's upstream client calls it (the hop);
//   - the library's whole create route, its upstream call included (`handler(Request)`).
//
//   node bench/upstreamHop.mjs        (reads dist/: npm run build first; writes bench/upstreamHop.json)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/stats.mjs';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const { createLivenessHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
const CALLS = 3_000;
const origin = 'http://127.0.0.1:9';
const upstream = `${origin}/mock-upstream`;
const createUrl = `${upstream}/volc/asset/CreateVisualValidateSession`;
const body = JSON.stringify({ CallbackURL: 'https://app.example.com/api/liveness/callback?sid=x' });
const headers = { Authorization: 'Bearer test-key-not-secret', 'Content-Type': 'application/json', Accept: 'application/json' };

async function perCall(fn) {
  for (let i = 0; i < 300; i += 1) await fn();
  const runs = [];
  for (let run = 0; run < 5; run += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i += 1) await fn();
    runs.push(Number(process.hrtime.bigint() - started) / 1e3 / CALLS);
  }
  return Number(median(runs).toFixed(1));
}

const mock = createMockUpstream({ apiKey: 'test-key-not-secret', publicUrl: upstream });
const direct = await perCall(async () => (await mock(new Request(createUrl, { method: 'POST', headers, body }))).text());
const hop = await perCall(async () => (await mock.fetch(createUrl, { method: 'POST', headers, body, signal: new AbortController().signal, redirect: 'manual' })).text());
// 15,300 creates: past the memory store's 10,000 each evicts the oldest (O(1) since this stop's fix).
const handler = createLivenessHandler({ apiKey: 'test-key-not-secret', upstreamUrl: upstream, fetch: mock.fetch, publicUrl: origin, upstreamRateLimit: false, clientRateLimit: false });
const route = await perCall(async () =>
  (await handler(new Request(`${origin}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' }))).text(),
);
const report = {
  generatedAt: new Date().toISOString(),
  command: 'node bench/upstreamHop.mjs',
  node: process.version,
  calls: CALLS,
  mockWithRequestUs: direct,
  mockThroughFetchUs: hop,
  createRouteUs: route,
};
writeFileSync(join(repo, 'bench/upstreamHop.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report));
