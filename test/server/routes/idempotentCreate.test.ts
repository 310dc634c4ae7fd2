// @vitest-environment node
// Issue 12, "creates survive a slow gateway": Anyfast holds the connection while it relays, so a create
// can take 12 s and more. The handler waits long enough (30 s by default), and a repeat of an
// `Idempotency-Key` it has seen (in flight or done) gets that same session instead of a second one.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createdBody, createSession, elapse, errorBody, getStatus, postSession, settle, setup } from '../helpers.js';

const KEY = 'b3d1c2a4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a create whose upstream answer takes 12 s', () => {
  it('one upstream session, one 201 (the default upstream timeout is 30 s)', async () => {
    const s = setup({}, { latencyMs: 12_000 });
    // Fake time in 1 s steps: 12 steps instead of 120, so a loaded machine stays inside the test timeout.
    const response = await settle(postSession(s.handler, {}, { 'Idempotency-Key': KEY }), { stepMs: 1_000 });
    expect(response.status).toBe(201);
    expect(s.mock.stats.create).toBe(1);
  });

  it('the browser gave up on the first attempt and retried with the same key: one upstream session, the same answer', async () => {
    const s = setup({}, { latencyMs: 12_000 });
    const browserGaveUp = new AbortController();
    const first = s.handler(
      new Request('https://app.example.test/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': KEY },
        body: '{"locale":"en"}',
        signal: browserGaveUp.signal,
      }),
    );
    await elapse(3_000);
    browserGaveUp.abort();
    const retry = postSession(s.handler, { locale: 'en' }, { 'Idempotency-Key': KEY });
    const [a, b] = await settle(Promise.all([first, retry]), { stepMs: 1_000 });
    expect(s.mock.stats.create).toBe(1);
    expect(b.status).toBe(201);
    const [bodyA, bodyB] = [await createdBody(a), await createdBody(b)];
    expect(bodyB.sessionId).toBe(bodyA.sessionId);
    expect(bodyB.h5Link).toBe(bodyA.h5Link);
    expect(bodyB.qrUrl).toBe(bodyA.qrUrl);
  });
});

describe('Idempotency-Key', () => {
  it('a repeat after the answer gets the same session, with its remaining life', async () => {
    const s = setup();
    const first = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': KEY }));
    expect(first.expiresInMs).toBe(120_000);
    await elapse(30_000);
    const again = await postSession(s.handler, {}, { 'Idempotency-Key': KEY });
    expect(again.status).toBe(201);
    const body = await createdBody(again);
    expect(body.sessionId).toBe(first.sessionId);
    expect(body.expiresAt).toBe(first.expiresAt);
    expect(body.expiresInMs).toBe(90_000);
    expect(s.mock.stats.create).toBe(1);
  });

  it('another key, or no key, makes another session', async () => {
    const s = setup();
    const a = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': KEY }));
    const b = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': `${KEY}-2` }));
    const c = await createSession(s.handler);
    expect(new Set([a.sessionId, b.sessionId, c.sessionId]).size).toBe(3);
    expect(s.mock.stats.create).toBe(3);
  });

  it('the same key with another body is refused: 422, nothing created', async () => {
    const s = setup();
    expect((await postSession(s.handler, { locale: 'en' }, { 'Idempotency-Key': KEY })).status).toBe(201);
    const other = await postSession(s.handler, { locale: 'zh' }, { 'Idempotency-Key': KEY });
    expect(other.status).toBe(422);
    expect((await errorBody(other)).code).toBe('idempotency_key_reused');
    expect(s.mock.stats.create).toBe(1);
  });

  it('is scoped to the client: the same key from another client is not that session', async () => {
    const s = setup({ clientKey: (request) => request.headers.get('X-Test-User') ?? undefined });
    const mine = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': KEY, 'X-Test-User': 'alice' }));
    const theirs = await postSession(s.handler, {}, { 'Idempotency-Key': KEY, 'X-Test-User': 'mallory' });
    expect(theirs.status).toBe(201);
    const body = await createdBody(theirs);
    expect(body.sessionId).not.toBe(mine.sessionId);
    expect(body.h5Link).not.toBe(mine.h5Link);
  });

  it('after an upstream failure the key is free again: the retry creates', async () => {
    const s = setup();
    s.mock.failNext('serverError', 'create');
    expect((await postSession(s.handler, {}, { 'Idempotency-Key': KEY })).status).toBe(502);
    const retry = await postSession(s.handler, {}, { 'Idempotency-Key': KEY });
    expect(retry.status).toBe(201);
    expect(s.mock.stats.create).toBe(2);
  });

  it.each([['short'], ['x'.repeat(300)], ['spaces are not allowed here']])('400 for a malformed key (%s)', async (key) => {
    const s = setup();
    const response = await postSession(s.handler, {}, { 'Idempotency-Key': key });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('invalid_request');
    expect(s.mock.stats.create).toBe(0);
  });
});

describe('expiresInMs', () => {
  it("on create and on every status answer: the server's clock, to the millisecond, never negative", async () => {
    const s = setup();
    const created = await createSession(s.handler);
    expect(created.expiresInMs).toBe(120_000);
    await elapse(45_500);
    expect((await getStatus(s.handler, created.sessionId)).expiresInMs).toBe(74_500);
    await elapse(200_000, 5000);
    const late = await getStatus(s.handler, created.sessionId);
    expect(late.status).toBe('expired');
    expect(late.expiresInMs).toBe(0);
  });
});
