// docs/examples/testing/passTheCheck.test.ts
// A test of your server half against the mock upstream, in process: create a session, "press Pass" on
// the simulated page, send the phone to the callback, and read the outcome. (Vitest here; any runner
// works the same way. This repository runs this very file in `npm run test:unit`.)
import { expect, it } from 'vitest';
import { createLivenessHandler } from 'react-liveness-session/server';
import { createMockUpstream } from 'react-liveness-session/testing';

it('a person who passes is verified, with a GroupId', async () => {
  const mock = createMockUpstream(); // accepts the key 'test-key-not-secret'
  const liveness = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: 'https://mock.example.test', // any https address: the mock's links point there (http only on loopback)
    fetch: mock.fetch, // in-process, no network
    publicUrl: 'https://app.example.test',
  });
  const app = (path: string, init?: RequestInit) => liveness(new Request(new URL(path, 'https://app.example.test'), init));

  const created = await app('/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(created.status).toBe(201);
  const { sessionId, statusUrl } = (await created.json()) as { sessionId: string; statusUrl: string };

  // "Press Pass" and send the phone to the callback (a test of a lost callback stops after `decide`).
  const [bytedToken] = [...mock.sessions.keys()];
  const callbackUrl = mock.decide(bytedToken!, 'pass');
  await liveness(new Request(callbackUrl!));
  expect(mock.stats.result).toBe(1);

  const status = await (await app(statusUrl)).json();
  expect(status).toMatchObject({ sessionId, status: 'verified', groupId: expect.any(String) });
});
