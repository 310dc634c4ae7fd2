import { describe, expect, it, vi } from 'vitest';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { requestSession } from '../../src/core/wire/requestSession';

const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret';

function fetchReturning(body: unknown, status = 201) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

describe('requestSession', () => {
  it('POSTs the body as JSON to a string endpoint and returns the parsed session', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, expiresAt: '2030-01-01T00:00:00Z' });
    const session = await requestSession({ endpoint: 'https://app.example.test/api/sessions', body: { locale: 'zh-Hant', returnUrl: 'https://app.example.test/done' }, fetch });
    expect(session).toEqual({ sessionId: 's1', h5Link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://app.example.test/api/sessions');
    expect(init!.method).toBe('POST');
    expect(init!.credentials).toBe('same-origin');
    expect(JSON.parse(init!.body as string)).toEqual({ locale: 'zh-Hant', returnUrl: 'https://app.example.test/done' });
  });

  it('sends the attempt’s Idempotency-Key beside the endpoint’s own headers, and none when there is no key', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK });
    await requestSession({ endpoint: { url: 'https://app.example.test/x', headers: { 'X-CSRF-Token': 'fake-csrf' } }, fetch, idempotencyKey: 'fake-key-1' });
    await requestSession({ endpoint: 'https://app.example.test/x', fetch });
    expect(fetch.mock.calls[0]![1]!.headers).toMatchObject({ 'Idempotency-Key': 'fake-key-1', 'X-CSRF-Token': 'fake-csrf' });
    expect(Object.keys(fetch.mock.calls[1]![1]!.headers as Record<string, string>)).not.toContain('Idempotency-Key');
  });

  it('sends {} when there is no body', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK });
    await requestSession({ endpoint: 'https://app.example.test/api/sessions', fetch });
    expect(fetch.mock.calls[0]![1]!.body).toBe('{}');
  });

  it('uses method, headers and credentials of an object endpoint', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK });
    await requestSession({ endpoint: { url: 'https://app.example.test/x', method: 'PUT', headers: { 'X-CSRF-Token': 'fake-csrf' }, credentials: 'include' }, fetch });
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('PUT');
    expect(init.credentials).toBe('include');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('fake-csrf');
  });

  it('resolves a relative statusUrl against an absolute endpoint, not the page', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, statusUrl: 'sessions/s1/status' });
    const session = await requestSession({ endpoint: 'https://api.example.test/v1/liveness/', fetch });
    expect(session.statusUrl).toBe('https://api.example.test/v1/liveness/sessions/s1/status');
  });

  it('resolves a root-relative statusUrl against the endpoint’s origin', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, statusUrl: '/status/s1' });
    const session = await requestSession({ endpoint: 'https://api.example.test/v1/liveness', fetch });
    expect(session.statusUrl).toBe('https://api.example.test/status/s1');
  });

  it('keeps sendUrl as the backend wrote it (issue 24): the send request resolves a relative one, against the endpoint, when it sends', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, statusUrl: '/status/s1', sendUrl: '/status/s1/send' });
    const session = await requestSession({ endpoint: 'https://api.example.test/v1/liveness', fetch });
    expect(session.sendUrl).toBe('/status/s1/send');
  });

  it('resolves a relative endpoint and statusUrl against the page', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, statusUrl: 's1/status' });
    const session = await requestSession({ endpoint: '/api/liveness/', fetch });
    expect(session.statusUrl).toBe(new URL('/api/liveness/s1/status', location.href).toString());
  });

  it('keeps an absolute statusUrl as it is', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK, statusUrl: 'https://status.example.test/s1' });
    const session = await requestSession({ endpoint: 'https://api.example.test/v1/liveness', fetch });
    expect(session.statusUrl).toBe('https://status.example.test/s1');
  });

  it('applies allowedHosts and maxLength to the link', async () => {
    const fetch = fetchReturning({ sessionId: 's1', h5Link: LINK });
    const error = await requestSession({ endpoint: 'https://app.example.test/x', fetch, allowedHosts: ['*.kych5.test'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LivenessError);
    expect((error as LivenessError).code).toBe(LivenessErrorCode.invalidLink);
  });

  it('passes a 4xx through as an http error', async () => {
    const fetch = fetchReturning({ error: { code: 'unauthorized', message: 'no' } }, 401);
    const error = (await requestSession({ endpoint: 'https://app.example.test/x', fetch }).catch((e: unknown) => e)) as LivenessError;
    expect(error).toBeInstanceOf(LivenessError);
    expect(error.code).toBe(LivenessErrorCode.http);
    expect(error.status).toBe(401);
    expect(error.serverCode).toBe('unauthorized');
  });

  // Issue 12: the server's upstream timeout is 30 s (a relaying gateway can take 12 s and more); the
  // browser must outwait it, or it abandons (and retries) a session the upstream already made.
  it('defaults the timeout to 40 s', async () => {
    vi.useFakeTimers();
    try {
      const fetch = vi.fn(
        (_url: string | URL | Request, init?: RequestInit) =>
          new Promise<Response>((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
      );
      const promise = requestSession({ endpoint: 'https://app.example.test/x', fetch });
      const settled = vi.fn();
      promise.then(settled, settled);
      await vi.advanceTimersByTimeAsync(39_999);
      expect(settled).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      const error = (await promise.catch((e: unknown) => e)) as LivenessError;
      expect(error.code).toBe(LivenessErrorCode.timeout);
    } finally {
      vi.useRealTimers();
    }
  });
});
