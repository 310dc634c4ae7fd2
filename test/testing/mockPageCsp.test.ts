// @vitest-environment node
// Issue 29, item 2: the simulated page's form posts to the mock, which redirects to the session's
// CallbackURL; browsers hold that redirect to `form-action`. The policy names the callback's origin
// (and nothing a create request could smuggle into the header).
import { describe, expect, it } from 'vitest';
import { createMockUpstream } from '../../src/testing.js';

async function pageFor(callbackUrl: string) {
  const mock = createMockUpstream({ publicUrl: 'https://mock.example.test' });
  const created = await mock(
    new Request('https://mock.example.test/volc/asset/CreateVisualValidateSession', {
      method: 'POST',
      headers: { Authorization: 'Bearer test-key-not-secret', 'Content-Type': 'application/json' },
      body: JSON.stringify({ CallbackURL: callbackUrl }),
    }),
  );
  const { H5Link } = (await created.json()) as { H5Link: string };
  return mock(new Request(H5Link));
}

const formAction = (response: Response) => /form-action ([^;]*)/.exec(response.headers.get('Content-Security-Policy') ?? '')?.[1];

describe('the simulated page’s Content-Security-Policy', () => {
  it('allows its own origin and the session’s callback origin as form targets', async () => {
    const page = await pageFor('http://127.0.0.1:3000/api/liveness/callback?sid=FAKE');
    expect(page.status).toBe(200);
    expect(formAction(page)).toBe("'self' http://127.0.0.1:3000");
    // The rest of the policy is as strict as before.
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it('names the origin only: no path, no query', async () => {
    const page = await pageFor("https://app.example.test:8443/cb?x=1;script-src%20'unsafe-inline'");
    expect(formAction(page)).toBe("'self' https://app.example.test:8443");
  });

  it('adds nothing for a callback that is not http(s)', async () => {
    const page = await pageFor('ftp://files.example.test/callback');
    expect(formAction(page)).toBe("'self'");
  });
});
