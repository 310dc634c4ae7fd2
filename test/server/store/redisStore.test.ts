// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandler, type StoredSession } from '../../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../../src/testing.js';
import { API_KEY, PUBLIC_URL, createSession, getStatus, phoneFlow, tokenOf } from '../helpers.js';
import { hashTagOf, redisKeys } from '../../../src/server/store/redis/redisKeys.js';
import { skipRedis as skip, type RedisClient as Client } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

const prefix = `rls-test-${process.pid}-${Date.now()}:`;

function wiredHandler(client: Client, mock: MockUpstream): LivenessHandler {
  return createLivenessHandler({
    apiKey: API_KEY,
    upstreamUrl: 'https://upstream.example.test',
    publicUrl: PUBLIC_URL,
    upstreamRateLimit: false,
    store: redisStore({ client, prefix }),
    fetch: (input, init) => mock(new Request(input, init)),
  });
}

function session(id: string, overrides: Partial<StoredSession> = {}): StoredSession {
  const now = Date.now();
  return { id, version: 0, status: 'pending', bytedToken: 't', h5Link: 'https://h5.test/', qrUrl: 'https://app.test/l/x', createdAt: now, expiresAt: now + 1000, purgeAt: now + 5000, ...overrides };
}

describe.skipIf(skip)('redisStore against a real redis-server', () => {
  const { connect } = redisServerForSuite();

  it('round-trips sessions and sets a PX expiry at purgeAt', async () => {
    const client = await connect();
    const store = redisStore({ client, prefix });
    await store.create(session('rt-1', { purgeAt: Date.now() + 5000 }));
    expect(await store.get('rt-1')).toMatchObject({ id: 'rt-1', status: 'pending', bytedToken: 't' });
    const ttl = await client.pTTL(`${prefix}{rt-1}`);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000);
    await expect(store.create(session('rt-1'))).rejects.toThrow(/already exists/);
    await store.delete('rt-1');
    expect(await store.get('rt-1')).toBeUndefined();
  });

  it('update is a compare-and-set on version that keeps the TTL, or moves it with purgeAt', async () => {
    const client = await connect();
    const store = redisStore({ client, prefix });
    await store.create(session('cas-1', { purgeAt: Date.now() + 60_000 }));
    expect(await store.update('cas-1', 1, { status: 'verified' })).toBeUndefined();
    expect(await store.update('cas-1', 0, { status: 'checking', lease: { holder: 'h', until: 1 } })).toMatchObject({ status: 'checking', version: 1 });
    expect((await store.get('cas-1'))?.status).toBe('checking');
    expect(await client.pTTL(`${prefix}{cas-1}`)).toBeGreaterThan(50_000);
    const released = await store.update('cas-1', 1, { lease: undefined, purgeAt: Date.now() + 600_000 });
    expect(released && 'lease' in released).toBe(false);
    expect(await client.pTTL(`${prefix}{cas-1}`)).toBeGreaterThan(500_000);
    expect(await store.update('nope', 0, { status: 'checking' })).toBeUndefined();
  });

  it('exactly one of many concurrent claims wins, across two clients', async () => {
    const stores = [redisStore({ client: await connect(), prefix }), redisStore({ client: await connect(), prefix })];
    await stores[0]!.create(session('race-1', { purgeAt: Date.now() + 60_000 }));
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 2]!.update('race-1', 0, { lease: { holder: `h${i}`, until: 1 } })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('records: one of many concurrent first writers wins; compare-and-set after; they expire', async () => {
    const stores = [redisStore({ client: await connect(), prefix }), redisStore({ client: await connect(), prefix })];
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.swapRecord!('rec-1', null, `v${i}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const value = await stores[1]!.getRecord!('rec-1');
    expect(await stores[0]!.swapRecord!('rec-1', 'other', 'x', 60_000)).toBe(false);
    expect(await stores[0]!.swapRecord!('rec-1', value!, null, 0)).toBe(true);
    expect(await stores[1]!.getRecord!('rec-1')).toBeUndefined();
    expect(await stores[0]!.swapRecord!('rec-2', null, 'short', 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await stores[0]!.getRecord!('rec-2')).toBeUndefined();
  });

  it('slots: 60 concurrent takers over two clients get exactly the limit; a kept reserve and a raised flag hold', async () => {
    const stores = [redisStore({ client: await connect(), prefix }), redisStore({ client: await connect(), prefix })];
    const takes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => stores[i % 2]!.takeSlot!({ bucket: 'w1', slotId: `s${i}`, limit: 3, windowMs: 60_000, raiseOnRefusal: { flag: 'busy', ms: 60_000 } })),
    );
    expect(takes.filter((take) => take.ok)).toHaveLength(3);
    for (const take of takes.filter((t) => !t.ok)) expect((take as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
    expect((await stores[0]!.takeSlot!({ bucket: 'w2', slotId: 'a', limit: 3, windowMs: 60_000, blockedBy: 'busy' })).ok).toBe(false);
    expect((await stores[0]!.takeSlot!({ bucket: 'w3', slotId: 'a', limit: 2, windowMs: 60_000, keep: 1 })).ok).toBe(true);
    expect((await stores[1]!.takeSlot!({ bucket: 'w3', slotId: 'b', limit: 2, windowMs: 60_000, keep: 1 })).ok).toBe(false);
    await stores[1]!.returnSlot!('w3', 'a');
    expect((await stores[1]!.takeSlot!({ bucket: 'w3', slotId: 'c', limit: 2, windowMs: 60_000, keep: 1 })).ok).toBe(true);
  });

  it('keys really expire', async () => {
    const client = await connect();
    const store = redisStore({ client, prefix });
    await store.create(session('short-1', { purgeAt: Date.now() + 50 }));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.get('short-1')).toBeUndefined();
  });

  it('two handler instances sharing one Redis see the same sessions', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const a = wiredHandler(await connect(), mock);
    const b = wiredHandler(await connect(), mock);
    const created = await createSession(a);
    expect((await getStatus(b, created.sessionId)).status).toBe('pending');
    await phoneFlow({ mock, handler: b }, created, 'pass');
    expect((await getStatus(a, created.sessionId)).status).toBe('verified');
    expect(mock.stats.result).toBe(1);
  });

  it('a restart (new client, new handler) loses nothing', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const firstClient = await connect();
    const before = wiredHandler(firstClient, mock);
    const created = await createSession(before);
    await firstClient.close();
    const after = wiredHandler(await connect(), mock);
    const status = await getStatus(after, created.sessionId);
    expect(status).toEqual({ sessionId: created.sessionId, status: 'pending', expiresAt: created.expiresAt, expiresInMs: expect.any(Number) });
    const redirect = await after(new Request(created.qrUrl!));
    expect(redirect.headers.get('Location')).toBe(created.h5Link);
    await phoneFlow({ mock, handler: after }, created, 'pass', 'qr', redirect.headers.get('Set-Cookie')!.split(';')[0]);
    expect((await getStatus(after, created.sessionId)).status).toBe('verified');
  });

  it('concurrent callbacks across two instances make exactly one result call', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 30 });
    const a = wiredHandler(await connect(), mock);
    const b = wiredHandler(await connect(), mock);
    const created = await createSession(a);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b)(new Request(url))));
    expect(mock.stats.result).toBe(1);
    const pages = await Promise.all(responses.map((r) => r.text()));
    // Losers in the other process wait for the winner's decision instead of showing "pending".
    for (const html of pages) expect(html).toContain('data-liveness-callback="verified"');
    expect((await getStatus(b, created.sessionId)).status).toBe('verified');
  });
});

describe('redisStore keys (issue 28: Redis Cluster slots)', () => {
  it('a script takes keys of one hash tag only; sessions and records each have their own tag', () => {
    const keys = redisKeys('liveness:session:');
    expect(keys.session('abc')).toBe('liveness:session:{abc}');
    expect(keys.record('idempotency:f00')).toBe('liveness:session:{record:idempotency:f00}');
    // TAKE_SLOT's three keys: a window and two flags, on the budget's slot.
    const budget = [keys.window('upstream:create'), keys.flag('upstream:results-waiting'), keys.flag('-'), keys.window('client:0123')];
    expect(new Set(budget.map(hashTagOf))).toEqual(new Set(['budget']));
    expect(hashTagOf(keys.session('a'))).not.toBe(hashTagOf(keys.session('b')));
    expect(keys.channel).toBe('liveness:session:changes');
  });

  it('a custom prefix keeps working, also one with a hash tag of its own (every key on its slot)', () => {
    const plain = redisKeys('app1:');
    expect(plain.session('x')).toBe('app1:{x}');
    const tagged = redisKeys('{rls}:');
    for (const key of [tagged.session('a'), tagged.session('b'), tagged.record('r'), tagged.window('upstream:create'), tagged.flag('-')]) expect(hashTagOf(key)).toBe('rls');
  });

  it('a prefix whose braces are no hash tag is refused at creation, with the reason', () => {
    expect(() => redisKeys('app{}:')).toThrow(/braces/);
    expect(() => redisStore({ client: { eval: async () => null }, prefix: 'app{}:' })).toThrow(/hash tag/);
  });

  it("the hash tag rule is Redis Cluster's: the first {…} that is not empty", () => {
    expect(hashTagOf('{user1000}.following')).toBe('user1000');
    expect(hashTagOf('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTagOf('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagOf('foo{bar}{zap}')).toBe('bar');
    expect(hashTagOf('plain')).toBe('plain');
  });
});
