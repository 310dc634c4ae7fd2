// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandler, type StoredSession } from '../../src/server.js';
import { createMockUpstream, type MockUpstream } from '../../src/testing.js';
import { API_KEY, PUBLIC_URL, createSession, getStatus, phoneFlow, tokenOf } from './helpers.js';

const REDIS_BIN = '/usr/bin/redis-server';
const externalUrl = process.env.REDIS_URL;
// Skipping silently in CI would hide a broken Redis store; locally a missing binary just skips.
const unavailable = !externalUrl && !existsSync(REDIS_BIN);
const skip = unavailable && process.env.CI !== 'true';

type Client = ReturnType<typeof createClient>;

let server: ChildProcess | undefined;
let url: string;
const clients: Client[] = [];
const prefix = `rls-test-${process.pid}-${Date.now()}:`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<string> {
  const port = await freePort();
  const child = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output}`));
    });
  });
  return `redis://127.0.0.1:${port}`;
}

async function connect(): Promise<Client> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

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
  return { id, status: 'pending', bytedToken: 't', h5Link: 'https://h5.test/', createdAt: now, expiresAt: now + 1000, purgeAt: now + 5000, ...overrides };
}

describe.skipIf(skip)('redisStore against a real redis-server', () => {
  beforeAll(async () => {
    if (unavailable) throw new Error(`CI=true but neither REDIS_URL nor ${REDIS_BIN} is available`);
    url = externalUrl ?? (await startRedis());
  }, 20_000);

  afterAll(async () => {
    for (const client of clients) if (client.isOpen) await client.close();
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      process.kill(server.pid, 'SIGTERM');
      await exited;
    }
  });

  it('round-trips sessions and sets a PX expiry at purgeAt', async () => {
    const client = await connect();
    const store = redisStore({ client, prefix });
    await store.create(session('rt-1', { purgeAt: Date.now() + 5000 }));
    expect(await store.get('rt-1')).toMatchObject({ id: 'rt-1', status: 'pending', bytedToken: 't' });
    const ttl = await client.pTTL(`${prefix}rt-1`);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000);
    await expect(store.create(session('rt-1'))).rejects.toThrow(/already exists/);
    await store.delete('rt-1');
    expect(await store.get('rt-1')).toBeUndefined();
  });

  it('update is a compare-and-set that keeps the TTL', async () => {
    const client = await connect();
    const store = redisStore({ client, prefix });
    await store.create(session('cas-1', { purgeAt: Date.now() + 60_000 }));
    expect(await store.update('cas-1', 'checking', { status: 'verified' })).toBeUndefined();
    expect(await store.update('cas-1', 'pending', { status: 'checking', claimedAt: 1 })).toMatchObject({ status: 'checking' });
    expect((await store.get('cas-1'))?.status).toBe('checking');
    expect(await client.pTTL(`${prefix}cas-1`)).toBeGreaterThan(50_000);
    expect(await store.update('nope', 'pending', { status: 'checking' })).toBeUndefined();
  });

  it('exactly one of many concurrent claims wins, across two clients', async () => {
    const stores = [redisStore({ client: await connect(), prefix }), redisStore({ client: await connect(), prefix })];
    await stores[0]!.create(session('race-1', { purgeAt: Date.now() + 60_000 }));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => stores[i % 2]!.update('race-1', 'pending', { status: 'checking' })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
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
    expect(status).toEqual({ sessionId: created.sessionId, status: 'pending', expiresAt: created.expiresAt });
    const redirect = await after(new Request(created.qrUrl!));
    expect(redirect.headers.get('Location')).toBe(created.h5Link);
    await phoneFlow({ mock, handler: after }, created, 'pass');
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
