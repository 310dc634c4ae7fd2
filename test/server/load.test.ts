// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, memoryStore } from '../../src/server.js';
import { createMockUpstream } from '../../src/testing.js';
import { API_KEY, BASE, busiestWindow, createdBody, createSession, errorBody, fakeClock, getStatus, postSession, PUBLIC_URL, setup, tokenOf, UPSTREAM_URL } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load', () => {
  it('200 concurrent creates, then a steady stream, against the default 3/s limit: all answered, upstream never over the limit, nothing lost', async () => {
    const sent: number[] = [];
    // The mock enforces the documented upstream limit itself: any call beyond it would come back 429.
    const s = setup(
      {
        upstreamRateLimit: undefined,
        fetch: (input, init) => {
          sent.push(Date.now());
          return s.mock(new Request(input, init));
        },
      },
      { rateLimit: { requests: 3, perMs: 1000 } },
    );
    const answers: Response[] = [];
    const fire = (n: number) => Array.from({ length: n }, () => postSession(s.handler).then((r) => answers.push(r)));
    const started = Date.now();
    const inFlight = fire(200);
    // Keep arrivals coming for a little over two windows, so refills are exercised too.
    while (Date.now() - started < 2300) {
      inFlight.push(...fire(5));
      await sleep(40);
    }
    await Promise.all(inFlight);

    expect(answers.length).toBeGreaterThan(250);
    const created: string[] = [];
    for (const response of answers) {
      expect([201, 429]).toContain(response.status);
      if (response.status === 201) {
        created.push((await createdBody(response)).sessionId);
      } else {
        expect(Number(response.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
        expect((await errorBody(response)).code).toBe('rate_limited');
      }
    }
    // Only whole windows: 3 at once, then 3 per second after it.
    expect(created.length).toBeGreaterThanOrEqual(6);
    expect(created.length).toBeLessThanOrEqual(9);
    expect(s.mock.stats.create).toBe(created.length);
    expect(s.mock.calls.every((call) => call.status === 200)).toBe(true);
    expect(busiestWindow(sent, 1000)).toBeLessThanOrEqual(3);
    // Nothing lost: every session a browser was given is readable and pending.
    for (const id of created) expect((await getStatus(s.handler, id)).status).toBe('pending');
  }, 15_000);

  it('50 concurrent success callbacks across two handler processes sharing one store: exactly one result call', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY, latencyMs: 20 });
    const store = memoryStore();
    const make = () => createLivenessHandler({ apiKey: API_KEY, upstreamUrl: UPSTREAM_URL, publicUrl: PUBLIC_URL, store, fetch: mock.fetch, upstreamTimeoutMs: 2000 });
    const [a, b] = [make(), make()];
    const created = await createSession(a);
    const url = mock.decide(tokenOf(created.h5Link), 'pass')!;
    const pages = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b)(new Request(url)).then((r) => r.text())));
    expect(mock.stats.result).toBe(1);
    for (const html of pages) expect(html).toContain('data-liveness-callback="verified"');
    expect((await getStatus(b, created.sessionId)).status).toBe('verified');
  });

  it('a flood of 3× maxSessions creates keeps the memory store within its bound, evicting expired sessions first, then the oldest', async () => {
    const clock = fakeClock();
    const store = memoryStore({ maxSessions: 50, clock: clock.now });
    const mock = createMockUpstream({ apiKey: API_KEY, clock: clock.now });
    const common = { apiKey: API_KEY, upstreamUrl: UPSTREAM_URL, publicUrl: PUBLIC_URL, store, fetch: mock.fetch, upstreamRateLimit: false as const, clock: clock.now };
    // Two handlers on one store: one keeps sessions for long, the other briefly.
    const longLived = createLivenessHandler({ ...common, sessionTtlMs: 600_000, retainMs: 600_000 });
    const shortLived = createLivenessHandler({ ...common, sessionTtlMs: 1_000, retainMs: 1_000 });

    const old: string[] = [];
    for (let i = 0; i < 20; i += 1) old.push((await createSession(longLived)).sessionId);
    clock.advance(10);
    const dead: string[] = [];
    for (let i = 0; i < 30; i += 1) dead.push((await createSession(shortLived)).sessionId);
    clock.advance(20_000); // the 30 newer ones are past purgeAt (expiry + 15 s + 1 s); the 20 older ones are alive

    const flood: string[] = [];
    const visible = async (ids: string[]) => (await Promise.all(ids.map((id) => store.get(id)))).filter(Boolean).length;
    for (let i = 0; i < 30; i += 1) flood.push((await createSession(longLived)).sessionId);
    // Expired first: the 30 purgeable sessions made room although they were newer than the live ones.
    expect(await visible(old)).toBe(20);
    expect(await visible(flood)).toBe(30);
    for (let i = 30; i < 150; i += 1) {
      flood.push((await createSession(longLived)).sessionId);
      clock.advance(1);
    }
    expect(await visible([...old, ...dead, ...flood])).toBe(50);
    // Then oldest first: what remains is exactly the newest 50.
    expect(await visible(flood.slice(-50))).toBe(50);
    // An evicted session answers 404 like any unknown one; the browser offers a new session.
    const evicted = await longLived(new Request(`${PUBLIC_URL}${BASE}/sessions/${old[0]}`));
    expect(evicted.status).toBe(404);
  });
});
