// @vitest-environment node
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivenessHandler, toNodeHandler, type LivenessHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY, createdBody, errorBody, errorInText, statusBody, tokenOf } from '../helpers.js';
import type { CreateSessionResponse } from '../../../src/core/wire/protocol.js';

const mock = createMockUpstream({ apiKey: API_KEY });
let handler: LivenessHandler;
const servers: http.Server[] = [];

async function listen(listener: http.RequestListener): Promise<string> {
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request, so we control Content-Length and chunking exactly. */
function raw(origin: string, path: string, options: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${origin}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    // The server may close the connection once it has answered 413; that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    const write = async () => {
      for (const chunk of options.chunks ?? []) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    };
    void write();
  });
}

let origin: string;

beforeAll(async () => {
  handler = createLivenessHandler({
    apiKey: API_KEY,
    upstreamUrl: 'https://upstream.example.test',
    upstreamRateLimit: false,
    fetch: (input, init) => mock(new Request(input, init)),
  });
  origin = await listen(toNodeHandler(handler));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('toNodeHandler over real HTTP', () => {
  it('runs a full flow: create, status, QR redirect, callback page', async () => {
    const createdResponse = await fetch(`${origin}/api/liveness/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ locale: 'en' }),
    });
    expect(createdResponse.status).toBe(201);
    expect(createdResponse.headers.get('cache-control')).toBe('no-store');
    const created = await createdBody(createdResponse);
    // publicUrl unset: derived from the Host header of the request.
    expect(created.qrUrl).toMatch(new RegExp(`^${origin}/api/liveness/l/[A-Za-z0-9_-]{22}$`));

    const status = await fetch(`${origin}${created.statusUrl}`).then(statusBody);
    expect(status.status).toBe('pending');

    const short = await fetch(created.qrUrl, { redirect: 'manual' });
    expect(short.status).toBe(302);
    expect(short.headers.get('location')).toBe(created.h5Link);

    const callbackUrl = mock.decide(tokenOf(created.h5Link), 'pass')!;
    expect(callbackUrl.startsWith(`${origin}/api/liveness/callback?sid=${created.sessionId}&bytedToken=`)).toBe(true);
    const page = await fetch(callbackUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('You can go back to your computer');
    expect((await fetch(`${origin}${created.statusUrl}`).then(statusBody)).status).toBe('verified');
  });

  it('405 keeps its Allow header through the adapter', async () => {
    const response = await fetch(`${origin}/api/liveness/sessions`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('413 from Content-Length without reading the body', async () => {
    const result = await raw(origin, '/api/liveness/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) },
      chunks: [Buffer.alloc(1024, 32)],
    });
    expect(result.status).toBe(413);
    expect(errorInText(result.body).code).toBe('payload_too_large');
  });

  it('413 for a chunked body that grows past 16 KiB', async () => {
    const result = await raw(origin, '/api/liveness/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks: Array.from({ length: 64 }, () => Buffer.alloc(1024, 32)),
    });
    expect(result.status).toBe(413);
  });

  it('passes a small chunked body through', async () => {
    const result = await raw(origin, '/api/liveness/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      chunks: [Buffer.from('{"loc'), Buffer.from('ale":"zh"}')],
    });
    expect(result.status).toBe(201);
    expect(new URL((JSON.parse(result.body) as CreateSessionResponse).h5Link).searchParams.get('lng')).toBe('zh');
  });

  it('works as Express-style middleware: next() outside basePath, originalUrl when mounted, pre-parsed bodies', async () => {
    const listener = toNodeHandler(handler);
    const expressLike = await listen((req, res) => {
      const request = req as typeof req & { originalUrl?: string; body?: unknown };
      const next = (error?: unknown) => {
        res.statusCode = error ? 500 : 200;
        res.end(error ? 'error' : 'next called');
      };
      if (req.url === '/parsed') {
        // As after express.json(): the stream is consumed and `body` holds the object.
        req.resume();
        req.on('end', () => {
          request.body = { locale: 'en' };
          request.originalUrl = '/api/liveness/sessions';
          listener(req, res, next);
        });
        return;
      }
      if (req.url?.startsWith('/mounted')) {
        // As under app.use('/api/liveness', …): url is stripped, originalUrl keeps the full path.
        request.originalUrl = req.url.replace('/mounted', '/api/liveness');
        request.url = req.url.replace('/mounted', '');
      }
      listener(req, res, next);
    });
    expect(await fetch(`${expressLike}/elsewhere`).then((r) => r.text())).toBe('next called');
    const mounted = await fetch(`${expressLike}/mounted/sessions/${'q'.repeat(32)}`);
    expect(mounted.status).toBe(404);
    expect((await errorBody(mounted)).code).toBe('not_found');
    const parsed = await fetch(`${expressLike}/parsed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"ignored":1}' });
    expect(parsed.status).toBe(201);
    expect(new URL((await createdBody(parsed)).h5Link).searchParams.get('lng')).toBe('en');
  });

  it('uses X-Forwarded-* only with trustProxy', async () => {
    const trusting = await listen(toNodeHandler(handler, { trustProxy: true }));
    const headers = { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'public.example.test' };
    const viaProxy = await fetch(`${trusting}/api/liveness/sessions`, { method: 'POST', headers, body: '{}' }).then(createdBody);
    expect(viaProxy.qrUrl.startsWith('https://public.example.test/api/liveness/l/')).toBe(true);
    const direct = await fetch(`${origin}/api/liveness/sessions`, { method: 'POST', headers, body: '{}' }).then(createdBody);
    expect(direct.qrUrl.startsWith(`${origin}/api/liveness/l/`)).toBe(true);
  });
});

describe('toNodeHandler with other fetch handlers', () => {
  it('serves the mock upstream (no basePath: every path is answered)', async () => {
    const served = await listen(toNodeHandler(createMockUpstream({ publicUrl: 'http://127.0.0.1' }), {}));
    const response = await fetch(`${served}/volc/asset/CreateVisualValidateSession`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-key-not-secret' },
      body: JSON.stringify({ CallbackURL: 'http://127.0.0.1/cb' }),
    });
    expect(response.status).toBe(200);
    expect((await fetch(`${served}/anything`)).status).toBe(404);
  });
});
