// Issue 26's upload benchmark: a child serving one of two things on 127.0.0.1:<ephemeral>.
//   upstream: the mock upstream alone (toNodeHandler(mock)), so the handler reaches it over HTTP as it
//             reaches Anyfast, and the mock's own memory (it decodes every file) stays out of the measure;
//   handler:  toNodeHandler(createLivenessHandler({ assets })) calling that upstream (argv[4]), plus
//             GET /bench/stats: its peak RSS and heap, and the durations of its CreateAsset calls.
// Prints `{"port":…,"group":…}` once listening; exits on SIGTERM.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, repo, upstream, groupId] = process.argv.slice(2);
const { createLivenessHandler, toNodeHandler } = await import(pathToFileURL(join(repo, 'dist/server.js')).href);
const { createMockUpstream } = await import(pathToFileURL(join(repo, 'dist/testing.js')).href);

const server = createServer();
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;
let group;
if (mode === 'upstream') {
  const mock = createMockUpstream({ assetActivationMs: 60_000 });
  group = mock.createGroup();
  server.on('request', toNodeHandler(mock));
} else {
  const createCalls = [];
  const peak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    for (const name of Object.keys(peak)) peak[name] = Math.max(peak[name], usage[name]);
  };
  setInterval(sample, 10).unref();
  const handler = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: upstream,
    publicUrl: origin,
    authorize: () => ({ subject: 'bench-user' }),
    clientRateLimit: false,
    assets: { groupIdFor: () => groupId, subjectRateLimit: false, createRateLimit: false },
    onEvent: (event) => {
      if (event.type === 'upstream.response' && event.action === 'create_asset') createCalls.push(event.durationMs);
    },
  });
  const api = toNodeHandler(handler);
  server.on('request', (req, res) => {
    if (req.url === '/bench/stats') {
      sample();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // maxRSS: the kernel's high-water mark of this process (KiB), exact where sampling may miss a peak.
      return res.end(JSON.stringify({ peak, now: process.memoryUsage(), maxRssKiB: process.resourceUsage().maxRSS, createCalls }));
    }
    if (req.url === '/bench/reset') {
      globalThis.gc?.();
      Object.assign(peak, { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
      createCalls.length = 0;
      sample();
      res.writeHead(204);
      return res.end();
    }
    api(req, res);
  });
}
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
console.log(JSON.stringify({ port: server.address().port, ...(group ? { group } : {}) }));
