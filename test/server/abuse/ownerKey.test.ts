// @vitest-environment node
// Issue 21, finding 4: cancelling took the key of the session's short link, which is the QR code's own
// content: anyone who saw the code (a photo, a screen share) could end the session without opening it,
// and, waiting for `checkingSince`, lose a passed person's result for good. What changes a session now
// takes a secret only the creating page holds (`ownerKey` in the create answer, sent back as
// `Liveness-Owner-Key`), and a session whose result is being fetched after a success callback is not
// cancelled into losing it.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import type { CreateSessionResponse } from '../../../src/core/wire/protocol.js';
import { API_KEY, BASE, PUBLIC_URL, createSession, fakeClock, getStatus, phoneFlow, postSession, request, setup, tokenOf, type Setup } from '../helpers.js';
import { urlOf } from '../../fetchInput.js';

/** What the QR code shows: its short link, whose last segment is its key. */
const qrKeyOf = (created: CreateSessionResponse) => created.qrUrl!.split('/').pop()!;
/** The secret the create answer gives the creating page, and nobody else. */
const ownerKeyOf = (created: CreateSessionResponse) => created.ownerKey;

function cancelWith(handler: Setup['handler'], created: CreateSessionResponse, headers: Record<string, string>) {
  return handler(request(`${BASE}/sessions/${created.sessionId}`, { method: 'DELETE', headers }));
}

describe('finding 4: what the QR code shows cannot cancel', () => {
  it('a bystander who photographed the code (its short link key) ends nothing: 404, and the phone still gets the link', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const proofs: Record<string, string>[] = [{ 'Liveness-Link-Key': qrKeyOf(created) }, { 'Liveness-Owner-Key': qrKeyOf(created) }, { 'Liveness-Link-Key': qrKeyOf(created).toUpperCase() }];
    for (const headers of proofs) {
      const response = await cancelWith(s.handler, created, headers);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    const phone = await s.handler(new Request(created.qrUrl!));
    expect(phone.status).toBe(302);
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toEqual([]);
  });

  it('the creating page’s ownerKey, from the create answer and nowhere else, cancels', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const ownerKey = ownerKeyOf(created);
    expect(ownerKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Not in the QR code, not in the link, not where the short link leads.
    const redirect = await s.handler(new Request(created.qrUrl!, { method: 'HEAD' }));
    for (const text of [created.qrUrl!, created.h5Link, created.sessionId, created.statusUrl!, redirect.headers.get('Location') ?? '']) expect(text).not.toContain(ownerKey!);
    const response = await cancelWith(s.handler, created, { 'Liveness-Owner-Key': ownerKey! });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'expired' });
    expect((await s.handler(new Request(created.qrUrl!))).status).toBe(410);
  });

  it('another session’s ownerKey ends nothing', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const other = await createSession(s.handler);
    expect((await cancelWith(s.handler, created, { 'Liveness-Owner-Key': ownerKeyOf(other) ?? 'none' })).status).toBe(404);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
  });

  it('an idempotent repeat of the create answers the same ownerKey, and it cancels', async () => {
    const s = setup();
    const headers = { 'Idempotency-Key': 'FAKE-idempotency-key-0001' };
    const first = (await (await postSession(s.handler, {}, headers)).json()) as CreateSessionResponse;
    const again = (await (await postSession(s.handler, {}, headers)).json()) as CreateSessionResponse;
    expect(again.sessionId).toBe(first.sessionId);
    expect(ownerKeyOf(again)).toBeDefined();
    expect(ownerKeyOf(again)).toBe(ownerKeyOf(first));
    expect((await cancelWith(s.handler, again, { 'Liveness-Owner-Key': ownerKeyOf(again)! })).status).toBe(200);
  });

  it('the ownerKey never reaches a status answer, an event, the callback page or onEvent', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const ownerKey = ownerKeyOf(created)!;
    expect(ownerKey).toBeDefined();
    const { responses } = await phoneFlow(s, created, 'pass');
    const status = await s.handler(request(created.statusUrl!));
    const events = await s.handler(request(`${BASE}/sessions/${created.sessionId}/events`));
    const said = [...(await Promise.all([...responses, status, events].map((r) => r.clone().text()))), JSON.stringify(s.events)].join('\n');
    expect(said).not.toContain(ownerKey);
    expect(JSON.stringify(await s.handler.getSession(created.sessionId))).not.toContain(ownerKey);
  });
});

describe('finding 4: a result being fetched after a success callback is not cancelled into losing it', () => {
  it('a result call already under way: the cancel answers the current status, the call goes on, the person is verified', async () => {
    let release!: () => void;
    let atGate = 0;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mock = createMockUpstream({ apiKey: API_KEY });
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: 'https://upstream.example.test',
      publicUrl: PUBLIC_URL,
      upstreamRateLimit: false,
      backgroundTimers: false,
      // The result call waits at the gate while the cancel comes in (from the page, with every key it has).
      fetch: async (input, init) => {
        if (urlOf(input).includes('GetVisualValidateResult')) {
          atGate += 1;
          await gate;
        }
        return mock(new Request(input, init));
      },
    });
    const created = await createSession(handler);
    const callback = handler(new Request(mock.decide(tokenOf(created.h5Link), 'pass')!));
    await expect.poll(() => atGate).toBe(1);
    const headers = { 'Liveness-Owner-Key': ownerKeyOf(created) ?? '', 'Liveness-Link-Key': qrKeyOf(created) };
    const response = await cancelWith(handler, created, headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'pending', checkingSince: expect.any(String) });
    release();
    expect(await (await callback).text()).toContain('data-liveness-callback="verified"');
    expect(await getStatus(handler, created.sessionId)).toMatchObject({ status: 'verified', groupId: expect.stringMatching(/^group-/) });
    expect(mock.stats.result).toBe(1);
  });

  it('a result being retried (a 500 first): the cancel changes nothing, the retry verifies', async () => {
    const clock = fakeClock();
    const s = setup({ clock: clock.now, backgroundTimers: false }, { clock: clock.now });
    const created = await createSession(s.handler);
    s.mock.failNext('serverError', 'result');
    await phoneFlow(s, created, 'pass', 'link');
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'pending', checkingSince: expect.any(String) });
    const headers = { 'Liveness-Owner-Key': ownerKeyOf(created) ?? '', 'Liveness-Link-Key': qrKeyOf(created) };
    expect(await (await cancelWith(s.handler, created, headers)).json()).toMatchObject({ status: 'pending', checkingSince: expect.any(String) });
    clock.advance(2_000);
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'verified' });
    expect(s.events.filter((e) => e.type === 'session.cancelled')).toEqual([]);
  });
});
