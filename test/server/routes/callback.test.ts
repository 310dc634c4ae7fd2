// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { appendCallbackParams } from '../../../src/testing.js';
import { BASE, PUBLIC_URL, createSession, elapse, fakeClock, getStatus, phoneFlow, request, settle, setup, successfulResults, tokenOf } from '../helpers.js';

function callbackUrl(sessionId: string, params: Record<string, string>): string {
  return appendCallbackParams(`${PUBLIC_URL}${BASE}/callback?sid=${sessionId}`, params);
}

const PASS = { resultCode: '10000', algorithmBaseRespCode: '0', reqMeasureInfoValue: '1', verify_type: 'real_time' };

describe('GET {basePath}/callback', () => {
  it('after "Pass": one result call with the stored token, then verified and a page with security headers', async () => {
    const s = setup();
    const created = await createSession(s.handler, { locale: 'en' });
    const { callback } = await phoneFlow(s, created, 'pass');
    expect(s.mock.stats.result).toBe(1);
    expect(callback.status).toBe(200);
    expect(callback.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(callback.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(callback.headers.get('Content-Security-Policy')).toContain("style-src 'unsafe-inline'");
    expect(callback.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(callback.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(callback.headers.get('X-Frame-Options')).toBe('DENY');
    expect(callback.headers.get('Cache-Control')).toBe('no-store');
    const html = await callback.text();
    expect(html).toContain('You can go back to your computer');
    expect(html).toContain('data-liveness-callback="verified"');
    expect(html).toContain('<html lang="en">');
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('shows the page in the session locale (zh)', async () => {
    const s = setup();
    const created = await createSession(s.handler, { locale: 'zh' });
    const { callback } = await phoneFlow(s, created, 'pass');
    const html = await callback.text();
    expect(html).toContain('<html lang="zh">');
    expect(html).toContain('您可以回到电脑');
  });

  it('after "Fail": failed without any result call', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const { callback } = await phoneFlow(s, created, 'fail');
    expect(s.mock.stats.result).toBe(0);
    expect(await callback.text()).toContain('data-liveness-callback="failed"');
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('failed');
  });

  it('50 concurrent success callbacks make exactly one result call and all see verified', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    const responses = await Promise.all(Array.from({ length: 50 }, () => s.handler(new Request(url))));
    expect(s.mock.stats.result).toBe(1);
    const pages = await Promise.all(responses.map((r) => r.text()));
    for (const html of pages) expect(html).toContain('data-liveness-callback="verified"');
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('the result is single-use: a repeated callback changes nothing and calls nothing', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const { callbackUrl: url } = await phoneFlow(s, created, 'pass');
    const first = await getStatus(s.handler, created.sessionId);
    const again = await s.handler(new Request(url));
    expect(again.status).toBe(200);
    expect(s.mock.stats.result).toBe(1);
    expect(await getStatus(s.handler, created.sessionId)).toEqual({ ...first, expiresInMs: expect.any(Number) });
  });

  it('a forged success callback (person never passed, upstream says NotFound) never yields verified', async () => {
    vi.useFakeTimers();
    try {
      const s = setup();
      const created = await createSession(s.handler);
      const token = tokenOf(created.h5Link);
      const response = await settle(s.handler(new Request(callbackUrl(created.sessionId, { bytedToken: token, ...PASS }))));
      expect(s.mock.calls.at(-1)).toMatchObject({ action: 'result', status: 404 });
      expect(await response.text()).not.toContain('data-liveness-callback="verified"');
      // "Not found" right after a callback may mean "not stored yet": asked again for a minute, then believed.
      expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
      await elapse(70_000, 500);
      expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'failed', reason: 'unknown' });
      // Passing afterwards cannot rescue it: the session is decided.
      s.mock.decide(token, 'pass');
      await settle(s.handler(new Request(callbackUrl(created.sessionId, { bytedToken: token, ...PASS }))));
      expect((await getStatus(s.handler, created.sessionId)).status).toBe('failed');
      expect(successfulResults(s.mock)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a callback whose bytedToken differs from the stored one is ignored', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const token = tokenOf(created.h5Link);
    s.mock.decide(token, 'pass');
    await s.handler(new Request(callbackUrl(created.sessionId, { bytedToken: `${token}X`, ...PASS })));
    await s.handler(new Request(callbackUrl(created.sessionId, { bytedToken: 'other', resultCode: '10001' })));
    expect(s.mock.stats.result).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect(s.events.filter((e) => e.type === 'callback.rejected').map((e) => e.code)).toEqual(['token_mismatch', 'token_mismatch']);
  });

  it('sends the token stored at creation to the result call', async () => {
    const seen: string[] = [];
    const s = setup({
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (req.url.endsWith('GetVisualValidateResult')) seen.push(((await req.clone().json()) as { BytedToken: string }).BytedToken);
        return s.mock(req);
      },
    });
    const created = await createSession(s.handler);
    const token = tokenOf(created.h5Link);
    await s.handler(new Request(s.mock.decide(token, 'pass')!));
    expect(seen).toEqual([token]);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it.each([
    ['success', PASS],
    ['failure', { resultCode: '10001' }],
  ] as const)('a %s callback without bytedToken (only the session id) changes nothing and calls nothing', async (_name, params) => {
    const s = setup();
    const created = await createSession(s.handler);
    s.mock.decide(tokenOf(created.h5Link), 'pass');
    for (const extra of [{}, { bytedToken: '' }] as Record<string, string>[]) {
      const response = await s.handler(new Request(callbackUrl(created.sessionId, { ...params, ...extra })));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('data-liveness-callback="neutral"');
    }
    expect(s.mock.stats.result).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
    expect(s.events.filter((e) => e.type === 'callback.rejected').map((e) => e.code)).toEqual(['missing_token', 'missing_token']);
    // The person's own callback still works afterwards.
    await s.handler(new Request(callbackUrl(created.sessionId, { bytedToken: tokenOf(created.h5Link), ...PASS })));
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('an empty GroupId means failed', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    s.mock.failNext('emptyGroupId', 'result');
    await phoneFlow(s, created, 'pass');
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('failed');
  });

  it('a callback after the link expired (and its last check is over) changes nothing and calls nothing', async () => {
    const clock = fakeClock();
    const s = setup({ clock: clock.now }, { clock: clock.now });
    const created = await createSession(s.handler);
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    clock.advance(135_000);
    const response = await s.handler(new Request(url));
    expect(await response.text()).toContain('data-liveness-callback="expired"');
    expect(s.mock.stats.result).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('expired');
  });

  it('an unknown session gets a 404 page in the phone language, with nothing from the query echoed', async () => {
    const s = setup();
    const response = await s.handler(request(`${BASE}/callback?sid=%3Cscript%3Ealert(1)%3C/script%3E&resultCode=10000`, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } }));
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="zh">');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('alert');
    expect(s.mock.stats.result).toBe(0);
  });

  it('a callback without resultCode changes nothing', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await s.handler(request(`${BASE}/callback?sid=${created.sessionId}`));
    expect(s.mock.stats.result).toBe(0);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('pending');
  });

  it('303-redirects to an allowed returnUrl with livenessSessionId when the link was opened on this device', async () => {
    const s = setup();
    const created = await createSession(s.handler, { returnUrl: `${PUBLIC_URL}/verify/done?step=2#top` });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    expect(callback.status).toBe(303);
    const location = new URL(callback.headers.get('Location')!);
    expect(location.origin + location.pathname).toBe(`${PUBLIC_URL}/verify/done`);
    expect(location.searchParams.get('step')).toBe('2');
    expect(location.searchParams.get('livenessSessionId')).toBe(created.sessionId);
    expect(location.hash).toBe('#top');
    expect(callback.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(callback.headers.get('Location')).not.toContain(tokenOf(created.h5Link));
  });

  it('shows the built-in page, not the returnUrl, to a phone that came through the QR code', async () => {
    // The phone that scanned the code is not where the person started: sent to the app's page it
    // would start a session of its own. It is told to go back to the computer instead.
    const s = setup();
    const created = await createSession(s.handler, { returnUrl: `${PUBLIC_URL}/verify/done` });
    const { callback } = await phoneFlow(s, created, 'pass', 'qr');
    expect(callback.status).toBe(200);
    expect(callback.headers.get('Location')).toBeNull();
    expect(callback.headers.get('Content-Type')).toContain('text/html');
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('405 with Allow: GET, HEAD for POST', async () => {
    const s = setup();
    const response = await s.handler(request(`${BASE}/callback?sid=x`, { method: 'POST' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });

  it('prioritises the result call when the create budget is spent', async () => {
    const s = setup({ upstreamRateLimit: { requests: 1, perMs: 200 } });
    const created = await createSession(s.handler);
    // The bucket is empty now: a creation is refused at once…
    expect((await s.handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }))).status).toBe(429);
    // …but the result call waits for the next token instead of being dropped.
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    await s.handler(new Request(url));
    expect(s.mock.stats.result).toBe(1);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });
});
