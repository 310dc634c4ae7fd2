// @vitest-environment node
// Issue 26: uploads through the Node adapter. The adapter used to read every body into memory, up to
// 16 KiB, before the handler saw it (a photo got 413 there). Now the body streams into the `Request`,
// each route's reader holds it to its own cap (JSON: 16 KiB; an image: 30 MB), and the deadline follows
// the body's progress. Over real sockets.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { toNodeHandler, type FetchHandler, type NodeHandlerOptions } from '../../../src/server.js';
import { ALICE, BOUNDARY, assetSetup, multipart } from '../assets/assetHelpers.js';
import * as files from '../../media/mediaFiles.js';
import { errorInText } from '../helpers.js';

const servers: http.Server[] = [];

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Serves `handler`; `bytesRead` is what the server had read off its sockets when each answer finished. */
async function serve(handler: FetchHandler, options?: NodeHandlerOptions) {
  const listener = toNodeHandler(handler, options);
  const bytesRead: number[] = [];
  const server = http.createServer((req, res) => {
    res.once('finish', () => bytesRead.push(req.socket.bytesRead));
    listener(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, bytesRead };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Head and start of a multipart upload of `file`, and its closing boundary, as separate pieces. */
function uploadPieces(file: Uint8Array) {
  const whole = multipart([{ name: 'file', filename: 'photo.jpg', type: 'image/jpeg', body: file }]);
  const start = whole.indexOf(0xff);
  return { whole, head: whole.subarray(0, start), tail: whole.subarray(start + file.length) };
}

function postHead(path: string, headers: Record<string, string>): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test-User: ${ALICE}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** Writes on a raw socket and collects what the server sends until it closes (or `giveUpMs`, a failure bound). */
function rawSocket(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received: () => text,
    async answer(giveUpMs = 10_000): Promise<string> {
      const outcome = await Promise.race([closed.then(() => 'closed'), sleep(giveUpMs).then(() => 'timeout')]);
      if (outcome === 'timeout') socket.destroy();
      return text;
    },
  };
}

describe('toNodeHandler streams request bodies (issue 26)', { timeout: 30_000 }, () => {
  it('hands the body to the handler as it arrives: the handler reads the first megabyte before the client sends the rest', async () => {
    let received = 0;
    let megabyte: () => void = () => {};
    const reachedMegabyte = new Promise<void>((resolve) => (megabyte = resolve));
    const counting: FetchHandler = async (request) => {
      const reader = request.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
        if (received >= 1024 * 1024) megabyte();
      }
      return new Response(JSON.stringify({ received }), { status: 200 });
    };
    const { port } = await serve(counting);
    const client = rawSocket(port);
    client.socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    client.socket.write(new Uint8Array(1024 * 1024));
    // Buffered whole (the old adapter), the handler would see nothing until the second megabyte is sent.
    const first = await Promise.race([reachedMegabyte.then(() => 'streamed'), sleep(5000).then(() => 'not yet')]);
    expect(first, `the server answered ${JSON.stringify(client.received().split('\r\n')[0])}`).toBe('streamed');
    client.socket.end(new Uint8Array(1024 * 1024));
    expect(await client.answer()).toMatch(/^HTTP\/1\.1 200 [\s\S]*"received":2097152/);
  });

  it('a body that keeps arriving may take longer than bodyTimeoutMs in all: 2 MB over about 3 s with bodyTimeoutMs 400', async () => {
    const s = assetSetup();
    const { port } = await serve(s.handler, { bodyTimeoutMs: 400 });
    const { whole } = uploadPieces(files.jpeg(1200, 1600, { scanBytes: 2 * 1024 * 1024 }));
    const client = rawSocket(port);
    client.socket.write(postHead('/api/liveness/assets', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(whole.length), Connection: 'close' }));
    // 64 KiB every 100 ms: far more than 16 KiB per bodyTimeoutMs, the least the deadline asks for.
    for (let at = 0; at < whole.length; at += 64 * 1024) {
      client.socket.write(whole.subarray(at, at + 64 * 1024));
      await sleep(100);
    }
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(s.mock.stats.createAsset).toBe(1);
  });

  it('slowloris: an upload trickled slower than 16 KiB per bodyTimeoutMs gets 408 and the connection is closed; nothing reaches the upstream', async () => {
    const s = assetSetup();
    const { port } = await serve(s.handler, { bodyTimeoutMs: 500 });
    const { head } = uploadPieces(files.jpeg(1200, 1600));
    const client = rawSocket(port);
    client.socket.write(postHead('/api/liveness/assets', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(1024 * 1024) }));
    client.socket.write(head);
    // A real JPEG's start, then its scan data a hundred bytes at a time: 1 KB/s, well under 16 KiB per 500 ms.
    client.socket.write(files.jpeg(1200, 1600).subarray(0, 1024));
    const trickle = setInterval(() => client.socket.writable && client.socket.write(new Uint8Array(100).fill(0x5a)), 100);
    try {
      const answer = await client.answer(10_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"request_timeout"');
    } finally {
      clearInterval(trickle);
    }
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('a client that stops mid-upload and goes away: the handler’s reader ends, nothing reaches the upstream, the server serves the next request', async () => {
    const s = assetSetup();
    const { port } = await serve(s.handler);
    const { head } = uploadPieces(files.jpeg(1200, 1600));
    const client = rawSocket(port);
    client.socket.write(postHead('/api/liveness/assets', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(5 * 1024 * 1024) }));
    client.socket.write(head);
    client.socket.write(files.jpeg(1200, 1600, { scanBytes: 512 * 1024 }).subarray(0, 400 * 1024));
    await sleep(200);
    client.socket.destroy();
    // The handler finishes (a 400 nobody reads), instead of waiting on the body for ever.
    for (let waited = 0; waited < 5000 && !s.events.some((event) => event.type === 'request.rejected' && event.httpStatus === 400); waited += 50) await sleep(50);
    expect(s.events).toContainEqual(expect.objectContaining({ type: 'request.rejected', httpStatus: 400 }));
    expect(s.mock.stats.createAsset).toBe(0);
    const next = await fetch(`http://127.0.0.1:${port}/api/liveness/health`);
    expect(next.status).toBe(200);
  });

  it('a 40 MB image, chunked: 413 once it passes the 30 MB cap, without reading it all; the client, still sending, gets the answer (5 rounds)', async () => {
    const s = assetSetup();
    const { port, bytesRead } = await serve(s.handler);
    const { head } = uploadPieces(files.jpeg(1200, 1600));
    for (let round = 0; round < 5; round += 1) {
      const answer = await new Promise<{ status: number; body: string } | string>((resolve, reject) => {
        const req = http.request(`http://127.0.0.1:${port}/api/liveness/assets`, {
          method: 'POST',
          headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Transfer-Encoding': 'chunked', 'X-Test-User': ALICE },
        });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // The server closes the connection once it has answered (and dropped the rest for a while).
        // Closing at once, with bytes unread, reset the connection before half of these clients read the answer.
        req.on('error', (error: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? setTimeout(() => resolve(`no answer: ${error.code}`), 100) : reject(error)));
        void (async () => {
          req.write(head);
          req.write(files.jpeg(1200, 1600).subarray(0, 1024));
          const megabyte = new Uint8Array(1024 * 1024).fill(0x5a);
          for (let sent = 0; sent < 40 && !req.destroyed; sent += 1) if (!req.write(megabyte)) await new Promise((done) => req.once('drain', done).once('close', done));
          if (!req.destroyed) req.end();
        })();
      });
      expect(answer, `round ${round}`).toMatchObject({ status: 413 });
      expect(errorInText((answer as { body: string }).body)).toMatchObject({ code: 'payload_too_large', reason: 'file_too_large' });
      expect(bytesRead.at(-1)).toBeLessThan(32 * 1024 * 1024);
    }
    expect(s.mock.stats.createAsset).toBe(0);
  });

  it('a 40 MB image announced by Content-Length: 413 on its first bytes (they say it is an image), the rest never read', async () => {
    const s = assetSetup();
    const { port, bytesRead } = await serve(s.handler);
    const client = rawSocket(port);
    client.socket.write(postHead('/api/liveness/assets', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(40 * 1024 * 1024) }));
    client.socket.write(uploadPieces(files.jpeg(1200, 1600)).head);
    client.socket.write(files.jpeg(1200, 1600).subarray(0, 4096));
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/connection: close/i);
    expect(errorInText(answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1)).reason).toBe('file_too_large');
    expect(bytesRead.at(-1)).toBeLessThan(64 * 1024);
  });

  it('a body over every cap (60 MB) announced by Content-Length: 413 before a byte of it is read', async () => {
    const s = assetSetup();
    const { port, bytesRead } = await serve(s.handler);
    const client = rawSocket(port);
    client.socket.write(postHead('/api/liveness/assets', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': String(60 * 1000 * 1000) }));
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(bytesRead.at(-1)).toBeLessThan(1024);
  });

  it('a 40 MB video (under its 50 MB cap) goes through the adapter and becomes an asset', async () => {
    const s = assetSetup();
    const { port } = await serve(s.handler);
    const large = files.mp4({ seconds: 10, fps: 30, mdatBytes: 40 * 1024 * 1024 });
    const response = await fetch(`http://127.0.0.1:${port}/api/liveness/assets`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'X-Test-User': ALICE },
      body: multipart([{ name: 'file', filename: 'clip.mp4', type: 'video/mp4', body: large }]) as BodyInit,
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const { assetId } = (await response.json()) as { assetId: string };
    expect(s.mock.assets.get(assetId)).toMatchObject({ assetType: 'Video', mime: 'video/mp4', size: large.length });
  });

  it('JSON routes keep their 16 KiB cap through the streamed body', async () => {
    const s = assetSetup();
    const { port, bytesRead } = await serve(s.handler);
    const client = rawSocket(port);
    client.socket.write(`POST /api/liveness/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    for (let i = 0; i < 64 && client.socket.writable; i += 1) client.socket.write(`400\r\n${' '.repeat(1024)}\r\n`);
    const answer = await client.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(bytesRead.at(-1)).toBeLessThan(200 * 1024);
    expect(s.mock.stats.create).toBe(0);
  });
});
