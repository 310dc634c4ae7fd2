// The server half in an Express 5 app, the way the README shows it: `app.use(toNodeHandler(liveness))`
// beside the app's own middleware (a global express.json(), which consumes request bodies first) and
// routes, which the adapter passes on with next(). The package's mock upstream stands in for Anyfast.
//   PORT=<port> node dist/server.js   → prints `listening on http://127.0.0.1:<port>`
import express from 'express';
import { createLivenessHandler, toNodeHandler } from 'react-liveness-session/server';
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

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.use(toNodeHandler(liveness));
app.use(toNodeHandler(Object.assign((request: Request) => mock(request), { basePath: '/mock-upstream' })));

// The app's own routes: reached only because the adapter hands other paths to next().
app.get('/health', (_req, res) => {
  res.json({ ok: true });
});
// Before trusting a verification, the app reads it on its own server (docs/persisting-the-result.md: getSession).
app.get('/consumer/sessions/:id', async (req, res) => {
  const session = await liveness.getSession(req.params.id);
  if (!session) res.status(404).json({ error: 'unknown session' });
  else res.json(session);
});
app.get('/consumer/stats', (_req, res) => {
  res.json(mock.stats);
});

const server = app.listen(port, '127.0.0.1', (error?: Error) => {
  if (error) throw error;
  console.log(`listening on ${origin}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
