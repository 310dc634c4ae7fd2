// @vitest-environment node
// Issue 14: the event stream through the Node adapter over real HTTP: each event leaves as it is
// written (nothing buffered until the end), and a client that goes away releases the stream at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLivenessHandler, toNodeHandler } from '../../../src/server.js';
import { createMockUpstream } from '../../../src/testing.js';
import { API_KEY, createdBody, phoneFlow } from '../helpers.js';

const servers: http.Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
});

async function serve() {
  const mock = createMockUpstream({ apiKey: API_KEY });
  const server = http.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handler = createLivenessHandler({ apiKey: API_KEY, upstreamUrl: 'https://upstream.example.test', publicUrl: origin, upstreamRateLimit: false, fetch: mock.fetch, maxEventStreams: 1 });
  server.on('request', toNodeHandler(handler));
  return { origin, handler, mock };
}

/** Opens the stream with node:http; `chunks` grows as bytes arrive. */
function open(url: string) {
  const chunks: string[] = [];
  let response: http.IncomingMessage | undefined;
  const request = http.get(url, (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => chunks.push(chunk));
  });
  request.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => request.on('close', resolve));
  return {
    chunks,
    request,
    ended,
    get response() {
      return response;
    },
  };
}

describe('event streams through toNodeHandler', () => {
  it('the first event arrives while the session is still pending; the outcome follows and the stream ends', async () => {
    const { origin, handler, mock } = await serve();
    const created = await createdBody(await fetch(`${origin}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    const stream = open(`${origin}${created.eventsUrl}`);
    await vi.waitFor(() => expect(stream.chunks.join('')).toContain('"status":"pending"'));
    expect(stream.response?.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response?.headers['x-accel-buffering']).toBe('no');
    expect(stream.response?.headers['content-encoding']).toBeUndefined();
    expect(stream.chunks.join('')).not.toContain('verified');
    await phoneFlow({ mock, handler }, created, 'pass', 'link');
    await stream.ended;
    expect(stream.chunks.join('')).toMatch(/data: \{[^\n]*"status":"verified"[^\n]*\}\n\n$/);
  });

  it('a client that disconnects frees its stream at once (maxEventStreams: 1)', async () => {
    const { origin } = await serve();
    const created = await createdBody(await fetch(`${origin}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    const first = open(`${origin}${created.eventsUrl}`);
    await vi.waitFor(() => expect(first.chunks.join('')).toContain('"status":"pending"'));
    expect((await fetch(`${origin}${created.eventsUrl}`)).status).toBe(503);
    first.request.destroy();
    await vi.waitFor(async () => {
      const again = await fetch(`${origin}${created.eventsUrl}`);
      await again.body?.cancel();
      expect(again.status).toBe(200);
    });
  });
});
