// @vitest-environment node
// Issue 12, "results are retried, never guessed": after a success callback every transient outcome of
// the result call is retried (back-off from 1 s, Retry-After honoured) until the upstream answers or
// the result window closes. Fake timers throughout: nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LivenessHandlerOptions } from '../../../src/server.js';
import type { MockFault } from '../../../src/testing.js';
import { createSession, elapse, getStatus, settle, setup, successfulResults, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Arrange = { fault: MockFault } | { options: (mock: ReturnType<typeof setup>['mock']) => Partial<LivenessHandlerOptions> };

const TRANSIENT: [string, Arrange][] = [
  ['a 500', { fault: 'serverError' }],
  ['a 503 with Retry-After: 3', { fault: 'unavailable' }],
  ['a 429 with Retry-After: 2', { fault: 'rateLimited' }],
  ['a timeout', { fault: 'hang' }],
  ['an HTML page instead of JSON', { fault: 'html' }],
  ['JSON cut off mid-way', { fault: 'truncatedJson' }],
  ['NotFound.BytedToken right after the callback', { fault: 'notFound' }],
  ['ValidateNotReady', { fault: 'notReady' }],
  ['a gateway error body ({ error: { type, code, message } })', { fault: 'gatewayError' }],
  ['a relayed upstream error (code nested in message)', { fault: 'relayedError' }],
  ['a plain { code, message } error', { fault: 'plainError' }],
  [
    'a network error',
    {
      options: (mock) => {
        let failed = false;
        return {
          fetch: async (input, init) => {
            const req = new Request(input, init);
            if (!failed && req.url.endsWith('GetVisualValidateResult')) {
              failed = true;
              throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
            }
            return mock(req);
          },
        };
      },
    },
  ],
];

describe('a transient outcome of the result call ends verified, not failed', () => {
  it.each(TRANSIENT)('%s, then an answer → verified, one successful result call', async (_name, arrange) => {
    const base = setup();
    const s = 'options' in arrange ? setup({ ...arrange.options(base.mock) }, {}) : base;
    const mock = 'options' in arrange ? base.mock : s.mock;
    const created = await createSession(s.handler);
    if ('fault' in arrange) mock.failNext(arrange.fault, 'result');
    const callback = await settle(s.handler(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(callback.status).toBe(200);
    const html = await callback.text();
    // The phone is told the check was received, never that it failed.
    expect(html).toContain('data-liveness-callback="pending"');
    const during = await getStatus(s.handler, created.sessionId);
    expect(during.status).toBe('pending');
    expect(Date.parse(during.checkingSince!)).toBeGreaterThan(0);
    expect(during.reason).toBeUndefined();
    // Long enough for a hung call to reach its 30 s timeout and be retried.
    await elapse(40_000);
    const after = await getStatus(s.handler, created.sessionId);
    expect(after.status).toBe('verified');
    expect(after.groupId).toMatch(/^group-/);
    expect(after.checkingSince).toBeUndefined();
    expect(successfulResults(mock)).toBe(1);
  });

  it("no free rate-limit slot: the second person's result call waits its turn instead of failing", async () => {
    const s = setup({ upstreamRateLimit: { requests: 1, perMs: 20_000 }, upstreamTimeoutMs: 1000 });
    // Creates have their own budget (one per 20 s): the clock moves on between the two.
    const first = await createSession(s.handler);
    await elapse(21_000);
    const second = await createSession(s.handler);
    const urls = [first, second].map((created) => s.mock.decide(tokenOf(created.h5Link), 'pass')!);
    await settle(Promise.all(urls.map((url) => s.handler(new Request(url)))));
    expect(s.mock.stats.result).toBe(1);
    const waiting = [first, second].find((created) => s.mock.sessions.get(tokenOf(created.h5Link))!.state === 'passed')!;
    expect((await getStatus(s.handler, waiting.sessionId)).status).toBe('pending');
    await elapse(25_000);
    for (const created of [first, second]) expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
    expect(successfulResults(s.mock)).toBe(2);
  });

  it('honours Retry-After: no second call before it has passed', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    s.mock.failNext('unavailable', 'result'); // Retry-After: 3
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(s.mock.stats.result).toBe(1);
    await elapse(2_500);
    expect(s.mock.stats.result).toBe(1);
    await elapse(2_000);
    expect(s.mock.stats.result).toBe(2);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('backs off from 1 s, so the first two failures cost about 3 s', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    s.mock.failNext('serverError', 'result');
    s.mock.failNext('serverError', 'result');
    const started = Date.now();
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    await elapse(10_000, 50);
    const verifiedCall = s.mock.calls.find((call) => call.action === 'result' && call.status === 200)!;
    // Fake time: the third call goes out exactly when the schedule says (1 s, then 2 s after the first).
    expect(verifiedCall.at - started).toBe(3_000);
    expect(s.mock.stats.result).toBe(3);
  });
});

describe('only the upstream decides', () => {
  it('an empty GroupId ends failed with reason unknown, after one call', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    s.mock.failNext('emptyGroupId', 'result');
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    const status = await getStatus(s.handler, created.sessionId);
    expect(status).toMatchObject({ status: 'failed', reason: 'unknown', resultCode: '10000' });
    await elapse(30_000);
    expect(s.mock.stats.result).toBe(1);
  });

  it("NotFound after the first minute is the upstream's answer: failed (unknown), calls stop", async () => {
    // The person never passed, but a success callback with the real token arrived (a forged one).
    const s = setup();
    const created = await createSession(s.handler);
    const token = tokenOf(created.h5Link);
    const forged = `${created.qrUrl!.split('/l/')[0]}/callback?sid=${created.sessionId}&bytedToken=${token}&resultCode=10000`;
    await settle(s.handler(new Request(forged)));
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    await elapse(50_000);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    await elapse(20_000);
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'failed', reason: 'unknown' });
    const calls = s.mock.stats.result;
    await elapse(60_000);
    expect(s.mock.stats.result).toBe(calls);
    expect(successfulResults(s.mock)).toBe(0);
  });

  it.each([
    ['40003', 'device'],
    ['41002', 'liveness'],
    ['10001', 'unknown'],
  ])('a failure callback %s → failed with reason %s and no result call', async (resultCode, reason) => {
    const s = setup({}, { failResultCode: resultCode });
    const created = await createSession(s.handler);
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'fail')!)));
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'failed', resultCode, reason });
    expect(s.mock.stats.result).toBe(0);
  });
});

describe('the result window', () => {
  it('closes after resultWindowMs (default 10 minutes): failed with reason unconfirmed, never liveness', async () => {
    let resultCalls = 0;
    const s = setup({
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (!req.url.endsWith('GetVisualValidateResult')) return s.mock(req);
        resultCalls += 1;
        return new Response('down', { status: 503 });
      },
    });
    const created = await createSession(s.handler);
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    await elapse(9 * 60_000, 1000);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    await elapse(61_000, 1000);
    const status = await getStatus(s.handler, created.sessionId);
    expect(status).toMatchObject({ status: 'failed', reason: 'unconfirmed' });
    expect(status.groupId).toBeUndefined();
    // Back-off: a handful of calls a minute, not one per poll.
    expect(resultCalls).toBeGreaterThan(10);
    expect(resultCalls).toBeLessThan(90);
    await elapse(60_000, 1000);
    const after = resultCalls;
    await elapse(60_000, 1000);
    expect(resultCalls).toBe(after);
  });

  it('is configurable', async () => {
    const s = setup({
      resultWindowMs: 30_000,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        return req.url.endsWith('GetVisualValidateResult') ? new Response('down', { status: 500 }) : s.mock(req);
      },
    });
    const created = await createSession(s.handler);
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    await elapse(31_000);
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'failed', reason: 'unconfirmed' });
  });

  it('is read the same way by getSession() when nobody drove the session to its end', async () => {
    const s = setup({
      backgroundTimers: false,
      resultWindowMs: 30_000,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        return req.url.endsWith('GetVisualValidateResult') ? new Response('down', { status: 500 }) : s.mock(req);
      },
    });
    const created = await createSession(s.handler);
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    await elapse(31_000);
    expect(await s.handler.getSession(created.sessionId)).toMatchObject({ status: 'failed', reason: 'unconfirmed' });
  });
});

describe('without timers (serverless): retries ride on the status polls', () => {
  it('status polls every 2 s carry the retries to verified', async () => {
    const s = setup({ backgroundTimers: false });
    const created = await createSession(s.handler);
    s.mock.failNext('serverError', 'result');
    s.mock.failNext('unavailable', 'result');
    await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    // Nothing happens by itself…
    await elapse(10_000);
    expect(s.mock.stats.result).toBe(1);
    // …but each poll performs the attempt that is due.
    let status = await getStatus(s.handler, created.sessionId);
    for (let polls = 0; status.status === 'pending' && polls < 20; polls += 1) {
      await elapse(2_000);
      status = await settle(getStatus(s.handler, created.sessionId));
    }
    expect(status.status).toBe('verified');
    expect(successfulResults(s.mock)).toBe(1);
  });
});
