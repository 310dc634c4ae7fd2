// @vitest-environment node
// Issue 21, finding 1: the in-memory sliding windows (the memory store's `takeSlot`, and each handler's
// own budget when its store has none) must survive any traffic: a client slot handed back must not
// leave an empty bucket that makes every later create and result call throw, and the buckets of
// clients who come once (a client rotating IPv6 addresses) must stay bounded in number.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivenessHandler, memoryStore, toNodeHandler, type LivenessHandler } from '../../../src/server.js';
import { MAX_BUCKETS, SlidingWindows } from '../../../src/server/upstream/slidingWindows.js';
import { createMockUpstream } from '../../../src/testing.js';
import type { CreateSessionResponse } from '../../../src/core/wire/protocol.js';
import { API_KEY, fakeClock, postSession, tokenOf } from '../helpers.js';

const PUBLIC_URL = 'https://app.example.test';
const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: LivenessHandler): Promise<number> {
  const server = http.createServer(toNodeHandler(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

interface Answer {
  status: number;
  body: string;
  retryAfter: string | undefined;
}

/** One request from a chosen loopback address (Linux routes all of 127/8 to lo), without keep-alive. */
function send(port: number, localAddress: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, localAddress, method, path, agent: false, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

const tally = (statuses: readonly number[]) => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

describe('finding 1: empty client buckets made every create and result call fail', () => {
  it('1010 creates from 1010 addresses, default options over the Node adapter: no 500, and the honest person still verifies', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    // Default store, default budgets, the default clientKey (the socket's address, recorded by the adapter).
    const handler = createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', publicUrl: PUBLIC_URL, fetch: mock.fetch });
    const port = await serve(handler);
    const honest = '127.0.0.2';
    const first = await send(port, honest, 'POST', '/api/liveness/sessions', '{}');
    expect(first.status).toBe(201);
    const created = JSON.parse(first.body) as CreateSessionResponse;

    // 1010 clients, one create each: the shared 3/s budget refuses most, and each refused create hands
    // its client slot back.
    const addresses = Array.from({ length: 1010 }, (_, i) => `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const statuses: number[] = [];
    for (let i = 0; i < addresses.length; i += 20) {
      const batch = await Promise.all(addresses.slice(i, i + 20).map((address) => send(port, address, 'POST', '/api/liveness/sessions', '{}')));
      statuses.push(...batch.map((answer) => answer.status));
    }
    const counts = tally(statuses);
    expect(counts, JSON.stringify(counts)).toEqual({ ...(counts[201] ? { 201: counts[201] } : {}), 429: 1010 - (counts[201] ?? 0) });

    // The honest person passes; the phone's callback makes the one result call.
    const callbackUrl = new URL(mock.decide(tokenOf(created.h5Link), 'pass')!);
    const callback = await send(port, '127.0.0.3', 'GET', callbackUrl.pathname + callbackUrl.search);
    expect(callback.status).toBe(200);
    expect(callback.body).toContain('data-liveness-callback="verified"');
    expect(mock.stats.result).toBe(1);
    const status = await send(port, honest, 'GET', `/api/liveness/sessions/${created.sessionId}`);
    expect(JSON.parse(status.body)).toMatchObject({ status: 'verified' });

    // And their next create is served once the shared budget has a slot (the browser waits Retry-After).
    let next = await send(port, honest, 'POST', '/api/liveness/sessions', '{}');
    for (let round = 0; next.status === 429 && round < 5; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, Number(next.retryAfter ?? 1) * 1000));
      next = await send(port, honest, 'POST', '/api/liveness/sessions', '{}');
    }
    expect(next.status).toBe(201);
  }, 60_000);

  it('ordinary traffic on a fake clock: 1000 people over 7 minutes and a burst of four; people a minute and two hours later are served', async () => {
    const clock = fakeClock();
    const mock = createMockUpstream({ apiKey: API_KEY, clock: clock.now });
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: PUBLIC_URL,
      fetch: mock.fetch,
      store: memoryStore({ clock: clock.now }),
      clock: clock.now,
      backgroundTimers: false,
      clientKey: (request) => request.headers.get('X-Person') ?? undefined,
    });
    const statuses: number[] = [];
    const create = async (person: string) => (await postSession(handler, {}, { 'X-Person': person })).status;
    for (let i = 0; i < 1000; i += 1) {
      // One every 420 ms, and once four at the same moment (the shared 3/s budget refuses some of them).
      if (i === 500) statuses.push(...(await Promise.all(['burst-1', 'burst-2', 'burst-3', 'burst-4'].map(create))));
      statuses.push(await create(`person-${i}`));
      clock.advance(420);
    }
    const counts = tally(statuses);
    expect(counts[500], JSON.stringify(counts)).toBeUndefined();
    expect((counts[201] ?? 0) + (counts[429] ?? 0)).toBe(1004);
    expect(counts[429]).toBeGreaterThan(0);
    clock.advance(60_000);
    expect(await create('a-minute-later')).toBe(201);
    clock.advance(2 * 3_600_000);
    expect(await create('two-hours-later')).toBe(201);
  }, 60_000);
});

describe('finding 1: the buckets are bounded in number, whatever clients do', () => {
  it('100 000 distinct clients leave at most MAX_BUCKETS buckets, and the shared upstream window is never evicted', () => {
    const clock = fakeClock();
    const windows = new SlidingWindows(clock.now);
    const upstream = { bucket: 'upstream:create', limit: 3, windowMs: 1050 };
    let upstreamGranted = 0;
    let clientsGranted = 0;
    for (let i = 0; i < 100_000; i += 1) {
      // A client rotating addresses: each create is a new bucket that keeps its slot for a minute.
      if (windows.take({ bucket: `client:${i}`, slotId: `c${i}`, limit: 10, windowMs: 60_000 }).ok) clientsGranted += 1;
      if (windows.take({ ...upstream, slotId: `u${i}` }).ok) upstreamGranted += 1;
      clock.advance(1);
    }
    expect(clientsGranted).toBe(100_000);
    expect(windows.size).toBeLessThanOrEqual(MAX_BUCKETS);
    // 100 s of fake time at 3 per 1.05 s: the shared window kept counting through every eviction.
    expect(upstreamGranted).toBeLessThanOrEqual(Math.ceil(100_000 / 1050) * 3);
    // A recent client is still held to its own limit.
    for (let slot = 1; slot < 10; slot += 1) expect(windows.take({ bucket: 'client:99999', slotId: `again${slot}`, limit: 10, windowMs: 60_000 }).ok).toBe(true);
    expect(windows.take({ bucket: 'client:99999', slotId: 'one-too-many', limit: 10, windowMs: 60_000 }).ok).toBe(false);
  });

  it('a slot handed back leaves no empty bucket behind', () => {
    const windows = new SlidingWindows(fakeClock().now);
    expect(windows.take({ bucket: 'client:a', slotId: 's1', limit: 10, windowMs: 60_000 }).ok).toBe(true);
    windows.give('client:a', 's1');
    expect(windows.size).toBe(0);
  });
});
