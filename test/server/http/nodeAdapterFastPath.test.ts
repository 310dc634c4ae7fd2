// @vitest-environment node
// Issue 27: the Node adapter's hot path. A `LivenessHandler` served by `toNodeHandler` is handed a
// Request built only as far as its route reads it, and its JSON answers are written straight to the
// ServerResponse. Everything a client or an app's hook can observe stays what the fetch-style path
// gives: the same status, headers and body bytes; a full `Request` in every hook; real `Response`s
// for every caller that is not the adapter.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clientAddressOf, createLivenessHandler, toNodeHandler, type LivenessHandler, type LivenessHandlerOptions } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY } from '../helpers.js';

const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const servers: http.Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
});

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A handler on a fixed clock (answers that carry times are then byte for byte the same), served by the adapter. */
async function serve(options: Partial<LivenessHandlerOptions> = {}) {
  const mock = createMockUpstream({ apiKey: API_KEY });
  const handler = createLivenessHandler({
    apiKey: API_KEY,
    upstreamUrl: 'https://upstream.example.test',
    fetch: mock.fetch,
    upstreamRateLimit: false,
    clock: () => NOW,
    ...options,
  });
  const origin = await listen(toNodeHandler(handler));
  return { handler, origin, mock };
}

interface RawAnswer {
  status: number;
  /** Header lines as they came, names lower-cased. */
  headers: [string, string][];
  body: Buffer;
}

/** One request over node:http (no fetch: it would build Requests and Responses of its own). */
function raw(origin: string, path: string, options: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(options.body);
  });
}

/** The same request through the fetch-style handler: the reference every adapter answer is held to. */
async function viaHandler(handler: LivenessHandler, origin: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await handler(new Request(`${origin}${path}`, { method: options.method ?? 'GET', headers: options.headers, body: options.body }));
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
  return { response, status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** Headers Node adds to every answer on its own (framing and connection), not the handler's. */
const NODE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function createSession(origin: string): Promise<{ sessionId: string; statusUrl: string; eventsUrl: string }> {
  const created = await raw(origin, '/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' });
  expect(created.status).toBe(201);
  return JSON.parse(created.body.toString('utf8')) as { sessionId: string; statusUrl: string; eventsUrl: string };
}

/** Counts what `new Request`, `new Response` and `new ReadableStream` build while `run` runs (the instances stay real ones). */
async function counting<T>(run: () => Promise<T>): Promise<{ result: T; requests: number; responses: number; streams: number }> {
  const counts = { requests: 0, responses: 0, streams: 0 };
  const { Request: RealRequest, Response: RealResponse, ReadableStream: RealReadableStream } = globalThis;
  globalThis.ReadableStream = new Proxy(RealReadableStream, {
    construct(target, args, newTarget) {
      counts.streams += 1;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  globalThis.Request = new Proxy(RealRequest, {
    construct(target, args, newTarget) {
      counts.requests += 1;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  globalThis.Response = new Proxy(RealResponse, {
    construct(target, args, newTarget) {
      counts.responses += 1;
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  try {
    const result = await run();
    return { result, ...counts };
  } finally {
    globalThis.Request = RealRequest;
    globalThis.Response = RealResponse;
    globalThis.ReadableStream = RealReadableStream;
  }
}

afterEach(() => {
  // A failed `counting` must never leave the proxies installed for the next test.
  expect(globalThis.Request.name).toBe('Request');
  expect(globalThis.ReadableStream.name).toBe('ReadableStream');
});

describe('toNodeHandler: the hot path of a LivenessHandler', () => {
  it('a status poll builds neither a Request nor a Response: the route reads what it needs, the JSON goes straight out', async () => {
    const { origin } = await serve();
    const { statusUrl } = await createSession(origin);
    const { result, requests, responses } = await counting(() => raw(origin, statusUrl));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body.toString('utf8'))).toMatchObject({ status: 'pending' });
    expect({ requests, responses }).toEqual({ requests: 0, responses: 0 });
  });

  it('a create builds no Request or Response of its own: the only ones are the upstream call’s (to the in-process mock)', async () => {
    const { origin, mock } = await serve();
    const callsBefore = mock.calls.length;
    const { result, requests, responses } = await counting(() => raw(origin, '/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' }));
    expect(result.status).toBe(201);
    expect(mock.calls.length - callsBefore).toBe(1);
    expect({ requests, responses }).toEqual({ requests: 1, responses: 1 });
  });

  it('a create reads its JSON body straight off the socket: the only streams are the upstream call’s bodies', async () => {
    const { origin } = await serve();
    const { result, streams } = await counting(() => raw(origin, '/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' }));
    expect(result.status).toBe(201);
    // The upstream request's body and the upstream answer's body (the in-process mock's), nothing more.
    expect(streams).toBe(2);
  });

  it('a browser’s create parses neither the public URL nor the return-URL allowlist: they are parsed once, with the options', async () => {
    const publicUrl = 'https://app.example.test/shop';
    const allowedReturnUrls = ['https://app.example.test/checkout', 'https://other.example.test'];
    const { origin } = await serve({ publicUrl, allowedReturnUrls });
    const parsed: string[] = [];
    const RealURL = globalThis.URL;
    globalThis.URL = new Proxy(RealURL, {
      construct(target, args, newTarget) {
        parsed.push(String(args[0]));
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    let created: RawAnswer;
    try {
      created = await raw(origin, '/api/liveness/sessions', {
        method: 'POST',
        // What the component sends from a page on the public origin: its Origin, and the page as `pageUrl`.
        headers: { 'Content-Type': 'application/json', Origin: 'https://app.example.test', 'Sec-Fetch-Site': 'same-origin' },
        body: JSON.stringify({ locale: 'en', device: 'desktop', pageUrl: 'https://app.example.test/checkout/verify?step=2' }),
      });
    } finally {
      globalThis.URL = RealURL;
    }
    expect(created.status).toBe(201);
    // The page is on the allowlist (under /checkout): it is the session's return URL.
    expect(parsed).toContain('https://app.example.test/checkout/verify?step=2');
    // An option is never parsed per request, and an Origin on the public origin needs no parse of the request's own URL.
    expect(parsed.filter((input) => input === publicUrl || allowedReturnUrls.includes(input) || input.startsWith(`${origin}/`))).toEqual([]);
  });

  it('a JSON answer is written in one piece with its Content-Length (no chunked framing)', async () => {
    const { origin } = await serve();
    const { statusUrl } = await createSession(origin);
    const answer = await raw(origin, statusUrl);
    const header = (name: string) => answer.headers.filter(([n]) => n === name).map(([, v]) => v);
    expect(header('content-length')).toEqual([String(answer.body.byteLength)]);
    expect(header('transfer-encoding')).toEqual([]);
  });

  const cases: { name: string; path: (ids: { statusUrl: string }) => string; method?: string; headers?: Record<string, string>; body?: string }[] = [
    { name: 'status 200', path: (s) => s.statusUrl },
    { name: 'status HEAD', path: (s) => s.statusUrl, method: 'HEAD' },
    { name: 'unknown session 404', path: () => '/api/liveness/sessions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    { name: 'unknown route 404', path: () => '/api/liveness/nope' },
    { name: 'wrong method 405 with Allow', path: () => '/api/liveness/sessions', method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    { name: 'health 200', path: () => '/api/liveness/health' },
    { name: 'create without a JSON Content-Type: 415', path: () => '/api/liveness/sessions', method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' },
    { name: 'create with a body that is not JSON: 400', path: () => '/api/liveness/sessions', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":' },
    { name: 'create with a body over 16 KiB: 413', path: () => '/api/liveness/sessions', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"pad":"${'x'.repeat(20_000)}"}` },
    { name: 'create from another site: 403', path: () => '/api/liveness/sessions', method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example.test' }, body: '{}' },
    {
      name: 'create with a malformed Idempotency-Key: 400',
      path: () => '/api/liveness/sessions',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'short' },
      body: '{}',
    },
    { name: 'short link 404 (not JSON: the Response path)', path: () => '/api/liveness/l/AAAAAAAAAAAAAAAAAAAAAA' },
  ];

  for (const c of cases) {
    it(`${c.name}: the same status, headers and body bytes as the fetch-style handler gives`, async () => {
      const { handler, origin } = await serve();
      const ids = await createSession(origin);
      const options = { method: c.method, headers: c.headers, body: c.body };
      const reference = await viaHandler(handler, origin, c.path(ids), options);
      const answer = await raw(origin, c.path(ids), options);
      expect(answer.status).toBe(reference.status);
      expect(answer.headers.filter(([name]) => !NODE_HEADERS.has(name))).toEqual(reference.headers);
      expect(answer.body.equals(reference.body)).toBe(true);
    });
  }

  it('callers other than the adapter get real Responses, and a wrapping fetch handler gets a real Request', async () => {
    const { handler, origin } = await serve();
    const { statusUrl } = await createSession(origin);
    for (const path of [statusUrl, '/api/liveness/health', '/api/liveness/nope']) {
      const response = await handler(new Request(`${origin}${path}`));
      expect(Object.getPrototypeOf(response)).toBe(Response.prototype);
    }
    let seen: { request: unknown; response: unknown } | undefined;
    const wrapped = await listen(
      toNodeHandler(async (request) => {
        const response = await handler(request);
        seen = { request, response };
        return response;
      }),
    );
    const answer = await raw(wrapped, statusUrl, { headers: { 'X-Probe': 'one' } });
    expect(answer.status).toBe(200);
    expect(Object.getPrototypeOf(seen!.request)).toBe(Request.prototype);
    expect((seen!.request as Request).headers.get('x-probe')).toBe('one');
    expect(Object.getPrototypeOf(seen!.response)).toBe(Response.prototype);
  });

  it('authorize and clientKey get a full Request: headers, body, signal, the client address, and new Request(request) works', async () => {
    const seen: { hook: string; real: boolean; method: string; url: string; probe: string | null; address: string | undefined; copy: string | undefined; body?: unknown; aborted: boolean }[] = [];
    const { origin } = await serve({
      authorize: async (request) => {
        seen.push({
          hook: 'authorize',
          real: Object.getPrototypeOf(request) === Request.prototype,
          method: request.method,
          url: request.url,
          probe: request.headers.get('X-Probe'),
          address: clientAddressOf(request),
          // `new Request(request)` takes a body over (the route could not read it after): a GET's alone.
          copy: request.method === 'GET' ? new Request(request).url : undefined,
          body: request.method === 'POST' ? await request.clone().json() : undefined,
          aborted: request.signal.aborted,
        });
        return { subject: 'user-1' };
      },
      clientKey: (request) => {
        seen.push({
          hook: 'clientKey',
          real: Object.getPrototypeOf(request) === Request.prototype,
          method: request.method,
          url: request.url,
          probe: request.headers.get('X-Probe'),
          address: clientAddressOf(request),
          copy: undefined,
          aborted: request.signal.aborted,
        });
        return clientAddressOf(request);
      },
    });
    const created = await raw(origin, '/api/liveness/sessions?x=1', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Probe': 'create' }, body: '{"locale":"en"}' });
    // The hook read a clone of the body; the route still reads the body itself.
    expect(created.status).toBe(201);
    const { statusUrl } = JSON.parse(created.body.toString('utf8')) as { statusUrl: string };
    expect((await raw(origin, statusUrl, { headers: { 'X-Probe': 'status' } })).status).toBe(200);
    expect(seen).toEqual([
      { hook: 'authorize', real: true, method: 'POST', url: `${origin}/api/liveness/sessions?x=1`, probe: 'create', address: '127.0.0.1', copy: undefined, body: { locale: 'en' }, aborted: false },
      { hook: 'clientKey', real: true, method: 'POST', url: `${origin}/api/liveness/sessions?x=1`, probe: 'create', address: '127.0.0.1', copy: undefined, aborted: false },
      { hook: 'authorize', real: true, method: 'GET', url: `${origin}${statusUrl}`, probe: 'status', address: '127.0.0.1', copy: `${origin}${statusUrl}`, body: undefined, aborted: false },
    ]);
  });

  it('a hook that runs after the route read the body gets a Request whose body reads as used, as the fetch-style path gives', async () => {
    type Seen = { bodyUsed: boolean; text: string; clone: string; copy: string };
    const seen: Seen[] = [];
    const settle = async (run: () => unknown) => {
      try {
        await run();
        return 'ok';
      } catch (error) {
        return (error as Error).constructor.name;
      }
    };
    const { handler, origin } = await serve({
      clientKey: async (request) => {
        seen.push({ bodyUsed: request.bodyUsed, text: await settle(() => request.text()), clone: await settle(() => request.clone()), copy: await settle(() => new Request(request)) });
        return 'client-1';
      },
    });
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' };
    expect((await handler(new Request(`${origin}/api/liveness/sessions`, init))).status).toBe(201);
    expect((await raw(origin, '/api/liveness/sessions', init)).status).toBe(201);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[0]).toEqual({ bodyUsed: true, text: 'TypeError', clone: 'TypeError', copy: 'TypeError' });
  });

  it('a hook that reads the body itself leaves the route a used body: the same 400 as the fetch-style path', async () => {
    const { handler, origin } = await serve({
      authorize: async (request) => {
        await request.text();
        return true;
      },
    });
    const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}' };
    const reference = await viaHandler(handler, origin, '/api/liveness/sessions', init);
    const answer = await raw(origin, '/api/liveness/sessions', init);
    expect(reference.status).toBe(400);
    expect(answer.status).toBe(reference.status);
    expect(answer.body.equals(reference.body)).toBe(true);
  });

  it('a route that reads headers sees what the client sent: Accept-Language picks the link language, Sec-Fetch-Site refuses a cross-site create', async () => {
    const { origin } = await serve();
    const link = async (acceptLanguage: string) => {
      const created = await raw(origin, '/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': acceptLanguage }, body: '{}' });
      expect(created.status).toBe(201);
      return new URL((JSON.parse(created.body.toString('utf8')) as { h5Link: string }).h5Link).searchParams.get('lng');
    };
    expect(await link('zh-CN,zh;q=0.9')).toBe('zh');
    expect(await link('en-GB,en;q=0.9')).toBe('en');
    const crossSite = await raw(origin, '/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' }, body: '{}' });
    expect(crossSite.status).toBe(403);
  });
});
