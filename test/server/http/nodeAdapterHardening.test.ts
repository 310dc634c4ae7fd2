// @vitest-environment node
// Red-team findings 4 and 5 of issue 12 (and 5 of issue 21) on the Node adapter: a body read deadline,
// for every method, `close` while waiting for `drain`, and a 400 (not a 500) for a Host that is not a
// host. Over real sockets.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivenessHandler, toNodeHandler, type FetchHandler, type NodeHandlerOptions } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY } from '../helpers.js';

const servers: http.Server[] = [];

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: FetchHandler, options?: NodeHandlerOptions): Promise<number> {
  const server = http.createServer(toNodeHandler(handler, options));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function liveness() {
  const mock = createMockUpstream({ apiKey: API_KEY });
  return createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', fetch: mock.fetch, upstreamRateLimit: false });
}

/**
 * Writes `head` (and optional body bytes) on a raw socket and resolves with everything the server sends
 * until it closes; rejects when nothing final arrives within `giveUpMs` (a failure bound, not a timing
 * assertion: the fixed server answers in milliseconds).
 */
function rawExchange(port: number, head: string, giveUpMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${giveUpMs} ms; got ${JSON.stringify(text.slice(0, 80))}`));
    }, giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', () => {});
  });
}

describe('toNodeHandler: body read deadline', () => {
  it('answers 408 and closes when a body stalls past bodyTimeoutMs', async () => {
    const port = await serve(liveness(), { bodyTimeoutMs: 200 });
    const answer = await rawExchange(port, 'POST /api/liveness/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"loc');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"request_timeout"');
  });

  // Issue 21, finding 5: the deadline covered only methods whose body the adapter read, so a chunked
  // body trickled into a GET held the socket until Node's own requestTimeout (300 s).
  it.each([
    ['GET', 'a chunked body that stalls', 'GET /api/liveness/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n'],
    ['GET', 'a Content-Length body that never comes', 'GET /api/liveness/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"a'],
    ['HEAD', 'a chunked body that stalls', 'HEAD /api/liveness/callback?sid=x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n'],
  ])('%s with %s is refused at once and the connection closed', async (method, _what, head) => {
    // The deadline is far beyond the give-up bound: only refusing the body at once passes.
    const port = await serve(liveness(), { bodyTimeoutMs: 60_000 });
    const answer = await rawExchange(port, head, 3000);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    if (method === 'GET') expect(answer).toContain('"body_not_allowed"');
  });

  it('a GET without a body (or with Content-Length: 0) is served as before', async () => {
    const port = await serve(liveness());
    const answer = await rawExchange(port, 'GET /api/liveness/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('rejects a bodyTimeoutMs that is not a positive number', () => {
    expect(() => toNodeHandler(liveness(), { bodyTimeoutMs: 0 })).toThrow(/bodyTimeoutMs/);
  });
});

describe('toNodeHandler: a client that goes away while the answer waits for drain', () => {
  it('stops writing and cancels the response body', async () => {
    let cancelled: () => void = () => {};
    const cancel = new Promise<void>((resolve) => (cancelled = resolve));
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const big: FetchHandler = async () =>
      new Response(
        new ReadableStream({
          pull: (controller) => controller.enqueue(chunk),
          cancel: () => cancelled(),
        }),
        { status: 200 },
      );
    const port = await serve(big);
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    socket.on('error', () => {});
    // Read the first bytes, then stop reading (the server's buffers fill and it waits for 'drain'), then leave.
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    const outcome = await Promise.race([cancel.then(() => 'cancelled'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000))]);
    expect(outcome).toBe('cancelled');
  });
});

describe('toNodeHandler: Host', () => {
  it('400 invalid_host for a Host that cannot be part of a URL', async () => {
    const port = await serve(liveness());
    const answer = await rawExchange(port, 'GET /api/liveness/sessions/x HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"invalid_host"');
  });
});
