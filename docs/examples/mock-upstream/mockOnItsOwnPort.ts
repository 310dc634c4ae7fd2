// docs/examples/mock-upstream/mockOnItsOwnPort.ts
// The mock upstream on its own port, the server half on another, over real HTTP: the handler calls the
// mock as it would call Anyfast, the phone opens the simulated page on the mock's origin, and Pass
// sends it to the app's callback on the other origin (the mock's page allows exactly that one).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLivenessHandler, toNodeHandler, type LivenessHandlerOptions } from 'react-liveness-session/server';
import { createMockUpstream } from 'react-liveness-session/testing';

async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** Port 0 picks free ports (tests); `close()` stops both servers. */
export async function serveMockOnItsOwnPort({
  appPort = 3000,
  mockPort = 4010,
  host = '127.0.0.1',
  onEvent,
}: {
  appPort?: number;
  mockPort?: number;
  host?: string;
  onEvent?: LivenessHandlerOptions['onEvent'];
} = {}) {
  // The mock alone on its port: API and simulated H5 page. Its links point at its own origin.
  const mock = createMockUpstream(); // accepts the key 'test-key-not-secret'
  const mockServer = http.createServer(toNodeHandler(mock));
  const mockUrl = await listen(mockServer, mockPort, host);

  // The app: the server half, calling the mock over HTTP. `publicUrl` is where the phone's callback lands.
  const appServer = http.createServer();
  const appUrl = await listen(appServer, appPort, host);
  const liveness = createLivenessHandler({ apiKey: 'test-key-not-secret', upstreamUrl: mockUrl, publicUrl: appUrl, onEvent });
  appServer.on('request', toNodeHandler(liveness));

  const close = () => Promise.all([mockServer, appServer].map((server) => new Promise((done) => server.close(done).closeAllConnections())));
  return { appUrl, mockUrl, mock, liveness, close };
}
