// @vitest-environment node
// Issue 12, "one fair upstream budget": one client can never hold everyone's budget. Over real HTTP
// through the Node adapter (which supplies the socket address), and in-process with fake timers for the
// result side.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { clientAddressOf, createLivenessHandler, memoryStore, toNodeHandler, type LivenessHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY, createSession, getStatus, postSession, settle, setup, tokenOf } from '../helpers.js';
import type { ErrorResponseBody } from '../../../src/core/wire/protocol.js';

const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: LivenessHandler, trustProxy = false): Promise<number> {
  const server = http.createServer(toNodeHandler(handler, { trustProxy }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A create from a chosen loopback address (Linux routes all of 127/8 to lo). */
function createFrom(port: number, localAddress: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | undefined; code?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/liveness/sessions', agent: false, headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as Partial<ErrorResponseBody>).error?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], ...(code ? { code } : {}) });
        });
      },
    );
    req.once('error', reject);
    req.end('{}');
  });
}

describe('per-client create budget over real HTTP', () => {
  it('one address looping creates does not keep another from creating within a few seconds', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const handler = createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', publicUrl: 'https://app.example.test', fetch: mock.fetch });
    const port = await serve(handler);
    let stop = false;
    const attacker = { created: 0, refused: 0 };
    const loops = Array.from({ length: 10 }, async () => {
      while (!stop) {
        const answer = await createFrom(port, '127.0.0.2');
        if (answer.status === 201) attacker.created += 1;
        else attacker.refused += 1;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const victim: number[] = [];
    const started = Date.now();
    // The victim behaves like the browser: on 429 it waits Retry-After and tries again. 8 s is a
    // failure bound, not a timing claim: the fixed handler lets it through after the attacker's 10.
    while (Date.now() - started < 8_000) {
      const answer = await createFrom(port, '127.0.0.3');
      victim.push(answer.status);
      if (answer.status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter ?? 1) * 1000));
    }
    stop = true;
    await Promise.all(loops);
    expect(victim.at(-1)).toBe(201);
    // The attacker got its own share and no more.
    expect(attacker.created).toBeLessThanOrEqual(10);
    expect(attacker.refused).toBeGreaterThan(0);
  }, 20_000);

  it('over the budget: 429 client_rate_limited with Retry-After, and the upstream is not called', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: 'https://app.example.test',
      fetch: mock.fetch,
      upstreamRateLimit: false,
      clientRateLimit: { requests: 2, perMs: 60_000 },
    });
    const port = await serve(handler);
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await createFrom(port, '127.0.0.4'));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(answers[2]!.code).toBe('client_rate_limited');
    expect(Number(answers[2]!.retryAfter)).toBeGreaterThan(50);
    expect(mock.stats.create).toBe(2);
    // Another address is untouched.
    expect((await createFrom(port, '127.0.0.5')).status).toBe(201);
  });

  it('with trustProxy the forwarded address is the client; without it the header changes nothing', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const make = () =>
      createLivenessHandler({
        apiKey: API_KEY,
        upstreamUrl: 'https://upstream.example.test',
        publicUrl: 'https://app.example.test',
        fetch: mock.fetch,
        upstreamRateLimit: false,
        clientRateLimit: { requests: 1, perMs: 60_000 },
      });
    const trusting = await serve(make(), true);
    // The proxy appends the address it saw; what the client wrote before it is not trusted.
    expect((await createFrom(trusting, '127.0.0.6', { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(201);
    expect((await createFrom(trusting, '127.0.0.6', { 'X-Forwarded-For': '203.0.113.8' })).status).toBe(201);
    expect((await createFrom(trusting, '127.0.0.6', { 'X-Forwarded-For': '198.51.100.1, 203.0.113.8' })).status).toBe(429);
    const direct = await serve(make());
    expect((await createFrom(direct, '127.0.0.7', { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(201);
    expect((await createFrom(direct, '127.0.0.7', { 'X-Forwarded-For': '203.0.113.10' })).status).toBe(429);
  });
});

describe('per-client create budget in the handler', () => {
  it('requests whose client cannot be identified are never lumped into one bucket', async () => {
    const s = setup({ clientRateLimit: { requests: 2, perMs: 60_000 } });
    for (let i = 0; i < 6; i += 1) expect((await postSession(s.handler)).status).toBe(201);
  });

  it('an app can key clients by user (clientKey), and clientAddressOf is empty outside the Node adapter', async () => {
    const seen: (string | undefined)[] = [];
    const s = setup({
      clientRateLimit: { requests: 1, perMs: 60_000 },
      clientKey: (request) => {
        seen.push(clientAddressOf(request));
        return request.headers.get('X-Test-User') ?? undefined;
      },
    });
    expect((await postSession(s.handler, {}, { 'X-Test-User': 'alice' })).status).toBe(201);
    expect((await postSession(s.handler, {}, { 'X-Test-User': 'alice' })).status).toBe(429);
    expect((await postSession(s.handler, {}, { 'X-Test-User': 'bob' })).status).toBe(201);
    expect(seen).toEqual([undefined, undefined, undefined]);
  });
});

describe('the client’s id (issue 27)', () => {
  it('a create hashes the client’s key once with a per-client budget (its bucket and the session’s creator), and not at all without one', async () => {
    const { UpstreamBudget } = await import('../../../src/server/upstream/upstreamBudget.js');
    const clientId = vi.spyOn(UpstreamBudget, 'clientId');
    try {
      const store = memoryStore();
      const budgeted = setup({ clientRateLimit: { requests: 5, perMs: 60_000 }, clientKey: () => 'client-1', store });
      const created = await postSession(budgeted.handler);
      expect(created.status).toBe(201);
      expect(clientId).toHaveBeenCalledTimes(1);
      // The session is still charged to its creator.
      const { sessionId } = (await created.json()) as { sessionId: string };
      const expected = await clientId.mock.results[0]!.value;
      expect((await store.get(sessionId))?.createdBy).toBe(expected);
      clientId.mockClear();
      const unbudgeted = setup({ clientRateLimit: false, clientKey: () => 'client-1' });
      expect((await postSession(unbudgeted.handler)).status).toBe(201);
      expect(clientId).not.toHaveBeenCalled();
    } finally {
      clientId.mockRestore();
    }
  });
});

describe('the clientKey hook on a create (issue 27)', () => {
  it('is asked when the client has a budget or scopes an Idempotency-Key, and not for a plain create without budgets', async () => {
    const asked: string[] = [];
    const clientKey = (request: Request) => (asked.push(request.headers.get('Idempotency-Key') ?? 'plain'), 'client-1');
    const unbudgeted = setup({ clientRateLimit: false, clientKey });
    expect((await postSession(unbudgeted.handler)).status).toBe(201);
    expect(asked).toEqual([]);
    expect((await postSession(unbudgeted.handler, {}, { 'Idempotency-Key': 'attempt-0123456789abcdef' })).status).toBe(201);
    expect(asked).toEqual(['attempt-0123456789abcdef']);
    const budgeted = setup({ clientRateLimit: { requests: 5, perMs: 60_000 }, clientKey });
    expect((await postSession(budgeted.handler)).status).toBe(201);
    expect(asked).toEqual(['attempt-0123456789abcdef', 'plain']);
  });
});

describe('result calls of many sessions at once', () => {
  it('45 sessions of an attacker, each followed by a success callback, do not starve a real person into failed', async () => {
    vi.useFakeTimers();
    try {
      const s = setup({ upstreamRateLimit: undefined });
      // Creates are limited too (3/s): each one waits for its turn as a browser would.
      const create = async () => {
        for (;;) {
          const response = await postSession(s.handler);
          if (response.status === 201) return (await response.json()) as Awaited<ReturnType<typeof createSession>>;
          await settle(new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('Retry-After')) * 1000)));
        }
      };
      const attacker = [];
      for (let i = 0; i < 45; i += 1) attacker.push(await create());
      const person = await create();
      const callbacks = [...attacker, person].map((created) => s.mock.decide(tokenOf(created.h5Link), 'pass')!);
      await settle(Promise.all(callbacks.map((url) => s.handler(new Request(url)))), { maxMs: 60_000 });
      await settle(new Promise((resolve) => setTimeout(resolve, 60_000)), { stepMs: 500 });
      expect((await getStatus(s.handler, person.sessionId)).status).toBe('verified');
      // And the upstream budget held: never more than 3 result calls in any second.
      const times = s.mock.calls
        .filter((call) => call.action === 'result')
        .map((call) => call.at)
        .sort((a, b) => a - b);
      for (const start of times) expect(times.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
