// Builds the benchmark pages (bench/pages/*.html) with Vite in production mode against the built
// library (dist/), and serves them next to the real `/server` handler (dist/server.js) over the mock
// upstream (dist/testing.js), all in this process on 127.0.0.1.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const repo = resolve(new URL('../..', import.meta.url).pathname);
const pagesDir = join(repo, 'bench/pages');
const PAGES = ['ttq', 'baseline', 'leak', 'qr', 'views'];

/**
 * `profiling: true` swaps react-dom/client for react-dom/profiling, the only production build in which
 * `<Profiler onRender>` fires (used to count commits; not for timings).
 */
export async function buildPages({ profiling = false } = {}) {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  const outDir = join(repo, 'bench/tmp', profiling ? 'pages-profiling' : 'pages-prod');
  await build({
    configFile: false,
    root: pagesDir,
    logLevel: 'error',
    plugins: [react()],
    publicDir: false,
    resolve: {
      alias: [
        { find: /^react-liveness-session$/, replacement: join(repo, 'dist/index.js') },
        { find: /^react-liveness-session\/locales$/, replacement: join(repo, 'dist/locales.js') },
        { find: /^react-liveness-session\/styles\.css$/, replacement: join(repo, 'dist/styles.css') },
        ...(profiling ? [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] : []),
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: Object.fromEntries(PAGES.map((name) => [name, join(pagesDir, `${name}.html`)])) },
    },
  });
  return outDir;
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * One http server on 127.0.0.1:<ephemeral>: `/api/liveness/*` is the library's handler (rate limit off,
 * mock upstream in-process with zero latency), everything else static files from `dir`.
 * `count` tallies requests by kind so benchmarks can check what the page asked for.
 */
export async function startAppServer(dir, { handlerOptions = {} } = {}) {
  const { createLivenessHandler, toNodeHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
  const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);
  const count = { create: 0, status: 0, other: 0 };
  let api;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/liveness')) {
      if (req.method === 'POST' && url.pathname === '/api/liveness/sessions') count.create += 1;
      else if (req.method === 'GET' && url.pathname.startsWith('/api/liveness/sessions/')) count.status += 1;
      else count.other += 1;
      return api(req, res);
    }
    let file = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (file !== dir && !file.startsWith(dir + sep)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Links on a loopback origin: the handler accepts plain http only there (links are https-only otherwise).
  const mock = createMockUpstream({ publicUrl: `${origin}/mock-upstream` });
  const handler = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: `${origin}/mock-upstream`,
    fetch: mock.fetch,
    publicUrl: origin,
    upstreamRateLimit: false,
    // Every page of a benchmark is the same 127.0.0.1 client, creating hundreds of sessions.
    clientRateLimit: false,
    ...handlerOptions,
  });
  api = toNodeHandler(handler);
  const close = () =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  return {
    origin,
    get mock() {
      return mock;
    },
    count,
    close,
  };
}
