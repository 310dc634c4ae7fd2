// @vitest-environment node
// The red-team findings of issue 12, one block each. Every test here failed on the code before the fix
// (the report lists how); together with nodeAdapter.test.ts and securityDoc.test.ts they close the list.
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../../../src/server.js';
import { appendCallbackParams } from '../../../src/testing.js';
import { BASE, createSession, errorBody, getStatus, phoneFlow, postSession, PUBLIC_URL, request, setup, tokenOf } from '../helpers.js';

const PASS = { resultCode: '10000', algorithmBaseRespCode: '0', reqMeasureInfoValue: '1', verify_type: 'real_time' };

function callbackUrl(sessionId: string, params: Record<string, string> = {}): string {
  return appendCallbackParams(`${PUBLIC_URL}${BASE}/callback?sid=${sessionId}`, params);
}

describe('finding 1: open redirect through a Host-derived return allowlist', () => {
  it("without publicUrl, a returnUrl on the request's own Host is refused", async () => {
    const s = setup({ publicUrl: undefined });
    const response = await s.handler(
      new Request('http://evil.test/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Host: 'evil.test' },
        body: JSON.stringify({ returnUrl: 'http://evil.test/phish' }),
      }),
    );
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('return_url_not_allowed');
    expect(s.mock.stats.create).toBe(0);
  });

  it('without publicUrl, explicit allowedReturnUrls still work', async () => {
    const s = setup({ publicUrl: undefined, allowedReturnUrls: ['http://localhost:5173/done'] });
    const response = await s.handler(
      new Request('http://localhost:5173/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ returnUrl: 'http://localhost:5173/done?x=1' }),
      }),
    );
    expect(response.status).toBe(201);
  });

  it("a callback without the session's token never redirects to the return URL", async () => {
    const s = setup();
    const created = await createSession(s.handler, { returnUrl: `${PUBLIC_URL}/verify/done` });
    for (const url of [callbackUrl(created.sessionId), callbackUrl(created.sessionId, { bytedToken: 'wrong', ...PASS })]) {
      const response = await s.handler(new Request(url));
      expect(response.status).toBe(200);
      expect(response.headers.get('Location')).toBeNull();
    }
  });
});

describe('finding 2: knowing a session id is enough to take the link', () => {
  it('the QR URL carries its own secret, not the session id', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    expect(created.qrUrl).toBeDefined();
    expect(created.qrUrl).not.toContain(created.sessionId);
  });

  it('/l/<sessionId> does not hand out the link', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const response = await s.handler(request(`${BASE}/l/${created.sessionId}`));
    expect(response.status).not.toBe(302);
    expect(response.headers.get('Location')).toBeNull();
    expect(await response.text()).not.toContain(created.h5Link);
  });

  it('the short link belongs to the first device that opens it', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const first = await s.handler(new Request(created.qrUrl!));
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe(created.h5Link);
    const cookie = first.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(new RegExp(`Path=${BASE}(;|$)`));

    const other = await s.handler(new Request(created.qrUrl!));
    expect(other.status).toBe(409);
    expect(other.headers.get('Location')).toBeNull();
    expect(other.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    const html = await other.text();
    expect(html).toContain('data-liveness-callback="opened_elsewhere"');
    expect(html).toContain('another phone');
    expect(html).not.toContain('http');

    const again = await s.handler(new Request(created.qrUrl!, { headers: { Cookie: cookie.split(';')[0]! } }));
    expect(again.status).toBe(302);
    expect(again.headers.get('Location')).toBe(created.h5Link);
  });

  it('the status answer says when the link was opened', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    expect((await getStatus(s.handler, created.sessionId)).openedAt).toBeUndefined();
    await s.handler(new Request(created.qrUrl!));
    const status = await getStatus(s.handler, created.sessionId);
    expect(status.status).toBe('pending');
    expect(Date.parse(status.openedAt!)).toBeGreaterThan(0);
  });
});

describe('finding 3: tokenless callbacks reveal the outcome and poll the store', () => {
  it('a tokenless or mismatched callback shows a neutral page, whatever the outcome', async () => {
    const s = setup();
    const verified = await createSession(s.handler);
    await phoneFlow(s, verified, 'pass');
    const failed = await createSession(s.handler);
    await phoneFlow(s, failed, 'fail');
    expect((await getStatus(s.handler, verified.sessionId)).status).toBe('verified');
    for (const created of [verified, failed]) {
      for (const url of [callbackUrl(created.sessionId), callbackUrl(created.sessionId, { bytedToken: 'x', resultCode: '10000' })]) {
        const html = await (await s.handler(new Request(url))).text();
        expect(html).toContain('data-liveness-callback="neutral"');
        expect(html).not.toMatch(/complete|not completed|ended/i);
      }
    }
  });

  it('a tokenless callback to a session whose result is being fetched elsewhere neither waits nor polls the store', async () => {
    // Two instances on one store: the result call runs in the first, the tokenless callback reaches the second.
    const shared = memoryStore();
    let reads = 0;
    const counted: SessionStore = { ...shared, get: (id) => ((reads += 1), shared.get(id)) };
    let release: (() => void) | undefined;
    const first = setup({
      store: shared,
      upstreamTimeoutMs: 1000,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        // The result call hangs until the test lets it go: the session stays mid-check meanwhile.
        if (req.url.endsWith('GetVisualValidateResult')) await new Promise<void>((resolve) => (release = resolve));
        return first.mock(req);
      },
    });
    const second = setup({ store: counted, upstreamTimeoutMs: 1000 });
    const created = await createSession(first.handler);
    const checking = first.handler(new Request(first.mock.decide(tokenOf(created.h5Link), 'pass')!));
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await second.handler(new Request(callbackUrl(created.sessionId, { resultCode: '10000' })));
    expect(response.status).toBe(200);
    expect(reads).toBeLessThanOrEqual(1);
    release();
    await checking;
  });
});

describe('finding 5: links that break later, HEAD', () => {
  it('an H5 link with a non-ASCII character is stored as the URL it becomes, and /l/ redirects to it', async () => {
    const s = setup({
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (!req.url.endsWith('CreateVisualValidateSession')) return s.mock(req);
        return Response.json({ BytedToken: '2026FAKETOKEN', H5Link: 'https://h5.example.test/auth?x=\u0100&y=1', CallbackURL: 'x' });
      },
    });
    const created = await createSession(s.handler);
    expect(created.h5Link).toBe('https://h5.example.test/auth?x=%C4%80&y=1&lng=en');
    const redirect = await s.handler(new Request(created.qrUrl!));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('Location')).toBe(created.h5Link);
  });

  it('HEAD is answered on every GET route, without a body and without side effects', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const status = await s.handler(request(created.statusUrl!, { method: 'HEAD' }));
    expect(status.status).toBe(200);
    expect(await status.text()).toBe('');
    const callback = await s.handler(request(`${BASE}/callback?sid=${created.sessionId}`, { method: 'HEAD' }));
    expect(callback.status).toBe(200);
    expect(await callback.text()).toBe('');
    const short = await s.handler(new Request(created.qrUrl!, { method: 'HEAD' }));
    expect(short.status).toBe(200);
    expect(short.headers.get('Location')).toBeNull();
    expect(short.headers.get('Set-Cookie')).toBeNull();
    // HEAD bound nothing: the first real open still gets the link.
    expect((await s.handler(new Request(created.qrUrl!))).status).toBe(302);
  });

  it('the create route stays POST-only (HEAD is 405 there)', async () => {
    const s = setup();
    const response = await s.handler(request(`${BASE}/sessions`, { method: 'HEAD' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST');
    expect((await postSession(s.handler)).status).toBe(201);
  });
});
