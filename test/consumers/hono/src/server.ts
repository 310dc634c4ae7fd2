// The server half in a Hono app on @hono/node-server, the way docs/server.md shows it:
// `app.all('/api/liveness/*', (c) => liveness(c.req.raw))`. The package's mock upstream stands in for
// Anyfast, served the same way.
//   PORT=<port> node dist/server.js   → prints `listening on http://127.0.0.1:<port>`
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createLivenessHandler } from 'react-liveness-session/server';
import { createMockUpstream } from 'react-liveness-session/testing';

const port = Number(process.env.PORT ?? 3000);
const origin = `http://127.0.0.1:${port}`;

const mock = createMockUpstream({ publicUrl: `${origin}/mock-upstream` });
const liveness = createLivenessHandler({
  apiKey: 'test-key-not-secret',
  upstreamUrl: 'http://mock.test',
  fetch: mock.fetch,
  publicUrl: origin,
});

const app = new Hono();
app.all('/api/liveness/*', (c) => liveness(c.req.raw));
app.all('/mock-upstream/*', (c) => mock(c.req.raw));

app.get('/health', (c) => c.json({ ok: true }));
// Before trusting a verification, the app reads it on its own server (docs/persisting-the-result.md: getSession).
app.get('/consumer/sessions/:id', async (c) => {
  const session = await liveness.getSession(c.req.param('id'));
  return session ? c.json(session) : c.json({ error: 'unknown session' }, 404);
});
app.get('/consumer/stats', (c) => c.json(mock.stats));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  console.log(`listening on ${origin}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
  });
}
