// @vitest-environment node
// Issue 21, finding 6: leases across instances whose clocks differ. A lease was written with the
// claiming instance's own clock and judged with the reader's, so an instance whose clock runs ahead by
// more than the lease's 2 s margin saw a live lease as run out and took it over: a second result
// call, or a second `onVerified` call, while the first was still under way. Two handlers on one real
// redis-server (started and stopped by PID), one with a clock 5 s ahead.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandlerOptions } from '../../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../../src/testing.js';
import { API_KEY, PUBLIC_URL, createSession, getStatus, successfulResults, tokenOf } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

const redis = redisServerForSuite();
let run = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SKEW_MS = 5_000;

/** Instance A on the real clock, instance B 5 s ahead (its handler and its store), one Redis prefix. */
async function instances(mock: MockUpstream, options: Partial<LivenessHandlerOptions>) {
  run += 1;
  const prefix = `rls-skew-${process.pid}-${run}:`;
  const make = async (skewMs: number) => {
    const clock = () => Date.now() + skewMs;
    return createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: PUBLIC_URL,
      store: redisStore({ client: await redis.connect(), prefix, clock }),
      fetch: mock.fetch,
      upstreamRateLimit: false,
      // Only requests drive the steps here, so the test decides which instance looks when.
      backgroundTimers: false,
      clock,
      ...options,
    });
  };
  return { a: await make(0), b: await make(SKEW_MS) };
}

describe.skipIf(skipRedis)('two instances on one redis-server, one clock 5 s ahead', () => {
  it('one result call: the instance ahead does not take over a lease that is still running', async () => {
    // A result call takes 1.5 s; its lease is 2 s (timeout) + 2 s (slot wait) + 2 s (margin) = 6 s on
    // A's clock, which B, 5 s ahead, sees run out 1 s after it was taken.
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 1_500 });
    const { a, b } = await instances(mock, { upstreamTimeoutMs: 2_000 });
    const created = await createSession(a);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    const callback = a(new Request(url));
    // A's call is under way (the mock counts it on arrival); a desktop poll lands on B 1.2 s into it.
    for (let i = 0; i < 50 && mock.stats.result === 0; i += 1) await sleep(20);
    await sleep(1_200);
    await getStatus(b, created.sessionId);
    expect(await (await callback).text()).toContain('data-liveness-callback="verified"');
    expect((await getStatus(b, created.sessionId)).status).toBe('verified');
    expect(mock.stats.result).toBe(1);
    expect(successfulResults(mock)).toBe(1);
  });

  it('one onVerified call: the instance ahead does not call it again while the first is running', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    let calls = 0;
    let started: () => void = () => {};
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    // The hook takes 2 s; its lease is 4 s (its timeout) + 2 s (margin) on A's clock: 1 s on B's.
    const { a, b } = await instances(mock, {
      onVerifiedTimeoutMs: 4_000,
      onVerified: async () => {
        calls += 1;
        started();
        await sleep(2_000);
      },
    });
    const created = await createSession(a);
    const callback = a(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!));
    await firstStarted;
    await sleep(1_200);
    await getStatus(b, created.sessionId);
    await callback;
    expect((await getStatus(a, created.sessionId)).status).toBe('verified');
    expect(calls).toBe(1);
    expect(mock.stats.result).toBe(1);
  });
});
