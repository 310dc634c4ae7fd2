// @vitest-environment node
// Issue 21, finding 2: whoever creates a session holds its H5 link, and with it the byted token, so
// they can send a success callback for a check nobody passed. Each such callback starts result calls
// that hear "not found" and are asked again for a minute; before the fix they were budgeted nowhere
// but the shared result lane, and every refused one raised the flag that holds back everyone's
// creates. Result calls are now charged to the session's creator and bounded per session, and a
// session's own "not found" rechecks never hold back anyone's create.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateSessionResponse } from '../../../src/core/wire/protocol.js';
import { BASE, PUBLIC_URL, elapse, getStatus, postSession, settle, setup, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Default budgets (3/s upstream, 10/min per client), clients named by a header. `metered`: with a
 * telemetry meter, which wraps the budget to count its waits (and must not change who is charged).
 */
function scenario(metered = false) {
  return setup({
    upstreamRateLimit: undefined,
    clientKey: (request) => request.headers.get('X-Client') ?? undefined,
    ...(metered ? { telemetry: { meter: new MeterProvider().getMeter('forged-callbacks') } } : {}),
  });
}

/** A create as the browser makes it: on 429 it waits `Retry-After` and tries again. */
async function createAs(s: ReturnType<typeof scenario>, client: string): Promise<CreateSessionResponse> {
  for (;;) {
    const response = await settle(postSession(s.handler, {}, { 'X-Client': client }));
    if (response.status === 201) return (await response.json()) as CreateSessionResponse;
    expect(response.status).toBe(429);
    await elapse(Number(response.headers.get('Retry-After')) * 1000);
  }
}

/** What the creator of a session can send without anyone passing: the token is in the link it was given. */
function forgedCallback(created: CreateSessionResponse): string {
  return `${PUBLIC_URL}${BASE}/callback?sid=${created.sessionId}&bytedToken=${encodeURIComponent(tokenOf(created.h5Link))}&resultCode=10000`;
}

const resultCalls = (s: ReturnType<typeof scenario>) => s.mock.calls.filter((call) => call.action === 'result').length;

/**
 * Two client keys create ten sessions each (their whole per-client budget), then send a forged success
 * callback for every one, while 15 honest people arrive one a second, each making one create. Answers
 * the honest people's statuses and the result calls made during those 15 seconds.
 */
async function run(forge: boolean, metered = false) {
  const s = scenario(metered);
  const attacker: CreateSessionResponse[] = [];
  for (let i = 0; i < 20; i += 1) attacker.push(await createAs(s, `attacker-${i % 2}`));
  await elapse(2_000);
  const before = resultCalls(s);
  const started = Date.now();
  // Not awaited: each callback waits (bounded) for its result call, as a phone would.
  const callbacks = forge ? attacker.map((created) => s.handler(new Request(forgedCallback(created)))) : [];
  const honest: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    // Nothing on the create path waits for a timer: fake time moves only in the elapse below.
    honest.push((await postSession(s.handler, {}, { 'X-Client': `person-${i}` })).status);
    await elapse(1_000);
  }
  const duringHonest = resultCalls(s) - before;
  const elapsedMs = Date.now() - started;
  await settle(Promise.all(callbacks));
  return { s, attacker, honest, duringHonest, elapsedMs };
}

describe("finding 2: forged success callbacks for one's own sessions", () => {
  it('control: without the callbacks, 15 honest creates are 15 × 201 and no result call is made', async () => {
    const { honest, duringHonest } = await run(false);
    expect(honest).toEqual(Array(15).fill(201));
    expect(duringHonest).toBe(0);
  });

  it('20 forged callbacks from two clients: the 15 honest people, one a second, are all served at once', async () => {
    const { honest, duringHonest, elapsedMs } = await run(true);
    expect(honest).toEqual(Array(15).fill(201));
    // Charged to their creators, one call per 1.05 s window each: at most two per window for the two clients.
    expect(elapsedMs).toBe(15_000);
    expect(duringHonest).toBeLessThanOrEqual(2 * Math.ceil(15_000 / 1_050));
  });

  it('the same with a telemetry meter counting budget waits: result calls are still charged to their creators', async () => {
    const { honest, duringHonest, elapsedMs } = await run(true, true);
    expect(honest).toEqual(Array(15).fill(201));
    expect(elapsedMs).toBe(15_000);
    expect(duringHonest).toBeLessThanOrEqual(2 * Math.ceil(15_000 / 1_050));
  });

  it('an honest person who passes while the forged rechecks run sees verified on the callback page', async () => {
    const s = scenario();
    const attacker: CreateSessionResponse[] = [];
    for (let i = 0; i < 20; i += 1) attacker.push(await createAs(s, `attacker-${i % 2}`));
    const callbacks = attacker.map((created) => s.handler(new Request(forgedCallback(created))));
    await elapse(5_000);
    const person = await createAs(s, 'person');
    const page = await settle(s.handler(new Request(s.mock.decide(tokenOf(person.h5Link), 'pass')!)));
    expect(await page.text()).toContain('data-liveness-callback="verified"');
    await settle(Promise.all(callbacks));
  });

  it('each forged session costs at most 6 result calls over its whole life, and ends failed', async () => {
    const { s, attacker } = await run(true);
    await elapse(180_000, 1_000);
    for (const created of attacker) expect((await settle(getStatus(s.handler, created.sessionId))).status).toBe('failed');
    expect(resultCalls(s)).toBeLessThanOrEqual(20 * 6);
    expect(s.events.filter((event) => event.type === 'session.verified')).toEqual([]);
  });

  it('a real person whose result lags the callback is still verified, within the bounded rechecks', async () => {
    // The upstream answers "not ready" for 20 s after the pass, then the GroupId.
    const s = setup({ upstreamRateLimit: undefined }, { notReadyMs: 20_000 });
    const created = (await (await settle(postSession(s.handler))).json()) as CreateSessionResponse;
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    await settle(s.handler(new Request(url)));
    await elapse(40_000, 500);
    expect((await settle(getStatus(s.handler, created.sessionId))).status).toBe('verified');
    expect(s.mock.stats.result).toBeLessThanOrEqual(6);
  });
});
