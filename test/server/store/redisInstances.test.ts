// @vitest-environment node
// Issue 12 across instances: three handler instances, each with its own Redis connection, on one real
// redis-server (started and stopped by PID). They share the sessions, the single successful result call
// and the upstream budget.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandler, type LivenessHandlerOptions, type SessionStore, type VerifiedSession } from '../../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../../src/testing.js';
import { API_KEY, expectSharedBudget, createSession, getStatus, postSession, PUBLIC_URL, successfulResults, tokenOf } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

const redis = redisServerForSuite();
let run = 0;

/** Three instances on one Redis (a fresh key prefix per test), all calling the same mock upstream. */
async function cluster(mock: MockUpstream, options: Partial<LivenessHandlerOptions> = {}, instance: (store: SessionStore, i: number) => Partial<LivenessHandlerOptions> = () => ({})) {
  run += 1;
  const prefix = `rls-cluster-${process.pid}-${run}:`;
  const handlers: LivenessHandler[] = [];
  for (let i = 0; i < 3; i += 1) {
    const store = redisStore({ client: await redis.connect(), prefix });
    handlers.push(
      createLivenessHandler({
        apiKey: API_KEY,
        upstreamUrl: 'https://upstream.example.test',
        publicUrl: PUBLIC_URL,
        store,
        fetch: mock.fetch,
        ...options,
        ...instance(store, i),
      }),
    );
  }
  return handlers;
}

describe.skipIf(skipRedis)('three instances on one redis-server', () => {
  it('30 concurrent creates spread over them (and their retries): never more than 3 upstream creates in any second', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, rateLimit: { requests: 3, perMs: 1000 } });
    const instances = await cluster(mock);
    const statuses: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        // Like the browser: on 429 wait Retry-After and try again, for a little over two windows.
        for (;;) {
          const response = await postSession(instances[i % 3]!);
          statuses.push(response.status);
          if (response.status !== 429 || Date.now() - started > 2_300) return;
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('Retry-After')) * 1000));
        }
      }),
    );
    expect(mock.calls.filter((call) => call.action === 'create').length).toBeGreaterThanOrEqual(3);
    expectSharedBudget(mock, statuses);
  }, 20_000);

  it('15 concurrent success callbacks over the three: one result call, and every page shows the outcome', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 40 });
    const instances = await cluster(mock);
    const created = await createSession(instances[0]!);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    const pages = await Promise.all(Array.from({ length: 15 }, (_, i) => instances[i % 3]!(new Request(url)).then((r) => r.text())));
    expect(mock.stats.result).toBe(1);
    expect(successfulResults(mock)).toBe(1);
    for (const html of pages) expect(html).toContain('data-liveness-callback="verified"');
    for (const instance of instances) expect((await getStatus(instance, created.sessionId)).status).toBe('verified');
  });

  it('issue 16: 15 concurrent callbacks over the three call onVerified exactly once, with the GroupId and the subject', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 40 });
    const calls: VerifiedSession[] = [];
    const instances = await cluster(mock, {
      authorize: () => ({ subject: 'user-cluster-1' }),
      // Slow enough that other callbacks arrive while it runs, on every instance.
      onVerified: async (result) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        calls.push(result);
      },
    });
    const created = await createSession(instances[0]!);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    await Promise.all(Array.from({ length: 15 }, (_, i) => instances[i % 3]!(new Request(url)).then((r) => r.text())));
    // Every instance ends up telling the same story, and nothing more is called while they do.
    for (let i = 0; i < 50 && (await getStatus(instances[1]!, created.sessionId)).status !== 'verified'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const status = await getStatus(instances[2]!, created.sessionId);
    expect(status.status).toBe('verified');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ sessionId: created.sessionId, groupId: status.groupId, subject: 'user-cluster-1', resultCode: '10000' });
    expect(mock.stats.result).toBe(1);
    expect((await instances[0]!.getSession(created.sessionId, { subject: 'user-cluster-1' }))?.groupId).toBe(status.groupId);
    expect(await instances[1]!.getSession(created.sessionId, { subject: 'user-cluster-2' })).toBeUndefined();
  });

  it('an instance that claims the result call and dies: another finishes it once the lease has run out', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    let dead = false;
    const never = new Promise<never>(() => {});
    // Instance 0 dies right after its claim reached Redis: every later store call and its upstream call
    // hang for ever, like a process that was killed (or a serverless function frozen) mid-call.
    const dying = (store: SessionStore): SessionStore => ({
      ...store,
      get: (id) => (dead ? never : store.get(id)),
      update: async (id, version, patch) => {
        if (dead) return never;
        const next = await store.update(id, version, patch);
        if (next?.lease) dead = true;
        return next;
      },
    });
    // The shortest lease there is: 100 ms (timeout) + 2 s (slot wait) + 2 s (margin). It runs on Redis's
    // clock (issue 21), so the test waits it out rather than moving the instances' clocks.
    const [a, b, c] = await cluster(mock, { upstreamTimeoutMs: 100, upstreamRateLimit: false, backgroundTimers: false }, (store, i) =>
      i === 0 ? { store: dying(store), fetch: (input, init) => (dead ? never : mock.fetch(input, init)) } : {},
    );
    const created = await createSession(b!);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    const hung = a!(new Request(url));
    for (let i = 0; i < 200 && !dead; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(dead).toBe(true);
    // While the lease runs, the others do not call: the holder might still answer.
    expect((await getStatus(b!, created.sessionId)).status).toBe('pending');
    expect(mock.stats.result).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 4_300));
    const status = await getStatus(c!, created.sessionId);
    expect(status.status).toBe('verified');
    expect(successfulResults(mock)).toBe(1);
    void hung;
  }, 15_000);
});
