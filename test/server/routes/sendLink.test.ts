// @vitest-environment node
// Issue 24: `POST {basePath}/sessions/:id/send`, "Can't scan? Send the link to your phone". The app's own
// sender delivers the session's short link (one device, as the QR code; never the H5 link). Only the
// page that created the session may ask (the owner key, as for cancel), `to` is validated first, a
// session's link goes out at most 3 times and only until a phone opens it, within the client's budget;
// a sender that fails or hangs is a 502 that echoes nothing; events say the channel, never to whom.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, memoryStore, redisStore, type LivenessHandlerOptions, type LivenessServerEvent, type SessionStore } from '../../../src/server.js';
import type { SendLinkContext, SendLinkMessage } from '../../../src/server/handlerOptions.js';
import { createMockUpstream } from '../../../src/testing.js';
import { OWNER_KEY_HEADER, type CreateSessionResponse } from '../../../src/core/wire/protocol.js';
import { API_KEY, BASE, PUBLIC_URL, UPSTREAM_URL, createSession, errorInText, fakeClock, getStatus, phoneFlow, request, setup, tokenOf, type Setup } from '../helpers.js';
import { skipRedis } from '../redisServer.js';
import { redisServerForSuite } from '../redisServerForSuite.js';

const PHONE = '+447700900123';
const EMAIL = 'person@example.test';

interface Outbox {
  sent: SendLinkMessage[];
  signals: AbortSignal[];
  sendLink: (message: SendLinkMessage, context: SendLinkContext) => Promise<void>;
}

/** A sender that keeps what it was asked to send (and can be made to fail or hang). */
function outbox(behave: (message: SendLinkMessage, signal: AbortSignal) => Promise<void> | void = () => undefined): Outbox {
  const box: Outbox = {
    sent: [],
    signals: [],
    sendLink: async (message, { signal }) => {
      box.sent.push(message);
      box.signals.push(signal);
      await behave(message, signal);
    },
  };
  return box;
}

function withSender(options: Partial<LivenessHandlerOptions> = {}, box = outbox()): Setup & { box: Outbox } {
  return { ...setup({ sendLink: box.sendLink, ...options }), box };
}

/** `POST {sendUrl}` as the component sends it: JSON, with the session's owner key. */
function send(handler: Setup['handler'], created: CreateSessionResponse, body: unknown, headers: Record<string, string> = {}) {
  return handler(
    request(created.sendUrl ?? `${BASE}/sessions/${created.sessionId}/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [OWNER_KEY_HEADER]: created.ownerKey!, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;
const sendEvents = (events: LivenessServerEvent[]) => events.filter((event) => event.type.startsWith('link.s'));

describe('POST {basePath}/sessions/:id/send: offered only with sendLink', () => {
  it('create answers carry sendUrl and sendChannels when sendLink is set, and not otherwise; without it the route is a 404', async () => {
    const plain = setup();
    const created = await createSession(plain.handler);
    expect(created.sendUrl).toBeUndefined();
    expect(created.sendChannels).toBeUndefined();
    const response = await send(plain.handler, created, { channel: 'sms', to: PHONE });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');

    const s = withSender();
    const offered = await createSession(s.handler);
    expect(offered.sendUrl).toBe(`${BASE}/sessions/${offered.sessionId}/send`);
    expect(offered.sendChannels).toEqual(['sms', 'email']);
    const smsOnly = await createSession(withSender({ sendLinkChannels: ['sms'] }).handler);
    expect(smsOnly.sendChannels).toEqual(['sms']);
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await s.handler(request(created.sendUrl!, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('POST');
    }
    expect(s.box.sent).toEqual([]);
  });
});

describe('a send', () => {
  it('hands the app’s sender the short link (never the H5 link) with the session’s locale, subject and expiry; 200 with the sends left', async () => {
    const s = withSender({ authorize: () => ({ subject: 'user-1' }) });
    const created = await createSession(s.handler, { locale: 'zh-Hant' });
    const response = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({ channel: 'sms', remaining: 2 });
    expect(s.box.sent).toEqual([{ sessionId: created.sessionId, subject: 'user-1', channel: 'sms', to: PHONE, link: created.qrUrl, locale: 'zh-Hant', expiresAt: new Date(created.expiresAt) }]);
    expect(s.box.sent[0]!.link).not.toContain(tokenOf(created.h5Link));
    expect(new URL(s.box.sent[0]!.link).pathname).toMatch(/^\/api\/liveness\/l\/[A-Za-z0-9_-]{22}$/);
    expect(s.box.signals[0]!.aborted).toBe(false);
  });

  it('an e-mail goes out the same way', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    const response = await send(s.handler, created, { channel: 'email', to: EMAIL });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ channel: 'email', remaining: 2 });
    expect(s.box.sent.map(({ channel, to }) => [channel, to])).toEqual([['email', EMAIL]]);
  });

  it('events link.sent carry the channel, never the number, the address or the link', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    await send(s.handler, created, { channel: 'sms', to: PHONE });
    await send(s.handler, created, { channel: 'email', to: EMAIL });
    expect(sendEvents(s.events)).toEqual([
      { type: 'link.sent', sessionId: created.sessionId, channel: 'sms', httpStatus: 200, durationMs: expect.any(Number) },
      { type: 'link.sent', sessionId: created.sessionId, channel: 'email', httpStatus: 200, durationMs: expect.any(Number) },
    ]);
    const said = JSON.stringify(s.events);
    for (const secret of [PHONE, PHONE.slice(1), EMAIL, created.qrUrl!, created.qrUrl!.split('/').pop()!, created.h5Link]) expect(said).not.toContain(secret);
  });

  it('the sent link is the one-device short link: the first phone gets the check, a second one the "opened on another phone" page, and the desktop sees opened', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    await send(s.handler, created, { channel: 'sms', to: PHONE });
    const link = s.box.sent[0]!.link;
    const first = await s.handler(new Request(link));
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe(created.h5Link);
    const second = await s.handler(new Request(link));
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('data-liveness-callback="opened_elsewhere"');
    expect((await getStatus(s.handler, created.sessionId)).openedAt).toEqual(expect.any(String));
    // From here it is the scanned code's flow: the phone passes, the session is verified.
    const cookie = first.headers.get('Set-Cookie')!.split(';')[0]!;
    const { callback } = await phoneFlow(s, created, 'pass', 'qr', cookie);
    expect(callback.status).toBe(200);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });
});

describe('who may send: the walls of cancel (Origin, authorize, then the owner key)', () => {
  it('without the owner key, with the QR code’s key, a wrong key or another session’s: 404 exactly like an unknown session, nothing sent', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    const other = await createSession(s.handler);
    const unknown = await send(s.handler, { ...created, sessionId: 'z'.repeat(22), sendUrl: `${BASE}/sessions/${'z'.repeat(22)}/send` }, { channel: 'sms', to: PHONE });
    expect(unknown.status).toBe(404);
    const unknownBody = await unknown.text();
    const qrKey = created.qrUrl!.split('/').pop()!;
    const proofs: Record<string, string>[] = [
      { [OWNER_KEY_HEADER]: '' },
      { [OWNER_KEY_HEADER]: qrKey },
      { 'Liveness-Link-Key': qrKey, [OWNER_KEY_HEADER]: '' },
      { [OWNER_KEY_HEADER]: 'A'.repeat(22) },
      { [OWNER_KEY_HEADER]: other.ownerKey! },
    ];
    for (const headers of proofs) {
      const response = await send(s.handler, created, { channel: 'sms', to: PHONE }, headers);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(unknownBody);
    }
    expect(s.box.sent).toEqual([]);
    expect(s.events.filter((e) => e.code === 'owner_key_mismatch')).toHaveLength(5);
    // The session is untouched: the right key still sends three times.
    expect(await (await send(s.handler, created, { channel: 'sms', to: PHONE })).json()).toEqual({ channel: 'sms', remaining: 2 });
  });

  it('the owner key is checked before the body: a wrong key with a hostile body is still a 404, and the body is not judged', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    const response = await send(s.handler, created, { channel: 'fax', to: 'a@b.c,d@e.f' }, { [OWNER_KEY_HEADER]: 'A'.repeat(22) });
    expect(response.status).toBe(404);
  });

  it('another subject’s session: 404; authorize saying no: 403; a foreign Origin: 403 before authorize runs', async () => {
    let subject = 'user-1';
    let asked = 0;
    const s = withSender({
      authorize: () => {
        asked += 1;
        return subject === 'nobody' ? false : { subject };
      },
    });
    const created = await createSession(s.handler);
    subject = 'user-2';
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE })).status).toBe(404);
    subject = 'nobody';
    const refused = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('forbidden');
    subject = 'user-1';
    const before = asked;
    const foreign = await send(s.handler, created, { channel: 'sms', to: PHONE }, { Origin: 'https://evil.example.test' });
    expect(foreign.status).toBe(403);
    expect((await errorOf(foreign)).code).toBe('origin_not_allowed');
    expect(asked).toBe(before);
    expect(s.box.sent).toEqual([]);
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE }, { Origin: PUBLIC_URL })).status).toBe(200);
  });
});

describe('what may be sent, and to whom', () => {
  it.each([
    ['sms', 'empty', ''],
    ['sms', 'no plus', '447700900123'],
    ['sms', 'spaces', '+44 7700 900123'],
    ['sms', 'a trailing CR/LF', '+447700900123\r\n'],
    ['sms', 'a second number after a line break', '+447700900123\n+15551234567'],
    ['sms', 'two numbers', '+447700900123,+15551234567'],
    ['sms', 'full-width digits', '＋４４７７００９００１２３'],
    ['sms', '10 kB of digits', `+${'1'.repeat(10 * 1024)}`],
    ['sms', 'a number, not a string', 447700900123],
    ['sms', 'null', null],
    ['email', 'two addresses', 'a@example.test,b@example.test'],
    ['email', 'two addresses and a space', 'a@example.test b@example.test'],
    ['email', 'a display name', '"Person" <person@example.test>'],
    ['email', 'a Bcc header after CR/LF', 'person@example.test\r\nBcc: everyone@example.net'],
    ['email', 'a Cyrillic е in the local part', 'pеrson@example.test'],
    ['email', 'a Cyrillic а in the domain', 'person@exаmple.test'],
    ['email', '10 kB', `${'a'.repeat(10 * 1024)}@example.test`],
    ['email', 'an array', ['person@example.test']],
  ])('%s to %s: 400 invalid_recipient, nothing sent, no send spent, nothing echoed', async (channel, _name, to) => {
    const s = withSender();
    const created = await createSession(s.handler);
    const response = await send(s.handler, created, { channel, to });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(errorInText(text).code).toBe('invalid_recipient');
    if (typeof to === 'string' && to.length > 0) expect(text).not.toContain(to.slice(1, 12));
    expect(s.box.sent).toEqual([]);
    expect(s.events.filter((e) => e.type === 'request.rejected').map((e) => e.code)).toEqual(['invalid_recipient']);
    expect(await (await send(s.handler, created, { channel: 'sms', to: PHONE })).json()).toEqual({ channel: 'sms', remaining: 2 });
  });

  it('a channel that is not offered, or not a channel: 400 channel_not_allowed', async () => {
    const s = withSender({ sendLinkChannels: ['sms'] });
    const created = await createSession(s.handler);
    for (const channel of ['email', 'fax', 'SMS', '', 7, undefined]) {
      const response = await send(s.handler, created, { channel, to: EMAIL });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('channel_not_allowed');
    }
    expect(s.box.sent).toEqual([]);
  });

  it('a body that is not a JSON object: 400; not JSON: 400 invalid_json; no JSON Content-Type: 415; over 16 KiB: 413', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    for (const body of ['[]', '"+447700900123"', 'null']) {
      const response = await send(s.handler, created, body);
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_request');
    }
    expect((await errorOf(await send(s.handler, created, '{"channel":'))).code).toBe('invalid_json');
    const form = await send(s.handler, created, 'channel=sms', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const huge = await send(s.handler, created, { channel: 'sms', to: PHONE, padding: 'x'.repeat(17 * 1024) });
    expect(huge.status).toBe(413);
    expect(s.box.sent).toEqual([]);
  });
});

describe('limits', () => {
  it('three sends per session, failed ones included; the fourth: 429 send_rate_limited with Retry-After until the code ends', async () => {
    let fail = true;
    const box = outbox(() => {
      if (fail) throw new Error('provider down');
    });
    const clock = fakeClock();
    const s = withSender({ clock: clock.now, backgroundTimers: false }, box);
    const created = await createSession(s.handler);
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE })).status).toBe(502);
    fail = false;
    expect(await (await send(s.handler, created, { channel: 'sms', to: PHONE })).json()).toEqual({ channel: 'sms', remaining: 1 });
    expect(await (await send(s.handler, created, { channel: 'email', to: EMAIL })).json()).toEqual({ channel: 'email', remaining: 0 });
    clock.advance(20_000);
    const fourth = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(fourth.status).toBe(429);
    expect((await errorOf(fourth)).code).toBe('send_rate_limited');
    expect(fourth.headers.get('Retry-After')).toBe('100');
    expect(box.sent).toHaveLength(3);
  });

  it('ten concurrent sends: exactly three reach the sender, the rest are 429', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(s.handler, created, { channel: 'sms', to: PHONE })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    expect(s.box.sent).toHaveLength(3);
  });

  it('the client’s budget (clientRateLimit) counts creates and sends together: past it, 429 send_rate_limited with Retry-After, nothing sent', async () => {
    const s = withSender({ clientRateLimit: { requests: 3, perMs: 60_000 }, clientKey: () => 'client-a' });
    const first = await createSession(s.handler);
    const second = await createSession(s.handler);
    expect((await send(s.handler, first, { channel: 'sms', to: PHONE })).status).toBe(200);
    const over = await send(s.handler, second, { channel: 'sms', to: PHONE });
    expect(over.status).toBe(429);
    expect((await errorOf(over)).code).toBe('send_rate_limited');
    expect(Number(over.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(s.box.sent).toHaveLength(1);
    // The refused send spent nothing of the session's own three.
    const status = await s.handler.getSession(second.sessionId);
    expect(status?.status).toBe('pending');
  });

  it('a refused send (invalid, 409) gives the client’s budget slot back or never takes it', async () => {
    const s = withSender({ clientRateLimit: { requests: 2, perMs: 60_000 }, clientKey: () => 'client-b' });
    const created = await createSession(s.handler);
    for (let i = 0; i < 5; i += 1) expect((await send(s.handler, created, { channel: 'sms', to: 'not a number' })).status).toBe(400);
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE })).status).toBe(200);
  });
});

describe('only while the session waits for a phone that has not opened it: 409', () => {
  it('once a phone opened the link: 409 session_opened', async () => {
    const s = withSender();
    const created = await createSession(s.handler);
    expect((await s.handler(new Request(created.qrUrl!))).status).toBe(302);
    const response = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('session_opened');
    expect(s.box.sent).toEqual([]);
  });

  it('expired, cancelled, verified or failed: 409 session_gone', async () => {
    const clock = fakeClock();
    const s = withSender({ clock: clock.now, backgroundTimers: false }, outbox());
    const expired = await createSession(s.handler);
    clock.advance(121_000);
    const cancelled = await createSession(s.handler);
    await s.handler(request(`${BASE}/sessions/${cancelled.sessionId}`, { method: 'DELETE', headers: { [OWNER_KEY_HEADER]: cancelled.ownerKey! } }));
    const failed = await createSession(s.handler);
    await phoneFlow(s, failed, 'fail', 'link');
    const verified = await createSession(s.handler);
    await phoneFlow(s, verified, 'pass', 'link');
    expect((await getStatus(s.handler, verified.sessionId)).status).toBe('verified');
    for (const created of [expired, cancelled, failed, verified]) {
      const response = await send(s.handler, created, { channel: 'sms', to: PHONE });
      expect(response.status).toBe(409);
      expect((await errorOf(response)).code).toBe('session_gone');
    }
    expect(s.box.sent).toEqual([]);
  });
});

describe('a sender that fails', () => {
  it('throws (its message holding the number and the link): 502 send_failed in our words; the session is unchanged; link.send_failed without to or link', async () => {
    const box = outbox((message) => {
      throw new Error(`Twilio 21211: invalid 'To' ${message.to} for ${message.link}`);
    });
    const s = withSender({}, box);
    const created = await createSession(s.handler);
    const response = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'send_failed', message: expect.any(String) } });
    for (const secret of ['Twilio', '21211', PHONE, created.qrUrl!]) expect(text).not.toContain(secret);
    expect(sendEvents(s.events)).toEqual([{ type: 'link.send_failed', sessionId: created.sessionId, channel: 'sms', httpStatus: 502, code: 'send_error', durationMs: expect.any(Number) }]);
    expect(JSON.stringify(s.events)).not.toContain(PHONE);
    // Nothing else changed: the status, and the code the QR shows, work as before.
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'pending' });
    expect((await getStatus(s.handler, created.sessionId)).openedAt).toBeUndefined();
    expect((await s.handler(new Request(created.qrUrl!))).status).toBe(302);
  });

  it('rejects with a non-Error (a string, undefined): 502 all the same', async () => {
    for (const thrown of ['provider said no to +447700900123', undefined, { status: 500 }]) {
      // The point: a sender that rejects with no Error.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      const rejectsWithoutError = () => Promise.reject(thrown);
      const s = withSender({}, outbox(rejectsWithoutError));
      const created = await createSession(s.handler);
      const response = await send(s.handler, created, { channel: 'sms', to: PHONE });
      expect(response.status).toBe(502);
      expect(await response.text()).not.toContain(PHONE);
    }
  });

  it('hangs past sendLinkTimeoutMs: its signal aborts, 502 send_failed, link.send_failed with code send_timeout', async () => {
    const box = outbox((_message, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 50))));
    const s = withSender({ sendLinkTimeoutMs: 30 }, box);
    const created = await createSession(s.handler);
    const response = await send(s.handler, created, { channel: 'email', to: EMAIL });
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('send_failed');
    expect(box.signals[0]!.aborted).toBe(true);
    expect(sendEvents(s.events)).toEqual([{ type: 'link.send_failed', sessionId: created.sessionId, channel: 'email', httpStatus: 502, code: 'send_timeout', durationMs: expect.any(Number) }]);
  });

  it('a sender that never settles at all still gets its answer at the deadline', async () => {
    const s = withSender(
      { sendLinkTimeoutMs: 20 },
      outbox(() => new Promise<void>(() => undefined)),
    );
    const created = await createSession(s.handler);
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE })).status).toBe(502);
  });
});

describe('a store that cannot answer', () => {
  it('when the count cannot be written: 503 store_unavailable, nothing sent, and the client’s budget slot is given back', async () => {
    const inner = memoryStore();
    let down = false;
    const store: SessionStore = {
      ...inner,
      get: (id) => inner.get(id),
      create: (session) => inner.create(session),
      delete: (id) => inner.delete(id),
      update: (id, version, patch) => (down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' })) : inner.update(id, version, patch)),
    };
    const s = withSender({ store, clientRateLimit: { requests: 2, perMs: 60_000 }, clientKey: () => 'client-c' });
    const created = await createSession(s.handler);
    down = true;
    const refused = await send(s.handler, created, { channel: 'sms', to: PHONE });
    expect(refused.status).toBe(503);
    const text = await refused.text();
    expect(errorInText(text).code).toBe('store_unavailable');
    expect(text).not.toContain('10.0.0.5');
    expect(s.box.sent).toEqual([]);
    down = false;
    // The create and this send are the client's two: the refused send spent nothing.
    expect((await send(s.handler, created, { channel: 'sms', to: PHONE })).status).toBe(200);
  });
});

describe('options', () => {
  const base = { apiKey: API_KEY, upstreamUrl: UPSTREAM_URL };
  it.each([
    [{ sendLinkChannels: ['sms'] }, /sendLinkChannels needs sendLink/],
    [{ sendLink: 'twilio' }, /sendLink must be a function/],
    [{ sendLink: () => undefined, sendLinkChannels: [] }, /sendLinkChannels must list/],
    [{ sendLink: () => undefined, sendLinkChannels: ['sms', 'sms'] }, /sendLinkChannels must list/],
    [{ sendLink: () => undefined, sendLinkChannels: ['sms', 'fax'] }, /sendLinkChannels must list/],
    [{ sendLink: () => undefined, sendLinkTimeoutMs: 0 }, /sendLinkTimeoutMs must be a positive number/],
    [{ sendLink: () => undefined, sendLinkTimeoutMs: 25_001 }, /sendLinkTimeoutMs must be at most 25000/],
  ])('%j is refused at creation', (options, message) => {
    expect(() => createLivenessHandler({ ...base, ...(options as Partial<LivenessHandlerOptions>) })).toThrow(message);
  });
});

describe('sends across instances on one redis-server', () => {
  const redis = redisServerForSuite();

  it.skipIf(skipRedis)('twelve concurrent sends spread over two instances: exactly three reach the senders', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const prefix = `rls-send-${process.pid}:`;
    const box = outbox();
    const options = async (): Promise<LivenessHandlerOptions> => ({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      store: redisStore({ client: await redis.connect(), prefix }),
      fetch: mock.fetch,
      backgroundTimers: false,
      sendLink: box.sendLink,
    });
    const handlers = [createLivenessHandler(await options()), createLivenessHandler(await options())];
    const created = await createSession(handlers[0]!);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => send(handlers[i % 2]!, created, { channel: 'sms', to: PHONE })));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9);
    expect(box.sent).toHaveLength(3);
  });
});
