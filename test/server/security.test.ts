// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLivenessHandler } from '../../src/server.js';
import { createMockUpstream, MOCK_DECIDE_PATH } from '../../src/testing.js';
import { API_KEY, BASE, createSession, errorBody, fakeClock, phoneFlow, postSession, PUBLIC_URL, request, setup, tokenOf } from './helpers.js';

describe('Origin check on the create route (CSRF)', () => {
  it.each([
    ['another site', 'https://evil.example.test'],
    ['a subdomain of the app', 'https://evil.app.example.test'],
    ['the app over plain http', 'http://app.example.test'],
    ['the app on another port', 'https://app.example.test:8443'],
    ['a sandboxed frame or file: page (null)', 'null'],
    ['garbage', 'not an origin'],
    ['a javascript: origin', 'javascript:alert(1)'],
  ])('403 origin_not_allowed for %s, before authorize and the upstream', async (_name, origin) => {
    let authorized = 0;
    const s = setup({
      authorize: () => {
        authorized += 1;
        return true;
      },
    });
    const response = await postSession(s.handler, {}, { Origin: origin });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'origin_not_allowed', message: expect.any(String) } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(authorized).toBe(0);
    expect(s.mock.stats.create).toBe(0);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', httpStatus: 403, code: 'origin_not_allowed' }));
  });

  it.each([
    ['no Origin (server-to-server, curl)', {}],
    ['the publicUrl origin', { Origin: PUBLIC_URL }],
    ['no Origin with Sec-Fetch-Site: same-origin', { 'Sec-Fetch-Site': 'same-origin' }],
  ])('201 for %s', async (_name, headers) => {
    const s = setup();
    expect((await postSession(s.handler, {}, headers)).status).toBe(201);
  });

  it('accepts Origin equal to scheme://Host when the framework rewrote request.url (Next.js route handlers)', async () => {
    // Next.js hands route handlers request.url = http://localhost:<port> whatever the browser addressed.
    const s = setup({ publicUrl: undefined });
    const post = (origin: string) =>
      s.handler(
        new Request('http://localhost:3000/api/liveness/sessions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Host: 'app.example.test:3000', Origin: origin },
          body: '{}',
        }),
      );
    expect((await post('http://app.example.test:3000')).status).toBe(201);
    expect((await post('https://evil.example.test')).status).toBe(403);
    expect((await post('http://app.example.test:3001')).status).toBe(403);
  });

  it('403 without Origin when the browser says Sec-Fetch-Site: cross-site', async () => {
    const s = setup();
    expect((await postSession(s.handler, {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  });

  it('accepts the origin the request was addressed to (app reached directly, publicUrl elsewhere)', async () => {
    const s = setup({ publicUrl: 'https://public.example.test' });
    const response = await s.handler(
      new Request('http://127.0.0.1:5231/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:5231' },
        body: '{}',
      }),
    );
    expect(response.status).toBe(201);
    const other = await s.handler(
      new Request('http://127.0.0.1:5231/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:5232' },
        body: '{}',
      }),
    );
    expect(other.status).toBe(403);
  });

  it('allowedOrigins adds origins; false turns the check off', async () => {
    const extra = setup({ allowedOrigins: ['https://admin.example.test/'] });
    expect((await postSession(extra.handler, {}, { Origin: 'https://admin.example.test' })).status).toBe(201);
    expect((await postSession(extra.handler, {}, { Origin: 'https://evil.example.test' })).status).toBe(403);
    const off = setup({ allowedOrigins: false });
    expect((await postSession(off.handler, {}, { Origin: 'https://evil.example.test' })).status).toBe(201);
  });

  it.each([['https://app.example.test/path'], ['app.example.test'], ['ftp://app.example.test'], ['https://u:p@app.example.test']])(
    'rejects allowedOrigins entry %s at creation, naming the option',
    (entry) => {
      expect(() => createLivenessHandler({ apiKey: API_KEY, allowedOrigins: [entry] })).toThrow(/allowedOrigins/);
    },
  );

  it('never answers a CORS preflight and never sends CORS headers', async () => {
    const s = setup();
    const preflight = await s.handler(
      request(`${BASE}/sessions`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      }),
    );
    expect(preflight.status).toBe(405);
    const created = await createSession(s.handler);
    const responses = [preflight, await s.handler(request(created.statusUrl!, { headers: { Origin: 'https://evil.example.test' } }))];
    for (const response of responses) {
      for (const [name] of response.headers) expect(name).not.toMatch(/^access-control-/);
    }
  });
});

describe('security headers of the built-in pages', () => {
  function expectPageHeaders(response: Response, label: string) {
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp, label).toContain("default-src 'none'");
    expect(csp, label).toContain("frame-ancestors 'none'");
    expect(csp, label).toContain("base-uri 'none'");
    expect(csp, label).not.toMatch(/script-src|unsafe-eval/);
    expect(response.headers.get('X-Frame-Options'), label).toBe('DENY');
    expect(response.headers.get('X-Content-Type-Options'), label).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy'), label).toBe('no-referrer');
    expect(response.headers.get('Cache-Control'), label).toBe('no-store');
    expect(response.headers.get('Content-Type'), label).toBe('text/html; charset=utf-8');
  }

  it('the callback page, in every state, and for unknown sessions', async () => {
    const clock = fakeClock();
    const s = setup({ clock: clock.now }, { clock: clock.now });
    const verified = await createSession(s.handler);
    expectPageHeaders((await phoneFlow(s, verified, 'pass')).callback, 'verified');
    const failed = await createSession(s.handler);
    expectPageHeaders((await phoneFlow(s, failed, 'fail')).callback, 'failed');
    const pending = await createSession(s.handler);
    expectPageHeaders(await s.handler(request(`${BASE}/callback?sid=${pending.sessionId}`)), 'pending');
    clock.advance(120_000);
    expectPageHeaders(await s.handler(request(`${BASE}/callback?sid=${pending.sessionId}&bytedToken=${tokenOf(pending.h5Link)}&resultCode=1`)), 'expired');
    expectPageHeaders(await s.handler(request(`${BASE}/callback?sid=${'u'.repeat(32)}`)), 'unknown');
  });

  it('the mock H5 page and its notices (200, 404, 409)', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    const { responses } = await phoneFlow(s, created, 'pass');
    expectPageHeaders(responses[1]!, 'mock page');
    expectPageHeaders(await s.mock(new Request(created.h5Link)), 'mock page, used');
    expectPageHeaders(await s.mock(new Request('https://mock.test/h5/liveness-face/authorization?bytedToken=nope')), 'mock page, unknown');
  });

  it('the mock page escapes a hostile lng and token instead of rendering them', async () => {
    const mock = createMockUpstream({ apiKey: API_KEY });
    const s = setup({}, {});
    const created = await createSession(s.handler);
    const hostile = '"><script>alert(1)</script><x y="';
    const link = new URL(created.h5Link);
    link.searchParams.set('lng', hostile);
    const page = await s.mock(new Request(link));
    const html = await page.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;');
    const notice = await mock(new Request(`https://mock.test${MOCK_DECIDE_PATH}?outcome=pass&bytedToken=${encodeURIComponent(hostile)}&lng=${encodeURIComponent(hostile)}`));
    expect(await notice.text()).not.toContain('<script>');
  });
});

describe('open redirect through returnUrl', () => {
  it.each([
    'https://evil.example.test/',
    '//evil.example.test/',
    'https://app.example.test.evil.example.test/',
    'https://app.example.test@evil.example.test/',
    'https://user:pass@app.example.test/',
    'http://app.example.test/',
    'https://app.example.test:444/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https:\\\\evil.example.test',
    '/\\evil.example.test',
    ' https://evil.example.test',
    'https://evil.example.test\t',
    `${PUBLIC_URL}/verify/done-evil`,
  ])('400 return_url_not_allowed for %s, and no upstream call', async (returnUrl) => {
    const s = setup({ allowedReturnUrls: [`${PUBLIC_URL}/verify/done`] });
    // The publicUrl origin is allowed as a whole; test prefixes against a handler whose publicUrl differs.
    const strict = setup({ publicUrl: 'https://callback.example.test', allowedReturnUrls: [`${PUBLIC_URL}/verify/done`] });
    for (const handler of returnUrl.startsWith(`${PUBLIC_URL}/verify`) ? [strict.handler] : [s.handler, strict.handler]) {
      const response = await postSession(handler, { returnUrl });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toMatch(/^(return_url_not_allowed|invalid_request)$/);
    }
    expect(s.mock.stats.create + strict.mock.stats.create).toBe(0);
  });
});

describe('session ids', () => {
  it('are 128 random bits in base64url, unique, and an unknown id answers exactly like a malformed one', async () => {
    const s = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 300; i += 1) ids.add((await createSession(s.handler)).sessionId);
    expect(ids.size).toBe(300);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Every character position varies: no counter, timestamp or token inside.
    const positions = Array.from({ length: 21 }, (_, i) => new Set([...ids].map((id) => id[i])).size);
    expect(Math.min(...positions)).toBeGreaterThan(20);
    const unknown = await s.handler(request(`${BASE}/sessions/${'A'.repeat(22)}`));
    const malformed = await s.handler(request(`${BASE}/sessions/..%2F..`));
    expect([unknown.status, malformed.status]).toEqual([404, 404]);
    expect(await unknown.text()).toBe(await malformed.text());
  });
});

describe('source rules against XSS', () => {
  const root = join(__dirname, '..', '..', 'src');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
    });

  it('no file in src writes raw HTML or evaluates strings', () => {
    for (const path of walk(root)) {
      const text = readFileSync(path, 'utf8');
      expect(text, path).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write|(?<![.\w]|^\s+)eval\(|new Function\(/m);
    }
  });

  it('every interpolation in the server-rendered HTML pages goes through escapeHtml', () => {
    for (const file of ['server/routes/callbackPage.ts', 'testing/mockH5Page.ts']) {
      const text = readFileSync(join(root, file), 'utf8');
      const html = text.slice(text.indexOf('<!doctype html>'));
      for (const [expression] of html.matchAll(/\$\{[^}]*\}/g)) {
        // Only constants chosen by the code (colour, mark, body wrapper) may skip escaping.
        if (/^\$\{(escapeHtml\(|ok \?|body\}|locale\})/.test(expression)) continue;
        throw new Error(`${file}: unescaped ${expression}`);
      }
    }
  });
});
