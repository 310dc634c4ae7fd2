// Issue 29, item 2: the two ways to serve the mock upstream that docs/testing.md shows, run as written
// (docs/examples/mock-upstream/), with a phone in Chromium pressing Pass on the simulated page. With
// the mock on its own port the page's form posts to the mock's origin and its redirect goes to the
// app's callback on another origin: the page's CSP must allow that one (a blocked redirect leaves the
// phone on the mock page, and only the lost-callback probe would verify the session, ~15 s later).
// The proof that the phone got there is the callback route's own event and a verification made by the
// callback's result call, not a timing.
import type { LivenessServerEvent } from '../../src/server.js';
import { serveMockOnItsOwnPort } from '../../docs/examples/mock-upstream/mockOnItsOwnPort.js';
import { serveMockUnderAPath } from '../../docs/examples/mock-upstream/mockUnderAPath.js';
import { expect, test } from './fixtures.js';
import { STATE_TIMEOUT_MS } from './settings.js';

const SETUPS = {
  'on its own port (another origin)': (onEvent: (event: LivenessServerEvent) => void) => serveMockOnItsOwnPort({ appPort: 0, mockPort: 0, onEvent }),
  'under a path of the app (same origin)': (onEvent: (event: LivenessServerEvent) => void) => serveMockUnderAPath({ port: 0, onEvent }),
};

for (const [name, serve] of Object.entries(SETUPS)) {
  test(`the mock ${name}: Pass on the phone reaches the app's callback`, async ({ phone }) => {
    const events: LivenessServerEvent[] = [];
    const { appUrl, mockUrl, close } = await serve((event) => events.push(event));
    try {
      const response = await fetch(`${appUrl}/api/liveness/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { sessionId: string; qrUrl: string };

      // The phone scans the code: the short link sends it to the simulated page, on the mock's origin.
      await phone.goto(created.qrUrl);
      expect(phone.url().startsWith(`${mockUrl}/`)).toBe(true);
      await phone.locator('[data-mock-outcome="pass"]').tap();
      await phone.waitForURL((url) => url.href.startsWith(`${appUrl}/api/liveness/callback?`), { timeout: STATE_TIMEOUT_MS });

      // The callback arrived, and its own result call (not a probe for a lost callback) verified the session.
      expect(events).toContainEqual(expect.objectContaining({ type: 'callback.received', sessionId: created.sessionId, resultCode: '10000' }));
      await expect
        .poll(async () => ((await (await fetch(`${appUrl}/api/liveness/sessions/${created.sessionId}`)).json()) as { status: string }).status, {
          timeout: STATE_TIMEOUT_MS,
        })
        .toBe('verified');
      expect(events.filter((event) => event.type === 'session.verified')).toEqual([expect.objectContaining({ sessionId: created.sessionId, check: 'callback' })]);
      expect(events.some((event) => event.check === 'probe')).toBe(false);
    } finally {
      await close();
    }
  });
}
