// docs/examples/mock-upstream/mockUnderAPath.ts
// The mock upstream under a path of the app's own server (what `npm start`'s demo does): one origin,
// one port. The handler reaches the mock in process (its `fetch`), the phone over HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLivenessHandler, toNodeHandler, type LivenessHandlerOptions } from 'react-liveness-session/server';
import { createMockUpstream } from 'react-liveness-session/testing';

/** Port 0 picks a free port (tests); `close()` stops the server. */
export async function serveMockUnderAPath({
  port = 3000,
  host = '127.0.0.1',
  onEvent,
}: {
  port?: number;
  host?: string;
  onEvent?: LivenessHandlerOptions['onEvent'];
} = {}) {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const appUrl = `http://${host}:${(server.address() as AddressInfo).port}`;

  // The mock's links and API live under /mock-upstream of the app's origin.
  const mock = createMockUpstream({ publicUrl: `${appUrl}/mock-upstream` });
  const liveness = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: `${appUrl}/mock-upstream`,
    fetch: mock.fetch, // in process: no network hop, same answers
    publicUrl: appUrl,
    onEvent,
  });
  // Each adapter answers its own paths and hands the others on (`next`).
  const api = toNodeHandler(liveness);
  const mockPages = toNodeHandler(Object.assign((request: Request) => mock(request), { basePath: '/mock-upstream' }));
  server.on('request', (req, res) => api(req, res, () => mockPages(req, res)));

  const close = () => new Promise((done) => server.close(done).closeAllConnections());
  return { appUrl, mockUrl: `${appUrl}/mock-upstream`, mock, liveness, close };
}
