// A child process serving one thing on 127.0.0.1:<ephemeral>, for the load test in serverOverhead.mjs:
//   adapter: toNodeHandler(createLivenessHandler(...)) over the mock upstream in-process (zero latency)
//   direct:  toNodeHandler(mock upstream), the same mock called straight over HTTP
//   floor:   a bare node:http server answering a fixed JSON body (what Node alone costs)
// Prints `{"port":…}` once listening; exits on SIGTERM. Over IPC (when spawned with one), answers each
// message with its CPU time so far (`process.cpuUsage()`), so the parent can charge a run its CPU.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = process.argv[3];
const mode = process.argv[2];
const { createLivenessHandler, toNodeHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);

const server = createServer();
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;
const mock = createMockUpstream({ publicUrl: `${origin}/mock-upstream` });
let listener;
if (mode === 'adapter') {
  const handler = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: `${origin}/mock-upstream`,
    fetch: mock.fetch,
    publicUrl: origin,
    upstreamRateLimit: false,
    // The load generator is one client (127.0.0.1) sending thousands of creates.
    clientRateLimit: false,
  });
  listener = toNodeHandler(handler);
} else if (mode === 'direct') {
  listener = toNodeHandler(mock);
} else {
  const body = JSON.stringify({ sessionId: 'x'.repeat(32), status: 'pending', expiresAt: new Date().toISOString() });
  listener = (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  };
}
server.on('request', listener);
process.on('message', () => process.send?.(process.cpuUsage()));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
console.log(JSON.stringify({ port: server.address().port }));
