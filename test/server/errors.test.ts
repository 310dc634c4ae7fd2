// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/server.js';
import { memoryStore } from '../../src/server.js';
import type { ErrorResponseBody } from '../../src/core/wire/protocol.js';
import { BASE, errorInText, postSession, request, setup } from './helpers.js';

async function errorOf(response: Response): Promise<ErrorResponseBody['error']> {
  const body = (await response.json()) as ErrorResponseBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

describe('request errors', () => {
  it('415 for a POST without a JSON content type', async () => {
    const { handler, mock } = setup();
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await handler(request(`${BASE}/sessions`, { method: 'POST', body: '{}', headers: type ? { 'Content-Type': type } : {} }));
      // A string body gets text/plain by default when no type is given.
      expect(response.status).toBe(415);
      expect((await errorOf(response)).code).toBe('unsupported_media_type');
    }
    expect(mock.stats.create).toBe(0);
  });

  it('accepts application/json with a charset and vendor +json types', async () => {
    const { handler } = setup();
    for (const type of ['application/json; charset=utf-8', 'application/vnd.api+json']) {
      const response = await handler(request(`${BASE}/sessions`, { method: 'POST', body: '{}', headers: { 'Content-Type': type } }));
      expect(response.status).toBe(201);
    }
  });

  it('400 invalid_json for a malformed body', async () => {
    const { handler } = setup();
    const response = await postSession(handler, '{"locale": "en"');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });

  it('413 when Content-Length says the body is over 16 KiB, before reading it', async () => {
    const { handler, mock } = setup();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode(' '));
        controller.close();
      },
    });
    const response = await handler(
      request(`${BASE}/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(16 * 1024 + 1) },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');
    expect(pulled).toBeLessThanOrEqual(1);
    expect(mock.stats.create).toBe(0);
  });

  it('413 when the streamed bytes pass 16 KiB without a Content-Length, and stops reading', async () => {
    const { handler } = setup();
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunks += 1;
        if (chunks > 1000) controller.close();
        else controller.enqueue(new Uint8Array(1024).fill(32));
      },
    });
    const response = await handler(request(`${BASE}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    expect(chunks).toBeLessThan(40);
  });

  it('accepts a body of exactly 16 KiB', async () => {
    const { handler } = setup();
    const json = JSON.stringify({ locale: 'en' });
    const response = await postSession(handler, json + ' '.repeat(16 * 1024 - json.length));
    expect(response.status).toBe(201);
  });

  it('404 outside basePath and for unknown routes below it', async () => {
    const { handler } = setup();
    for (const path of ['/', '/api', '/api/livenessX/sessions', `${BASE}`, `${BASE}/`, `${BASE}/nope`, `${BASE}/sessions/a/b`]) {
      const response = await handler(request(path));
      expect(response.status, path).toBe(404);
      expect((await errorOf(response)).code).toBe('not_found');
    }
  });

  it('405 with Allow for the wrong method on /sessions', async () => {
    const { handler } = setup();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await handler(request(`${BASE}/sessions`, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('POST');
      expect((await errorOf(response)).code).toBe('method_not_allowed');
    }
  });

  it('503 store_unavailable with Retry-After, without details, when the store fails', async () => {
    const broken: SessionStore = {
      ...memoryStore(),
      create: async () => {
        throw new Error('ECONNREFUSED redis://user:hunter2@10.0.0.1');
      },
    };
    const { handler } = setup({ store: broken });
    const response = await postSession(handler);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    const text = await response.text();
    expect(errorInText(text).code).toBe('store_unavailable');
    expect(text).not.toMatch(/hunter2|10\.0\.0\.1|ECONNREFUSED/);
  });
});

describe('rate limit of this handler', () => {
  it('429 with Retry-After beyond 3 creations per second, without calling upstream', async () => {
    const { handler, mock } = setup({ upstreamRateLimit: undefined });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postSession(handler)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(mock.stats.create).toBe(3);
    const response = await postSession(handler);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect((await errorOf(response)).code).toBe('rate_limited');
  });

  it('lets creations through again after the window', async () => {
    const { handler } = setup({ upstreamRateLimit: { requests: 2, perMs: 100 } });
    expect((await postSession(handler)).status).toBe(201);
    expect((await postSession(handler)).status).toBe(201);
    expect((await postSession(handler)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await postSession(handler)).status).toBe(201);
  });
});

describe('upstream failures', () => {
  it.each([
    ['a 500', 'serverError', 'upstream_error'],
    ['an HTML page', 'html', 'upstream_error'],
    ['truncated JSON', 'truncatedJson', 'upstream_error'],
    ['JSON without the fields', 'missingFields', 'upstream_error'],
  ] as const)('502 for %s, without echoing the upstream body', async (_name, fault, code) => {
    const { handler, mock } = setup();
    mock.failNext(fault, 'create');
    const response = await postSession(handler);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(errorInText(text).code).toBe(code);
    for (const upstreamText of ['simulated', 'Sign in', 'InternalError', '2026FAKE', 'h5.exa']) expect(text).not.toContain(upstreamText);
  });

  it.each([
    ['429', 'rateLimited', '2'],
    ['503', 'unavailable', '3'],
  ] as const)('503 with the upstream Retry-After for an upstream %s', async (_name, fault, retryAfter) => {
    const { handler, mock } = setup();
    mock.failNext(fault, 'create');
    const response = await postSession(handler);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe(retryAfter);
    expect((await errorOf(response)).code).toBe('upstream_unavailable');
  });

  it('503 with a default Retry-After when the upstream 429 has none', async () => {
    const { handler } = setup({ fetch: async () => new Response('{}', { status: 429 }) });
    const response = await postSession(handler);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('1');
  });

  it('503 for a BytePlus envelope carrying Throttling inside a 200', async () => {
    const { handler } = setup({
      fetch: async () => Response.json({ ResponseMetadata: { RequestId: 'r', Error: { Code: 'Throttling', Message: 'slow down' } }, Result: {} }),
    });
    expect((await postSession(handler)).status).toBe(503);
  });

  it('502 for an upstream redirect (never followed)', async () => {
    const { handler } = setup({ fetch: async () => new Response(null, { status: 302, headers: { Location: 'https://elsewhere.test' } }) });
    expect((await postSession(handler)).status).toBe(502);
  });

  it('504 when the upstream hangs until aborted', async () => {
    const { handler, mock } = setup({ upstreamTimeoutMs: 50 });
    mock.failNext('hang', 'create');
    const started = Date.now();
    const response = await postSession(handler);
    expect(response.status).toBe(504);
    expect((await errorOf(response)).code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('504 even with a fetch that ignores the abort signal and never resolves', async () => {
    let signal: AbortSignal | undefined;
    const { handler } = setup({
      upstreamTimeoutMs: 50,
      fetch: (_input, init) => {
        signal = init?.signal ?? undefined;
        return new Promise<Response>(() => {});
      },
    });
    const response = await postSession(handler);
    expect(response.status).toBe(504);
    expect(signal?.aborted).toBe(true);
  });

  it('504 when the answer starts but its body stalls', async () => {
    const { handler } = setup({
      upstreamTimeoutMs: 50,
      fetch: async () => new Response(new ReadableStream({ start() {} }), { status: 200 }),
    });
    expect((await postSession(handler)).status).toBe(504);
  });

  it('502 upstream_unreachable when fetch rejects', async () => {
    const { handler } = setup({
      fetch: async () => {
        throw new TypeError('fetch failed: getaddrinfo ENOTFOUND www.anyfast.ai');
      },
    });
    const response = await postSession(handler);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(errorInText(text).code).toBe('upstream_unreachable');
    expect(text).not.toContain('ENOTFOUND');
  });

  it('502 for a 400 from the upstream', async () => {
    const { handler } = setup({ fetch: async () => Response.json({ error: { message: 'CallbackURL bad <b>' } }, { status: 400 }) });
    const response = await postSession(handler);
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('CallbackURL bad');
  });

  it('reports create failures to onEvent with statuses only', async () => {
    const { handler, mock, events } = setup();
    mock.failNext('serverError', 'create');
    await postSession(handler);
    expect(events.find((e) => e.type === 'session.create_failed')).toMatchObject({ httpStatus: 502, upstreamStatus: 500 });
  });
});
