// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, memoryStore, redisStore, type SessionStore } from '../../../src/server.js';
import { API_KEY, BASE, PUBLIC_URL, request, setup } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

/** A memory store whose `get` is replaced: the probe only ever reads. */
function storeWith(get: SessionStore['get']): SessionStore & { reads: number } {
  const inner = memoryStore();
  const store = {
    ...inner,
    reads: 0,
    get(id: string) {
      store.reads += 1;
      return get(id);
    },
  };
  return store;
}

const never = () => new Promise<never>(() => {});

describe('GET|HEAD {basePath}/health', () => {
  it('200 {"status":"ok"} with no-store when the store answers, and nothing else in the body', async () => {
    const { handler, mock, events } = setup();
    const response = await handler(request(`${BASE}/health`));
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    // No counts, no versions, no store details: nothing that helps an attacker size or fingerprint the service.
    expect(await response.text()).toBe('{"status":"ok"}');
    expect(mock.stats).toEqual({ create: 0, result: 0, createAsset: 0, listAssets: 0, getAsset: 0 });
    expect(events).toEqual([]);
  });

  it('HEAD answers the same status and headers without a body', async () => {
    const { handler } = setup();
    const response = await handler(request(`${BASE}/health`, { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.text()).toBe('');
  });

  it('other methods: 405 with Allow: GET, HEAD', async () => {
    const { handler } = setup();
    const response = await handler(request(`${BASE}/health`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });

  it('is not gated by authorize (load balancers carry no credentials) and never calls the upstream', async () => {
    const { handler, mock } = setup({ authorize: () => false });
    const response = await handler(request(`${BASE}/health`));
    expect(response.status).toBe(200);
    expect(mock.stats).toEqual({ create: 0, result: 0, createAsset: 0, listAssets: 0, getAsset: 0 });
  });

  it('a store that throws: 503 {"status":"unavailable","store":"error"} with Retry-After and no-store', async () => {
    const store = storeWith(async () => {
      throw new Error('ECONNREFUSED redis://:hunter2@10.0.0.5:6379');
    });
    const { handler } = setup({ store });
    const response = await handler(request(`${BASE}/health`));
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    // The store's error may carry a password or an address: never echoed.
    expect(await response.json()).toEqual({ status: 'unavailable', store: 'error' });
  });

  it('a store that never answers: 503 {"status":"unavailable","store":"timeout"} with Retry-After, never a hang', async () => {
    const store = storeWith(never);
    const { handler } = setup({ store });
    const get = await handler(request(`${BASE}/health`));
    expect(get.status).toBe(503);
    expect(get.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    expect(await get.json()).toEqual({ status: 'unavailable', store: 'timeout' });
    const head = await handler(request(`${BASE}/health`, { method: 'HEAD' }));
    expect(head.status).toBe(503);
    expect(await head.text()).toBe('');
  });

  it('concurrent probes of a hung store share one read instead of piling reads up', async () => {
    const store = storeWith(never);
    const { handler } = setup({ store });
    const answers = await Promise.all(Array.from({ length: 20 }, () => handler(request(`${BASE}/health`))));
    expect(answers.map((response) => response.status)).toEqual(Array(20).fill(503));
    expect(store.reads).toBe(1);
  });

  it('a store that hung once and recovered: the next probe reads again and answers 200', async () => {
    let calls = 0;
    const store = storeWith(async () => {
      calls += 1;
      return calls === 1 ? never() : undefined;
    });
    const { handler } = setup({ store });
    expect((await handler(request(`${BASE}/health`))).status).toBe(503);
    expect((await handler(request(`${BASE}/health`))).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('follows basePath', async () => {
    const { handler } = setup({ basePath: '/verify' });
    expect((await handler(request('/verify/health'))).status).toBe(200);
    expect((await handler(request(`${BASE}/health`))).status).toBe(404);
  });
});

describe.skipIf(skipRedis)('the health route on a redisStore (real redis-server)', () => {
  const redis = redisServerForSuite();

  it('200 while redis-server runs; 503 once it is gone, within the probe deadline', async () => {
    const client = await redis.connect();
    const store = redisStore({ client, subscriber: false });
    const handler = createLivenessHandler({ apiKey: API_KEY, publicUrl: PUBLIC_URL, store });
    expect((await handler(request(`${BASE}/health`))).status).toBe(200);
    // Stopped by a command of its own: the client's connection drops as in a crash, and the client
    // then queues or refuses commands while it tries to reconnect.
    const admin = await redis.connect();
    try {
      await admin.sendCommand(['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
      const response = await handler(request(`${BASE}/health`));
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
      expect(((await response.json()) as { status: string }).status).toBe('unavailable');
    } finally {
      // Clients that keep reconnecting to a server that is gone would hold `close()` for ever.
      client.destroy();
      admin.destroy();
    }
  });
});
