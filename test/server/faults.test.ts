// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStore, type SessionStore, type StoredSession } from '../../src/server.js';
import { appendCallbackParams } from '../../src/testing.js';
import { API_KEY, BASE, createSession, elapse, errorBody, errorInText, getStatus, postSession, PUBLIC_URL, request, settle, setup, statusBody, tokenOf } from './helpers.js';

// What a hostile or broken upstream (or a proxy in between) might echo back: none of it may reach a browser.
const ECHO = `Authorization: Bearer ${API_KEY}`;
const UPSTREAM_WORDS = ['Bad Gateway', 'ECONNRESET', 'SECRET2026', 'Sign in', 'maintenance', 'Bearer'];
const encode = (text: string) => new TextEncoder().encode(text);

interface Fault {
  name: string;
  respond: (request: Request) => Promise<Response>;
  /** Our answer to a create that met this fault. */
  status: number;
  code: string;
  retryAfter?: string;
}

const never = () => new Promise<Response>(() => {});
const resetError = () => new TypeError('fetch failed', { cause: Object.assign(new Error(`read ECONNRESET ${ECHO}`), { code: 'ECONNRESET' }) });

/** Faults both upstream calls can meet. */
const FAULTS: Fault[] = [
  { name: 'no answer at all (fetch ignores the abort)', respond: never, status: 504, code: 'upstream_timeout' },
  {
    name: 'no answer until aborted',
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as fetch does: with the signal's reason
    respond: (req) => new Promise((_resolve, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason))),
    status: 504,
    code: 'upstream_timeout',
  },
  {
    name: 'headers, then a body that stalls',
    respond: async () => new Response(new ReadableStream({ start: (c) => c.enqueue(encode('{"BytedToken":')) }), { status: 200 }),
    status: 504,
    code: 'upstream_timeout',
  },
  { name: '500 JSON echoing the request', respond: async () => Response.json({ error: { message: ECHO } }, { status: 500 }), status: 502, code: 'upstream_error' },
  {
    name: '502 HTML error page of a proxy',
    respond: async () => new Response(`<html><body><h1>502 Bad Gateway</h1><pre>${ECHO}</pre></body></html>`, { status: 502, headers: { 'Content-Type': 'text/html' } }),
    status: 502,
    code: 'upstream_error',
  },
  {
    name: '200 HTML login page',
    respond: async () => new Response('<!doctype html><h1>Sign in</h1>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    status: 502,
    code: 'upstream_error',
  },
  {
    name: '200 truncated JSON',
    respond: async () => new Response('{"BytedToken":"SECRET2026","H5Link":"https://h5.exa', { status: 200 }),
    status: 502,
    code: 'upstream_error',
  },
  { name: '200 empty body', respond: async () => new Response('', { status: 200 }), status: 502, code: 'upstream_error' },
  { name: '200 JSON null', respond: async () => new Response('null', { status: 200 }), status: 502, code: 'upstream_error' },
  { name: '200 JSON array', respond: async () => new Response('[{"GroupId":"g"}]', { status: 200 }), status: 502, code: 'upstream_error' },
  {
    name: '200 envelope carrying InternalError',
    respond: async () => Response.json({ ResponseMetadata: { Error: { Code: 'InternalError', Message: ECHO } }, Result: { GroupId: 'g', BytedToken: 't', H5Link: 'https://h5.test/' } }),
    status: 502,
    code: 'upstream_error',
  },
  {
    name: '429 with Retry-After: 7',
    respond: async () => Response.json({ error: { code: 'RateLimitExceeded', message: ECHO } }, { status: 429, headers: { 'Retry-After': '7' } }),
    status: 503,
    code: 'upstream_unavailable',
    retryAfter: '7',
  },
  {
    name: '429 with Retry-After: 86400 (capped to 60 s)',
    respond: async () => new Response('slow down', { status: 429, headers: { 'Retry-After': '86400' } }),
    status: 503,
    code: 'upstream_unavailable',
    retryAfter: '60',
  },
  {
    name: '429 with a garbage Retry-After (default 1 s)',
    respond: async () => new Response('', { status: 429, headers: { 'Retry-After': '-5, soon' } }),
    status: 503,
    code: 'upstream_unavailable',
    retryAfter: '1',
  },
  {
    name: '503 maintenance HTML with Retry-After: 3',
    respond: async () => new Response('<h1>maintenance</h1>', { status: 503, headers: { 'Retry-After': '3', 'Content-Type': 'text/html' } }),
    status: 503,
    code: 'upstream_unavailable',
    retryAfter: '3',
  },
  {
    name: 'connection reset (undici "fetch failed", cause ECONNRESET)',
    respond: async () => {
      throw resetError();
    },
    status: 502,
    code: 'upstream_unreachable',
  },
  {
    name: 'connection reset in the middle of the body',
    respond: async () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(encode('{"GroupId":"group-'));
            c.error(new TypeError('terminated', { cause: new Error('other side closed: ECONNRESET') }));
          },
        }),
        { status: 200 },
      ),
    status: 502,
    code: 'upstream_unreachable',
  },
  {
    name: 'fetch throwing synchronously',
    respond: () => {
      throw resetError();
    },
    status: 502,
    code: 'upstream_unreachable',
  },
  {
    name: 'an endless body',
    respond: async () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(4096).fill(32)) }), { status: 200 }),
    status: 502,
    code: 'upstream_error',
  },
];

/** A handler whose upstream answers `fault` for one action and is the normal mock otherwise. */
function faulty(fault: Fault | undefined, action: 'create' | 'result', extra: Parameters<typeof setup>[0] = {}) {
  const store = memoryStore();
  const stored: string[] = [];
  const spy: SessionStore = {
    ...store,
    async create(session: StoredSession) {
      stored.push(session.id);
      return store.create(session);
    },
  };
  let attempts = 0;
  const path = action === 'create' ? 'CreateVisualValidateSession' : 'GetVisualValidateResult';
  const s = setup({
    upstreamTimeoutMs: 100,
    store: spy,
    fetch: (input, init) => {
      const req = new Request(input, init);
      if (req.url.endsWith(path)) {
        attempts += 1;
        // One-shot, so a test can show the handler recovers on the next call.
        if (fault && attempts === 1) return fault.respond(req);
      }
      return s.mock(req);
    },
    ...extra,
  });
  return { ...s, store, stored, attempts: () => attempts };
}

async function dump(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return `${response.status}\n${headers}\n\n${await response.clone().text()}`;
}

function expectNoLeak(texts: string[], secrets: string[]): void {
  for (const text of texts) {
    for (const secret of [API_KEY, ...UPSTREAM_WORDS, ...secrets]) expect(text).not.toContain(secret);
  }
}

describe('faults on CreateVisualValidateSession', () => {
  it.each(FAULTS)('$name → $status $code, nothing stored, nothing leaked', async (fault) => {
    const s = faulty(fault, 'create');
    const started = Date.now();
    const response = await postSession(s.handler, { locale: 'en' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response.status).toBe(fault.status);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = await response.clone().json();
    expect(body).toEqual({ error: { code: fault.code, message: expect.any(String) } });
    if (fault.retryAfter) expect(response.headers.get('Retry-After')).toBe(fault.retryAfter);
    else expect(response.headers.get('Retry-After')).toBeNull();
    expect(s.attempts()).toBe(1);
    expect(s.events.filter((e) => e.type === 'upstream.response')).toHaveLength(1);
    // Nothing half-made: no session exists that a browser could wait on.
    expect(s.stored).toEqual([]);
    expect(s.events.find((e) => e.type === 'session.create_failed')).toMatchObject({ httpStatus: fault.status });
    expectNoLeak([await dump(response), JSON.stringify(s.events)], []);
    // And the next request works: a fault leaves nothing behind in the handler.
    expect((await postSession(s.handler)).status).toBe(201);
  });

  it('stops reading an endless upstream body soon after 64 KiB', async () => {
    let pulled = 0;
    const s = setup({
      fetch: async () =>
        new Response(
          new ReadableStream({
            pull: (c) => {
              pulled += 1;
              c.enqueue(new Uint8Array(4096).fill(32));
            },
          }),
          { status: 200 },
        ),
    });
    expect((await postSession(s.handler)).status).toBe(502);
    expect(pulled).toBeGreaterThan(10);
    expect(pulled).toBeLessThan(40);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['plain http on a public host', 'http://h5.kych5.com/x'],
    ['credentials in the URL', 'https://user:pass@h5.kych5.com/x'],
    ['a newline smuggled in', 'https://h5.kych5.com/x\njavascript:alert(1)'],
    ['escaped-ampersand trickery', 'java\\u0026script:alert(1)'],
    ['too long', `https://h5.kych5.com/?pl=${'A'.repeat(5000)}`],
    ['not a string', 42],
  ])('a hostile H5Link (%s) → 502 upstream_invalid_link, nothing stored', async (_name, link) => {
    const s = faulty({ name: 'link', respond: async () => Response.json({ BytedToken: 'SECRET2026tok', H5Link: link }), status: 502, code: '' }, 'create');
    const response = await postSession(s.handler);
    expect(response.status).toBe(502);
    const text = await dump(response);
    // A non-string link is not an answer at all; every string one fails validation.
    expect(errorInText(text.split('\n\n')[1]!).code).toBe(typeof link === 'string' ? 'upstream_invalid_link' : 'upstream_error');
    expect(s.stored).toEqual([]);
    expectNoLeak([text, JSON.stringify(s.events)], ['SECRET2026tok', 'script', 'h5.kych5.com']);
  });

  it('a link to a host outside allowedHosts → 502 upstream_invalid_link', async () => {
    const s = setup({ allowedHosts: ['*.kych5.com'] });
    const response = await postSession(s.handler);
    expect(response.status).toBe(502);
    expect((await errorBody(response)).code).toBe('upstream_invalid_link');
  });
});

describe('faults on GetVisualValidateResult after a success callback', () => {
  const RESULT_FAULTS: Fault[] = [
    ...FAULTS,
    {
      name: '404 NotFound.BytedToken',
      respond: async () => Response.json({ error: { code: 'NotFound.BytedToken', message: ECHO } }, { status: 404 }),
      status: 0,
      code: '',
    },
    { name: '200 with a GroupId that is not text', respond: async () => Response.json({ GroupId: 12345 }), status: 0, code: '' },
    { name: '401 (key revoked meanwhile)', respond: async () => Response.json({ error: { message: ECHO } }, { status: 401 }), status: 0, code: '' },
  ];

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(RESULT_FAULTS)('$name → pending (never failed), retried, then verified; nothing leaked', async (fault) => {
    const s = faulty(fault, 'result');
    const created = await createSession(s.handler, { locale: 'en' });
    const token = tokenOf(created.h5Link);
    const url = s.mock.decide(token, 'pass')!;
    const callback = await settle(s.handler(new Request(url)));
    // The phone gets a page saying the check was received, not a server error and not "failed".
    expect(callback.status).toBe(200);
    expect(callback.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await callback.clone().text()).toContain('data-liveness-callback="pending"');
    expect((await s.store.get(created.sessionId))?.status).toBe('checking');
    const status = await s.handler(request(created.statusUrl!));
    expect((await statusBody(status.clone())).status).toBe('pending');
    expect(s.attempts()).toBe(1);
    // Enough for the longest Retry-After passed on (60 s).
    await elapse(65_000, 500);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
    expect(s.attempts()).toBe(2);
    // A replayed callback neither spends the single-use token again nor changes the outcome.
    const replay = await settle(s.handler(new Request(url)));
    expect(s.attempts()).toBe(2);
    expect(s.events.find((e) => e.type === 'result.retry')).toMatchObject({ sessionId: created.sessionId, attempt: 1, check: 'callback' });
    expect(s.events.find((e) => e.type === 'session.verified')).toMatchObject({ sessionId: created.sessionId, resultCode: '10000' });
    expectNoLeak([await dump(callback), await dump(status), await dump(replay), JSON.stringify(s.events)], [token, created.h5Link, 'FAKE']);
  });

  it("200 with an empty GroupId is the upstream's answer: failed (reason unknown) at once, one attempt", async () => {
    const s = faulty({ name: 'empty', respond: async () => Response.json({ GroupId: '' }), status: 0, code: '' }, 'result');
    const created = await createSession(s.handler);
    const callback = await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(await callback.text()).toContain('data-liveness-callback="failed"');
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'failed', reason: 'unknown' });
    await elapse(30_000);
    expect(s.attempts()).toBe(1);
  });

  it('a store that fails once while recording the answer: the write is retried and the person is verified', async () => {
    const inner = memoryStore();
    let failures = 0;
    const store: SessionStore = {
      ...inner,
      async update(id, version, patch) {
        if (patch.status === 'verified' && failures === 0) {
          failures += 1;
          throw new Error(`redis down ${ECHO}`);
        }
        return inner.update(id, version, patch);
      },
    };
    const s = setup({ store });
    const created = await createSession(s.handler);
    const callback = await settle(s.handler(new Request(s.mock.decide(tokenOf(created.h5Link), 'pass')!)));
    expect(failures).toBe(1);
    expect(await callback.text()).toContain('data-liveness-callback="verified"');
    expect(s.mock.stats.result).toBe(1);
  });

  it('a store that keeps failing while recording the answer: the neutral page without details, and the GroupId is written once the store takes it (never lost, never pending for ever)', async () => {
    const inner = memoryStore();
    let broken = true;
    const store: SessionStore = {
      ...inner,
      async update(id, version, patch) {
        if (broken && patch.status === 'verified') throw new Error(`redis down ${ECHO}`);
        return inner.update(id, version, patch);
      },
    };
    const s = setup({ store, upstreamTimeoutMs: 1000 });
    const created = await createSession(s.handler);
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    const callback = await settle(s.handler(new Request(url)));
    // A store that cannot answer is no error of the phone's: it gets the page that fits any device.
    expect(callback.status).toBe(503);
    const page = await dump(callback);
    expect(page).toContain('data-liveness-callback="neutral"');
    expectNoLeak([page], [tokenOf(created.h5Link)]);
    broken = false;
    // The token is spent, so the answer was kept in this process and is written by the next run: the
    // session turns verified without a second result call.
    await elapse(5_000);
    expect(await getStatus(s.handler, created.sessionId)).toMatchObject({ status: 'verified', groupId: expect.any(String) });
    expect(s.mock.stats.result).toBe(1);
  });

  it('a result call that gets no rate-limit slot makes no upstream call, stays pending, and goes out when a slot frees', async () => {
    const s = faulty(undefined, 'result', { upstreamRateLimit: { requests: 1, perMs: 60_000 }, upstreamTimeoutMs: 80 });
    const first = await createSession(s.handler);
    await elapse(61_000);
    const second = await createSession(s.handler);
    // The first callback spends the minute's only result slot; the second finds none.
    await settle(s.handler(new Request(s.mock.decide(tokenOf(first.h5Link), 'pass')!)));
    const callback = await settle(s.handler(new Request(s.mock.decide(tokenOf(second.h5Link), 'pass')!)));
    expect(await callback.text()).toContain('data-liveness-callback="pending"');
    expect(s.attempts()).toBe(1);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'rate_limited', action: 'result', sessionId: second.sessionId }));
    expect((await getStatus(s.handler, second.sessionId)).status).toBe('pending');
    await elapse(62_000, 1000);
    expect((await getStatus(s.handler, second.sessionId)).status).toBe('verified');
    expect(s.attempts()).toBe(2);
  });

  it('a success callback arriving while the result call hangs: both phones share the one call and see the same page', async () => {
    const s = faulty(FAULTS[0], 'result');
    const created = await createSession(s.handler);
    const url = s.mock.decide(tokenOf(created.h5Link), 'pass')!;
    const [first, second] = await settle(Promise.all([s.handler(new Request(url)), s.handler(new Request(url))]));
    const pages = [await first.text(), await second.text()];
    expect(pages[0]).toContain('data-liveness-callback="pending"');
    expect(pages[1]).toBe(pages[0]);
    expect(s.attempts()).toBe(1);
  });
});

describe('callback URLs the handler builds for the upstream', () => {
  it('carry only the session id: the upstream learns nothing else about the app', async () => {
    const s = setup();
    const created = await createSession(s.handler, { returnUrl: `${PUBLIC_URL}/done?secret=1` });
    const [session] = [...s.mock.sessions.values()];
    expect(session!.callbackUrl).toBe(`${PUBLIC_URL}${BASE}/callback?sid=${created.sessionId}`);
    // And the H5 page's appended parameters parse back cleanly.
    expect(new URL(appendCallbackParams(session!.callbackUrl, { resultCode: '10000' })).searchParams.get('sid')).toBe(created.sessionId);
  });
});
