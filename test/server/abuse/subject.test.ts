// @vitest-environment node
// Issue 16: a session belongs to the app's subject that `authorize` named when it was created. The
// subject is stored, handed back to the app's own server (`getSession`), refuses a reader who names
// another subject, and never reaches a browser.
import { describe, expect, it } from 'vitest';
import { BASE, createdBody, createSession, phoneFlow, postSession, PUBLIC_URL, request, setup, tokenOf } from '../helpers.js';

const SUBJECT = 'user-SUBJECT-2b7c9e';

async function capture(label: string, response: Response): Promise<{ label: string; text: string }> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return { label, text: `${response.status}\n${headers}\n\n${await response.clone().text()}` };
}

describe('sessions bound to the subject authorize returns', () => {
  it('stores the subject at create and getSession returns it', async () => {
    const s = setup({ authorize: () => ({ subject: SUBJECT }) });
    const created = await createSession(s.handler);
    expect(await s.handler.getSession(created.sessionId)).toMatchObject({ sessionId: created.sessionId, status: 'pending', subject: SUBJECT });
    expect(await s.handler.getSession(created.sessionId, { subject: SUBJECT })).toMatchObject({ subject: SUBJECT });
  });

  it('getSession(id, { subject }) answers undefined for a session that belongs to someone else', async () => {
    let who = 'user-alice';
    const s = setup({ authorize: () => ({ subject: who }) });
    const alice = await createSession(s.handler);
    await phoneFlow(s, alice, 'pass', 'link');
    expect((await s.handler.getSession(alice.sessionId, { subject: 'user-alice' }))?.groupId).toMatch(/^group-/);
    // Mallory learned Alice's session id (it travels in return URLs and logs): it gives her nothing.
    expect(await s.handler.getSession(alice.sessionId, { subject: 'user-mallory' })).toBeUndefined();
    expect(await s.handler.getSession(alice.sessionId, { subject: '' })).toBeUndefined();
    // `{ subject: user?.id }` for a signed-out visitor: nothing, not everyone's session.
    expect(await s.handler.getSession(alice.sessionId, { subject: undefined })).toBeUndefined();
    who = 'user-mallory';
    const mallory = await createSession(s.handler);
    expect(await s.handler.getSession(mallory.sessionId, { subject: 'user-alice' })).toBeUndefined();
  });

  it('the status route answers another subject exactly like an unknown session', async () => {
    const s = setup({ authorize: (request) => ({ subject: request.headers.get('X-Test-User') ?? 'nobody' }) });
    const as = (user: string) => ({ headers: { 'X-Test-User': user } });
    const response = await s.handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Test-User': 'user-alice' }, body: '{}' }));
    const created = await createdBody(response);
    await phoneFlow(s, created, 'pass', 'link');
    const mine = await s.handler(request(created.statusUrl, as('user-alice')));
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ status: 'verified', groupId: expect.stringMatching(/^group-/) });
    const theirs = await s.handler(request(created.statusUrl, as('user-bob')));
    const unknown = await s.handler(request(`${BASE}/sessions/${'A'.repeat(22)}`, as('user-bob')));
    expect(theirs.status).toBe(404);
    expect(await theirs.text()).toBe(await unknown.text());
  });

  it('a session created without a subject belongs to no subject', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const read = await s.handler.getSession(created.sessionId);
    expect(read).toBeDefined();
    expect(read).not.toHaveProperty('subject');
    expect(await s.handler.getSession(created.sessionId, { subject: 'user-1' })).toBeUndefined();
  });

  it('true and false keep their meaning; a subject that is not a non-empty string is refused (500), never stored', async () => {
    for (const [answer, status] of [
      [true, 201],
      [false, 403],
      [{ subject: '' }, 500],
      [{ subject: 42 }, 500],
      [{}, 500],
    ] as const) {
      const s = setup({ authorize: () => answer as never });
      const response = await postSession(s.handler);
      expect(response.status, JSON.stringify(answer)).toBe(status);
    }
  });

  it("an Idempotency-Key repeated by another subject never returns the first subject's session", async () => {
    let who = 'user-alice';
    // Same client address for both (a shared office NAT): only the subject tells them apart.
    const s = setup({ authorize: () => ({ subject: who }), clientKey: () => '203.0.113.7' });
    const key = 'k'.repeat(24);
    const first = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': key }));
    who = 'user-mallory';
    const second = await createdBody(await postSession(s.handler, {}, { 'Idempotency-Key': key }));
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.h5Link).not.toBe(first.h5Link);
    expect((await s.handler.getSession(second.sessionId))?.subject).toBe('user-mallory');
  });

  it('never reaches a browser: no body or header of a full flow carries the subject', async () => {
    const s = setup({ authorize: () => ({ subject: SUBJECT }), upstreamTimeoutMs: 200 });
    const seen: { label: string; text: string }[] = [];
    const record = async (label: string, response: Response) => {
      seen.push(await capture(label, response));
      return response;
    };
    const createResponse = await record('create', await postSession(s.handler, { locale: 'en', returnUrl: `${PUBLIC_URL}/done` }));
    const created = await createdBody(createResponse.clone());
    await record('status pending', await s.handler(request(created.statusUrl)));
    const short = await record('qr', await s.handler(new Request(created.qrUrl)));
    const cookie = short.headers.get('Set-Cookie')!.split(';')[0]!;
    await record('qr other phone', await s.handler(new Request(created.qrUrl)));
    const { responses } = await phoneFlow(s, created, 'pass', 'qr', cookie);
    await record('callback', responses.at(-1)!);
    await record('status verified', await s.handler(request(created.statusUrl)));
    await record('head status', await s.handler(request(created.statusUrl, { method: 'HEAD' })));
    await record('tokenless callback', await s.handler(request(`${BASE}/callback?sid=${created.sessionId}`)));
    const second = await createSession(s.handler);
    await record('fail callback', (await phoneFlow(s, second, 'fail')).callback);
    await record('replayed token', await s.handler(request(`${BASE}/callback?sid=${second.sessionId}&bytedToken=${tokenOf(second.h5Link)}&resultCode=10000`)));
    await record('404', await s.handler(request(`${BASE}/sessions/${'z'.repeat(32)}`)));
    expect(seen.length).toBeGreaterThan(8);
    for (const { label, text } of seen) expect(text, label).not.toContain(SUBJECT);
    expect(JSON.stringify(s.events)).not.toContain(SUBJECT);
  });
});
