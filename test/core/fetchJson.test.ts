import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchJson, MAX_RESPONSE_BYTES } from '../../src/core/wire/fetchJson';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { parseRetryAfter } from '../../src/core/wire/parseRetryAfter';
import { urlOf } from '../fetchInput.js';

const URL_ = 'https://app.example.test/api/liveness/sessions';

function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' }, ...init });
}

/** A fetch that never answers, but rejects like the real one when its signal aborts. */
function hangingFetch() {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = vi.fn((url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: urlOf(url), init });
    return new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls, mock: fetch };
}

async function failure(promise: Promise<unknown>): Promise<LivenessError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LivenessError);
  return error as LivenessError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fetchJson', () => {
  it('returns the parsed JSON body of a 2xx answer and sends JSON headers', async () => {
    const fetch = vi.fn(async () => json({ ok: 1 }, { status: 201 }));
    const result = await fetchJson(URL_, { method: 'POST', body: '{"locale":"en"}', timeoutMs: 1000, fetch, credentials: 'include', headers: { 'X-CSRF': 'fake' } });
    expect(result).toEqual({ ok: 1 });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(URL_);
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"locale":"en"}');
    expect(init.credentials).toBe('include');
    expect(init.cache).toBe('no-store');
    expect(init.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF': 'fake' });
  });

  it('times out with code timeout (fake timers)', async () => {
    vi.useFakeTimers();
    const { fetch, calls } = hangingFetch();
    const promise = fetchJson(URL_, { method: 'POST', timeoutMs: 5000, fetch });
    const settled = vi.fn();
    promise.then(settled, settled);
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).not.toHaveBeenCalled();
    expect(calls[0]!.init.signal!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await failure(promise);
    expect(error.code).toBe(LivenessErrorCode.timeout);
    expect(calls[0]!.init.signal!.aborted).toBe(true);
  });

  it('has no timeout when timeoutMs is 0', async () => {
    vi.useFakeTimers();
    const { fetch } = hangingFetch();
    const controller = new AbortController();
    const promise = fetchJson(URL_, { method: 'GET', timeoutMs: 0, fetch, signal: controller.signal });
    const settled = vi.fn();
    promise.then(settled, settled);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(settled).not.toHaveBeenCalled();
    controller.abort();
    expect((await failure(promise)).code).toBe(LivenessErrorCode.aborted);
  });

  it('reports aborted when the caller’s signal aborts, and aborts the fetch', async () => {
    const { fetch, calls } = hangingFetch();
    const controller = new AbortController();
    const promise = fetchJson(URL_, { method: 'POST', timeoutMs: 15_000, fetch, signal: controller.signal });
    await Promise.resolve();
    expect(calls).toHaveLength(1);
    controller.abort();
    const error = await failure(promise);
    expect(error.code).toBe(LivenessErrorCode.aborted);
    expect(calls[0]!.init.signal!.aborted).toBe(true);
  });

  it('does not call fetch at all when the signal is already aborted', async () => {
    const fetch = vi.fn(async () => json({}));
    const controller = new AbortController();
    controller.abort();
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch, signal: controller.signal }));
    expect(error.code).toBe(LivenessErrorCode.aborted);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reports network when fetch rejects', async () => {
    const cause = new TypeError('Failed to fetch');
    const fetch = vi.fn(async () => {
      throw cause;
    });
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.network);
    expect(error.cause).toBe(cause);
  });

  it('turns a 500 with a JSON error body into http with status and serverCode, without echoing the body', async () => {
    const fetch = vi.fn(async () => json({ error: { code: 'upstream_unavailable', message: 'secret detail FAKE-TOKEN-not-a-secret' } }, { status: 500 }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.http);
    expect(error.status).toBe(500);
    expect(error.serverCode).toBe('upstream_unavailable');
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).not.toContain('secret detail');
    expect(error.message).not.toContain('FAKE-TOKEN-not-a-secret');
  });

  it('turns a non-2xx with an HTML body into http without a serverCode', async () => {
    const fetch = vi.fn(async () => new Response('<html><body>Bad gateway</body></html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.http);
    expect(error.status).toBe(502);
    expect(error.serverCode).toBeUndefined();
    expect(error.message).not.toContain('Bad gateway');
  });

  it('ignores a non-string or oversized error code', async () => {
    const numeric = vi.fn(async () => json({ error: { code: 42 } }, { status: 400 }));
    expect((await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch: numeric }))).serverCode).toBeUndefined();
    const huge = vi.fn(async () => json({ error: { code: 'x'.repeat(129) } }, { status: 400 }));
    expect((await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch: huge }))).serverCode).toBeUndefined();
  });

  it('turns 429 with Retry-After: 7 into retryAfterMs 7000', async () => {
    const fetch = vi.fn(async () => json({ error: { code: 'rate_limited', message: 'x' } }, { status: 429, headers: { 'Retry-After': '7' } }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.http);
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.serverCode).toBe('rate_limited');
  });

  it('reports invalid_response for an HTML 200', async () => {
    const fetch = vi.fn(async () => new Response('<!doctype html><title>Login</title>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.invalidResponse);
    expect(error.message).not.toContain('Login');
  });

  it('reports invalid_response for an empty 200', async () => {
    const fetch = vi.fn(async () => new Response('', { status: 200 }));
    expect((await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }))).code).toBe(LivenessErrorCode.invalidResponse);
  });

  it('reports invalid_response for a streamed body over 64 KiB, and stops reading it', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const fetch = vi.fn(async () => new Response(stream, { status: 200 }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.invalidResponse);
    expect(pulled).toBeLessThan(10);
  });

  it('reports invalid_response for a valid JSON body just over the cap', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(MAX_RESPONSE_BYTES) });
    const fetch = vi.fn(async () => new Response(body, { status: 200 }));
    expect((await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }))).code).toBe(LivenessErrorCode.invalidResponse);
  });

  it('accepts a JSON body exactly at the cap', async () => {
    const pad = 'x'.repeat(MAX_RESPONSE_BYTES - JSON.stringify({ pad: '' }).length);
    const body = JSON.stringify({ pad });
    expect(body).toHaveLength(MAX_RESPONSE_BYTES);
    const fetch = vi.fn(async () => new Response(body, { status: 200 }));
    await expect(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch })).resolves.toEqual({ pad });
  });

  it('reports invalid_response when Content-Length declares more than 64 KiB', async () => {
    const fetch = vi.fn(async () => new Response('{}', { status: 200, headers: { 'Content-Length': String(MAX_RESPONSE_BYTES + 1) } }));
    expect((await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }))).code).toBe(LivenessErrorCode.invalidResponse);
  });

  it('still reports http (not invalid_response) for an oversized error body', async () => {
    const fetch = vi.fn(async () => new Response('x'.repeat(MAX_RESPONSE_BYTES * 2), { status: 503, headers: { 'Retry-After': '3' } }));
    const error = await failure(fetchJson(URL_, { method: 'POST', timeoutMs: 1000, fetch }));
    expect(error.code).toBe(LivenessErrorCode.http);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(3000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it.each([
    ['0', 0],
    ['7', 7000],
    [' 120 ', 120_000],
  ])('reads delta seconds %j', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
  });

  it('treats an HTTP date in the past as zero', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', '   ', 'soon', '-5', '1.5', 'NaN', '7s', '0x10'])('returns undefined for %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('caps at one hour for seconds and for dates', () => {
    expect(parseRetryAfter('3601', now)).toBe(3_600_000);
    expect(parseRetryAfter('99999999999999999999', now)).toBe(3_600_000);
    expect(parseRetryAfter('Wed, 01 Jan 2031 00:00:00 GMT', now)).toBe(3_600_000);
  });
});
