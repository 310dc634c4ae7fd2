// Run with --expose-gc: heap used by 10,000 sessions in the memory store (handler in-process, no HTTP).
// The mock upstream's own record of them is dropped (mock.reset()) before measuring, so the delta is
// the handler's: its store, indexes and anything else it keeps per session.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = process.argv[2];
const sessions = Number(process.argv[3] ?? 10_000);
const { createLivenessHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);

const origin = 'http://127.0.0.1:5173';
const mock = createMockUpstream({ publicUrl: `${origin}/mock-upstream` });
const handler = createLivenessHandler({
  apiKey: 'test-key-not-secret',
  upstreamUrl: `${origin}/mock-upstream`,
  fetch: mock.fetch,
  publicUrl: origin,
  upstreamRateLimit: false,
});
const create = () => handler(new Request(`${origin}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' }));
// Warm up code paths and lazily created structures, then forget them.
for (let i = 0; i < 50; i += 1) await (await create()).text();
mock.reset();
const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    globalThis.gc();
    await new Promise((done) => setImmediate(done));
  }
  return process.memoryUsage();
};
const before = await settle();
let ok = 0;
for (let i = 0; i < sessions; i += 1) {
  const response = await create();
  await response.text();
  if (response.status === 201) ok += 1;
}
mock.reset();
const after = await settle();
console.log(
  JSON.stringify({
    sessions,
    created: ok,
    heapUsedDelta: after.heapUsed - before.heapUsed,
    bytesPerSession: Math.round((after.heapUsed - before.heapUsed) / sessions),
    rssDelta: after.rss - before.rss,
  }),
);
process.exit(0);
