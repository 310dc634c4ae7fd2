// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLivenessHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY, BASE, createdBody, createSession, errorBody, errorInText, postSession, PUBLIC_URL, request, setup, tokenOf, UPSTREAM_URL } from '../helpers.js';

describe('POST {basePath}/sessions', () => {
  it('answers 201 with the protocol shape, no-store, and a fresh unguessable id', async () => {
    const { handler, mock } = setup();
    const before = Date.now();
    const response = await postSession(handler, {});
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    const body = await createdBody(response);
    expect(Object.keys(body).sort()).toEqual(['eventsUrl', 'expiresAt', 'expiresInMs', 'h5Link', 'ownerKey', 'qrUrl', 'sessionId', 'statusUrl']);
    // ≥128 random bits in base64url: at least 22 characters of the url-safe alphabet.
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(body.statusUrl).toBe(`${BASE}/sessions/${body.sessionId}`);
    expect(body.eventsUrl).toBe(`${BASE}/sessions/${body.sessionId}/events`);
    // The short link carries its own secret, never the session id.
    expect(body.qrUrl).toMatch(new RegExp(`^${PUBLIC_URL}${BASE}/l/[A-Za-z0-9_-]{22}$`));
    expect(body.qrUrl).not.toContain(body.sessionId);
    // The creating page's own secret (issue 21): 128 bits, in nothing the QR code or the link shows.
    expect(body.ownerKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const shown of [body.qrUrl, body.h5Link, body.sessionId]) expect(shown).not.toContain(body.ownerKey);
    expect(body.expiresInMs).toBeGreaterThan(0);
    expect(body.expiresInMs).toBeLessThanOrEqual(120_000);
    const expires = Date.parse(body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 120_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 120_000);
    const [session] = [...mock.sessions.values()];
    // The upstream's link, with the page language the request's browser prefers (none named: English).
    expect(body.h5Link).toBe(session!.h5Link.replace('lng=zh', 'lng=en'));
    expect(mock.stats.create).toBe(1);
  });

  it('never uses the byted token as (part of) the session id', async () => {
    const { handler } = setup();
    const created = await createSession(handler);
    const token = tokenOf(created.h5Link);
    expect(created.sessionId).not.toContain(token);
    expect(token).not.toContain(created.sessionId);
  });

  it('gives every session a different id', async () => {
    const { handler } = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 40; i += 1) ids.add((await createSession(handler)).sessionId);
    expect(ids.size).toBe(40);
  });

  it('calls the upstream with the bearer key and a CallbackURL pointing at this session', async () => {
    const seen: { url: string; auth: string | null; body: unknown }[] = [];
    const mock = createMockUpstream({ apiKey: API_KEY });
    const handler = createLivenessHandler({
      apiKey: API_KEY,
      upstreamUrl: UPSTREAM_URL,
      publicUrl: PUBLIC_URL,
      upstreamRateLimit: false,
      fetch: async (input, init) => {
        const req = new Request(input, init);
        seen.push({ url: req.url, auth: req.headers.get('Authorization'), body: await req.clone().json() });
        return mock(req);
      },
    });
    const created = await createSession(handler);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${UPSTREAM_URL}/volc/asset/CreateVisualValidateSession`);
    expect(seen[0]!.auth).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.body).toEqual({ CallbackURL: `${PUBLIC_URL}${BASE}/callback?sid=${created.sessionId}` });
  });

  it('derives the public URL from the request when publicUrl is not set', async () => {
    const { handler, mock } = setup({ publicUrl: undefined });
    const response = await handler(
      new Request('http://localhost:5173/api/liveness/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      }),
    );
    const body = await createdBody(response);
    expect(body.qrUrl).toMatch(new RegExp(`^http://localhost:5173${BASE}/l/[A-Za-z0-9_-]{22}$`));
    expect([...mock.sessions.values()][0]!.callbackUrl).toBe(`http://localhost:5173${BASE}/callback?sid=${body.sessionId}`);
  });

  it('honours a custom basePath', async () => {
    const { handler } = setup({ basePath: '/kyc/' });
    const response = await handler(request('/kyc/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(response.status).toBe(201);
    const body = await createdBody(response);
    expect(body.statusUrl).toBe(`/kyc/sessions/${body.sessionId}`);
    expect((await handler(request(`/kyc/sessions/${body.sessionId}`))).status).toBe(200);
  });

  it.each(['en', 'zh', 'zh-Hant'] as const)('sets lng=%s on the link, replacing the upstream one, other bytes unchanged', async (locale) => {
    const { handler, mock } = setup();
    const created = await createSession(handler, { locale });
    const original = [...mock.sessions.values()][0]!.h5Link;
    const url = new URL(created.h5Link);
    expect(url.searchParams.getAll('lng')).toEqual([locale]);
    const strip = (link: string) =>
      link
        .split(/[?&]/)
        .filter((part) => !part.startsWith('lng='))
        .join('&');
    expect(strip(created.h5Link)).toBe(strip(original));
  });

  it('decodes literal \\u0026 in the upstream link', async () => {
    const { handler, mock } = setup({}, { escapeAmpersands: true });
    const created = await createSession(handler, { locale: 'en' });
    expect(created.h5Link).not.toContain('\\u0026');
    const original = [...mock.sessions.values()][0]!.h5Link;
    expect(created.h5Link).toBe(original.replace('lng=zh', 'lng=en'));
    expect(new URL(created.h5Link).searchParams.get('accessKeyId')).toMatch(/^FAKE/);
  });

  it('accepts the BytePlus { ResponseMetadata, Result } envelope', async () => {
    const { handler, mock } = setup({}, { envelope: true });
    const created = await createSession(handler);
    expect(created.h5Link).toBe([...mock.sessions.values()][0]!.h5Link.replace('lng=zh', 'lng=en'));
  });

  describe('returnUrl', () => {
    it('accepts a URL on the public origin by default', async () => {
      const { handler } = setup();
      expect((await postSession(handler, { returnUrl: `${PUBLIC_URL}/done?x=1` })).status).toBe(201);
    });

    it.each([
      ['another origin', 'https://evil.example.test/done'],
      ['a look-alike host', 'https://app.example.test.evil.test/done'],
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,hi'],
      ['a relative path', '/done'],
      ['credentials', 'https://user:pw@app.example.test/done'],
    ])('rejects %s with 400 return_url_not_allowed', async (_name, returnUrl) => {
      const { handler, mock } = setup();
      const response = await postSession(handler, { returnUrl });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toBe('return_url_not_allowed');
      expect(mock.stats.create).toBe(0);
    });

    it('allows listed origins and URL prefixes, but not a path that only starts with the same letters', async () => {
      const { handler } = setup({ allowedReturnUrls: ['https://other.example.test', 'https://shop.example.test/verify'] });
      expect((await postSession(handler, { returnUrl: 'https://other.example.test/any/where' })).status).toBe(201);
      expect((await postSession(handler, { returnUrl: 'https://shop.example.test/verify/done' })).status).toBe(201);
      expect((await postSession(handler, { returnUrl: 'https://shop.example.test/verify' })).status).toBe(201);
      expect((await postSession(handler, { returnUrl: 'https://shop.example.test/verify-evil' })).status).toBe(400);
      expect((await postSession(handler, { returnUrl: 'https://shop.example.test/' })).status).toBe(400);
    });
  });

  it.each([
    ['an array body', [1, 2]],
    ['a string body', '"hello"'],
    ['an unknown locale', { locale: 'fr' }],
    ['a numeric locale', { locale: 1 }],
    ['a non-string returnUrl', { returnUrl: 42 }],
    ['an over-long returnUrl', { returnUrl: `${PUBLIC_URL}/${'a'.repeat(3000)}` }],
  ])('rejects %s with 400 invalid_request and no upstream call', async (_name, body) => {
    const { handler, mock } = setup();
    const response = await postSession(handler, body);
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('invalid_request');
    expect(mock.stats.create).toBe(0);
  });

  it('treats an empty JSON body as {}', async () => {
    const { handler } = setup();
    const response = await handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }));
    expect(response.status).toBe(201);
  });

  describe('authorize hook', () => {
    it('403 when it returns false, without calling upstream', async () => {
      const { handler, mock } = setup({ authorize: () => false });
      const response = await postSession(handler);
      expect(response.status).toBe(403);
      expect((await errorBody(response)).code).toBe('forbidden');
      expect(mock.stats.create).toBe(0);
    });

    it('401 when it throws, without echoing the thrown message', async () => {
      const { handler, mock } = setup({
        authorize: async () => {
          throw new Error('session cookie db-internal-detail');
        },
      });
      const response = await postSession(handler);
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(text).not.toContain('db-internal-detail');
      expect(mock.stats.create).toBe(0);
    });

    it('receives the request and lets it through when true', async () => {
      const seen: string[] = [];
      const { handler } = setup({
        authorize: (req) => {
          seen.push(req.headers.get('Cookie') ?? '');
          return true;
        },
      });
      expect((await postSession(handler, {}, { Cookie: 'sid=abc' })).status).toBe(201);
      expect(seen).toEqual(['sid=abc']);
    });
  });

  describe('link validation', () => {
    it('502 upstream_invalid_link for a javascript: link', async () => {
      const { handler, mock } = setup();
      mock.failNext('badLink', 'create');
      const response = await postSession(handler);
      expect(response.status).toBe(502);
      expect((await errorBody(response)).code).toBe('upstream_invalid_link');
    });

    it('502 when the link host is not in allowedHosts, 201 when it is', async () => {
      const denied = setup({ allowedHosts: ['*.kych5.com'] });
      expect((await postSession(denied.handler)).status).toBe(502);
      const allowed = setup({ allowedHosts: ['upstream.example.test'] });
      expect((await postSession(allowed.handler)).status).toBe(201);
    });
  });

  describe('upstream rejects the key', () => {
    it('502 upstream_unauthorized for a wrong key', async () => {
      const { handler } = setup({ apiKey: 'sk-wrong-key' });
      const response = await postSession(handler);
      expect(response.status).toBe(502);
      expect((await errorBody(response)).code).toBe('upstream_unauthorized');
    });

    it('explains the Byteplus-Direct group for a key of the wrong group', async () => {
      const { handler } = setup({ apiKey: 'sk-aigc-group-key' }, { wrongGroupKeys: ['sk-aigc-group-key'] });
      const response = await postSession(handler);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(errorInText(text).code).toBe('upstream_unauthorized');
      expect(errorInText(text).message).toContain('Byteplus-Direct');
      expect(text).not.toContain('sk-aigc-group-key');
    });
  });

  it('reports session.created to onEvent', async () => {
    const { handler, events } = setup();
    const created = await createSession(handler);
    expect(events.find((e) => e.type === 'session.created')).toMatchObject({ sessionId: created.sessionId, httpStatus: 201 });
    expect(events.find((e) => e.type === 'upstream.response')).toMatchObject({ action: 'create', upstreamStatus: 200 });
  });

  it('keeps answering when onEvent throws', async () => {
    const { handler } = setup({
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    expect((await postSession(handler)).status).toBe(201);
  });
});
