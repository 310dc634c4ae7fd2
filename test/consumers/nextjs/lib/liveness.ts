// The server half, as the Next.js example of docs/persisting-the-result.md has it: one handler per process, here in front of
// the package's mock upstream (in-process, no network) instead of Anyfast.
//
// PUBLIC_URL is the origin the app is served on (the runner sets it to http://127.0.0.1:<port>).
// It is required under Next.js: route handlers get `request.url` = http://localhost:<port> whatever
// the Host header, so without it the handler's same-origin check refuses the page's own create
// request with 403 (run.mjs --no-public-url shows it) and its URLs name localhost.
import { createLivenessHandler, type LivenessHandler } from 'react-liveness-session/server';
import { createMockUpstream, type MockUpstream } from 'react-liveness-session/testing';

const publicUrl = process.env.PUBLIC_URL;

// Next may bundle the two route files separately: keep one handler and one mock through globalThis,
// so the H5 page route sees the sessions the API route created.
const shared = globalThis as typeof globalThis & { __consumerLiveness?: { liveness: LivenessHandler; mock: MockUpstream } };
if (!shared.__consumerLiveness) {
  const mock = createMockUpstream(publicUrl ? { publicUrl: `${publicUrl}/mock-upstream` } : {});
  const liveness = createLivenessHandler({
    apiKey: 'test-key-not-secret',
    upstreamUrl: 'http://mock.test',
    fetch: mock.fetch,
    publicUrl,
    basePath: '/api/liveness',
  });
  shared.__consumerLiveness = { liveness, mock };
}

export const { liveness, mock } = shared.__consumerLiveness;
