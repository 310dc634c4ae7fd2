// @ts-check
// The app's backend, as a consumer would write it with plain node:http: the built app from dist/
// (and a development build from dist-dev/ under /dev/), the package's server handler under
// /api/liveness, and the package's mock upstream with its simulated H5 page under /mock-upstream.
//   PORT=0 node server.mjs   → prints `listening on http://127.0.0.1:<port>`
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLivenessHandler, toNodeHandler } from 'react-liveness-session/server';
import { createMockUpstream } from 'react-liveness-session/testing';

const root = path.dirname(fileURLToPath(import.meta.url));
const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => resolve(undefined));
});
const address = server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const origin = `http://127.0.0.1:${address.port}`;

const mock = createMockUpstream({ publicUrl: `${origin}/mock-upstream` });
const liveness = createLivenessHandler({
  apiKey: 'test-key-not-secret',
  upstreamUrl: 'http://mock.test',
  fetch: mock.fetch,
  publicUrl: origin,
});
const api = toNodeHandler(liveness);
const mockPages = toNodeHandler(Object.assign((/** @type {Request} */ request) => mock(request), { basePath: '/mock-upstream' }));

/** @type {Record<string, string>} */
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
async function serveStatic(req, res) {
  const { pathname } = new URL(req.url ?? '/', origin);
  const [dir, rest] = pathname === '/dev' || pathname.startsWith('/dev/') ? ['dist-dev', pathname.slice(4)] : ['dist', pathname];
  const base = path.join(root, dir);
  let file = path.join(base, path.normalize(decodeURIComponent(rest || '/')));
  if (!file.startsWith(base)) file = base;
  const ext = path.extname(file);
  if (!ext) file = path.join(base, 'index.html');
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
}

server.on('request', (req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/api/liveness')) return api(req, res);
  if (url.startsWith('/mock-upstream')) return mockPages(req, res);
  if (url === '/consumer/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    return res.end(JSON.stringify(mock.stats));
  }
  void serveStatic(req, res);
});

console.log(`listening on ${origin}`);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
