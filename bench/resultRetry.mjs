// Issue 12: time from a success callback to `verified` when the first two result calls fail (a 500,
// then a 503 without Retry-After). On a long-lived server the handler's own timers run the retries
// (back-off 1 s, then 2 s); on a serverless platform nothing runs between requests, so the desktop's
// status polls (every 2 s, as the browser does) carry them. Real time, in-process, mock upstream.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repo } from './lib/pages.mjs';
import { summary } from './lib/stats.mjs';

const POLL_MS = 2000;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function once({ server, testing, timers }) {
  const mock = testing.createMockUpstream({ apiKey: 'test-key-not-secret' });
  const handler = server.createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: 'https://upstream.example.test',
    publicUrl: 'https://app.example.test',
    fetch: mock.fetch,
    upstreamRateLimit: false,
    clientRateLimit: false,
    backgroundTimers: timers,
  });
  const created = await (await handler(new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }))).json();
  const statusUrl = `https://app.example.test${created.statusUrl}`;
  // The desktop is already polling when the phone comes back.
  await (await handler(new Request(statusUrl))).arrayBuffer();
  const token = new URL(created.h5Link).searchParams.get('bytedToken');
  mock.failNext('serverError', 'result');
  mock.failNext('plainError', 'result');
  const callbackUrl = mock.decide(token, 'pass');
  const started = performance.now();
  await (await handler(new Request(callbackUrl))).arrayBuffer();
  // Poll as the browser does, at a random phase of its 2 s cycle; with timers also read without polling.
  let nextPoll = started + Math.random() * POLL_MS;
  for (;;) {
    const now = performance.now();
    let status;
    if (now >= nextPoll) {
      status = await (await handler(new Request(statusUrl))).json();
      nextPoll += POLL_MS;
    } else if (timers) {
      status = await handler.getSession(created.sessionId);
    }
    if (status?.status === 'verified') return { ms: performance.now() - started, resultCalls: mock.stats.result };
    if (status && status.status !== 'pending') throw new Error(`ended ${status.status}`);
    if (now - started > 30_000) throw new Error('not verified within 30 s');
    await sleep(timers ? 20 : Math.max(1, nextPoll - performance.now()));
  }
}

export async function resultRetryBench({ quick }) {
  const server = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const testing = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const runs = quick ? 3 : 7;
  const out = {};
  for (const [name, timers] of [
    ['timers', true],
    ['pollsOnly', false],
  ]) {
    const times = [];
    let calls;
    for (let i = 0; i < runs; i += 1) {
      const run = await once({ server, testing, timers });
      times.push(run.ms);
      calls = run.resultCalls;
    }
    out[name] = { callbackToVerifiedMs: summary(times, 0), resultCallsPerSession: calls };
  }
  return { failuresBeforeAnswer: 2, pollIntervalMs: POLL_MS, runs, ...out };
}
