// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BASE, createSession, errorBody, fakeClock, getStatus, phoneFlow, request, setup, tokenOf } from '../helpers.js';

describe('GET {basePath}/sessions/:id', () => {
  it('reports pending with expiresAt, no-store, and neither link nor token', async () => {
    const { handler } = setup();
    const created = await createSession(handler);
    const response = await handler(request(created.statusUrl!));
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ sessionId: created.sessionId, status: 'pending', expiresAt: created.expiresAt, expiresInMs: expect.any(Number) });
    expect(text).not.toContain(created.qrUrl);
    expect(text).not.toContain(tokenOf(created.h5Link));
    // Not a bare 'h5' check: the random session id itself may contain those two characters.
    expect(text).not.toContain(created.h5Link);
    expect(text).not.toContain('/h5/');
  });

  it('turns pending into expired once the TTL has passed (at once when nobody watched or opened it)', async () => {
    const clock = fakeClock();
    const { handler } = setup({ clock: clock.now, sessionTtlMs: 60_000 }, { clock: clock.now });
    const created = await createSession(handler);
    clock.advance(59_999);
    expect(await handler.getSession(created.sessionId)).toMatchObject({ status: 'pending', expiresInMs: 1 });
    clock.advance(1);
    expect(await handler.getSession(created.sessionId)).toMatchObject({ status: 'expired', expiresInMs: 0 });
  });

  it('a watched session reads pending past its expiry until the last check for a lost callback has run', async () => {
    const clock = fakeClock();
    const s = setup({ clock: clock.now, sessionTtlMs: 60_000, backgroundTimers: false }, { clock: clock.now });
    const created = await createSession(s.handler);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    clock.advance(60_000);
    // getSession only reads: the check is due, not done.
    expect((await s.handler.getSession(created.sessionId))?.status).toBe('pending');
    // A poll runs it (the mock says not found: nobody passed), and the session expires.
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('expired');
    expect(s.mock.stats.result).toBe(1);
  });

  it('forgets a session retainMs after its last possible check (expiry + 15 s) (404)', async () => {
    const clock = fakeClock();
    const { handler } = setup({ clock: clock.now, sessionTtlMs: 1000, retainMs: 5000 }, { clock: clock.now });
    const created = await createSession(handler);
    clock.advance(20_999);
    expect((await handler(request(created.statusUrl!))).status).toBe(200);
    clock.advance(1);
    expect((await handler(request(created.statusUrl!))).status).toBe(404);
  });

  it('reports verified with groupId and resultCode after a passed check', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'pass');
    const status = await getStatus(s.handler, created.sessionId);
    const groupId = [...s.mock.sessions.values()][0]!.groupId;
    expect(groupId).toMatch(/^group-\d{14}-[a-z0-9]{5}$/);
    expect(status).toEqual({
      sessionId: created.sessionId,
      status: 'verified',
      groupId,
      resultCode: '10000',
      expiresAt: created.expiresAt,
      expiresInMs: expect.any(Number),
      openedAt: expect.any(String),
    });
  });

  it('reports failed with the callback resultCode after a failed check', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'fail');
    expect(await getStatus(s.handler, created.sessionId)).toEqual({
      sessionId: created.sessionId,
      status: 'failed',
      resultCode: '10001',
      reason: 'unknown',
      expiresAt: created.expiresAt,
      expiresInMs: expect.any(Number),
      openedAt: expect.any(String),
    });
  });

  it('404 for unknown and malformed ids', async () => {
    const { handler } = setup();
    for (const id of ['A'.repeat(32), 'short', '..%2F..%2Fetc', '<script>']) {
      const response = await handler(request(`${BASE}/sessions/${id}`));
      expect(response.status).toBe(404);
      expect((await errorBody(response)).code).toBe('not_found');
    }
  });

  it('405 with Allow: GET, HEAD, DELETE for other methods (DELETE cancels: cancelSession.test.ts)', async () => {
    const { handler } = setup();
    const created = await createSession(handler);
    const response = await handler(request(created.statusUrl!, { method: 'PUT' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, DELETE');
  });

  it('is gated by authorize like creation', async () => {
    let allow = true;
    const { handler } = setup({ authorize: () => allow });
    const created = await createSession(handler);
    allow = false;
    expect((await handler(request(created.statusUrl!))).status).toBe(403);
  });

  it('getSession() gives the server the same view', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'pass');
    const status = await getStatus(s.handler, created.sessionId);
    expect(await s.handler.getSession(created.sessionId)).toEqual({ ...status, expiresInMs: expect.any(Number) });
    expect(await s.handler.getSession('nope')).toBeUndefined();
  });
});
