// @vitest-environment node
// `DELETE {basePath}/sessions/:id`: "Not you? Start again". The session ends for good: it reads expired,
// its short link answers 410, later callbacks change nothing and make no result call. Issue 21 (see
// ownerKey.test.ts): it takes the create answer's owner key, and leaves a result being fetched alone.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, redisStore, type LivenessHandlerOptions } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { OWNER_KEY_HEADER, type CreateSessionResponse } from '../../../src/core/wire/protocol.js';
import { API_KEY, BASE, createSession, errorBody, fakeClock, getStatus, phoneFlow, PUBLIC_URL, request, setup, type Setup, tokenOf } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

/** The owner key of a session: what the browser that created it got in the create answer, and sends as proof. */
const keyOf = (created: CreateSessionResponse) => created.ownerKey!;

/** `DELETE {statusUrl}` as the component sends it: with the session's owner key. */
function cancel(handler: Setup['handler'], created: CreateSessionResponse, headers: Record<string, string> = {}) {
  return handler(request(`${BASE}/sessions/${created.sessionId}`, { method: 'DELETE', headers: { [OWNER_KEY_HEADER]: keyOf(created), ...headers } }));
}

/** The phone scans the code: opens the short link, which binds it to this phone (its cookie). */
async function phoneOpens({ handler }: Pick<Setup, 'handler'>, qrUrl: string) {
  const response = await handler(new Request(qrUrl));
  expect(response.status).toBe(302);
  return { cookie: response.headers.get('Set-Cookie')!.split(';')[0]!, h5Link: response.headers.get('Location')! };
}

describe('DELETE {basePath}/sessions/:id', () => {
  it('ends a pending session: 200 with status expired, the status and getSession read expired, one session.cancelled event', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const response = await cancel(s.handler, created);
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ sessionId: created.sessionId, status: 'expired', expiresAt: created.expiresAt, expiresInMs: expect.any(Number) });
    // Never the link, the token or the short link.
    for (const secret of [created.h5Link, tokenOf(created.h5Link), created.qrUrl!]) expect(text).not.toContain(secret);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('expired');
    expect(await s.handler.getSession(created.sessionId)).toMatchObject({ status: 'expired' });
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toEqual([{ type: 'session.cancelled', sessionId: created.sessionId, status: 'expired' }]);
  });

  it('its short link answers 410 afterwards, also to the phone that opened it (GET and HEAD)', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const { cookie } = await phoneOpens(s, created.qrUrl!);
    expect((await getStatus(s.handler, created.sessionId)).openedAt).toEqual(expect.any(String));
    await cancel(s.handler, created);
    for (const init of [{}, { headers: { Cookie: cookie } }, { method: 'HEAD' }, { method: 'HEAD', headers: { Cookie: cookie } }]) {
      const response = await s.handler(new Request(created.qrUrl!, init));
      expect(response.status).toBe(410);
      expect(response.headers.get('Location')).toBeNull();
    }
  });

  it('the phone that opened it presses Pass afterwards: nothing changes, no result call, not even later', async () => {
    const clock = fakeClock();
    const s = setup({ clock: clock.now, backgroundTimers: false }, { clock: clock.now });
    const created = await createSession(s.handler);
    const { cookie } = await phoneOpens(s, created.qrUrl!);
    // The desktop watches it too: a lost callback would otherwise be probed for.
    await getStatus(s.handler, created.sessionId);
    expect((await cancel(s.handler, created)).status).toBe(200);
    // The phone is still on the H5 page it was sent to; the upstream lets it pass.
    const callbackUrl = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    expect(callbackUrl).toContain(`sid=${created.sessionId}`);
    const callback = await s.handler(new Request(callbackUrl, { headers: { Cookie: cookie } }));
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('data-liveness-callback="expired"');
    // Polls and the passing of time (probes, the check at expiry) make no result call for it.
    for (const step of [0, 16_000, 60_000, 130_000]) {
      clock.advance(step);
      expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'expired' });
    }
    expect(s.mock.stats.result).toBe(0);
    expect(s.events.map((e) => e.type)).not.toContain('session.verified');
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'callback.rejected', sessionId: created.sessionId, code: 'already_settled' }));
  });

  it('a Fail callback afterwards does not turn it into failed', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await cancel(s.handler, created);
    const { callback } = await phoneFlow(s, created, 'fail', 'link');
    expect(callback.status).toBe(200);
    expect(await getStatus(s.handler, created.sessionId)).toEqual(expect.objectContaining({ status: 'expired' }));
    expect(await getStatus(s.handler, created.sessionId)).not.toHaveProperty('reason');
  });

  it('leaves a decided session as it is: verified stays verified, failed stays failed', async () => {
    const s = setup();
    const passed = await createSession(s.handler);
    await phoneFlow(s, passed, 'pass');
    const verified = await getStatus(s.handler, passed.sessionId);
    expect(verified.status).toBe('verified');
    const response = await cancel(s.handler, passed);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'verified', groupId: verified.groupId });
    expect(await getStatus(s.handler, passed.sessionId)).toMatchObject({ status: 'verified', groupId: verified.groupId });

    const failing = await createSession(s.handler);
    await phoneFlow(s, failing, 'fail');
    expect(await (await cancel(s.handler, failing)).json()).toMatchObject({ status: 'failed', reason: 'unknown' });
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toHaveLength(0);
  });

  it('is idempotent: a second DELETE answers 200 expired and changes nothing more', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const first = await (await cancel(s.handler, created)).json();
    const again = await cancel(s.handler, created);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...first, expiresInMs: expect.any(Number) });
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toHaveLength(1);
  });

  it.each([
    ['an unknown session id', 'A'.repeat(22)],
    ['a malformed id', 'not-a-session'],
    ['an over-long id', 'x'.repeat(300)],
  ])('404 not_found for %s', async (_name, id) => {
    const s = setup();
    const created = await createSession(s.handler);
    const response = await s.handler(request(`${BASE}/sessions/${id}`, { method: 'DELETE', headers: { [OWNER_KEY_HEADER]: keyOf(created) } }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
  });

  it('the session id alone ends nothing: without the owner key, or with another session’s, 404 exactly like an unknown session', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const other = await createSession(s.handler);
    const unknown = await s.handler(request(`${BASE}/sessions/${'A'.repeat(22)}`, { method: 'DELETE' }));
    const qrKey = created.qrUrl!.split('/').pop()!;
    for (const headers of [
      {} as Record<string, string>,
      { [OWNER_KEY_HEADER]: keyOf(other) },
      { [OWNER_KEY_HEADER]: 'garbage' },
      { [OWNER_KEY_HEADER]: created.sessionId },
      { [OWNER_KEY_HEADER]: qrKey },
    ]) {
      const response = await s.handler(request(`${BASE}/sessions/${created.sessionId}`, { method: 'DELETE', headers }));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(await unknown.clone().json());
    }
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect((await getStatus(s.handler, other.sessionId)).status).toBe('pending');
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toHaveLength(0);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', sessionId: created.sessionId, code: 'owner_key_mismatch' }));
  });

  it('with uppercaseShortLink too, the owner key cancels and the QR code’s key does not', async () => {
    const s = setup({ uppercaseShortLink: true });
    const created = await createSession(s.handler);
    const qrKey = created.qrUrl!.split('/').pop()!;
    expect(qrKey).toMatch(/^[A-Z2-7]{26}$/);
    expect((await cancel(s.handler, created, { [OWNER_KEY_HEADER]: qrKey })).status).toBe(404);
    expect((await cancel(s.handler, created)).status).toBe(200);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('expired');
  });

  it.each([
    ['another site', 'https://evil.example.test'],
    ['the app over plain http', 'http://app.example.test'],
    ['a sandboxed frame (null)', 'null'],
  ])('403 origin_not_allowed from %s, before authorize; the session stays pending', async (_name, origin) => {
    let authorized = 0;
    const s = setup({ authorize: () => ((authorized += 1), true) });
    const created = await createSession(s.handler);
    authorized = 0;
    const response = await cancel(s.handler, created, { Origin: origin });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });
    expect(authorized).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', httpStatus: 403, code: 'origin_not_allowed' }));
  });

  it('a cross-site request without Origin (Sec-Fetch-Site: cross-site) is refused too; the app’s own origin is not', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    expect((await cancel(s.handler, created, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect((await cancel(s.handler, created, { Origin: PUBLIC_URL })).status).toBe(200);
  });

  it('asks the authorize hook with the DELETE request: false → 403 forbidden, a throw → 401 unauthorized; the session stays pending', async () => {
    const seen: string[] = [];
    let verdict: 'allow' | 'deny' | 'throw' = 'allow';
    const s = setup({
      authorize: (req) => {
        seen.push(req.method);
        if (verdict === 'throw') throw new Error('FAKE auth internals');
        return verdict === 'allow';
      },
    });
    const created = await createSession(s.handler);
    verdict = 'deny';
    const denied = await cancel(s.handler, created);
    expect(denied.status).toBe(403);
    expect((await errorBody(denied)).code).toBe('forbidden');
    verdict = 'throw';
    const thrown = await cancel(s.handler, created);
    expect(thrown.status).toBe(401);
    expect(await thrown.text()).not.toContain('FAKE auth internals');
    verdict = 'allow';
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect((await cancel(s.handler, created)).status).toBe(200);
    expect(seen).toEqual(['POST', 'DELETE', 'DELETE', 'GET', 'DELETE']);
  });

  it('a session bound to another subject (issue 16) reads as unknown: 404, and it stays pending', async () => {
    let who = 'user-alice';
    const s = setup({ authorize: () => ({ subject: who }) });
    const alice = await createSession(s.handler);
    who = 'user-mallory';
    // Even with the owner key (had it leaked): Mallory's request ends nothing.
    const response = await cancel(s.handler, alice);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    who = 'user-alice';
    expect((await getStatus(s.handler, alice.sessionId)).status).toBe('pending');
    expect((await cancel(s.handler, alice)).status).toBe(200);
    expect((await getStatus(s.handler, alice.sessionId)).status).toBe('expired');
  });

  it('a GroupId already in hand, owed to onVerified (issue 16), is an outcome: the cancel changes nothing and the app still gets it', async () => {
    const clock = fakeClock();
    let fail = true;
    const delivered: string[] = [];
    const s = setup(
      {
        clock: clock.now,
        backgroundTimers: false,
        onVerified: async ({ groupId }) => {
          if (fail) throw new Error('FAKE database down');
          delivered.push(groupId);
        },
      },
      { clock: clock.now },
    );
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'pass', 'link');
    expect(s.mock.stats.result).toBe(1);
    expect(await s.handler.getSession(created.sessionId)).toMatchObject({ status: 'pending', checkingSince: expect.any(String) });
    const response = await cancel(s.handler, created);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'pending' });
    fail = false;
    clock.advance(5_000);
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'verified', groupId: expect.stringMatching(/^group-/) });
    expect(delivered).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toHaveLength(0);
  });

  it('answers 405 with Allow: GET, HEAD, DELETE for other methods on the session route', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    for (const method of ['POST', 'PUT', 'PATCH']) {
      const response = await s.handler(request(created.statusUrl!, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('GET, HEAD, DELETE');
    }
  });
});

describe('DELETE across instances on one redis-server', () => {
  const redis = redisServerForSuite();

  it.skipIf(skipRedis)('cancelled on one instance: another refuses its short link and ignores its callback', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const prefix = `rls-cancel-${process.pid}:`;
    const options = (): Promise<LivenessHandlerOptions> =>
      redis.connect().then((client) => ({
        apiKey: API_KEY,
        upstreamUrl: 'https://upstream.example.test',
        publicUrl: PUBLIC_URL,
        store: redisStore({ client, prefix }),
        fetch: mock.fetch,
        backgroundTimers: false,
      }));
    const [a, b] = [createLivenessHandler(await options()), createLivenessHandler(await options())];
    const created = await createSession(a);
    expect((await b(new Request(created.qrUrl!))).status).toBe(302);
    expect((await cancel(a, created)).status).toBe(200);
    expect((await b(new Request(created.qrUrl!))).status).toBe(410);
    await b(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!));
    expect(await getStatus(b, created.sessionId)).toMatchObject({ status: 'expired' });
    expect(await getStatus(a, created.sessionId)).toMatchObject({ status: 'expired' });
    expect(mock.stats.result).toBe(0);
  });
});
