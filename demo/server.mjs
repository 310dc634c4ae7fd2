// The demo: one Node http server on 127.0.0.1 that serves the React app (Vite, in middleware mode),
// the library's `/server` handler under /api/liveness, and, unless ANYFAST_API_KEY is set, the mock
// Anyfast upstream under /mock-upstream (its simulated H5 page included). No key, no setup.
// The app's pages are served under a strict Content-Security-Policy (no inline script or style at
// all): a verification SDK must work inside the policies careful apps use.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createServer as createVite } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(root, '..');
const host = process.env.HOST ?? '127.0.0.1';
const requestedPort = Number(process.env.PORT ?? 5173);
const apiKey = process.env.ANYFAST_API_KEY;
const sessionTtlMs = process.env.SESSION_TTL_MS ? Number(process.env.SESSION_TTL_MS) : undefined;

const httpServer = http.createServer();
// Outlive clients' idle keep-alive (Chromium and undici reuse sockets for about a minute): with
// Node's default of 5 s, a request sent just as the server closes an idle socket is reset.
httpServer.keepAliveTimeout = 65_000;
httpServer.headersTimeout = 66_000;
// Listen first: with PORT=0 the real port is known only now, and the URLs below depend on it.
await new Promise((resolve, reject) => {
  httpServer.once('error', reject);
  httpServer.listen(requestedPort, host, resolve);
});
const port = httpServer.address().port;
const origin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
const vite = await createVite({
  configFile: false,
  root,
  // No @vitejs/plugin-react: its Fast Refresh preamble is an inline script, which the policy refuses.
  // Vite compiles the JSX itself (automatic runtime); a change reloads the page instead.
  appType: 'spa',
  logLevel: process.env.DEMO_QUIET ? 'silent' : 'info',
  // A private dependency cache (the end-to-end tests use one), so another Vite on this checkout
  // cannot re-optimise the shared one and reload this demo's pages mid-test.
  ...(process.env.DEMO_VITE_CACHE_DIR ? { cacheDir: process.env.DEMO_VITE_CACHE_DIR } : {}),
  // DEMO_WATCH=0 (the end-to-end tests): no file watcher, so an edit to src/ during a run cannot
  // hot-reload the pages under test. The HMR socket stays, so the Vite client connects as usual.
  server: {
    middlewareMode: true,
    // clientPort: the Vite client then never falls back to ws://localhost:5173 when its socket fails to
    // open (Firefox under load, a page reloaded while it connects), which the page's policy refuses: a
    // CSP violation the end-to-end tests counted as the page's own (2 of 96 runs of the reload test).
    hmr: { server: httpServer, clientPort: port },
    ...(process.env.DEMO_WATCH === '0' ? { watch: null } : {}),
  },
});
// Load the library from source, so the demo always runs what is in src/.
const { createLivenessHandler, toNodeHandler } = await vite.ssrLoadModule(path.join(repo, 'src/server.ts'));
const { createMockUpstream } = await vite.ssrLoadModule(path.join(repo, 'src/testing.ts'));

let mock;
let handlerOptions;
const resultCalls = new Map();
// The demo's "SMS and e-mail service": the messages the handler's sendLink hands it, the last 50, in
// memory. GET /demo/outbox shows them (a page, or JSON; ?to= picks one recipient's), so that a person
// trying the demo, and the end-to-end tests' phones, can open the link a message carries.
const outbox = [];
const OUTBOX_SIZE = 50;
// The demo's "database": the asset group each subject verified into (the last one), and its active
// assets. A real app stores these in its own tables (onVerified, onAssetActive).
const groups = new Map();
const assetsOf = new Map();
if (apiKey) {
  if (!process.env.PUBLIC_URL) {
    console.error('PUBLIC_URL is required with ANYFAST_API_KEY: it is the https base URL the phone reaches for the callback.');
    process.exit(1);
  }
  handlerOptions = { apiKey, publicUrl: process.env.PUBLIC_URL };
} else {
  const publicUrl = process.env.PUBLIC_URL ?? origin;
  mock = createMockUpstream({ publicUrl: `${publicUrl}/mock-upstream`, ...(sessionTtlMs ? { ttlMs: sessionTtlMs } : {}) });
  handlerOptions = {
    apiKey: 'test-key-not-secret',
    upstreamUrl: `${publicUrl}/mock-upstream`,
    // The handler reaches the mock in-process: no network hop, same behaviour.
    fetch: mock.fetch,
    publicUrl,
    allowedReturnUrls: [publicUrl],
    // Every browser of the demo (and of the end-to-end tests) is 127.0.0.1, or a tunnel's address:
    // a per-client create budget would only get in the way of trying it out.
    clientRateLimit: false,
    // The demo has no sign-in: every browser is the same demo user. A real app returns its user's id.
    authorize: () => ({ subject: 'demo-user' }),
    // The durable path: a real app writes the group id to its database here (an upsert by sessionId).
    onVerified: ({ sessionId, groupId, subject }) => {
      groups.set(subject, groupId);
      if (!process.env.DEMO_QUIET) console.log(`demo: ${subject} verified in session ${sessionId}: group ${groupId} (mock)`);
    },
    // "Can't scan? Send the link to your phone": a real app calls Twilio, SES… here. The message carries
    // the one-device short link, never the H5 link.
    sendLink: ({ channel, to, link, locale, expiresAt }) => {
      outbox.unshift({ channel, to, link, locale, expiresAt: expiresAt.toISOString(), sentAt: new Date().toISOString() });
      outbox.length = Math.min(outbox.length, OUTBOX_SIZE);
    },
    // After verification: reference photos into the subject's group. The demo has one user, so the
    // group is that of the latest verification. A photo whose bytes carry MOCK-FACE-MISMATCH (the mock's
    // marker: samplePhoto({ outcome: 'faceMismatch' }) writes one) is refused as another person's face.
    assets: {
      groupIdFor: (subject) => groups.get(subject),
      onAssetActive: ({ subject, assetId }) => {
        assetsOf.set(subject, [...(assetsOf.get(subject) ?? []), assetId]);
        if (!process.env.DEMO_QUIET) console.log(`demo: ${subject} added asset://${assetId} (mock)`);
      },
    },
    // For the end-to-end tests, which run two at a time against this server: the result calls made for
    // each session, so a test can count its own instead of the server-wide totals (GET /demo/stats?session=).
    onEvent: (event) => {
      if (event.type === 'upstream.response' && event.action === 'result' && event.sessionId) {
        resultCalls.set(event.sessionId, (resultCalls.get(event.sessionId) ?? 0) + 1);
      }
    },
  };
}
const handler = createLivenessHandler({ ...handlerOptions, ...(sessionTtlMs ? { sessionTtlMs } : {}) });
const api = toNodeHandler(handler);
const upstreamPage = mock ? toNodeHandler(Object.assign((request) => mock(request), { basePath: '/mock-upstream' })) : undefined;

/** What the demo's own pages may load: their own origin only. The handler's pages set their own. */
const DEMO_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const stylesheet = path.join(repo, 'src/styles.css');

// Open event streams by session id, so the end-to-end tests can cut one session's streams mid-session
// (POST /demo/drop-streams?session=<id>) without touching the streams of tests running beside it.
const streams = new Map();

// The API requests of each browser the end-to-end tests drive, by its `e2e-client` cookie: Firefox and
// WebKit over WebDriver give no network events, so the tests count what this server saw
// (GET /demo/stats?client=<id>), whatever tab of that browser made them.
const clients = new Map();
function countClient(req, url) {
  const client = /(?:^|;\s*)e2e-client=([\w-]{1,64})/.exec(req.headers.cookie ?? '')?.[1];
  if (!client) return;
  const counts = clients.get(client) ?? { create: 0, status: 0, events: 0, cancel: 0, send: 0, upload: 0 };
  clients.set(client, counts);
  const path = url.split('?')[0];
  if (req.method === 'POST' && path === '/api/liveness/sessions') counts.create += 1;
  else if (req.method === 'POST' && path.endsWith('/send')) counts.send += 1;
  else if (req.method === 'POST' && path === '/api/liveness/assets') counts.upload += 1;
  else if (req.method === 'DELETE') counts.cancel += 1;
  else if (req.method === 'GET' && path.endsWith('/events')) counts.events += 1;
  else if (req.method === 'GET' && path.startsWith('/api/liveness/sessions/')) counts.status += 1;
}

httpServer.on('request', (req, res) => {
  const url = req.url ?? '/';
  const stream = mock ? /^\/api\/liveness\/sessions\/([^/?]+)\/events(\?|$)/.exec(url) : null;
  if (stream) {
    streams.set(res, stream[1]);
    res.once('close', () => streams.delete(res));
  }
  if (url.startsWith('/api/liveness')) {
    if (mock) countClient(req, url);
    return api(req, res);
  }
  if (mock && url.startsWith('/demo/drop-streams?') && req.method === 'POST') {
    // What a proxy restart or a lost Wi-Fi does to a stream: the connection is gone, mid-response.
    const session = new URL(url, 'http://demo.invalid').searchParams.get('session');
    let dropped = 0;
    for (const [open, id] of streams) {
      if (id !== session) continue;
      open.destroy();
      dropped += 1;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    return res.end(JSON.stringify({ dropped }));
  }
  if (upstreamPage && url.startsWith('/mock-upstream')) return upstreamPage(req, res);
  if (mock && url.startsWith('/demo/stats?client=')) {
    const client = new URL(url, 'http://demo.invalid').searchParams.get('client');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    return res.end(JSON.stringify(clients.get(client) ?? { create: 0, status: 0, events: 0, cancel: 0, send: 0, upload: 0 }));
  }
  if (mock && url.startsWith('/demo/stats?session=')) {
    // One session's result calls (answered or not): what a test that runs beside others can count.
    const session = new URL(url, 'http://demo.invalid').searchParams.get('session');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    return res.end(JSON.stringify({ resultCalls: resultCalls.get(session) ?? 0 }));
  }
  if (mock && url === '/demo/stats') {
    // For the end-to-end tests: how many upstream sessions and result calls the mock has seen, and how
    // many result calls got a GroupId (spent a token). The server also checks watched sessions at a
    // low rate for a lost callback, so `result` grows in the background; `spent` only with a result.
    const spent = [...mock.sessions.values()].filter((session) => session.state === 'consumed').length;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    return res.end(JSON.stringify({ ...mock.stats, spent }));
  }
  if (mock && (url === '/demo/outbox' || url.startsWith('/demo/outbox?'))) {
    const to = new URL(url, 'http://demo.invalid').searchParams.get('to');
    const messages = outbox.filter((message) => to === null || message.to === to);
    if (!(req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify({ messages }));
    }
    // What the phone would show: each message with its link, newest first. No script, no inline style.
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    });
    const escape = (text) => String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
    const items = messages.map(
      (message) =>
        `<li data-outbox-message data-channel="${escape(message.channel)}" data-to="${escape(message.to)}"><p>${message.channel === 'sms' ? 'Text message' : 'E-mail'} to ${escape(message.to)}, ${escape(message.sentAt)}</p><p>Your verification link: <a href="${escape(message.link)}">${escape(message.link)}</a></p></li>`,
    );
    return res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>Demo outbox</title></head><body><main><h1>Demo outbox</h1><p>What the demo's sendLink was asked to send (the last ${OUTBOX_SIZE}). A real app sends these by SMS or e-mail.</p><ul>${items.join('') || '<li>Nothing sent yet.</li>'}</ul></main></body></html>`,
    );
  }
  if (url === '/favicon.ico') {
    // Asked for by pages without an icon link (the callback page, the simulated H5 page), as browsers
    // do: the demo's own icon, so no engine logs a 404 for it.
    return readFile(path.join(root, 'favicon.svg')).then((svg) => {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' });
      res.end(svg);
    });
  }
  res.setHeader('Content-Security-Policy', DEMO_CSP);
  // The library's stylesheet, as an app links it (from outside Vite's root, so served here).
  if (url === '/styles.css') {
    return readFile(stylesheet).then((css) => {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(css);
    });
  }
  vite.middlewares(req, res);
});

console.log(`demo: http://${host}:${port}/  (upstream: ${apiKey ? 'Anyfast' : 'mock, no key needed'})`);

const stop = async () => {
  httpServer.close();
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
