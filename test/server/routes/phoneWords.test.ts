// @vitest-environment node
// Issue 22, DESIGN rule 10: the callback page speaks to the device the person holds. A session created
// on a phone never tells that phone to "go back to your computer"; the page that asked for a session
// is where its own tab is sent back to when the server allows it (`pageUrl`), never an error when not.
import { describe, expect, it } from 'vitest';
import { BASE, PUBLIC_URL, createSession, getStatus, phoneFlow, postSession, request, setup } from '../helpers.js';

const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_FIREFOX_UA = 'Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0';
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

async function createWith(s: ReturnType<typeof setup>, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await postSession(s.handler, body, headers);
  expect(response.status).toBe(201);
  return (await response.json()) as Awaited<ReturnType<typeof createSession>>;
}

describe('the callback page on a phone that created the session (rule 10)', () => {
  it.each([
    ['the component says device "mobile"', { device: 'mobile' }, {}],
    ['an iPhone user agent, no device field', {}, { 'User-Agent': IPHONE_UA }],
    ['Firefox for Android, no device field', {}, { 'User-Agent': ANDROID_FIREFOX_UA }],
    ['Sec-CH-UA-Mobile: ?1', {}, { 'User-Agent': DESKTOP_UA, 'Sec-CH-UA-Mobile': '?1' }],
  ])('%s: no "computer" in any outcome, in any language', async (_name, body, headers) => {
    for (const [outcome, kind] of [
      ['pass', 'verified'],
      ['fail', 'failed'],
    ] as const) {
      for (const [locale, computer] of [
        ['en', /computer/i],
        ['zh', /电脑/],
        ['zh-Hant', /電腦/],
      ] as const) {
        const s = setup();
        const created = await createWith(s, { locale, ...body }, headers);
        const { callback } = await phoneFlow(s, created, outcome, 'link');
        const html = await callback.text();
        expect(html).toContain(`data-liveness-callback="${kind}"`);
        expect(html).not.toMatch(computer);
      }
    }
  });

  it('says where to go instead: the page where the check was started', async () => {
    const s = setup();
    const created = await createWith(s, { locale: 'en', device: 'mobile' });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    const html = await callback.text();
    expect(html).toContain('Verification complete');
    expect(html).toContain('You can go back to the page where you started.');
  });

  it('a desktop session scanned by a phone still sends that phone back to the computer', async () => {
    const s = setup();
    const created = await createWith(s, { locale: 'en', device: 'desktop' }, { 'User-Agent': DESKTOP_UA });
    const { callback } = await phoneFlow(s, created, 'pass', 'qr');
    expect(await callback.text()).toContain('You can go back to your computer');
  });

  it('the body wins over the user agent (iPadOS says Macintosh; the component knows better)', async () => {
    const s = setup();
    const created = await createWith(
      s,
      { locale: 'en', device: 'mobile' },
      { 'User-Agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' },
    );
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    expect(await callback.text()).not.toMatch(/computer/i);
  });

  it('the tokenless (neutral) page names no device, whoever asks', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const html = await (await s.handler(request(`${BASE}/callback?sid=${created.sessionId}`, { headers: { 'User-Agent': IPHONE_UA } }))).text();
    expect(html).toContain('data-liveness-callback="neutral"');
    expect(html).not.toMatch(/computer/i);
  });

  it('a code opened on a second phone: a session started on a phone does not send it to a computer', async () => {
    const s = setup();
    const created = await createWith(s, { locale: 'en', device: 'mobile' });
    const first = await s.handler(new Request(created.qrUrl!, { redirect: 'manual' }));
    expect(first.status).toBe(302);
    const second = await s.handler(new Request(created.qrUrl!, { redirect: 'manual' }));
    expect(second.status).toBe(409);
    expect(await second.text()).not.toMatch(/computer/i);
  });

  it('400 for a device that is neither "mobile" nor "desktop"', async () => {
    const s = setup();
    for (const device of ['phone', 1, true, '']) {
      const response = await postSession(s.handler, { device });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
    expect(s.mock.stats.create).toBe(0);
  });
});

describe('pageUrl: the page that asked, as the return URL by default', () => {
  it('on the allowlist and no returnUrl: the tab that tapped the link is sent back to it, with the session id', async () => {
    const s = setup();
    const created = await createWith(s, { device: 'mobile', pageUrl: `${PUBLIC_URL}/checkout?step=3#verify` });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    expect(callback.status).toBe(303);
    const location = new URL(callback.headers.get('Location')!);
    expect(location.pathname).toBe('/checkout');
    expect(location.searchParams.get('step')).toBe('3');
    expect(location.searchParams.get('livenessSessionId')).toBe(created.sessionId);
    expect(location.hash).toBe('#verify');
  });

  it('off the allowlist: ignored without an error (a default must never break the create); the built-in page shows', async () => {
    const s = setup();
    const created = await createWith(s, { device: 'mobile', pageUrl: 'https://elsewhere.example.test/checkout' });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    expect(callback.status).toBe(200);
    expect(callback.headers.get('Location')).toBeNull();
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('an explicit returnUrl wins over pageUrl', async () => {
    const s = setup();
    const created = await createWith(s, { returnUrl: `${PUBLIC_URL}/done`, pageUrl: `${PUBLIC_URL}/checkout` });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    expect(new URL(callback.headers.get('Location')!).pathname).toBe('/done');
  });

  it('a phone that scanned the code is still shown the built-in page, never the app', async () => {
    const s = setup();
    const created = await createWith(s, { device: 'desktop', pageUrl: `${PUBLIC_URL}/checkout` });
    const { callback } = await phoneFlow(s, created, 'pass', 'qr');
    expect(callback.status).toBe(200);
  });

  it.each([
    ['not a string', 42],
    ['too long', `${PUBLIC_URL}/${'a'.repeat(5000)}`],
  ])('400 when pageUrl is %s', async (_name, pageUrl) => {
    const s = setup();
    const response = await postSession(s.handler, { pageUrl });
    expect(response.status).toBe(400);
    expect(s.mock.stats.create).toBe(0);
  });

  it('javascript: and credentials in pageUrl are ignored like any URL off the allowlist', async () => {
    const s = setup();
    for (const pageUrl of ['javascript:alert(1)', `https://user:pw@${new URL(PUBLIC_URL).host}/`]) {
      const created = await createWith(s, { device: 'mobile', pageUrl });
      const { callback } = await phoneFlow(s, created, 'pass', 'link');
      expect(callback.headers.get('Location')).toBeNull();
    }
  });

  it('the same Idempotency-Key with the same pageUrl and device gets the same session (a reloaded tab resumes it)', async () => {
    const s = setup();
    const body = { device: 'mobile', pageUrl: `${PUBLIC_URL}/checkout` };
    const headers = { 'Idempotency-Key': 'reload-key-0123456789abcdef' };
    const first = await createWith(s, body, headers);
    const again = await createWith(s, body, headers);
    expect(again.sessionId).toBe(first.sessionId);
    expect(s.mock.stats.create).toBe(1);
  });
});

describe('the callback page in Firefox', () => {
  it('names its own empty icon and allows it, so no browser asks for /favicon.ico (Firefox reports a CSP violation when refused)', async () => {
    const s = setup();
    const created = await createWith(s, { device: 'mobile' });
    const { callback } = await phoneFlow(s, created, 'pass', 'link');
    const policy = callback.headers.get('Content-Security-Policy') ?? '';
    expect(policy).toContain('img-src data:;');
    expect(policy).toContain("default-src 'none'");
    expect(await callback.text()).toContain('<link rel="icon" href="data:,">');
  });
});
