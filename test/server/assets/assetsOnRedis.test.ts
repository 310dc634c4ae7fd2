// @vitest-environment node
// Issue 26 across instances: two handler instances, each with its own Redis connection, on one real
// redis-server (started and stopped by PID). They share the asset records, the CreateAsset and
// ListAssets budgets, the group listings, idempotency keys, and the one successful onAssetActive.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessAssetOptions, type LivenessHandler } from '../../../src/server.js';
import { createMockUpstream, type MockUpstream, type MockUpstreamOptions } from '../../../src/testing.js';
import { API_KEY, errorBody, PUBLIC_URL } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';
import { ALICE, MALLORY, readStatus, upload, uploadRequest } from './assetHelpers.js';
import * as files from '../../media/mediaFiles.js';

const redis = redisServerForSuite();
let run = 0;

/** Two instances on one Redis (a fresh key prefix per test), one mock upstream, groups for Alice and Mallory. */
async function twoInstances(assets: Partial<LivenessAssetOptions> = {}, mockOptions: MockUpstreamOptions = {}) {
  run += 1;
  const prefix = `rls-assets-${process.pid}-${run}:`;
  const mock: MockUpstream = createMockUpstream({ apiKey: API_KEY, assetActivationMs: 300, ...mockOptions });
  const groups = new Map([
    [ALICE, mock.createGroup()],
    [MALLORY, mock.createGroup()],
  ]);
  const handlers: LivenessHandler[] = [];
  for (let i = 0; i < 2; i += 1) {
    handlers.push(
      createLivenessHandler({
        apiKey: API_KEY,
        upstreamUrl: 'https://upstream.example.test',
        publicUrl: PUBLIC_URL,
        store: redisStore({ client: await redis.connect(), prefix }),
        fetch: mock.fetch,
        backgroundTimers: false,
        authorize: (request) => ({ subject: request.headers.get('X-Test-User') ?? 'nobody' }),
        assets: { groupIdFor: (subject) => groups.get(subject), listIntervalMs: 200, ...assets },
      }),
    );
  }
  return { mock, handlers, groups };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipRedis)('two instances on one redis-server', () => {
  it('share the CreateAsset budget: 2 per minute means 2 over both, the third is 429 on either', async () => {
    const { mock, handlers } = await twoInstances({ createRateLimit: { requests: 2, perMs: 60_000 } });
    await upload({ handler: handlers[0]! }, files.png(600, 800));
    await upload({ handler: handlers[1]! }, files.png(600, 800), { user: MALLORY });
    const third = await handlers[0]!(uploadRequest(files.png(600, 800)));
    const fourth = await handlers[1]!(uploadRequest(files.png(600, 800), { user: MALLORY }));
    expect([third.status, fourth.status]).toEqual([429, 429]);
    expect(mock.stats.createAsset).toBe(2);
  });

  it('share each subject’s upload budget', async () => {
    const { handlers } = await twoInstances({ subjectRateLimit: { requests: 1, perMs: 60_000 } });
    await upload({ handler: handlers[0]! }, files.png(600, 800));
    const again = await handlers[1]!(uploadRequest(files.png(600, 800)));
    expect(again.status).toBe(429);
    expect((await errorBody(again)).code).toBe('client_rate_limited');
  });

  it('share the ListAssets budget and the group’s listing: reads on both instances cost one call per interval', async () => {
    const { mock, handlers } = await twoInstances({ listIntervalMs: 60_000, listRateLimit: { requests: 1, perMs: 60_000 } }, { assetActivationMs: 0 });
    const alice = await upload({ handler: handlers[0]! }, files.png(600, 800));
    const mallory = await upload({ handler: handlers[1]! }, files.png(600, 800), { user: MALLORY });
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => readStatus({ handler: handlers[i % 2]! }, alice.assetId)),
      ...Array.from({ length: 10 }, (_, i) => readStatus({ handler: handlers[i % 2]! }, mallory.assetId, MALLORY)),
    ]);
    // One listing for Alice's group (fresh for a minute, on both); Mallory's group found no slot left.
    expect(mock.stats.listAssets).toBe(1);
    const states = await Promise.all([readStatus({ handler: handlers[1]! }, alice.assetId), readStatus({ handler: handlers[0]! }, mallory.assetId, MALLORY)]);
    expect(states.map((state) => state.status).sort()).toEqual(['active', 'processing']);
  });

  it('an upload made on one instance is read on the other; another subject cannot read it on either', async () => {
    const { handlers } = await twoInstances();
    const { assetId } = await upload({ handler: handlers[0]! }, files.png(600, 800));
    expect((await readStatus({ handler: handlers[1]! }, assetId)).status).toBe('processing');
    for (const handler of handlers) {
      const response = await handler(new Request(`${PUBLIC_URL}/api/liveness/assets/${assetId}`, { headers: { 'X-Test-User': MALLORY } }));
      expect(response.status).toBe(404);
    }
  });

  it('an Idempotency-Key repeated on the other instance gets the same asset', async () => {
    const { mock, handlers } = await twoInstances({}, { latencyMs: 200 });
    const photo = files.png(600, 800);
    const key = 'redis-upload-key-0123456789';
    const [a, b] = await Promise.all([upload({ handler: handlers[0]! }, photo, { key }), upload({ handler: handlers[1]! }, photo, { key })]);
    expect(a.assetId).toBe(b.assetId);
    expect(mock.stats.createAsset).toBe(1);
  });

  it('onAssetActive exactly once across instances: 40 concurrent reads on both while a slow hook runs, and again after', async () => {
    const calls: string[] = [];
    const { handlers } = await twoInstances({
      onAssetActive: async ({ assetId }) => {
        await sleep(150);
        calls.push(assetId);
      },
    });
    const { assetId } = await upload({ handler: handlers[0]! }, files.png(600, 800));
    await sleep(350);
    await Promise.all(Array.from({ length: 40 }, (_, i) => sleep(i * 5).then(() => readStatus({ handler: handlers[i % 2]! }, assetId))));
    for (let tries = 0; tries < 40 && (await readStatus({ handler: handlers[1]! }, assetId)).status !== 'active'; tries += 1) await sleep(100);
    expect((await readStatus({ handler: handlers[0]! }, assetId)).status).toBe('active');
    await Promise.all(Array.from({ length: 10 }, (_, i) => readStatus({ handler: handlers[i % 2]! }, assetId)));
    expect(calls).toEqual([assetId]);
  });

  it('onAssetActive that fails on one instance succeeds once, on whichever retries it, and never again', async () => {
    let calls = 0;
    let successes = 0;
    const { handlers } = await twoInstances({
      onAssetActive: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
        successes += 1;
      },
    });
    const { assetId } = await upload({ handler: handlers[0]! }, files.png(600, 800));
    await sleep(350);
    for (let tries = 0; tries < 60 && (await readStatus({ handler: handlers[tries % 2]! }, assetId)).status !== 'active'; tries += 1) await sleep(100);
    await Promise.all(Array.from({ length: 10 }, (_, i) => readStatus({ handler: handlers[i % 2]! }, assetId)));
    expect({ calls, successes }).toEqual({ calls: 2, successes: 1 });
  });
});
